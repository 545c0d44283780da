// How numbers, percentages, dates, periods and ages read on the screen, in Vietnamese (the default) or
// English: 7.841 · 56,4 % · 22/11/2026 · "6 tháng đầu năm 2019" — or 7,841 · 56.4% · 22/11/2026 · "H1 2019".
// Vietnamese puts a no-break space (U+00A0) before "%", so a percentage never wraps and every font has the glyph;
// negative numbers take a true minus sign (U+2212), not a hyphen.
#pragma once

#include "domain/period.hpp"

#include <cstdint>
#include <string>

namespace chiso::dashboard {

enum class Language { vi, en };

inline constexpr const char* kMinus = "\u2212";         // −
inline constexpr const char* kPercentSpace = "\u00A0";  // the no-break space of "56,4 %"
inline constexpr const char* kDash = "\u2014";          // — : a figure nothing was reported for
inline constexpr const char* kEnDash = "\u2013";        // – : ranges, "2020–2025"

class Formatter {
public:
    explicit Formatter(Language language = Language::vi) : language_(language) {}
    Language language() const { return language_; }

    std::string number(std::int64_t value) const;            // 7.841 / 7,841; −3
    std::string signed_number(std::int64_t value) const;     // +25 / −3 (a true minus sign) / 0
    std::string percent_tenths(std::int64_t tenths) const;   // 1963 → "196,3 %" / "196.3%"; −15 → "−1,5 %"
    std::string percent_points(std::int64_t tenths) const;   // a change of a share: "+1,7 điểm %" / "+1.7 pp"
    std::string day(domain::Day day) const;                  // 20261122 → "22/11/2026", 20190630 → "30/6/2019"
    std::string period(const domain::Period& period) const;  // "Tháng 3/2026", "Quý I/2026", "9/2015 – 6/2019"
    std::string period_short(const domain::Period& period) const;  // axis labels: "T3", "Q1", "2026", "6T đầu/2026"
    std::string age(std::int64_t seconds) const;                   // "5 phút", "2 giờ 10 phút", "3 ngày"
    // The rest of a list that the screen has no room for: "và 12 tổ chức khác" / "and 12 more organisations"
    // (`unit` in the formatter's language; never fewer than two, since one more fits where this text goes).
    std::string and_more(std::int64_t count, const std::string& unit) const;
    // A text that exists in both languages: tr("Tổng quan", "Overview").
    const char* tr(const char* vietnamese, const char* english) const {
        return language_ == Language::vi ? vietnamese : english;
    }

private:
    std::string range(const domain::Period& period) const;  // "9/2015 – 6/2019" / "Sep 2015 – Jun 2019"

    Language language_;
};

}  // namespace chiso::dashboard
