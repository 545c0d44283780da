// The value axis of a chart: round tick values that cover the data ("nice numbers": steps of 1, 2, 2.5 or 5
// times a power of ten). Qt-free and tested; the chart adapter labels the ticks with dashboard::Formatter.
#pragma once

#include <vector>

namespace chiso::kiosk {

struct AxisTicks {
    double min = 0;
    double max = 1;
    double step = 1;
    std::vector<double> values;  // min, min + step, …, max
};

// Ticks for data from `low` to `high` in about `count` steps. zero_based (bars): the axis starts at 0.
// Otherwise (lines) it starts at the nice value at or below `low`, so a trend is not flattened against zero.
// integral: the data are counts, so a step is never a fraction.
AxisTicks nice_ticks(double low, double high, bool zero_based, bool integral, int count = 5);

}  // namespace chiso::kiosk
