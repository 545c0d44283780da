// Percentages as the official reports round them: on the exact value, half away from zero.
#include "domain/percent.hpp"

#include <gtest/gtest.h>

namespace chiso::domain {

TEST(Percent, ties_round_away_from_zero_on_the_exact_value) {
    EXPECT_EQ(percent_tenths(785, 400), 1963);  // 196.25 % exactly
    EXPECT_EQ(percent_tenths(1, 8), 125);       // 12.5 %
    EXPECT_EQ(percent_tenths(1, 16), 63);       // 6.25 % → 6.3 %
    EXPECT_EQ(percent_tenths(-1, 16), -63);
    EXPECT_EQ(percent_tenths(1, -16), -63);
}

TEST(Percent, values_off_the_tie_round_to_the_nearest_tenth) {
    EXPECT_EQ(percent_tenths(1, 3), 333);
    EXPECT_EQ(percent_tenths(2, 3), 667);
    EXPECT_EQ(percent_tenths(80, 105), 762);     // 76.19… %
    EXPECT_EQ(percent_tenths(4420, 7841), 564);  // 56.37… %
    EXPECT_EQ(percent_tenths(0, 7), 0);
}

TEST(Percent, binary_floating_point_would_get_these_wrong) {
    // Ties such as 100.05 % are ties only on the exact rational value; as doubles they fall either side.
    EXPECT_EQ(percent_tenths(29, 200), 145);
    EXPECT_EQ(percent_tenths(20001, 20000), 1000);  // 100.005 % → 100.0 %
    EXPECT_EQ(percent_tenths(40003, 40000), 1000);  // 100.0075 % → 100.0 %
    EXPECT_EQ(percent_tenths(2001, 2000), 1001);    // 100.05 % → 100.1 %
}

TEST(Percent, no_denominator_no_percentage) {
    EXPECT_FALSE(percent_tenths(5, 0));
}

TEST(Percent, large_counts_do_not_overflow) {
    EXPECT_EQ(percent_tenths(5'600'000'000'000'000LL, 5'600'000'000'000'000LL), 1000);
}

TEST(Percent, the_change_of_a_share_is_exact_and_never_overflows) {
    EXPECT_EQ(share_change_tenths(80, 105, 66, 102), 115);  // 76,19… % − 64,70… % = 11,48… points
    EXPECT_EQ(share_change_tenths(84, 103, 83, 105), 25);
    EXPECT_EQ(share_change_tenths(1, 2, 1, 2), 0);
    EXPECT_EQ(share_change_tenths(1, 0, 1, 2), std::nullopt);
    const std::int64_t large = 1'000'000'000'000;  // the largest figure an import takes: products past 64 bits
    EXPECT_EQ(share_change_tenths(large, 2 * large, large / 2, 2 * large), 250);
    const std::int64_t huge = 4'000'000'000'000'000'000;  // past what 128 bits hold once multiplied: no figure
    EXPECT_EQ(share_change_tenths(huge, huge, huge / 2, huge), std::nullopt);
}

}  // namespace chiso::domain
