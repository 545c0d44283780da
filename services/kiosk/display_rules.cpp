#include "kiosk/display_rules.hpp"

#include <algorithm>

namespace chiso::kiosk {

std::optional<int> parse_clock_time(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    auto digits = [](std::string_view part) -> std::optional<int> {
        int value = 0;
        for (char c : part) {
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        return value;
    };
    const auto hours = digits(text.substr(0, colon));
    const auto minutes = digits(text.substr(colon + 1));
    if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
    return *hours * 60 + *minutes;
}

std::optional<int> parse_weekday(std::string_view text) {
    static constexpr std::array<std::string_view, 7> names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    const auto it = std::find(names.begin(), names.end(), text);
    if (it == names.end()) return std::nullopt;
    return static_cast<int>(it - names.begin());
}

bool screen_on(const DisplaySchedule& schedule, int weekday, int minute) {
    if (schedule.always_on) return true;
    const auto listed = [&](int day) { return schedule.days[static_cast<std::size_t>((day % 7 + 7) % 7)]; };
    if (schedule.on == schedule.off) return listed(weekday);
    if (schedule.on < schedule.off) return listed(weekday) && minute >= schedule.on && minute < schedule.off;
    // Overnight: the evening belongs to today, the small hours to the day before.
    if (minute >= schedule.on) return listed(weekday);
    if (minute < schedule.off) return listed(weekday - 1);
    return false;
}

Renderer choose_renderer(Renderer asked, bool has_gpu_render_node) {
    if (asked != Renderer::automatic) return asked;
    return has_gpu_render_node ? Renderer::opengl : Renderer::software;
}

bool is_stale(std::int64_t data_age_seconds, int threshold_minutes) {
    return data_age_seconds > static_cast<std::int64_t>(threshold_minutes) * 60;
}

PixelOffset pixel_shift(std::int64_t step, int amplitude) {
    if (amplitude <= 0) return {};
    const std::int64_t a = amplitude;
    const std::int64_t t = ((step % (8 * a)) + 8 * a) % (8 * a);
    auto offset = [](std::int64_t x, std::int64_t y) { return PixelOffset{static_cast<int>(x), static_cast<int>(y)}; };
    if (t < a) return offset(t, -a);                    // top edge, rightwards from the middle
    if (t < 3 * a) return offset(a, -a + (t - a));      // right edge, down
    if (t < 5 * a) return offset(a - (t - 3 * a), a);   // bottom edge, leftwards
    if (t < 7 * a) return offset(-a, a - (t - 5 * a));  // left edge, up
    return offset(-a + (t - 7 * a), -a);                // top edge, back to the middle
}

}  // namespace chiso::kiosk
