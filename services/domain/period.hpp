// Reporting periods (month, quarter, half year, nine months, year, term) and calendar days:
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

enum class PeriodKind : unsigned char { month, quarter, half, nine_months, year, term };

struct Period {
    PeriodKind kind = PeriodKind::year;
    short year = 0;   // the (first) year
    short index = 0;  // month 1-12, quarter 1-4, half 1-2; a term's last year; else 0

    static std::optional<Period> parse(std::string_view code);
    static Period month_of(Day day);
    std::string code() const;
    Day first_day() const;
    Day last_day() const;
    bool overlaps(const Period& other) const;

    // The periods this one adds up from, in time order; empty for a month.
    // year → halves, half → quarters, quarter → months, nine months → Q1..Q3, term → years.
    std::vector<Period> parts() const;

    auto operator<=>(const Period&) const = default;
};

}  // namespace chiso::domain
