#include "domain/percent.hpp"

#include <cstdint>

namespace chiso::domain {

__extension__ using Wide = __int128;  // 1000·n cannot overflow

namespace {

// tenths = 1000·n/d; rounding half away from zero is floor((2·|1000·n| + |d|) / (2·|d|)) with the sign put back.
std::optional<std::int64_t> tenths_of(Wide numerator, Wide denominator) {
    if (denominator == 0) return std::nullopt;
    constexpr Wide kLimit = Wide(1) << 115;  // 2·1000·n and 2·d stay inside 128 bits
    if (numerator > kLimit || numerator < -kLimit || denominator > kLimit || denominator < -kLimit) return std::nullopt;
    Wide scaled = numerator * 1000;
    bool negative = (scaled < 0) != (denominator < 0);
    Wide n = scaled < 0 ? -scaled : scaled;
    Wide d = denominator < 0 ? -denominator : denominator;
    Wide rounded = (2 * n + d) / (2 * d);
    if (rounded > INT64_MAX) return std::nullopt;
    return static_cast<std::int64_t>(negative ? -rounded : rounded);
}

}  // namespace

std::optional<std::int64_t> percent_tenths(std::int64_t numerator, std::int64_t denominator) {
    return tenths_of(numerator, denominator);
}

std::optional<std::int64_t> share_change_tenths(std::int64_t n, std::int64_t d, std::int64_t n0, std::int64_t d0) {
    return tenths_of(static_cast<Wide>(n) * d0 - static_cast<Wide>(n0) * d, static_cast<Wide>(d) * d0);
}

}  // namespace chiso::domain
