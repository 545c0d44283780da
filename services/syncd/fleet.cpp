#include "syncd/fleet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>

namespace chiso::syncd {

namespace {

constexpr std::array<std::string_view, 5> status_names{"silent", "never_seen", "stale", "online", "revoked"};

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
    // Beating but never synced: the room sees the first-boot screen, as much a problem as old figures.
    if (last->data_age_s < 0) return {DeviceStatus::stale, "running, but holds no data yet"};
    if (last->data_age_s > limits.stale_after_s)
        return {DeviceStatus::stale, fmt::format("data {} old (stale after {})", short_duration(last->data_age_s),
                                                 short_duration(limits.stale_after_s))};
    // Under five seconds "0 s ago" or "3 s ago" is noise; the heartbeat column has the exact age.
    const std::string heartbeat = silence < 5 ? "heartbeat just now" : "heartbeat " + short_duration(silence) + " ago";
    return {DeviceStatus::online, fmt::format("{}, data {} old", heartbeat, short_duration(last->data_age_s))};
}

}  // namespace chiso::syncd
