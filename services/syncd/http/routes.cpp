#include "syncd/http/routes.hpp"

#include "syncd/fleet.hpp"
#include "syncd/http/target.hpp"
#include "syncd/screenshots.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <array>
#include <utility>

#ifndef CHISO_VERSION
#define CHISO_VERSION "dev"
#endif

namespace chiso::syncd {

namespace {

}  // namespace

Response make_response(http::status status, std::string body, std::string_view content_type) {
    Response res{status, 11};
    res.set(http::field::server, "chiso-syncd/" CHISO_VERSION);
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    return res;
}

Response json_response(http::status status, std::string body) {
    return make_response(status, std::move(body), "application/json");
}

namespace {

constexpr std::array<RouteSpec, 28> route_table{{
    {"/api/v1/health", http::verb::get, Route::health},
    {"/metrics", http::verb::get, Route::metrics},
    {"/api/v1/scope", http::verb::get, Route::scope},
    {"/api/v1/import", http::verb::post, Route::import},
    {"/api/v1/imports", http::verb::get, Route::imports},
    {"/api/v1/heartbeat", http::verb::post, Route::heartbeat},
    {"/api/v1/devices", http::verb::get, Route::devices},
    {"/fleet", http::verb::get, Route::fleet},
    {"/fleet/console.css", http::verb::get, Route::fleet},
    {"/fleet/console.js", http::verb::get, Route::fleet},
    {"/fleet/core.js", http::verb::get, Route::fleet},
    {"/fleet/i18n.js", http::verb::get, Route::fleet},
    {"/fleet/wall.js", http::verb::get, Route::fleet},
    {"/fleet/settings.js", http::verb::get, Route::fleet},
    {"/import", http::verb::get, Route::fleet},
    {"/import/import.css", http::verb::get, Route::fleet},
    {"/import/import.js", http::verb::get, Route::fleet},
    {"/import/i18n.js", http::verb::get, Route::fleet},
    {"/api/v1/settings", http::verb::get, Route::settings},
    {"/api/v1/settings", http::verb::put, Route::settings},
    {"/api/v1/groups", http::verb::put, Route::groups},
    {"/api/v1/screenshot", http::verb::post, Route::screenshot},
    {"/api/v1/screenshot", http::verb::get, Route::screenshot},
    {"/api/v1/screenshots", http::verb::get, Route::screenshot},
    {"/api/v1/screenshot-request", http::verb::post, Route::screenshot},
    {"/api/v1/enrolment", http::verb::post, Route::enrolment},
    {"/api/v1/enrolment/poll", http::verb::post, Route::enrolment},
    {"/api/v1/enrolment/claim", http::verb::post, Route::enrolment},
}};

// The token of an Authorization: Bearer header; throws ServiceError 401 for none or a malformed one.
std::string_view bearer_token(const http::fields& fields) {
    const std::string_view header = fields[http::field::authorization];
    const auto space = header.find(' ');
    const std::string_view token = space == std::string_view::npos ? std::string_view{} : trim(header.substr(space));
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "Bearer") || token.empty() ||
        token.find(' ') != std::string_view::npos)
        throw ServiceError(401, "missing or malformed Authorization: Bearer header");
    return token;
}

}  // namespace

Principal require_principal(const Shared& shared, const Request& req, Outcome& out) {
    std::optional<Principal> who = bearer(shared, req);
    out.principal = who->name;
    bool first_refusal = false;
    if (!shared.limiter.allow(who->name, Clock::now(), &first_refusal)) {
        if (first_refusal)
            spdlog::warn("token '{}' sends more than {} requests/s (burst {}); answering 429 while it does", who->name,
                         shared.options.rate.per_second, shared.options.rate.burst);
        throw ServiceError(429, "too many requests for this token; slow down");
    }
    return std::move(*who);
}

Principal require_right(const Shared& shared, const Request& req, Outcome& out, Right right) {
    auto who = require_principal(shared, req, out);
    if (!who.may(right)) throw ServiceError(403, std::string(who_may(right)));
    return who;
}

void tell_device(Shared& shared, const Principal& who, Response& res) {
    if (who.role != Role::device) return;
    res.set(kSettingsTagHeader, shared.service.settings().effective(who.name).tag);
    if (const std::int64_t capture = shared.service.screenshots().pending(who.name))
        res.set(kCaptureHeader, std::to_string(capture));
}

