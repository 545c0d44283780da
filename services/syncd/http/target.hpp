// The request target as the routes read it: a percent-decoded path and query, typed query parameters, and
// If-None-Match matching. Pure functions over strings, unit-tested alone (tests/syncd/http_target_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chiso::syncd {

struct Target {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;

    std::optional<std::string> get(std::string_view name) const {
        for (const auto& [key, value] : query)
            if (key == name) return value;
        return std::nullopt;
    }
};

// "/api/v1/scope?org=HT%2DX&depth=1": path and query pairs, each percent-decoded ('+' a space); a malformed
// escape is kept as written; empty pairs are skipped.
Target parse_target(std::string_view target);

// The query parameter `name` as a whole number; nullopt when absent; throws ServiceError 400 when it is not one.
std::optional<std::int64_t> integer_param(const Target& target, std::string_view name);

// Whether an If-None-Match header (a list of entity tags, maybe weak W/"x", or "*") matches `etag`.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

bool iequals(std::string_view a, std::string_view b);  // ASCII, case-insensitive
std::string_view trim(std::string_view s);             // spaces and tabs at both ends

}  // namespace chiso::syncd
