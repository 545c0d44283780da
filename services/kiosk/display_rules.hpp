// The rules that decide what the wall shows when, kept free of Qt so they are tested on their own: the display
// schedule (is the screen on at a given time), staleness (is the data too old to show without a warning) and
// the slow pixel shift against burn-in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chiso::kiosk {

// When the screen is on. Times are minutes after midnight, local time; days are Monday (0) to Sunday (6).
// on < off: on from `on` to `off` of each listed day. on > off: overnight, from `on` of a listed day to `off`
// of the next day. on == off: the whole of each listed day.
struct DisplaySchedule {
    bool always_on = true;  // no schedule configured
    int on = 7 * 60;
    int off = 19 * 60;
    std::array<bool, 7> days{true, true, true, true, true, true, true};
};

// "07:00" → 420; nullopt unless HH:MM with HH 00–23 and MM 00–59 (a single-digit hour, "7:00", is accepted).
std::optional<int> parse_clock_time(std::string_view text);
// "mon" … "sun" → 0 … 6; nullopt for anything else.
std::optional<int> parse_weekday(std::string_view text);

// weekday: 0 = Monday … 6 = Sunday; minute: minutes after midnight.
bool screen_on(const DisplaySchedule& schedule, int weekday, int minute);

// Which Qt Quick renderer draws the screen. automatic: OpenGL where the machine has a GPU (a DRM render node,
// /dev/dri/renderD*), else Qt Quick's software renderer — Mesa's OpenGL on the CPU takes three times the memory
// and more CPU for the same pages (README, Benchmarks).
enum class Renderer { automatic, opengl, software };
Renderer choose_renderer(Renderer asked, bool has_gpu_render_node);

// The data is stale when the last successful exchange with the server is older than the threshold.
// A sync time of 0 (never synced) counts as stale once there is a document to be stale.
bool is_stale(std::int64_t data_age_seconds, int threshold_minutes);

// The offset of the whole picture at a step of the pixel shift: one pixel a step round the square of
// ±amplitude pixels (starting at its top middle), repeating every 8 * amplitude steps, so no edge stays on the
// same pixels for long and the picture never moves further than `amplitude` from where it belongs.
struct PixelOffset {
    int x = 0;
    int y = 0;
};
PixelOffset pixel_shift(std::int64_t step, int amplitude);

}  // namespace chiso::kiosk
