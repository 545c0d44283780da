#include "kiosk/settings.hpp"

#include "dashboard/dashboard.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace chiso::kiosk {
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 10> kKeys{"pages",       "dwell_seconds", "language", "theme",
                                                 "rotation",    "pixel_shift",   "stale_minutes", "schedule",
                                                 "pin_page",    "review"};

[[noreturn]] void fail(const std::string& reason) {
    throw std::invalid_argument(reason);
}

std::string key_list() {
    std::string list;
    for (std::string_view key : kKeys) list += (list.empty() ? "" : ", ") + std::string(key);
    return list;
}

std::string text_of(const json::value& value, std::string_view key) {
    if (!value.is_string()) fail("'" + std::string(key) + "' must be a text");
    return std::string(value.as_string());
}

int number_of(const json::value& value, std::string_view key, Range range) {
    if (!value.is_int64() && !value.is_uint64())
        fail("'" + std::string(key) + "' must be a whole number from " + std::to_string(range.min) + " to " +
             std::to_string(range.max));
    const long long n = value.is_int64() ? value.as_int64() : static_cast<long long>(std::min<std::uint64_t>(
                                                                  value.as_uint64(), 1ULL << 62));
    if (!range.holds(n))
        fail("'" + std::string(key) + "' must be " + std::to_string(range.min) + " to " + std::to_string(range.max) +
             " (found " + std::to_string(n) + ")");
    return static_cast<int>(n);
}

DisplaySchedule schedule_of(const json::value& value) {
    DisplaySchedule schedule;
    if (value.is_string() && value.as_string() == "always") return schedule;  // always_on
    if (!value.is_object())
        fail("'schedule' must be \"always\" or {\"on\": \"07:00\", \"off\": \"19:00\", \"days\": [\"mon\", ...]}");
    schedule.always_on = false;
    for (const auto& [key, v] : value.as_object()) {
        if (key == "on" || key == "off") {
            const std::string what = "schedule." + std::string(key);
            auto minute = parse_clock_time(text_of(v, what));
            if (!minute) fail("'" + what + "' must be a time \"HH:MM\", e.g. \"07:00\"");
            (key == "on" ? schedule.on : schedule.off) = *minute;
        } else if (key == "days") {
            if (!v.is_array() || v.as_array().empty())
                fail("'schedule.days' must list days: [\"mon\", \"tue\", ...]");
            schedule.days.fill(false);
            for (const json::value& day : v.as_array()) {
                auto index = parse_weekday(text_of(day, "schedule.days"));
                if (!index)
                    fail("'schedule.days': unknown day '" + text_of(day, "schedule.days") +
                         "'; use mon, tue, wed, thu, fri, sat, sun");
                schedule.days[static_cast<std::size_t>(*index)] = true;
            }
        } else {
            fail("unknown key 'schedule." + std::string(key) + "'; a schedule has on, off and days");
        }
    }
    return schedule;
}

json::object parse_object(std::string_view text) {
    if (text.size() > kMaxSettingsBytes)
        fail("settings must be at most " + std::to_string(kMaxSettingsBytes) + " bytes (found " +
             std::to_string(text.size()) + ")");
    boost::system::error_code error;
    json::value value = json::parse(text, error);
    if (error || !value.is_object()) fail("settings must be a JSON object");
    return std::move(value.as_object());
}

}  // namespace

DisplaySettings parse_settings(std::string_view text) {
    const json::object object = parse_object(text);
    DisplaySettings settings;
    for (const auto& [key, value] : object) {
        if (key == "pages") {
            if (!value.is_array() || value.as_array().empty()) fail("'pages' must list at least one page");
            std::vector<std::string> pages;
            for (const json::value& page : value.as_array()) pages.push_back(text_of(page, "pages"));
            settings.pages = check_pages(pages, "pages");
        } else if (key == "dwell_seconds") {
            settings.dwell_seconds = number_of(value, key, kDwellSecondsRange);
        } else if (key == "language") {
            settings.language = parse_language(text_of(value, key), "language");
        } else if (key == "theme") {
            settings.theme = parse_theme(text_of(value, key), "theme");
        } else if (key == "rotation") {
            settings.rotation = check_rotation(number_of(value, key, {0, 270}), "rotation");
        } else if (key == "pixel_shift") {
            if (!value.is_bool()) fail("'pixel_shift' must be true or false");
            settings.pixel_shift = value.as_bool();
        } else if (key == "stale_minutes") {
            settings.stale_minutes = number_of(value, key, kStaleMinutesRange);
        } else if (key == "schedule") {
            settings.schedule = schedule_of(value);
        } else if (key == "review") {
            settings.review = check_review(text_of(value, key), "review");
        } else if (key == "pin_page") {
            std::string page = text_of(value, key);
            if (!page.empty()) check_pages({page}, "pin_page");
            settings.pin_page = std::move(page);
        } else {
            fail("unknown setting '" + std::string(key) + "'; the settings are " + key_list());
        }
    }
    return settings;
}

std::string merge_settings(const std::vector<std::string>& layers) {
    json::object merged;
    for (const std::string& layer : layers)
        for (const auto& [key, value] : parse_object(layer)) merged[key] = value;
    return json::serialize(merged);
}

KioskConfig with_settings(KioskConfig config, const DisplaySettings& s) {
    if (s.pages) config.pages = *s.pages;
    if (s.dwell_seconds) config.dwell_seconds = *s.dwell_seconds;
    if (s.language) config.language = *s.language;
    if (s.theme) config.theme = *s.theme;
    if (s.rotation) config.rotation = *s.rotation;
    if (s.pixel_shift) config.pixel_shift = *s.pixel_shift;
    if (s.stale_minutes) config.stale_minutes = *s.stale_minutes;
    if (s.schedule) config.schedule = *s.schedule;
    if (s.pin_page) config.pin_page = *s.pin_page;
    if (s.review) config.review = *s.review;
    return config;
}

std::vector<std::string> shown_pages(const KioskConfig& config) {
    if (!config.pin_page.empty()) return {config.pin_page};
    return config.pages;
}

}  // namespace chiso::kiosk
