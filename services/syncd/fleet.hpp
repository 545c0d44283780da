// The fleet view: how syncd judges each kiosk from its last heartbeat (GET /api/v1/devices), and the page IT
// reads it on (GET /fleet). The status is decided here, in one place, so the page and any other client of the
// devices list only show it and can never disagree about which screen is in trouble.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::syncd {

// [fleet] in chiso-syncd.toml.
struct FleetThresholds {
    // No heartbeat for longer than this: silent. Kiosks beat every minute, so the default forgives two lost beats.
    std::int64_t silent_after_s = 180;
    // Data older than this, as the kiosk reported it: stale. The kiosk's own stale banner defaults to the same
    // two hours ([display] stale_minutes = 120), so IT sees the problem when the room does.
    std::int64_t stale_after_s = 2 * 3600;
};

// Worst first: the order the devices list and the fleet page put them in. A revoked token is last: it is no
// longer a screen anyone has to look after, however long it has been silent.
// display_disconnected: beating, but its kiosk reports no display plugged in (the DRM connector's status);
// display_off: its schedule has the screen on, but the display says over HDMI-CEC that it is in standby.
enum class DeviceStatus { silent, never_seen, display_disconnected, display_off, stale, online, revoked };

// "silent", "never_seen", "display_disconnected", "display_off", "stale", "online", "revoked"
std::string_view status_name(DeviceStatus status);

struct LastHeartbeat {
    std::int64_t silence_s = 0;    // since the server received it
    std::int64_t data_age_s = -1;  // as the kiosk reported it; negative: it holds no data yet
    std::optional<bool> display_connected;  // as the kiosk reported it; nullopt: it cannot tell
    std::string display_connector;          // "HDMI-A-1"
    bool screen_on = true;                  // the kiosk's schedule has the screen on
    std::string display_power;              // over HDMI-CEC: "on", "standby", "unknown"; empty: no CEC
};

struct DeviceVerdict {
    DeviceStatus status = DeviceStatus::never_seen;
    std::string reason;  // one short line for a person: "no heartbeat for 12 min (silent after 3 min)"
};

DeviceVerdict judge_device(bool revoked, const std::optional<LastHeartbeat>& last, const FleetThresholds& limits);

// One device as the devices list, the metrics and the alerts see it.
struct DeviceState {
    std::string name;
    std::string scope;
    DeviceVerdict verdict;
    bool in_hours = true;  // inside the schedule of its display settings from the server (always, without one)
    std::string settings_tag;  // of its effective settings
    std::optional<store::Heartbeat> last;  // its last heartbeat
};

// A problem someone should be told of: silent, no display, the display off during its hours, or stale. A device never seen is not installed yet; a revoked one
// is retired.
bool is_problem(DeviceStatus status);

// The devices' statuses for Prometheus: chiso_device_status{device,scope,status} 1 for each device's status,
// chiso_device_in_hours{device} 1 or 0, chiso_devices{status} counts.
std::string device_metrics(const std::vector<DeviceState>& devices);

// Now, in ISO 8601 UTC (2026-11-23T13:43:15Z), as heartbeats and provisioning manifests record it.
std::string utc_now();

// A duration as a person reads it at a glance: "45 s", "12 min", "2 h 5 min", "3 d 4 h".
std::string short_duration(std::int64_t seconds);

// IT's console (services/syncd/console/, embedded at build time; GET /fleet and /fleet/*): a page, its style and its
// scripts, all served from here, that fetch everything they show from /api/v1/* with the IT token the user types in.
std::string_view console_html();
std::string_view console_css();
std::string_view console_js();           // the shell: sign-in, refresh, tabs, the table of screens
std::string_view console_core_js();      // the token and the one way to call the API
std::string_view console_i18n_js();      // every word in Vietnamese and English
std::string_view console_wall_js();      // the screenshots' wall
std::string_view console_settings_js();  // the settings editor, groups, enrolment
// The statistician's import page (GET /import and /import/*), on the console's stylesheet.
std::string_view import_html();
std::string_view import_css();
std::string_view import_js();       // check (a dry run), preview, apply; the history and undo
std::string_view import_i18n_js();  // its words, and the importer's reasons, in Vietnamese and English

}  // namespace chiso::syncd
