// What each page of the kiosk shows, decided from a scope document: tiles, charts and lists with their
// texts already formatted for the chosen language. Qt-free, so every figure on the screen is computed and
// tested here; the Qt models only hand these to QML.
//
// "Now" is the document's as_of day; Y is its year. Stocks show their latest snapshot and compare with the end of
// the half year before it ("+21 so với 31/12/2025"); flows show year Y to date and compare with the same months of
// Y−1 ("so với cùng kỳ năm 2025"; with all of Y−1 once Y is over; nothing when Y−1 was not reported month by month).
// An indicator the catalogue lacks gets no tile or series; one it has but nothing was reported for shows "—".
//
// Pages, by key (tiles by `indicator`, charts and lists by `key`; each page is built in pages/<key>.cpp):
//   overview    members_total, org_base_total, admissions (detail: target and attainment), full_recognitions,
//               inspections (the four inspection and supervision flows summed), discipline_members,
//               discipline_orgs, rating_orgs_good_share
//   membership  tiles members_total, members_full, members_probationary, members_female, members_youth,
//               members_ethnic_minority (detail: share of all members); charts membership_trend (line),
//               composition (stacked_bar), member_groups (bar), members_by_type, orgs_by_type (horizontal_bar)
//   admission   tiles admissions, admissions_term, admissions_pacing, admissions_from_youth_union,
//               admissions_female, candidates_trained, full_recognitions, orgs_without_admissions;
//               charts admissions_monthly (bar: Y "value", Y−1 "comparison"), admissions_cumulative (line:
//               "cumulative", "comparison", "target", "pace"; note: the pacing sentence), admissions_by_group (bar);
//               list orgs_without_admissions
//   discipline  tiles inspections_org, inspections_member, supervisions_org, supervisions_member,
//               violations_found_org, violations_found_member, discipline_members, discipline_orgs,
//               removed_from_rolls; charts inspections_by_year, violations_by_year (bar),
//               discipline_members_by_form, discipline_orgs_by_form (stacked_bar, Y−1 and Y), removed_by_year (bar)
//   rating      tiles rating_orgs_good_share, rating_orgs.<best category>, rating_orgs.<failing category>, the same
//               for rating_members; charts rating_orgs_by_year, rating_members_by_year (stacked_bar, a series per
//               category: the old scale's for years before 2018, the current one's after), good_share_trend (line);
//               list orgs_failing
#pragma once

#include "dashboard/format.hpp"
#include "wire/scope_document.hpp"

#include <optional>
#include <string>
#include <vector>

namespace chiso::dashboard {

// One key figure: the big number, its change against the previous period, and the period it covers.
struct Tile {
    std::string indicator;       // catalogue code, or a name for a composed tile ("inspections")
    std::string label;           // "Tổng số đảng viên"
    std::string value;           // "7.841", "85,2 %" (U+00A0 before %); "—" when nothing was reported
    std::string unit;            // "người", "tổ chức", "lượt"; empty when the value carries it ("85,2 %")
    std::string detail;          // a second line: "chỉ tiêu 1.800 · đạt 85,2 %"; may be empty
    std::string change;          // "+25 so với 31/12/2018"; empty when there is nothing to compare with
    int change_sign = 0;         // -1, 0, +1
    bool change_is_good = true;  // colours the arrow: the sign agrees with higher_is_better
    std::string period;    // "30/6/2019", "6 tháng đầu năm 2019", "Nhiệm kỳ 2015–2020 (đến 30/6/2019)"
    bool missing = false;  // nothing was reported: value is "—" and period says what it would cover
};

struct Series {
    std::string name;                           // legend text
    std::vector<std::optional<double>> values;  // one per chart category; nullopt: not reported
    std::vector<std::string> labels;            // the same values formatted ("7.841", "90,3 %"); "" where nullopt
    std::string role;  // "value", "comparison" (last year), "target", "cumulative", "pace"; in a chart of a
                       // distribution by category, the category code ("htxs", "khien_trach") for its colour
};

struct Chart {
    enum class Kind { bar, stacked_bar, line, horizontal_bar };
    std::string key;  // stable: "membership_trend", "admissions_monthly", ...
    std::string title;
    Kind kind = Kind::bar;
    std::vector<std::string> categories;  // x axis labels ("2019", "T1", "Cơ quan hành chính")
    std::vector<Series> series;
    std::string unit;
    std::string note;  // one line under the chart, e.g. the pacing text
};

struct ListItem {
    std::string text;
    std::string detail;
};

struct ItemList {
    std::string key;
    std::string title;  // "TCCSĐ chưa kết nạp được đảng viên năm 2026 (10)"
    std::vector<ListItem> items;
    std::string unit;  // what the items are, for "và 12 tổ chức khác" when the screen has no room for all
    std::string empty_text;  // shown instead of the items when there are none: "Tất cả ... đã kết nạp được đảng viên"
};

struct Page {
    std::string key;    // overview, membership, admission, discipline, rating
    std::string title;  // "Tổng quan", ...
    std::vector<Tile> tiles;
    std::vector<Chart> charts;
    std::vector<ItemList> lists;
};

struct Dashboard {
    std::string org_name;     // the scope organisation's name
    std::string as_of;        // "31/10/2026"; empty before the first data, and then every page has no tiles
    // A review's name and the day its figures reach: "Tổng kết nhiệm kỳ 2015–2020 · số liệu đến 30/6/2019";
    // empty without a review.
    std::string review;
    std::vector<Page> pages;  // in the order shown, only those enabled
};

inline const std::vector<std::string>& all_pages() {
    static const std::vector<std::string> keys{"overview", "membership", "admission", "discipline", "rating",
                                               "cadres"};
    return keys;
}

// `pages`: the keys to show, in order (empty: all); a page the catalogue has nothing for is left out.
Dashboard build_dashboard(const wire::ScopeDocument& document, const Formatter& format,
                          const std::vector<std::string>& pages = {});

}  // namespace chiso::dashboard
