// Display settings from the server: the part of a kiosk's configuration IT sets from the console — pages and their
// order, dwell, language, theme, rotation, pixel shift, stale threshold, schedule, a pinned page and a review
// period — as a JSON
// object, checked by the same rules as the kiosk's own file ([display] and [schedule] of chiso-kiosk.toml).
// syncd checks every layer (defaults, a group's, a device's) with parse_settings before it stores it, and merges
// them into each device's effective settings; the kiosk checks them again and lays them over its own file.
//
//   {"pages": ["overview", "admission"], "dwell_seconds": 30, "language": "vi", "theme": "dark",
//    "rotation": 90, "pixel_shift": true, "stale_minutes": 120, "pin_page": "overview",
//    "schedule": {"on": "07:00", "off": "19:00", "days": ["mon", "tue", "wed", "thu", "fri"]}}
//
// "schedule": "always" keeps the screen on at all hours; "pin_page": "" takes a pin away; "review": "2015-2020"
// makes every page show that period (a term, year, half or "2015-09..2019-06"), "review": "" the latest figures.
#pragma once

#include "kiosk/config.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::kiosk {

inline constexpr std::size_t kMaxSettingsBytes = 16 * 1024;  // one layer, and the merged whole

struct DisplaySettings {
    std::optional<std::vector<std::string>> pages;
    std::optional<int> dwell_seconds;
    std::optional<dashboard::Language> language;
    std::optional<Theme> theme;
    std::optional<int> rotation;
    std::optional<bool> pixel_shift;
    std::optional<int> stale_minutes;
    std::optional<DisplaySchedule> schedule;
    std::optional<std::string> pin_page;  // empty: no page pinned
    std::optional<std::string> review;    // a period every page shows; empty: none (the latest figures)
};

// Throws std::invalid_argument with one line for a person: "'dwell_seconds' must be 3 to 3600 (found 1)",
// "unknown setting 'colour'; the settings are pages, dwell_seconds, ...", "not a JSON object".
DisplaySettings parse_settings(std::string_view json);

// The layers' keys, each taking the place of the same key in an earlier layer (a schedule is replaced whole);
// each layer as stored, checked already. The result is a JSON object.
std::string merge_settings(const std::vector<std::string>& layers);

// `base` with every setting that is present taking the place of the file's.
KioskConfig with_settings(KioskConfig base, const DisplaySettings& settings);

// What the kiosk turns through: the pinned page alone when one is pinned, else the configured pages (empty: all).
std::vector<std::string> shown_pages(const KioskConfig& config);

}  // namespace chiso::kiosk
