#include "syncd/fleet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>

namespace chiso::syncd {

namespace {

constexpr std::array<std::string_view, 7> status_names{"silent", "never_seen", "display_disconnected",
                                                      "display_off", "stale", "online", "revoked"};

}  // namespace

std::string_view status_name(DeviceStatus status) {
    return status_names[static_cast<std::size_t>(status)];
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string short_duration(std::int64_t seconds) {
    seconds = std::max<std::int64_t>(seconds, 0);
    if (seconds < 60) return fmt::format("{} s", seconds);
    if (seconds < 3600) return fmt::format("{} min", seconds / 60);
    if (seconds < 86400) {
        const std::int64_t minutes = seconds % 3600 / 60;
        return minutes ? fmt::format("{} h {} min", seconds / 3600, minutes) : fmt::format("{} h", seconds / 3600);
    }
    const std::int64_t hours = seconds % 86400 / 3600;
    return hours ? fmt::format("{} d {} h", seconds / 86400, hours) : fmt::format("{} d", seconds / 86400);
}

DeviceVerdict judge_device(bool revoked, const std::optional<LastHeartbeat>& last, const FleetThresholds& limits) {
    if (revoked) return {DeviceStatus::revoked, "token revoked"};
    if (!last) return {DeviceStatus::never_seen, "no heartbeat since its token was made"};
    // A clock stepped back makes a heartbeat look as if from the future; it is simply recent.
    const std::int64_t silence = std::max<std::int64_t>(last->silence_s, 0);
    if (silence > limits.silent_after_s)
        return {DeviceStatus::silent, fmt::format("no heartbeat for {} (silent after {})", short_duration(silence),
                                                  short_duration(limits.silent_after_s))};
    // The room sees nothing at all, whatever the data.
    if (last->display_connected == false)
        return {DeviceStatus::display_disconnected,
                last->display_connector.empty() ? std::string("no display connected")
                                                : fmt::format("no display connected ({} disconnected)",
                                                              last->display_connector)};
    if (last->screen_on && last->display_power == "standby")
        return {DeviceStatus::display_off, "the display is in standby during its hours (HDMI-CEC)"};
    // Beating but never synced: the room sees the first-boot screen, as much a problem as old figures.
    if (last->data_age_s < 0) return {DeviceStatus::stale, "running, but holds no data yet"};
    if (last->data_age_s > limits.stale_after_s)
        return {DeviceStatus::stale, fmt::format("data {} old (stale after {})", short_duration(last->data_age_s),
                                                 short_duration(limits.stale_after_s))};
    // Under five seconds "0 s ago" or "3 s ago" is noise; the heartbeat column has the exact age.
    const std::string heartbeat = silence < 5 ? "heartbeat just now" : "heartbeat " + short_duration(silence) + " ago";
    return {DeviceStatus::online, fmt::format("{}, data {} old", heartbeat, short_duration(last->data_age_s))};
}

bool is_problem(DeviceStatus status) {
    return status == DeviceStatus::silent || status == DeviceStatus::stale ||
           status == DeviceStatus::display_disconnected || status == DeviceStatus::display_off;
}

namespace {

// A label value as the exposition format quotes it.
std::string label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

std::string device_metrics(const std::vector<DeviceState>& devices) {
    std::string out;
    out += "# HELP chiso_device_status Each device's status as syncd judges it (1 for the status it is in)\n"
           "# TYPE chiso_device_status gauge\n";
    std::array<int, status_names.size()> counts{};
    for (const DeviceState& d : devices) {
        ++counts[static_cast<std::size_t>(d.verdict.status)];
        out += fmt::format("chiso_device_status{{device=\"{}\",scope=\"{}\",status=\"{}\"}} 1\n", label(d.name),
                           label(d.scope), status_name(d.verdict.status));
    }
    out += "# HELP chiso_device_in_hours 1 while the device's display schedule (its settings from syncd) has it on\n"
           "# TYPE chiso_device_in_hours gauge\n";
    for (const DeviceState& d : devices)
        out += fmt::format("chiso_device_in_hours{{device=\"{}\"}} {}\n", label(d.name), d.in_hours ? 1 : 0);
    out += "# HELP chiso_devices Devices by status\n# TYPE chiso_devices gauge\n";
    for (std::size_t i = 0; i < status_names.size(); ++i)
        out += fmt::format("chiso_devices{{status=\"{}\"}} {}\n", status_names[i], counts[i]);
    return out;
}

}  // namespace chiso::syncd
