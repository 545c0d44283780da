#include "syncd/settings_command.hpp"

#include "syncd/fleet_settings.hpp"
#include "syncd/service.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <iostream>
#include <stdexcept>

namespace chiso::syncd {
namespace json = boost::json;

namespace {

json::array comma_list(std::string_view text) {
    json::array items;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        if (end > start) items.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

// A value as the kiosk's rules expect its key's: a list, a number, true or false, or else a text.
json::value typed(std::string_view key, std::string_view text) {
    if (key == "pages" || key == "days") return comma_list(text);
    if (text == "true") return true;
    if (text == "false") return false;
    std::int64_t number = 0;
    if (const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
        error == std::errc() && end == text.data() + text.size() && key != "on" && key != "off")
        return number;
    return json::string(text);
}

std::string layer_name(const SettingsCommand& command) {
    if (!command.group.empty()) return "group:" + command.group;
    if (!command.device.empty()) return "device:" + command.device;
    return "defaults";
}

json::value layer_of(const json::value& all, const SettingsCommand& command) {
    if (!command.group.empty()) {
        const json::value* group = all.at("groups").as_object().if_contains(command.group);
        return group ? group->at("settings") : json::object{};
    }
    if (!command.device.empty()) {
        const json::value* device = all.at("devices").as_object().if_contains(command.device);
        if (!device) throw ServiceError(404, "unknown device '" + command.device + "'");
        return *device;
    }
    return all.at("defaults");
}

}  // namespace

std::string edit_settings(const std::string& layer_json, const std::vector<std::string>& pairs) {
    json::object layer = json::parse(layer_json).as_object();
    for (const std::string& pair : pairs) {
        const auto equals = pair.find('=');
        if (equals == std::string::npos || equals == 0)
            throw std::invalid_argument("'" + pair + "' is not KEY=VALUE (e.g. dwell_seconds=30)");
        const std::string key = pair.substr(0, equals);
        const std::string value = pair.substr(equals + 1);
        if (key.starts_with("schedule.")) {
            const std::string part = key.substr(9);
            json::value& schedule = layer["schedule"];
            if (!schedule.is_object()) schedule = json::object{};
            if (value.empty())
                schedule.as_object().erase(part);
            else
                schedule.as_object()[part] = typed(part, value);
            continue;
        }
        if (value.empty())
            layer.erase(key);
        else
            layer[key] = typed(key, value);
    }
    return json::serialize(layer);
}

int settings_command(const Config& config, const SettingsCommand& command) {
    FleetSettings settings(config.database);
    try {
        if (command.action == "groups") {
            settings.set_groups(command.device, command.arguments);
        } else if (command.action == "set") {
            const json::value all = json::parse(settings.layers_json());
            const json::value current = layer_of(all, command);
            const json::value& own = command.device.empty() ? current : current.at("settings");
            settings.put(layer_name(command), edit_settings(json::serialize(own), command.arguments), "command line");
        }
        const json::value all = json::parse(settings.layers_json());
        const bool whole = command.group.empty() && command.device.empty() && command.action == "show";
        std::cout << json::serialize(whole ? all : layer_of(all, command)) << '\n';
        return 0;
    } catch (const ServiceError& e) {
        std::cerr << "refused, nothing changed: " << e.what() << '\n';
    } catch (const std::invalid_argument& e) {
        std::cerr << "refused, nothing changed: " << e.what() << '\n';
    }
    return 1;
}

}  // namespace chiso::syncd