namespace {

struct ConsoleFile {
    std::string_view path;
    std::string_view (*content)();
    std::string_view content_type;
};

// IT's console and the import page: each path of route_table served by Route::fleet, and its file
// (services/syncd/console/).
constexpr std::array<ConsoleFile, 11> console_files{{
    {"/fleet", console_html, "text/html; charset=utf-8"},
    {"/fleet/console.css", console_css, "text/css; charset=utf-8"},
    {"/fleet/console.js", console_js, "text/javascript; charset=utf-8"},
    {"/fleet/core.js", console_core_js, "text/javascript; charset=utf-8"},
    {"/fleet/i18n.js", console_i18n_js, "text/javascript; charset=utf-8"},
    {"/fleet/wall.js", console_wall_js, "text/javascript; charset=utf-8"},
    {"/fleet/settings.js", console_settings_js, "text/javascript; charset=utf-8"},
    {"/import", import_html, "text/html; charset=utf-8"},
    {"/import/import.css", import_css, "text/css; charset=utf-8"},
    {"/import/import.js", import_js, "text/javascript; charset=utf-8"},
    {"/import/i18n.js", import_i18n_js, "text/javascript; charset=utf-8"},
}};

// The console holds no data, only the code that asks for it with the IT token the user types, so anyone may load
// it. The policy lets it reach nothing but this server, and nothing inline: no fonts, scripts or images from
// elsewhere, no framing; screenshots are shown from blob: URLs of images fetched with the token.
Response console_file_response(std::string_view path) {
    const auto file = std::find_if(console_files.begin(), console_files.end(),
                                   [&](const ConsoleFile& f) { return f.path == path; });
    if (file == console_files.end()) throw ServiceError(404, "no such route");
    auto res = make_response(http::status::ok, std::string(file->content()), file->content_type);
    res.set(http::field::cache_control, "no-cache");
    res.set("Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src blob: data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    return res;
}

ScopeQuery scope_query(const Target& target) {
    ScopeQuery query;
    query.org = target.get("org");
    if (const auto depth = integer_param(target, "depth")) {
        if (*depth < 0 || *depth > 100) throw ServiceError(400, "depth must be between 0 and 100");
        query.depth = static_cast<int>(*depth);
    }
    query.since = integer_param(target, "since");
    query.at = target.get("at");
    query.review = target.get("review");
    return query;
}

void serve_scope(Shared& shared, const Request& req, const Target& target, Outcome& out) {
    Principal who = require_principal(shared, req, out);
    const ScopeQuery query = scope_query(target);
    const auto wait = integer_param(target, "wait").value_or(0);
    if (wait < 0) throw ServiceError(400, "wait must not be negative");
    const std::string if_none_match{req[http::field::if_none_match]};
    // A token holds a few long-polls at most (a kiosk holds one); past that it is answered at once, not held.
    if (!if_none_match.empty() && wait > 0 &&
        shared.longpolls_by_token.try_add(who.name, shared.options.max_longpolls_per_token)) {
        // The session checks the etag itself after registering as a waiter, so no change slips between.
        const auto seconds = std::min(std::chrono::seconds{wait}, shared.options.max_wait);
        out.wait = LongPoll{std::move(who), std::string(bearer_token(req)), query, if_none_match, Clock::now() + seconds};
        return;
    }
    if (!if_none_match.empty()) {
        const std::string etag = shared.service.scope_etag(who, query);
        if (etag_matches(if_none_match, etag)) {
            out.response = not_modified(etag);
            tell_device(shared, who, out.response);
            return;
        }
    }
    out.response = scope_response(shared, who, query);
}

// POST /api/v1/import: a file to check and apply (or only preview, with dry_run=1); or, with undo=REVISION and no
// file, that revision's figures put back. Both on the import thread: either may write a million rows.
void serve_import(Shared& shared, Request& req, const Target& target, Outcome& out) {
    const Principal who = require_right(shared, req, out, Right::import_figures);
    if (const auto undo = target.get("undo")) {
        std::int64_t revision = 0;
        auto [end, error] = std::from_chars(undo->data(), undo->data() + undo->size(), revision);
        if (undo->empty() || error != std::errc{} || end != undo->data() + undo->size() || revision <= 0)
            throw ServiceError(400, "undo= names a revision: a whole number");
        ImportReply reply = shared.service.undo(revision, who.name);
        shared.metrics.count_import(reply.applied);
        out.response = json_response(http::status::ok, std::move(reply.body));
        return;
    }
    static constexpr std::array<std::string_view, 4> kinds{"values", "targets", "organisations", "catalogue"};
    static constexpr std::array<std::string_view, 4> formats{"long", "wide", "json", "xlsx"};
    ImportRequest request;
    request.kind = target.get("kind").value_or("");
    request.format = target.get("format").value_or("");
    request.file_name = target.get("name").value_or("upload");
    request.who = who.name;
    const std::string dry_run = target.get("dry_run").value_or("0");
    if (dry_run != "0" && dry_run != "1") throw ServiceError(400, "dry_run is 1 (check and preview only) or 0");
    request.dry_run = dry_run == "1";
    if (std::find(kinds.begin(), kinds.end(), request.kind) == kinds.end())
        throw ServiceError(400, "kind must be values, targets, organisations or catalogue");
    if (!request.format.empty() && std::find(formats.begin(), formats.end(), request.format) == formats.end())
        throw ServiceError(400, "format must be long, wide, json or xlsx");
    request.body = std::move(req.body());  // up to the import limit: move, never copy
    ImportReply reply = shared.service.import(request);
    if (!request.dry_run) shared.metrics.count_import(reply.applied);
    const bool good = reply.applied || (request.dry_run && reply.checked);
    out.response = json_response(good ? http::status::ok : http::status::unprocessable_entity, std::move(reply.body));
}

void route_request(Shared& shared, Request& req, const Target& target, const std::string& address, Outcome& out) {
    switch (out.route) {
        case Route::health:
            out.response = json_response(http::status::ok, shared.service.health_json());
            break;
        case Route::metrics:
            out.response = make_response(
                http::status::ok,
                shared.metrics.render(shared.service.revision(), shared.service.reply_cache_stats()) +
                    shared.service.device_metrics_text(shared.options.fleet),
                "text/plain; version=0.0.4; charset=utf-8");
            break;
        case Route::scope:
            serve_scope(shared, req, target, out);
            break;
        case Route::import:
            serve_import(shared, req, target, out);
            break;
        case Route::imports: {
            require_right(shared, req, out, Right::import_figures);
            out.response = json_response(http::status::ok, shared.service.imports_json(100));
            break;
        }
        case Route::heartbeat: {
            const Principal who = require_principal(shared, req, out);
            shared.service.heartbeat(who, req.body());
            out.response = make_response(http::status::no_content);
            tell_device(shared, who, out.response);
            break;
        }
        case Route::devices:
            require_right(shared, req, out, Right::run_fleet);
            out.response = json_response(http::status::ok, shared.service.devices_json(shared.options.fleet));
            break;
        case Route::fleet:
            out.response = console_file_response(target.path);
            break;
        case Route::settings:
        case Route::groups:
            route_fleet(shared, req, target, out);
            break;
        case Route::screenshot:
        case Route::enrolment:
            route_screens(shared, req, target, address, out);
            break;
        case Route::other:
            break;
    }
}

}  // namespace

Response error_response(int status, std::string_view reason) {
    if (status < 400 || status > 599) status = 500;
    auto res = json_response(http::int_to_status(static_cast<unsigned>(status)),
                             boost::json::serialize(boost::json::object{{"error", reason}}));
    if (status == 401) res.set(http::field::www_authenticate, "Bearer realm=\"chiso\"");
    return res;
}

Response not_modified(const std::string& etag) {
    auto res = make_response(http::status::not_modified);
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control, "no-cache");
    return res;
}

