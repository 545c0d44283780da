// How figures read on the wall: Vietnamese by default (7.841 · 56,4 % · 22/11/2026 · "Quý I/2026"), English
// on request (7,841 · 56.4% · "Q1 2026"), a true minus sign, percentages rounded as the official reports round.
#include "dashboard/format.hpp"
#include "domain/percent.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace chiso::dashboard {
namespace {

using domain::Period;

const Formatter vi{Language::vi};
const Formatter en{Language::en};

Period period(const char* code) {
    return *Period::parse(code);
}

TEST(Format, vietnamese_is_the_default) {
    EXPECT_EQ(Formatter().language(), Language::vi);
    EXPECT_EQ(Formatter().number(7841), "7.841");
}

TEST(Format, numbers_group_thousands_with_a_dot_in_vietnamese_and_a_comma_in_english) {
    EXPECT_EQ(vi.number(0), "0");
    EXPECT_EQ(vi.number(7), "7");
    EXPECT_EQ(vi.number(999), "999");
    EXPECT_EQ(vi.number(1000), "1.000");
    EXPECT_EQ(vi.number(7841), "7.841");
    EXPECT_EQ(vi.number(105), "105");
    EXPECT_EQ(vi.number(5'600'000), "5.600.000");
    EXPECT_EQ(en.number(7841), "7,841");
    EXPECT_EQ(en.number(5'600'000), "5,600,000");
    EXPECT_EQ(en.number(123'456'789'012), "123,456,789,012");
}

TEST(Format, big_numbers_down_to_the_smallest_int64) {
    EXPECT_EQ(vi.number(std::numeric_limits<std::int64_t>::max()), "9.223.372.036.854.775.807");
    EXPECT_EQ(en.number(std::numeric_limits<std::int64_t>::min()), "\u22129,223,372,036,854,775,808");
}

TEST(Format, negative_numbers_take_a_true_minus_sign) {
    EXPECT_EQ(vi.number(-3), "\u22123");
    EXPECT_EQ(vi.number(-7841), "\u22127.841");
    EXPECT_EQ(en.number(-1234567), "\u22121,234,567");
    EXPECT_EQ(vi.number(-3).find('-'), std::string::npos);
}

TEST(Format, changes_carry_their_sign) {
    EXPECT_EQ(vi.signed_number(25), "+25");
    EXPECT_EQ(vi.signed_number(-3), "\u22123");
    EXPECT_EQ(vi.signed_number(0), "0");
    EXPECT_EQ(vi.signed_number(1534), "+1.534");
    EXPECT_EQ(en.signed_number(-1534), "\u22121,534");
}

TEST(Format, percentages_have_a_decimal_comma_and_a_no_break_space_in_vietnamese) {
    EXPECT_EQ(vi.percent_tenths(564), "56,4\u00A0%");
    EXPECT_EQ(vi.percent_tenths(852), "85,2\u00A0%");
    EXPECT_EQ(vi.percent_tenths(1000), "100,0\u00A0%");
    EXPECT_EQ(vi.percent_tenths(0), "0,0\u00A0%");
    EXPECT_EQ(vi.percent_tenths(5), "0,5\u00A0%");
    EXPECT_EQ(vi.percent_tenths(123456), "12.345,6\u00A0%");
    EXPECT_EQ(en.percent_tenths(564), "56.4%");
    EXPECT_EQ(en.percent_tenths(123456), "12,345.6%");
    EXPECT_EQ(vi.percent_tenths(-15), "\u22121,5\u00A0%");
    EXPECT_EQ(en.percent_tenths(-5), "\u22120.5%");
}

TEST(Format, percentages_are_rounded_half_away_from_zero_on_the_exact_ratio) {
    EXPECT_EQ(vi.percent_tenths(*domain::percent_tenths(785, 400)), "196,3\u00A0%");  // 196.25 exactly
    EXPECT_EQ(vi.percent_tenths(*domain::percent_tenths(1534, 1800)), "85,2\u00A0%");
    EXPECT_EQ(vi.percent_tenths(*domain::percent_tenths(1, 8)), "12,5\u00A0%");  // 12.5 exactly
    EXPECT_EQ(vi.percent_tenths(*domain::percent_tenths(1, 16)), "6,3\u00A0%");  // 6.25 → 6.3
    EXPECT_EQ(vi.percent_tenths(*domain::percent_tenths(-1, 16)), "\u22126,3\u00A0%");
    EXPECT_EQ(vi.percent_tenths(*domain::percent_tenths(2, 3)), "66,7\u00A0%");
    EXPECT_EQ(en.percent_tenths(*domain::percent_tenths(93, 103)), "90.3%");
}

TEST(Format, a_change_of_a_share_is_in_percentage_points) {
    EXPECT_EQ(vi.percent_points(17), "+1,7 điểm\u00A0%");
    EXPECT_EQ(vi.percent_points(-4), "\u22120,4 điểm\u00A0%");
    EXPECT_EQ(en.percent_points(17), "+1.7\u00A0pp");
    EXPECT_EQ(en.percent_points(0), "0.0\u00A0pp");
}

TEST(Format, days_read_day_first_in_both_languages) {
    EXPECT_EQ(vi.day(20261122), "22/11/2026");
    EXPECT_EQ(vi.day(20190630), "30/6/2019");
    EXPECT_EQ(vi.day(20260101), "1/1/2026");
    EXPECT_EQ(en.day(20261122), "22/11/2026");
}

TEST(Format, periods_in_vietnamese) {
    EXPECT_EQ(vi.period(period("2026-03")), "Tháng 3/2026");
    EXPECT_EQ(vi.period(period("2026-12")), "Tháng 12/2026");
    EXPECT_EQ(vi.period(period("2026-Q1")), "Quý I/2026");
    EXPECT_EQ(vi.period(period("2026-Q2")), "Quý II/2026");
    EXPECT_EQ(vi.period(period("2026-Q3")), "Quý III/2026");
    EXPECT_EQ(vi.period(period("2026-Q4")), "Quý IV/2026");
    EXPECT_EQ(vi.period(period("2026-H1")), "6 tháng đầu năm 2026");
    EXPECT_EQ(vi.period(period("2026-H2")), "6 tháng cuối năm 2026");
    EXPECT_EQ(vi.period(period("2026-9M")), "9 tháng năm 2026");
    EXPECT_EQ(vi.period(period("2026")), "Năm 2026");
    EXPECT_EQ(vi.period(period("2020-2025")), "Nhiệm kỳ 2020\u20132025");
}

TEST(Format, periods_in_english) {
    EXPECT_EQ(en.period(period("2026-03")), "March 2026");
    EXPECT_EQ(en.period(period("2026-12")), "December 2026");
    EXPECT_EQ(en.period(period("2026-Q1")), "Q1 2026");
    EXPECT_EQ(en.period(period("2026-H1")), "H1 2026");
    EXPECT_EQ(en.period(period("2026-H2")), "H2 2026");
    EXPECT_EQ(en.period(period("2026-9M")), "9 months 2026");
    EXPECT_EQ(en.period(period("2026")), "2026");
    EXPECT_EQ(en.period(period("2020-2025")), "Term 2020\u20132025");
}

TEST(Format, short_axis_labels) {
    EXPECT_EQ(vi.period_short(period("2026-03")), "T3");
    EXPECT_EQ(vi.period_short(period("2026-11")), "T11");
    EXPECT_EQ(vi.period_short(period("2026-Q1")), "Q1");
    EXPECT_EQ(vi.period_short(period("2026")), "2026");
    EXPECT_EQ(vi.period_short(period("2026-H1")), "6T đầu/2026");
    EXPECT_EQ(vi.period_short(period("2026-9M")), "9T/2026");
    EXPECT_EQ(vi.period_short(period("2020-2025")), "2020\u20132025");
    EXPECT_EQ(en.period_short(period("2026-03")), "Mar");
    EXPECT_EQ(en.period_short(period("2026-Q4")), "Q4");
    EXPECT_EQ(en.period_short(period("2026")), "2026");
    EXPECT_EQ(en.period_short(period("2026-H2")), "H2 2026");
}

TEST(Format, ages_in_minutes_hours_and_days) {
    EXPECT_EQ(vi.age(5 * 60), "5 phút");
    EXPECT_EQ(vi.age(5 * 60 + 59), "5 phút");
    EXPECT_EQ(vi.age(2 * 3600), "2 giờ");
    EXPECT_EQ(vi.age(2 * 3600 + 10 * 60), "2 giờ 10 phút");
    EXPECT_EQ(vi.age(3 * 86400), "3 ngày");
    EXPECT_EQ(vi.age(3 * 86400 + 5 * 3600), "3 ngày");
    EXPECT_EQ(vi.age(30), "dưới 1 phút");
    EXPECT_EQ(vi.age(-20), "dưới 1 phút");  // a clock slightly behind the server's
    EXPECT_EQ(vi.age(1500 * 86400), "1.500 ngày");
    EXPECT_EQ(en.age(60), "1 minute");
    EXPECT_EQ(en.age(5 * 60), "5 minutes");
    EXPECT_EQ(en.age(3600), "1 hour");
    EXPECT_EQ(en.age(2 * 3600 + 60), "2 hours 1 minute");
    EXPECT_EQ(en.age(86400), "1 day");
    EXPECT_EQ(en.age(3 * 86400), "3 days");
}

TEST(Format, the_rest_of_a_list) {
    EXPECT_EQ(vi.and_more(12, "tổ chức"), "và 12 tổ chức khác");
    EXPECT_EQ(vi.and_more(1250, "tổ chức"), "và 1.250 tổ chức khác");
    EXPECT_EQ(en.and_more(12, "organisations"), "and 12 more organisations");
}

TEST(Format, texts_exist_in_both_languages) {
    EXPECT_STREQ(vi.tr("Tổng quan", "Overview"), "Tổng quan");
    EXPECT_STREQ(en.tr("Tổng quan", "Overview"), "Overview");
}

}  // namespace
}  // namespace chiso::dashboard
