// Periods: the codes of files and the wire, their days, and how each splits into smaller ones.
#include "domain/period.hpp"

#include <gtest/gtest.h>

namespace chiso::domain {

TEST(Period, every_code_reads_back_as_itself) {
    for (const char* code : {"2026-03", "2026-Q1", "2026-H2", "2026-9M", "2026", "2020-2025"}) {
        auto period = Period::parse(code);
        ASSERT_TRUE(period) << code;
        EXPECT_EQ(period->code(), code);
    }
}

TEST(Period, bad_codes_are_refused) {
    for (const char* code : {"", "2026-13", "2026-00", "2026-Q5", "2026-H3", "26-03", "2026-3", "2025-2020", "2026/03",
                             "2026-Q1 ", "1800"})
        EXPECT_FALSE(Period::parse(code)) << code;
}

TEST(Period, first_and_last_days) {
    EXPECT_EQ(Period::parse("2024-02")->last_day(), 20240229);
    EXPECT_EQ(Period::parse("2019-H1")->last_day(), 20190630);
    EXPECT_EQ(Period::parse("2026-Q3")->first_day(), 20260701);
    EXPECT_EQ(Period::parse("2026-9M")->last_day(), 20260930);
    EXPECT_EQ(Period::parse("2020-2025")->first_day(), 20200101);
    EXPECT_EQ(Period::parse("2020-2025")->last_day(), 20251231);
}

TEST(Period, a_year_splits_into_halves_quarters_and_months) {
    auto halves = Period::parse("2026")->parts();
    ASSERT_EQ(halves.size(), 2u);
    EXPECT_EQ(halves[1].code(), "2026-H2");
    EXPECT_EQ(halves[1].parts()[0].code(), "2026-Q3");
    EXPECT_EQ(Period::parse("2026-Q3")->parts()[2].code(), "2026-09");
    EXPECT_EQ(Period::parse("2026-9M")->parts().size(), 3u);
    EXPECT_EQ(Period::parse("2020-2025")->parts().size(), 6u);
    EXPECT_TRUE(Period::parse("2026-03")->parts().empty());
}

TEST(Period, days_are_checked_against_the_calendar) {
    EXPECT_EQ(parse_day("2024-02-29"), 20240229);
    EXPECT_FALSE(parse_day("2023-02-29"));
    EXPECT_FALSE(parse_day("2026-04-31"));
    EXPECT_FALSE(parse_day("30/06/2019"));
    EXPECT_EQ(format_day(20190630), "2019-06-30");
}

}  // namespace chiso::domain
