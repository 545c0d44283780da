// Periods: the codes of files and the wire, their days, and how each splits into smaller ones.
#include "domain/period.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chiso::domain {

TEST(Period, every_code_reads_back_as_itself) {
    for (const char* code : {"2026-03", "2026-Q1", "2026-H2", "2026-9M", "2026", "2020-2025", "2015-09..2019-06",
                             "2019-06..2019-06"}) {
        auto period = Period::parse(code);
        ASSERT_TRUE(period) << code;
        EXPECT_EQ(period->code(), code);
    }
}

TEST(Period, bad_codes_are_refused) {
    for (const char* code : {"", "2026-13", "2026-00", "2026-Q5", "2026-H3", "26-03", "2026-3", "2025-2020", "2026/03",
                             "2026-Q1 ", "1800", "2019-06..2015-09", "2015-09..", "..2019-06", "2015-9..2019-06",
                             "2015-09..2019-13", "2015..2019", "2015-09...2019-06", "2015-09..2019-06..2020-01",
                             "2015-Q1..2015-Q2", "1800-01..2019-06"})
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

TEST(Period, a_range_of_months_runs_from_its_first_months_first_day_to_its_last_months_last_day) {
    auto range = Period::parse("2015-09..2019-06");
    ASSERT_TRUE(range);
    EXPECT_EQ(range->kind, PeriodKind::range);
    EXPECT_EQ(range->first_day(), 20150901);
    EXPECT_EQ(range->last_day(), 20190630);
    EXPECT_TRUE(range->overlaps(*Period::parse("2015")));
    EXPECT_FALSE(range->overlaps(*Period::parse("2015-08")));
    EXPECT_FALSE(range->overlaps(*Period::parse("2019-H2")));
    EXPECT_EQ(Period::months(*Period::parse("2019-07"), *Period::parse("2019-12"))->code(), "2019-07..2019-12");
    EXPECT_FALSE(Period::months(*Period::parse("2019-07"), *Period::parse("2019-06")));
}

TEST(Period, a_range_splits_into_the_longest_aligned_periods_that_fill_it) {
    auto codes = [](const char* range) {
        std::vector<std::string> result;
        for (const Period& part : Period::parse(range)->parts()) result.push_back(part.code());
        return result;
    };
    using Codes = std::vector<std::string>;
    EXPECT_EQ(codes("2015-09..2019-06"), (Codes{"2015-09", "2015-Q4", "2016", "2017", "2018", "2019-H1"}));
    EXPECT_EQ(codes("2017-01..2019-06"), (Codes{"2017", "2018", "2019-H1"}));
    EXPECT_EQ(codes("2019-02..2019-11"), (Codes{"2019-02", "2019-03", "2019-Q2", "2019-Q3", "2019-10", "2019-11"}));
    EXPECT_EQ(codes("2019-06..2019-06"), (Codes{"2019-06"}));
    EXPECT_EQ(codes("2019-01..2019-12"), (Codes{"2019"}));
    // Each part begins where the one before ended, and together they reach the range's last day.
    auto parts = Period::parse("2015-09..2020-08")->parts();
    auto month_number = [](Day day) { return day / 10000 * 12 + day / 100 % 100; };
    EXPECT_EQ(parts.front().first_day(), 20150901);
    for (std::size_t i = 1; i < parts.size(); ++i)
        EXPECT_EQ(month_number(parts[i - 1].last_day()) + 1, month_number(parts[i].first_day())) << parts[i].code();
    EXPECT_EQ(parts.back().last_day(), 20200831);
}

TEST(Period, days_are_checked_against_the_calendar) {
    EXPECT_EQ(parse_day("2024-02-29"), 20240229);
    EXPECT_FALSE(parse_day("2023-02-29"));
    EXPECT_FALSE(parse_day("2026-04-31"));
    EXPECT_FALSE(parse_day("30/06/2019"));
    EXPECT_EQ(format_day(20190630), "2019-06-30");
}

}  // namespace chiso::domain
