// Exact percentages: a ratio of two whole numbers rounded to tenths of a percent, half away from zero,
// on the exact rational value — as the official reports round (785/400 = 196.25 % → 196.3 %).
#pragma once

#include <cstdint>
#include <optional>

namespace chiso::domain {

// numerator/denominator as tenths of a percent (785, 400 → 1963); nullopt when the denominator is 0.
std::optional<std::int64_t> percent_tenths(std::int64_t numerator, std::int64_t denominator);

// The change of a share, n/d − n0/d0, in tenths of a percentage point, exactly (over one denominator, in 128-bit
// integers); nullopt when a denominator is 0 or the result does not fit.
std::optional<std::int64_t> share_change_tenths(std::int64_t n, std::int64_t d, std::int64_t n0, std::int64_t d0);

}  // namespace chiso::domain
