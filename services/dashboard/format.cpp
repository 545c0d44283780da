#include "dashboard/format.hpp"

#include <array>

namespace chiso::dashboard {
namespace {

using domain::Period;
using domain::PeriodKind;

// The magnitude as digits grouped by three; unsigned so that the smallest int64 has a magnitude too.
std::string grouped(std::uint64_t magnitude, char separator) {
    std::string digits = std::to_string(magnitude);
    std::string result;
    result.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) result += separator;
        result += digits[i];
    }
    return result;
}

std::uint64_t magnitude(std::int64_t value) {
    return value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

std::string roman(int quarter) {
    static constexpr std::array<const char*, 5> numerals{"", "I", "II", "III", "IV"};
    return quarter >= 1 && quarter <= 4 ? numerals[quarter] : std::to_string(quarter);
}

const char* month_name(int month) {
    static constexpr std::array<const char*, 12> names{"January",   "February", "March",    "April",
                                                       "May",       "June",     "July",     "August",
                                                       "September", "October",  "November", "December"};
    return month >= 1 && month <= 12 ? names[month - 1] : "";
}

const char* month_abbreviation(int month) {
    static constexpr std::array<const char*, 12> names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return month >= 1 && month <= 12 ? names[month - 1] : "";
}

}  // namespace

std::string Formatter::number(std::int64_t value) const {
    std::string digits = grouped(magnitude(value), language_ == Language::vi ? '.' : ',');
    return value < 0 ? kMinus + digits : digits;
}

std::string Formatter::signed_number(std::int64_t value) const {
    if (value > 0) return "+" + number(value);
    return number(value);  // "0", or "−3" with its minus sign
}

std::string Formatter::percent_tenths(std::int64_t tenths) const {
    const std::uint64_t m = magnitude(tenths);
    std::string text = grouped(m / 10, language_ == Language::vi ? '.' : ',');
    text += language_ == Language::vi ? ',' : '.';
    text += static_cast<char>('0' + m % 10);
    if (tenths < 0) text = kMinus + text;
    return language_ == Language::vi ? text + kPercentSpace + "%" : text + "%";
}

std::string Formatter::percent_points(std::int64_t tenths) const {
    const std::uint64_t m = magnitude(tenths);
    std::string text = grouped(m / 10, language_ == Language::vi ? '.' : ',');
    text += language_ == Language::vi ? ',' : '.';
    text += static_cast<char>('0' + m % 10);
    text = (tenths > 0 ? "+" : tenths < 0 ? kMinus : "") + text;
    return text + (language_ == Language::vi ? " điểm\u00A0%" : "\u00A0pp");
}

std::string Formatter::day(domain::Day day) const {
    return std::to_string(day % 100) + "/" + std::to_string(day / 100 % 100) + "/" + std::to_string(day / 10000);
}

std::string Formatter::range(const Period& p) const {
    auto month = [&](int y, int m) {
        return language_ == Language::vi ? std::to_string(m) + "/" + std::to_string(y)
                                         : std::string(month_abbreviation(m)) + " " + std::to_string(y);
    };
    return month(p.year, p.index) + " " + kEnDash + " " + month(p.last_year, p.last_month);
}

std::string Formatter::period(const Period& p) const {
    const std::string year = std::to_string(p.year);
    const bool vi = language_ == Language::vi;
    switch (p.kind) {
        case PeriodKind::month:
            return vi ? "Tháng " + std::to_string(p.index) + "/" + year : std::string(month_name(p.index)) + " " + year;
        case PeriodKind::quarter:
            return vi ? "Quý " + roman(p.index) + "/" + year : "Q" + std::to_string(p.index) + " " + year;
        case PeriodKind::half:
            if (vi) return (p.index == 1 ? "6 tháng đầu năm " : "6 tháng cuối năm ") + year;
            return "H" + std::to_string(p.index) + " " + year;
        case PeriodKind::nine_months:
            return vi ? "9 tháng năm " + year : "9 months " + year;
        case PeriodKind::year:
            return vi ? "Năm " + year : year;
        case PeriodKind::term:
            return (vi ? "Nhiệm kỳ " : "Term ") + year + kEnDash + std::to_string(p.index);
        case PeriodKind::range:
            return range(p);
    }
    return year;
}

std::string Formatter::period_short(const Period& p) const {
    const std::string year = std::to_string(p.year);
    const bool vi = language_ == Language::vi;
    switch (p.kind) {
        case PeriodKind::month:
            return vi ? "T" + std::to_string(p.index) : month_abbreviation(p.index);
        case PeriodKind::quarter:
            return "Q" + std::to_string(p.index);
        case PeriodKind::half:
            if (vi) return (p.index == 1 ? "6T đầu/" : "6T cuối/") + year;
            return "H" + std::to_string(p.index) + " " + year;
        case PeriodKind::nine_months:
            return vi ? "9T/" + year : "9M " + year;
        case PeriodKind::year:
            return year;
        case PeriodKind::term:
            return year + kEnDash + std::to_string(p.index);
        case PeriodKind::range:
            return range(p);
    }
    return year;
}

std::string Formatter::age(std::int64_t seconds) const {
    const bool vi = language_ == Language::vi;
    if (seconds < 60) return vi ? "dưới 1 phút" : "under a minute";  // a clock a little behind counts as now
    auto unit = [&](std::int64_t n, const char* vietnamese, const char* singular, const char* plural) {
        return number(n) + " " + (vi ? vietnamese : n == 1 ? singular : plural);
    };
    const std::int64_t minutes = seconds / 60, hours = minutes / 60, days = hours / 24;
    if (hours == 0) return unit(minutes, "phút", "minute", "minutes");
    if (days == 0) {
        std::string text = unit(hours, "giờ", "hour", "hours");
        if (minutes % 60 != 0) text += " " + unit(minutes % 60, "phút", "minute", "minutes");
        return text;
    }
    return unit(days, "ngày", "day", "days");
}

std::string Formatter::and_more(std::int64_t count, const std::string& unit) const {
    const bool vi = language_ == Language::vi;
    std::string text = vi ? "và " : "and ";
    text.append(number(count)).append(vi ? " " : " more ").append(unit);
    if (vi) text.append(" khác");
    return text;
}

}  // namespace chiso::dashboard
