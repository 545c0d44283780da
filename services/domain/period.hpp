// Reporting periods (month, quarter, half year, nine months, year, term, any range of months) and calendar days:
// parsing the codes used in files and on the wire, and how a period splits into smaller ones.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::domain {

// A calendar day as yyyymmdd, so that days compare as integers.
using Day = int;
constexpr Day kForever = 99991231;

std::optional<Day> parse_day(std::string_view iso);  // "2019-06-30"
std::string format_day(Day day);                     // "2019-06-30"

enum class PeriodKind : unsigned char { month, quarter, half, nine_months, year, term, range };

struct Period {
    PeriodKind kind = PeriodKind::year;
    short year = 0;   // the (first) year
    short index = 0;  // month 1-12, quarter 1-4, half 1-2; a term's last year; a range's first month; else 0
    short last_year = 0, last_month = 0;  // a range's last month; else 0

    // "2026-03", "2026-Q1", "2026-H1", "2026-9M", "2026", "2020-2025", "2015-09..2019-06".
    static std::optional<Period> parse(std::string_view code);
    static Period month_of(Day day);
    // The months from `first` to `last` (both months); nullopt when `last` comes before `first`.
    static std::optional<Period> months(const Period& first, const Period& last);
    std::string code() const;
    Day first_day() const;
    Day last_day() const;
    bool overlaps(const Period& other) const;

    // The periods this one adds up from, in time order; empty for a month.
    // year → halves, half → quarters, quarter → months, nine months → Q1..Q3, term → years; a range → the
    // longest aligned periods that fill it (2015-09..2019-06 → 2015-09, 2015-Q4, 2016, 2017, 2018, 2019-H1).
    std::vector<Period> parts() const;

    auto operator<=>(const Period&) const = default;
};

}  // namespace chiso::domain
