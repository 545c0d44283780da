// chiso-syncd settings: display settings from the command line, on the database directly (a running syncd sees a
// change within a second; a kiosk takes it at its next exchange, within its long-poll).
//   settings show [--group G | --device D]     a layer as stored; --device: with the device's effective settings
//   settings show                              every layer, group and device (as GET /api/v1/settings for IT)
//   settings set [--group G | --device D] KEY=VALUE...   changes those keys of the layer (none: the defaults)
//   settings groups DEVICE [GROUP...]          the device's groups, in order (none: no group)
#pragma once

#include "syncd/config.hpp"

#include <string>
#include <vector>

namespace chiso::syncd {

struct SettingsCommand {
    std::string action;  // show | set | groups
    std::string group, device;
    std::vector<std::string> arguments;  // KEY=VALUE for set; GROUP... for groups
};

// Prints the JSON asked for, or the reason a change was refused (nothing stored then) and returns 1.
int settings_command(const Config& config, const SettingsCommand& command);

// KEY=VALUE pairs into the layer's JSON object: "pages=overview,admission", "dwell_seconds=30",
// "pixel_shift=false", "schedule=always", "schedule.on=07:00", "schedule.days=mon,tue"; "KEY=" removes the key.
// Throws std::invalid_argument for a pair without '='. The kiosk's rules are checked after, on the whole layer.
std::string edit_settings(const std::string& layer_json, const std::vector<std::string>& pairs);

}  // namespace chiso::syncd
