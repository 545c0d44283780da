// The routes that reach the screens themselves: proof of render and enrolment by code.
//   POST /api/v1/screenshot?revision=R&page=P&drawn_at=T[&request=N]  a device: its screen as a PNG (read only
//                                         after its token was checked: see Session::on_header)
//   GET  /api/v1/screenshots              IT or admin: the latest of each device, and the requests not answered
//   GET  /api/v1/screenshot?id=N          IT or admin: one image
//   POST /api/v1/screenshot-request?device=D  IT or admin: ask a device for a new one now
//   POST /api/v1/enrolment                no token: a kiosk without one opens a code {"code","key","expires_in"}
//   POST /api/v1/enrolment/poll           no token: {"code","key"} → waiting, or enrolled with the token (once)
//   POST /api/v1/enrolment/claim          IT or admin: {"code","name","org","groups"} makes the device
#include "syncd/http/routes.hpp"
#include "syncd/screenshots.hpp"

#include <boost/json.hpp>

namespace chiso::syncd {
namespace json = boost::json;

namespace {

json::object body_object(std::string_view body) {
    boost::system::error_code error;
    json::value value = json::parse(body, error);
    if (error || !value.is_object()) throw ServiceError(400, "the body must be a JSON object");
    return std::move(value.as_object());
}

std::string string_field(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    if (!value || !value->is_string() || value->as_string().empty())
        throw ServiceError(400, "'" + std::string(key) + "' must be a non-empty string");
    return std::string(value->as_string());
}

std::vector<std::string> group_list(const json::object& object) {
    std::vector<std::string> groups;
    const json::value* value = object.if_contains("groups");
    if (!value) return groups;
    if (!value->is_array()) throw ServiceError(400, "'groups' must be an array of group names");
    for (const json::value& item : value->as_array()) {
        if (!item.is_string()) throw ServiceError(400, "'groups' must be an array of group names");
        groups.emplace_back(item.as_string());
    }
    check_groups(groups);  // before the device is made: a refusal then would leave a token nobody holds
    return groups;
}

std::int64_t required_integer(const Target& target, std::string_view name) {
    const auto value = integer_param(target, name);
    if (!value) throw ServiceError(400, "name the " + std::string(name) + ": ?" + std::string(name) + "=N");
    return *value;
}

void receive_screenshot(Shared& shared, Request& req, const Target& target, Outcome& out) {
    const Principal who = require_principal(shared, req, out);
    if (who.role != Role::device) throw ServiceError(403, "only a device sends screenshots");
    ScreenshotMeta meta;
    meta.revision = required_integer(target, "revision");
    meta.page = target.get("page").value_or("");
    meta.drawn_at = required_integer(target, "drawn_at");
    meta.request = integer_param(target, "request").value_or(0);
    const std::int64_t id = shared.service.screenshots().accept(who.name, meta, req.body());
    shared.metrics.count_screenshot();
    out.response = json_response(http::status::created, json::serialize(json::object{{"id", id}}));
    tell_device(shared, who, out.response);
}

Response image_response(const store::ScreenshotRow& row) {
    auto res = make_response(http::status::ok, row.png, "image/png");
    res.set(http::field::cache_control, "private, max-age=86400, immutable");  // an id names one image for ever
    res.set("Content-Security-Policy", "default-src 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Chiso-Device", row.device);
    res.set("Chiso-Revision", std::to_string(row.revision));
    res.set("Chiso-Page", row.page);
    res.set("Chiso-Drawn-At", std::to_string(row.drawn_at));
    return res;
}

bool is_device(const Service& service, const std::string& name) {
    for (const TokenInfo& token : service.tokens())
        if (token.name == name && token.role == Role::device && !token.revoked) return true;
    return false;
}

void route_screenshot(Shared& shared, Request& req, const Target& target, Outcome& out) {
    if (target.path == "/api/v1/screenshot" && req.method() == http::verb::post)
        return receive_screenshot(shared, req, target, out);
    require_right(shared, req, out, Right::run_fleet);
    Screenshots& screenshots = shared.service.screenshots();
    if (target.path == "/api/v1/screenshots") {
        out.response = json_response(http::status::ok, screenshots.list_json());
    } else if (target.path == "/api/v1/screenshot") {
        const auto row = screenshots.image(required_integer(target, "id"));
        if (!row) throw ServiceError(404, "no such screenshot (a device keeps its latest few only)");
        out.response = image_response(*row);
    } else {
        const auto device = target.get("device");
        if (!device) throw ServiceError(400, "name the device: ?device=NAME");
        if (!is_device(shared.service, *device)) throw ServiceError(404, "no device named '" + *device + "'");
        const std::int64_t request = screenshots.request(*device);
        out.response = json_response(http::status::accepted,
                                     json::serialize(json::object{{"device", *device}, {"request", request}}));
    }
}

void route_enrolment(Shared& shared, Request& req, const Target& target, const std::string& address, Outcome& out) {
    const auto now = Clock::now();
    if (target.path == "/api/v1/enrolment") {
        const EnrolmentCode code = shared.enrolment.open(address, now);
        out.response = json_response(http::status::created,
                                     json::serialize(json::object{{"code", code.code},
                                                                  {"key", code.key},
                                                                  {"expires_in", code.expires_in.count()}}));
        return;
    }
    if (target.path == "/api/v1/enrolment/poll") {
        const json::object body = body_object(req.body());
        const EnrolmentStatus status = shared.enrolment.poll(string_field(body, "code"), string_field(body, "key"), now);
        json::object answer{{"status", status.enrolled ? "enrolled" : "waiting"}};
        if (status.enrolled) {
            answer["token"] = status.token;
            answer["name"] = status.name;
            spdlog::info("enrolment: device '{}' received its token", status.name);
        } else {
            answer["expires_in"] = status.expires_in.count();
        }
        out.response = json_response(http::status::ok, json::serialize(answer));
        return;
    }
    const Principal who = require_right(shared, req, out, Right::run_fleet);
    const json::object body = body_object(req.body());
    const std::string code = string_field(body, "code");
    const std::string name = string_field(body, "name");
    const std::string org = string_field(body, "org");
    const std::vector<std::string> groups = group_list(body);
    if (!valid_group_name(name))
        throw ServiceError(400, "a screen's name is 1 to 64 of a-z, 0-9, '-', '_' and '.', e.g. phong-hop-1");
    if (Enrolment::normalise(code).empty())
        throw ServiceError(400, "an enrolment code is 8 letters and digits, as the screen shows it: ABCD-EFGH");
    shared.enrolment.claim(code, who.name, now, name, [&] {
        std::string token = shared.service.add_token(name, org, Role::device);
        if (!groups.empty()) shared.service.settings().set_groups(name, groups);
        return token;
    });
    spdlog::info("enrolment: '{}' enrolled device '{}' for {} by code", who.name, name, org);
    out.response =
        json_response(http::status::created, json::serialize(json::object{{"name", name}, {"scope", org}}));
}

}  // namespace

void route_screens(Shared& shared, Request& req, const Target& target, const std::string& address, Outcome& out) {
    if (out.route == Route::screenshot) return route_screenshot(shared, req, target, out);
    route_enrolment(shared, req, target, address, out);
}

}  // namespace chiso::syncd
