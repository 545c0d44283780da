// Exact percentages: a ratio of two whole numbers rounded to tenths of a percent, half away from zero,
// on the exact rational value — as the official reports round (785/400 = 196.25 % → 196.3 %).
#pragma once

#include <cstdint>
#include <optional>

namespace chiso::domain {

// numerator/denominator as tenths of a percent (785, 400 → 1963); nullopt when the denominator is 0.
std::optional<std::int64_t> percent_tenths(std::int64_t numerator, std::int64_t denominator);

}  // namespace chiso::domain
