// The fleet's routes besides the device list: display settings and groups.
//   GET /api/v1/settings                  a device: its effective settings {"tag", "settings"};
//                                         IT or admin: every layer, group and device (FleetSettings::layers_json)
//   PUT /api/v1/settings[?group=G|?device=D]  IT or admin: a layer's whole object (none: the defaults)
//   PUT /api/v1/groups?device=D           IT or admin: the device's groups, a JSON array of names in order
#include "syncd/http/routes.hpp"

#include <boost/json.hpp>

namespace chiso::syncd {
namespace json = boost::json;

namespace {

std::string settings_layer(const Target& target) {
    const auto group = target.get("group");
    const auto device = target.get("device");
    if (group && device) throw ServiceError(400, "name a group or a device, not both");
    if (group) return "group:" + *group;
    if (device) return "device:" + *device;
    return "defaults";
}

std::vector<std::string> group_names(std::string_view body) {
    boost::system::error_code error;
    const json::value value = json::parse(body, error);
    if (error || !value.is_array()) throw ServiceError(400, "the groups are a JSON array of names");
    std::vector<std::string> groups;
    for (const json::value& item : value.as_array()) {
        if (!item.is_string()) throw ServiceError(400, "the groups are a JSON array of names");
        groups.emplace_back(item.as_string());
    }
    return groups;
}

void get_settings(Shared& shared, const Request& req, Outcome& out) {
    const Principal who = require_principal(shared, req, out);
    FleetSettings& settings = shared.service.settings();
    if (who.role == Role::device) {
        const EffectiveSettings effective = settings.effective(who.name);
        out.response = json_response(http::status::ok, json::serialize(json::object{
                                                           {"tag", effective.tag},
                                                           {"settings", json::parse(effective.json)}}));
        tell_device(shared, who, out.response);
        return;
    }
    if (!who.may(Right::run_fleet)) throw ServiceError(403, std::string(who_may(Right::run_fleet)));
    out.response = json_response(http::status::ok, settings.layers_json());
}

}  // namespace

void route_fleet(Shared& shared, Request& req, const Target& target, Outcome& out) {
    if (out.route == Route::settings && req.method() == http::verb::get) return get_settings(shared, req, out);
    const Principal who = require_right(shared, req, out, Right::run_fleet);
    FleetSettings& settings = shared.service.settings();
    if (out.route == Route::settings) {
        const std::string layer = settings_layer(target);
        const std::string stored = settings.put(layer, req.body(), who.name);
        out.response = json_response(http::status::ok,
                                     json::serialize(json::object{{"layer", layer}, {"settings", json::parse(stored)}}));
        return;
    }
    const auto device = target.get("device");
    if (!device) throw ServiceError(400, "name the device: ?device=NAME");
    settings.set_groups(*device, group_names(req.body()));
    out.response = make_response(http::status::no_content);
}

}  // namespace chiso::syncd
