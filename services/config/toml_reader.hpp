// Reading a TOML configuration file strictly (toml++): every section and key must be known, every value of the
// right type and range, and every error names the file, line, column and key. Shared by chiso-syncd and the kiosk.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::config {

class TomlReader {
public:
    // Throws std::runtime_error "FILE:LINE:COLUMN: reason" for a syntax error, "cannot read FILE: ..." otherwise.
    explicit TomlReader(const std::filesystem::path& file);

    // Fails on any top-level key not in `known`.
    void check_sections(std::initializer_list<std::string_view> known) const;
    // The table [name] with only the given keys, or nullptr when the file has none.
    const toml::table* section(std::string_view name, std::initializer_list<std::string_view> known) const;

    // A value of [section] key; nullopt when absent (table may be null). Fails on a wrong type or range.
    std::optional<std::string> string(const toml::table* table, std::string_view section, std::string_view key) const;
    std::optional<std::int64_t> integer(const toml::table* table, std::string_view section, std::string_view key,
                                        std::int64_t min, std::int64_t max) const;
    std::optional<bool> boolean(const toml::table* table, std::string_view section, std::string_view key) const;
    std::optional<std::vector<std::string>> strings(const toml::table* table, std::string_view section,
                                                    std::string_view key) const;

    // Runs a check that throws std::invalid_argument, turning its message into one that names the position.
    template <typename Check>
    auto checked(const toml::table* table, std::string_view key, Check check) const {
        try {
            return check();
        } catch (const std::invalid_argument& e) {
            fail(*table->get(key), e.what());
        }
    }

    [[noreturn]] void fail(const toml::node& at, const std::string& what) const;

private:
    std::string file_;
    toml::table root_;
};

}  // namespace chiso::config
