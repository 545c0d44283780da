// What every kiosk page is made from: the scope document and formatter it reads, "now" (the document's as_of
// day, its year Y and month), and the tiles, charts, periods and ratings more than one page shows. Internal to
// chiso_dashboard: each page is built in pages/<key>.cpp (declared in pages.hpp), dashboard.cpp picks them by key.
#pragma once

#include "dashboard/dashboard.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chiso::dashboard::pages {

using domain::Day;
using domain::Period;
using domain::PeriodKind;
// A count by period: one indicator's, or a sum of several.
using Amount = std::function<std::optional<std::int64_t>(const Period&)>;

// ---- periods and days ----
Period month_period(int y, int m);
Period half_period(int y, int h);
Period year_period(int y);
int year_of(Day day);
int month_of(Day day);

// ---- quality ratings, on either scale (Quy định 366-QĐ/TW, and the one before 2018) ----
bool rated_good_or_better(std::string_view code);
bool rated_failing(std::string_view code);
std::size_t rating_rank(std::string_view code);  // 0 for the best, across both scales; codes of neither come last
// The counts rated good or better, and rated at all.
std::pair<std::int64_t, std::int64_t> good_of(const std::map<std::string, std::int64_t>& categories);

// "Hoàn thành tốt nhiệm vụ" → "hoàn thành tốt nhiệm vụ", for a label inside a sentence (ASCII capitals and Đ).
std::string lower_first(std::string text);
std::int64_t sum(const std::map<std::string, std::int64_t>& categories);

// ---- tiles ----
Tile tile(std::string key, std::string label, std::string unit);
void set_missing(Tile& t, std::string period);

class PageContext {
public:
    PageContext(const wire::ScopeDocument& document, const Formatter& formatter);

    const wire::ScopeDocument& doc;
    const Formatter& format;
    const std::string scope_org;  // the scope organisation's code
    const Day as_of;
    const int as_of_year, as_of_month;  // Y, and the month of as_of in it
    const std::vector<int> years;       // the years of the scope's window, oldest first
    // A review (sơ kết, tổng kết): the period every page shows instead of this year, and the one before it.
    const std::optional<Period> review, review_previous;

    // The period the flows cover: the review's, else this year to date.
    Period shown() const { return review ? *review : year_period(as_of_year); }

    // ---- the catalogue, in the chosen language ----
    bool known(std::string_view code) const;
    std::string label(std::string_view code) const;
    // The catalogue's label, or ours when the catalogue has no such indicator.
    std::string label_or(std::string_view code, const char* vietnamese, const char* english) const;
    std::string category_label(std::string_view code, std::string_view category) const;
    std::string type_label(std::string_view type) const;
    std::string unit(std::string_view code) const;
    bool higher_is_better(std::string_view code) const;
    std::vector<std::string> category_codes(std::string_view code) const;

    // ---- figures of the scope organisation (or of `org`) ----
    std::optional<std::int64_t> value(std::string_view code, const Period& period, std::string_view org = {}) const;
    // A count: a stock's or flow's value, a distribution's sum over its categories.
    std::optional<std::int64_t> amount(std::string_view code, const Period& period, std::string_view org = {}) const;
    Amount amount_of(std::string code) const;
    std::optional<std::int64_t> tenths_of(std::string_view ratio, const Period& period) const;

    // "Năm 2026 (đến 31/10/2026)": the period, and the day it is counted to while it is still running.
    std::string covers(const Period& period) const;
    std::string as_at(Day day) const;  // "đến 31/10/2026"

    // The change line, "+25 so với 31/12/2018", with its sign and whether that is good.
    void set_change(Tile& t, std::int64_t delta, const std::string& reference, bool better_higher,
                    const std::string& delta_text = {}) const;

    // ---- stocks: the latest snapshot, compared with the end of the half year before it ----
    struct Snapshot {
        std::int64_t value = 0;
        Period period;
        Day day = 0;
    };
    std::optional<Snapshot> latest_stock(std::string_view code) const;
    Tile stock_tile(const std::string& code) const;
    // What a stock on `day` is compared with: the half year before it, or in a review the one that ended as the
    // review began (the start of the term, of the year).
    Period stock_compared_with(Day day) const;
    Tile members_tile() const;  // with the full and probationary members on its detail line

    // ---- flows: this year to date (or the review), compared with the same months of last year (or the period
    //      before the review) ----
    struct Reference {
        std::int64_t value = 0;
        std::string text;  // "cùng kỳ năm 2025", "năm 2025"
    };
    std::optional<Reference> same_period_last_year(const Amount& get) const;
    Tile flow_tile(const std::string& key, std::string tile_label, std::string tile_unit, bool better_higher,
                   const Amount& get) const;
    Tile flow_tile(const std::string& code) const;
    // A distribution's tile with its categories on the detail line: "Khiển trách 10 · Cảnh cáo 7".
    Tile distribution_tile(const std::string& code) const;

    // ---- admissions against the target ----
    // "chỉ tiêu 350 · đạt 54,3 %"; of_the_term: "chỉ tiêu nhiệm kỳ …", for a tile whose own period is not the term.
    std::string attainment_detail(const Period& period, std::optional<std::int64_t> done,
                                  bool of_the_term = false) const;
    Tile admissions_tile() const;

    // ---- ratings: the share rated good or better in the latest rated year ----
    std::optional<int> latest_rated_year(std::string_view code, int before) const;
    Tile good_share_tile(const std::string& code) const;

    // ---- charts ----
    Series series(std::string name, std::string role, std::vector<std::optional<double>> values,
                  const std::function<std::string(double)>& format_value) const;
    Series count_series(std::string name, std::string role,
                        const std::vector<std::optional<std::int64_t>>& counts) const;
    // One series per indicator over the scope's years, leading years where nothing is reported left out.
    Chart year_chart(std::string key, std::string chart_title, Chart::Kind kind,
                     const std::vector<std::string>& wanted) const;
    // A distribution stacked by category over the given years: a series per category reported in any of them.
    Chart distribution_chart(std::string key, std::string chart_title, const std::string& code,
                             const std::vector<int>& chart_years, bool by_rank) const;

    // Whether the scope reaches down to base organisations, so a list of them can be complete.
    bool has_base_orgs() const;

private:
    const domain::Indicator* indicator(std::string_view code) const;
    std::string pick(const domain::Label& label) const;
    std::string count_text(double v) const;
};

}  // namespace chiso::dashboard::pages
