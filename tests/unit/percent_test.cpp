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

}  // namespace chiso::domain
