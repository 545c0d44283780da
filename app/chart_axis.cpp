#include "chart_axis.hpp"

#include <algorithm>
#include <cmath>

namespace chiso::kiosk {
namespace {

// The smallest of 1, 2, 2.5 and 5 times a power of ten at or above `raw`; for counts, a whole number
// (2.5 only from 25 up, so counts step by 1, 2, 5, 10, 20, 25, 50 …).
double nice_step(double raw, bool integral) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    for (double nice : {1.0, 2.0, 2.5, 5.0}) {
        if (integral && nice == 2.5 && magnitude < 10) continue;
        if (fraction <= nice + 1e-9) return nice * magnitude;
    }
    return 10.0 * magnitude;
}

}  // namespace

AxisTicks nice_ticks(double low, double high, bool zero_based, bool integral, int count) {
    if (!(high >= low)) std::swap(low, high);
    if (zero_based) low = std::min(0.0, low);
    if (high <= low) high = low + (integral ? std::max(1.0, std::abs(low) * 0.1) : 1.0);
    count = std::max(count, 1);

    AxisTicks ticks;
    ticks.step = nice_step((high - low) / count, integral);
    if (integral) ticks.step = std::max(1.0, std::round(ticks.step));
    ticks.min = zero_based ? low : std::floor(low / ticks.step) * ticks.step;
    if (!zero_based && ticks.min > 0 && ticks.min >= low - 1e-9) ticks.min -= ticks.step;  // keep the line off the axis
    if (!zero_based && low >= 0) ticks.min = std::max(0.0, ticks.min);
    ticks.max = std::ceil(high / ticks.step - 1e-9) * ticks.step;
    if (ticks.max <= ticks.min) ticks.max = ticks.min + ticks.step;
    const int steps = static_cast<int>(std::lround((ticks.max - ticks.min) / ticks.step));
    for (int i = 0; i <= steps; ++i) ticks.values.push_back(ticks.min + ticks.step * i);
    return ticks;
}

}  // namespace chiso::kiosk