const RouteSpec* find_route(std::string_view path, std::optional<http::verb> method) {
    const RouteSpec* first = nullptr;
    for (const auto& spec : route_table) {
        if (spec.path != path) continue;
        if (!method || spec.method == *method) return &spec;
        if (!first) first = &spec;
    }
    return first;
}

// Whose token the request bears; throws ServiceError 401 for none or one unknown or revoked.
Principal bearer(const Shared& shared, const http::fields& fields) {
    auto who = shared.service.authenticate(bearer_token(fields));
    if (!who) throw ServiceError(401, "unknown or revoked token");
    return std::move(*who);
}

Response scope_response(Shared& shared, const Principal& who, const ScopeQuery& query) {
    ScopeReply reply = shared.service.scope(who, query);
    auto res = json_response(http::status::ok, std::move(reply.body));
    res.set(http::field::etag, reply.etag);
    res.set(http::field::cache_control, "no-cache");
    tell_device(shared, who, res);
    return res;
}

// Maps one complete request onto Service: a response, or a long-poll for the session to hold.
Outcome handle_request(Shared& shared, Request& req, const std::string& address) {
    Outcome out;
    const Target target = parse_target(req.target());
    const RouteSpec* spec = find_route(target.path, req.method());
    if (!spec) {
        out.response = error_response(404, "no such route");
        return out;
    }
    out.route = spec->route;
    if (req.method() != spec->method) {
        out.response = error_response(405, "method not allowed");
        out.response.set(http::field::allow, http::to_string(spec->method));
        return out;
    }
    const std::string what = std::string(req.method_string()) + " " + target.path;
    out.response = guarded(what, [&] {
        route_request(shared, req, target, address, out);
        return std::move(out.response);
    });
    if (out.response.result() == http::status::too_many_requests)
        out.response.set(http::field::retry_after, std::to_string(shared.limiter.retry_after(out.principal, Clock::now())));
    return out;
}

}  // namespace chiso::syncd
