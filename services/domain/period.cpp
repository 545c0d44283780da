#include "domain/period.hpp"

#include <charconv>
#include <cstdio>

namespace chiso::domain {
namespace {

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    if (text.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

Day make_day(int year, int month, int day) {
    return year * 10000 + month * 100 + day;
}
Day month_end(int year, int month) {
    return make_day(year, month, days_in_month(year, month));
}

bool plausible_year(int year) {
    return year >= 1930 && year <= 2200;
}

Period make(PeriodKind kind, int year, int index) {
    return Period{kind, static_cast<short>(year), static_cast<short>(index)};
}

int month_number(int year, int month) {
    return year * 12 + month - 1;
}

// "2019-06" and nothing else.
std::optional<Period> parse_month(std::string_view code) {
    if (code.size() != 7 || code[4] != '-') return std::nullopt;
    auto year = parse_int(code.substr(0, 4));
    auto month = parse_int(code.substr(5, 2));
    if (!year || !plausible_year(*year) || !month || *month < 1 || *month > 12) return std::nullopt;
    return make(PeriodKind::month, *year, *month);
}

}  // namespace

std::optional<Day> parse_day(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    auto year = parse_int(iso.substr(0, 4));
    auto month = parse_int(iso.substr(5, 2));
    auto day = parse_int(iso.substr(8, 2));
    if (!year || !month || !day || !plausible_year(*year) || *month < 1 || *month > 12) return std::nullopt;
    if (*day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
    return make_day(*year, *month, *day);
}

std::string format_day(Day day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
    return text;
}

std::optional<Period> Period::parse(std::string_view code) {
    if (auto dots = code.find(".."); dots != std::string_view::npos) {
        auto first = parse_month(code.substr(0, dots));
        auto last = parse_month(code.substr(dots + 2));
        return first && last ? months(*first, *last) : std::nullopt;
    }
    auto year = parse_int(code.substr(0, 4));
    if (code.size() < 4 || !year || !plausible_year(*year)) return std::nullopt;
    if (code.size() == 4) return make(PeriodKind::year, *year, 0);
    if (code[4] != '-') return std::nullopt;
    std::string_view rest = code.substr(5);
    if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'H') && rest[1] >= '1') {
        int index = rest[1] - '0';
        if (rest[0] == 'Q' && index <= 4) return make(PeriodKind::quarter, *year, index);
        if (rest[0] == 'H' && index <= 2) return make(PeriodKind::half, *year, index);
        return std::nullopt;
    }
    if (rest == "9M") return make(PeriodKind::nine_months, *year, 0);
    if (rest.size() == 2) {
        auto month = parse_int(rest);
        if (month && *month >= 1 && *month <= 12) return make(PeriodKind::month, *year, *month);
        return std::nullopt;
    }
    if (rest.size() == 4) {
        auto last = parse_int(rest);
        if (last && *last > *year && *last - *year <= 10) return make(PeriodKind::term, *year, *last);
    }
    return std::nullopt;
}

Period Period::month_of(Day day) {
    return make(PeriodKind::month, day / 10000, day / 100 % 100);
}

std::optional<Period> Period::months(const Period& first, const Period& last) {
    const Day from = first.first_day(), to = last.last_day();
    if (to < from) return std::nullopt;
    Period range = make(PeriodKind::range, from / 10000, from / 100 % 100);
    range.last_year = static_cast<short>(to / 10000);
    range.last_month = static_cast<short>(to / 100 % 100);
    return range;
}

std::string Period::code() const {
    char text[40];
    switch (kind) {
        case PeriodKind::month:
            std::snprintf(text, sizeof text, "%04d-%02d", year, index);
            break;
        case PeriodKind::quarter:
            std::snprintf(text, sizeof text, "%04d-Q%d", year, index);
            break;
        case PeriodKind::half:
            std::snprintf(text, sizeof text, "%04d-H%d", year, index);
            break;
        case PeriodKind::nine_months:
            std::snprintf(text, sizeof text, "%04d-9M", year);
            break;
        case PeriodKind::year:
            std::snprintf(text, sizeof text, "%04d", year);
            break;
        case PeriodKind::term:
            std::snprintf(text, sizeof text, "%04d-%04d", year, index);
            break;
        case PeriodKind::range:
            std::snprintf(text, sizeof text, "%04d-%02d..%04d-%02d", year, index, last_year, last_month);
            break;
    }
    return text;
}

Day Period::first_day() const {
    switch (kind) {
        case PeriodKind::month:
            return make_day(year, index, 1);
        case PeriodKind::quarter:
            return make_day(year, index * 3 - 2, 1);
        case PeriodKind::half:
            return make_day(year, index * 6 - 5, 1);
        case PeriodKind::range:
            return make_day(year, index, 1);
        default:
            return make_day(year, 1, 1);
    }
}

Day Period::last_day() const {
    switch (kind) {
        case PeriodKind::month:
            return month_end(year, index);
        case PeriodKind::quarter:
            return month_end(year, index * 3);
        case PeriodKind::half:
            return month_end(year, index * 6);
        case PeriodKind::nine_months:
            return month_end(year, 9);
        case PeriodKind::year:
            return month_end(year, 12);
        case PeriodKind::term:
            return month_end(index, 12);
        case PeriodKind::range:
            return month_end(last_year, last_month);
    }
    return 0;
}

bool Period::overlaps(const Period& other) const {
    return first_day() <= other.last_day() && other.first_day() <= last_day();
}

std::vector<Period> Period::parts() const {
    std::vector<Period> result;
    switch (kind) {
        case PeriodKind::month:
            break;
        case PeriodKind::quarter:
            for (int m = index * 3 - 2; m <= index * 3; ++m) result.push_back(make(PeriodKind::month, year, m));
            break;
        case PeriodKind::half:
            for (int q = index * 2 - 1; q <= index * 2; ++q) result.push_back(make(PeriodKind::quarter, year, q));
            break;
        case PeriodKind::nine_months:
            for (int q = 1; q <= 3; ++q) result.push_back(make(PeriodKind::quarter, year, q));
            break;
        case PeriodKind::year:
            for (int h = 1; h <= 2; ++h) result.push_back(make(PeriodKind::half, year, h));
            break;
        case PeriodKind::term:
            for (int y = year; y <= index; ++y) result.push_back(make(PeriodKind::year, y, 0));
            break;
        case PeriodKind::range:
            for (int at = month_number(year, index), end = month_number(last_year, last_month); at <= end;) {
                const int y = at / 12, m = at % 12 + 1, left = end - at + 1;
                if (m == 1 && left >= 12)
                    result.push_back(make(PeriodKind::year, y, 0)), at += 12;
                else if (m % 6 == 1 && left >= 6)
                    result.push_back(make(PeriodKind::half, y, m / 6 + 1)), at += 6;
                else if (m % 3 == 1 && left >= 3)
                    result.push_back(make(PeriodKind::quarter, y, m / 3 + 1)), at += 3;
                else
                    result.push_back(make(PeriodKind::month, y, m)), at += 1;
            }
            break;
    }
    return result;
}

}  // namespace chiso::domain
