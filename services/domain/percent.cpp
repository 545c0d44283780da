#include "domain/percent.hpp"

namespace chiso::domain {

__extension__ using Wide = __int128;  // 1000·n cannot overflow

std::optional<std::int64_t> percent_tenths(std::int64_t numerator, std::int64_t denominator) {
    if (denominator == 0) return std::nullopt;
    // tenths = 1000·n/d; rounding half away from zero is floor((2·|1000·n| + |d|) / (2·|d|)) with the sign put back.
    Wide scaled = static_cast<Wide>(numerator) * 1000;
    bool negative = (scaled < 0) != (denominator < 0);
    Wide n = scaled < 0 ? -scaled : scaled;
    Wide d = denominator < 0 ? -static_cast<Wide>(denominator) : denominator;
    Wide rounded = (2 * n + d) / (2 * d);
    return static_cast<std::int64_t>(negative ? -rounded : rounded);
}

}  // namespace chiso::domain
