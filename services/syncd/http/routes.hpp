// The route table and handle_request(): one complete request mapped onto Service — health, metrics, scope (ETag
// and long-poll), import, heartbeat, devices and the fleet page — as a response, or a long-poll for the session to
// hold. Knows nothing of sockets; the session reads, writes and waits.
#pragma once

#include "syncd/http/shared.hpp"
#include "syncd/http/target.hpp"
#include "syncd/service.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>

namespace chiso::syncd {

struct RouteSpec {
    std::string_view path;
    http::verb method;
    Route route;
};

// The route of a decoded path and method; for a path served with other methods only, the first of them (for a
// 405 naming it); nullptr for a path not served. Without a method, the path's first route.
const RouteSpec* find_route(std::string_view path, std::optional<http::verb> method = std::nullopt);



// A scope request that waits for a change; the session holds it until the etag moves or the deadline passes.
struct LongPoll {
    Principal who;
    std::string token;  // checked again before a change is answered: it may be revoked while it waits
    ScopeQuery query;
    std::string if_none_match;
    Clock::time_point deadline;
};

struct Outcome {
    Route route = Route::other;
    std::string principal;  // for the log line; never the token
    Response response;
    std::optional<LongPoll> wait;
};


// Maps one complete request onto Service: a response, or a long-poll for the session to hold.
// `address` is the client's (enrolment codes are limited per address).
Outcome handle_request(Shared& shared, Request& req, const std::string& address = {});

// Whose token the request bears; throws ServiceError 401 for none or one unknown or revoked.
Principal bearer(const Shared& shared, const http::fields& fields);

Response error_response(int status, std::string_view reason);  // {"error": reason}; 401 says Bearer
Response not_modified(const std::string& etag);
Response scope_response(Shared& shared, const Principal& who, const ScopeQuery& query);  // 200 with its ETag

// A device's answers name the tag of its effective settings: when it differs from the one it holds, the kiosk
// fetches them (GET /api/v1/settings).
inline constexpr std::string_view kSettingsTagHeader = "Chiso-Settings";
// ...and, while IT waits for a new screenshot of it, the number of that request (answered with ?request=N).
inline constexpr std::string_view kCaptureHeader = "Chiso-Capture";

Response make_response(http::status status, std::string body = {}, std::string_view content_type = {});
Response json_response(http::status status, std::string body);
Principal require_principal(const Shared& shared, const Request& req, Outcome& out);  // with the rate limit
Principal require_right(const Shared& shared, const Request& req, Outcome& out, Right right);
void tell_device(Shared& shared, const Principal& who, Response& res);

// syncd/http/fleet_routes.cpp: settings and groups.
void route_fleet(Shared& shared, Request& req, const Target& target, Outcome& out);
// syncd/http/screen_routes.cpp: screenshots and enrolment.
void route_screens(Shared& shared, Request& req, const Target& target, const std::string& address, Outcome& out);

// Runs fn; a ServiceError becomes its status, anything else a logged 500. Nothing escapes to the I/O path.
template <class Fn>
auto guarded(std::string_view what, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const ServiceError& e) {
        return error_response(e.status, e.what());
    } catch (const std::exception& e) {
        spdlog::warn("{}: {}", what, e.what());
    } catch (...) {
        spdlog::warn("{}: unknown exception", what);
    }
    return error_response(500, "internal error");
}

}  // namespace chiso::syncd
