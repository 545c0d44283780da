// What the kiosk's pages show, built from real scope documents served by the real chiso-syncd: the demo bloc's
// published figures appear formatted on the tiles, both rating scales display for their years, the list of
// organisations without admissions is what the data says, and no tile is ever blank.
#include "dashboard/dashboard.hpp"
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

namespace chiso::dashboard {
namespace {

namespace json = boost::json;
using test::SyncdProcess;

// ---- helpers ----

wire::ScopeDocument parse(const std::string& body) {
    std::string error;
    auto document = wire::ScopeDocument::parse(body, &error);
    if (!document) throw std::runtime_error("not a scope document: " + error);  // the test fails, naming it
    return *document;
}

std::string fetch(const SyncdProcess& syncd, const std::string& org, const std::string& query = "") {
    test::HttpResponse response =
        syncd.get("/api/v1/scope?org=" + org + (query.empty() ? "" : "&" + query), syncd.admin_token());
    EXPECT_EQ(response.status, 200) << response.body;
    return response.body;
}

std::string describe(const Dashboard& dashboard) {
    std::ostringstream out;
    out << dashboard.org_name << " — " << dashboard.as_of << "\n";
    for (const Page& page : dashboard.pages) {
        out << "== " << page.key << ": " << page.title << "\n";
        for (const Tile& t : page.tiles)
            out << "  [" << t.indicator << "] " << t.label << " = " << t.value << " " << t.unit << " | " << t.detail
                << " | " << t.change << " (" << t.change_sign << (t.change_is_good ? " good" : " bad") << ") | "
                << t.period << (t.missing ? " MISSING" : "") << "\n";
        for (const Chart& c : page.charts) {
            out << "  chart " << c.key << " (" << static_cast<int>(c.kind) << "): " << c.title << " [" << c.unit
                << "] note: " << c.note << "\n    ";
            for (const std::string& category : c.categories) out << category << " | ";
            out << "\n";
            for (const Series& s : c.series) {
                out << "    " << s.name << " <" << s.role << ">: ";
                for (const std::string& label : s.labels) out << (label.empty() ? "·" : label) << " ";
                out << "\n";
            }
        }
        for (const ItemList& l : page.lists) {
            out << "  list " << l.key << ": " << l.title << " / " << l.empty_text << "\n";
            for (const ListItem& item : l.items) out << "    " << item.text << " — " << item.detail << "\n";
        }
    }
    return out.str();
}

const Page& page(const Dashboard& dashboard, const std::string& key) {
    for (const Page& p : dashboard.pages)
        if (p.key == key) return p;
    ADD_FAILURE() << "no page " << key;
    static const Page none;
    return none;
}

const Tile& tile(const Page& p, const std::string& indicator) {
    for (const Tile& t : p.tiles)
        if (t.indicator == indicator) return t;
    ADD_FAILURE() << "no tile " << indicator << " on page " << p.key;
    static const Tile none;
    return none;
}

const Chart& chart(const Page& p, const std::string& key) {
    for (const Chart& c : p.charts)
        if (c.key == key) return c;
    ADD_FAILURE() << "no chart " << key << " on page " << p.key;
    static const Chart none;
    return none;
}

const ItemList& list(const Page& p, const std::string& key) {
    for (const ItemList& l : p.lists)
        if (l.key == key) return l;
    ADD_FAILURE() << "no list " << key << " on page " << p.key;
    static const ItemList none;
    return none;
}

// The value of a series ("name") at a chart category ("2017"); nullopt when it shows nothing there.
std::optional<double> at(const Chart& c, const std::string& series_role, const std::string& category) {
    auto column = std::find(c.categories.begin(), c.categories.end(), category);
    if (column == c.categories.end()) {
        ADD_FAILURE() << "chart " << c.key << " has no category " << category;
        return std::nullopt;
    }
    for (const Series& s : c.series)
        if (s.role == series_role || s.name == series_role)
            return s.values[static_cast<std::size_t>(column - c.categories.begin())];
    return std::nullopt;
}

// Every tile says what it is, shows a figure or "—", and names its period; every series has a value and a label
// per category.
void expect_complete(const Dashboard& dashboard) {
    ASSERT_FALSE(dashboard.pages.empty());
    EXPECT_FALSE(dashboard.org_name.empty());
    EXPECT_FALSE(dashboard.as_of.empty());
    for (const Page& p : dashboard.pages) {
        EXPECT_FALSE(p.title.empty()) << p.key;
        EXPECT_FALSE(p.tiles.empty()) << p.key;
        for (const Tile& t : p.tiles) {
            EXPECT_FALSE(t.indicator.empty()) << p.key;
            EXPECT_FALSE(t.label.empty()) << p.key << "/" << t.indicator;
            EXPECT_FALSE(t.value.empty()) << p.key << "/" << t.indicator;
            EXPECT_FALSE(t.period.empty()) << p.key << "/" << t.indicator;
            EXPECT_EQ(t.missing, t.value == "\u2014") << p.key << "/" << t.indicator;
            if (t.change.empty()) {
                EXPECT_EQ(t.change_sign, 0) << p.key << "/" << t.indicator;
            }
        }
        for (const Chart& c : p.charts) {
            EXPECT_FALSE(c.title.empty()) << c.key;
            EXPECT_FALSE(c.categories.empty()) << p.key << "/" << c.key;
            for (const Series& s : c.series) {
                EXPECT_FALSE(s.name.empty()) << c.key;
                EXPECT_EQ(s.values.size(), c.categories.size()) << c.key << "/" << s.name;
                EXPECT_EQ(s.labels.size(), c.categories.size()) << c.key << "/" << s.name;
            }
        }
        for (const ItemList& l : p.lists) {
            EXPECT_FALSE(l.title.empty()) << l.key;
            if (l.items.empty()) {
                EXPECT_FALSE(l.empty_text.empty()) << l.key;
            }
            for (const ListItem& item : l.items) EXPECT_FALSE(item.text.empty()) << l.key;
        }
    }
}

// Shows what was built when CHISO_DASHBOARD_DUMP is set: `CHISO_DASHBOARD_DUMP=1 dashboard_test`.
void dump(const Dashboard& dashboard) {
    if (std::getenv("CHISO_DASHBOARD_DUMP")) std::cout << describe(dashboard);
}

const Formatter vi{Language::vi};
const Formatter en{Language::en};

// ---- the demo: the Hà Tĩnh bloc, served by `chiso-syncd serve --demo` ----

class DashboardDemo : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        syncd = new SyncdProcess;
        syncd->start({"--demo"});
    }
    static void TearDownTestSuite() {
        syncd->stop();
        delete syncd;
        syncd = nullptr;
    }
    static Dashboard build(const std::string& org, const std::string& query, const Formatter& format = vi) {
        Dashboard dashboard = build_dashboard(parse(fetch(*syncd, org, query)), format);
        dump(dashboard);
        return dashboard;
    }
    static SyncdProcess* syncd;
};
SyncdProcess* DashboardDemo::syncd = nullptr;

TEST_F(DashboardDemo, the_july_2019_overview_shows_the_published_7841_members_in_105_base_organisations) {
    Dashboard d = build("HT-KCQDN", "at=2019-H1");
    EXPECT_EQ(d.org_name, "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh");
    EXPECT_EQ(d.as_of, "30/6/2019");
    const Page& overview = page(d, "overview");
    EXPECT_EQ(overview.title, "Tổng quan");
    const Tile& members = tile(overview, "members_total");
    EXPECT_EQ(members.label, "Tổng số đảng viên");
    EXPECT_EQ(members.value, "7.841");
    EXPECT_EQ(members.unit, "người");
    EXPECT_EQ(members.period, "30/6/2019");
    EXPECT_EQ(members.change, "+40 so với 31/12/2018");  // 7,801 at the end of 2018
    EXPECT_EQ(members.change_sign, 1);
    EXPECT_TRUE(members.change_is_good);
    EXPECT_EQ(members.detail, "chính thức 7.449 · dự bị 392");
    const Tile& orgs = tile(overview, "org_base_total");
    EXPECT_EQ(orgs.value, "105");
    EXPECT_EQ(orgs.detail, "Đảng bộ cơ sở 35 · Chi bộ cơ sở 70");
    EXPECT_EQ(orgs.change, "không đổi so với 31/12/2018");

    // Admissions this year to date: 190 of the 350 planned for 2019.
    const Tile& admissions = tile(overview, "admissions");
    EXPECT_EQ(admissions.value, "190");
    EXPECT_EQ(admissions.period, "Năm 2019 (đến 30/6/2019)");
    EXPECT_EQ(admissions.detail, "chỉ tiêu 350 · đạt 54,3\u00A0%");
    EXPECT_EQ(admissions.change, "\u221220 so với cùng kỳ năm 2018");  // 210 in January–June 2018
    EXPECT_EQ(admissions.change_sign, -1);
    EXPECT_FALSE(admissions.change_is_good);
    // No organisation was disciplined in January–June 2019, and the bloc reported its zeros: 0, not a dash.
    const Tile& orgs_disciplined = tile(overview, "discipline_orgs");
    EXPECT_EQ(orgs_disciplined.value, "0");
    EXPECT_FALSE(orgs_disciplined.missing);
    EXPECT_EQ(orgs_disciplined.period, "Năm 2019 (đến 30/6/2019)");
    EXPECT_EQ(orgs_disciplined.label, "Tổ chức đảng bị kỷ luật");
    expect_complete(d);
}

TEST_F(DashboardDemo, the_term_to_date_shows_1534_admitted_against_the_target_of_1800) {
    Dashboard d = build("HT-KCQDN", "at=2019-H1");
    const Tile& term = tile(page(d, "admission"), "admissions_term");
    EXPECT_EQ(term.value, "1.534");
    EXPECT_EQ(term.detail, "chỉ tiêu 1.800 · đạt 85,2\u00A0%");
    EXPECT_EQ(term.period, "Nhiệm kỳ 2015\u20132020 (đến 30/6/2019)");

    Dashboard english = build("HT-KCQDN", "at=2019-H1", en);
    const Tile& term_en = tile(page(english, "admission"), "admissions_term");
    EXPECT_EQ(term_en.value, "1,534");
    EXPECT_EQ(term_en.detail, "target 1,800 · 85.2% reached");
    EXPECT_EQ(term_en.period, "Term 2015\u20132020 (to 30/6/2019)");
    EXPECT_EQ(tile(page(english, "overview"), "members_total").value, "7,841");
    EXPECT_EQ(tile(page(english, "overview"), "members_total").label, "Party members");
    EXPECT_EQ(tile(page(english, "overview"), "members_total").change, "+40 vs 31/12/2018");
    expect_complete(english);
}

TEST_F(DashboardDemo, members_by_organisation_type_are_the_published_breakdown) {
    Dashboard d = build("HT-KCQDN", "at=2019-H1");
    const Chart& by_type = chart(page(d, "membership"), "members_by_type");
    EXPECT_EQ(by_type.kind, Chart::Kind::horizontal_bar);
    const std::vector<std::pair<std::string, std::string>> reference = {{"Cơ quan hành chính", "2.978"},
                                                                        {"Đơn vị sự nghiệp", "1.342"},
                                                                        {"Doanh nghiệp 100% vốn nhà nước", "2.179"},
                                                                        {"Doanh nghiệp trên 50% vốn nhà nước", "1.000"},
                                                                        {"Doanh nghiệp dưới 50% vốn nhà nước", "11"},
                                                                        {"Doanh nghiệp cổ phần, tư nhân", "331"}};
    ASSERT_EQ(by_type.categories.size(), reference.size());
    ASSERT_EQ(by_type.series.size(), 1u);
    for (std::size_t i = 0; i < reference.size(); ++i) {
        EXPECT_EQ(by_type.categories[i], reference[i].first);
        EXPECT_EQ(by_type.series[0].labels[i], reference[i].second);
    }
    EXPECT_EQ(by_type.note, "đến 30/6/2019");
    const Chart& orgs = chart(page(d, "membership"), "orgs_by_type");
    ASSERT_EQ(orgs.series.size(), 1u);
    EXPECT_EQ(orgs.series[0].labels, (std::vector<std::string>{"49", "17", "16", "15", "1", "7"}));

    const Page& membership = page(d, "membership");
    EXPECT_EQ(tile(membership, "members_female").value, "3.148");
    EXPECT_EQ(tile(membership, "members_female").detail, "40,1\u00A0% tổng số đảng viên");  // syncd's 401 tenths
    EXPECT_EQ(tile(membership, "members_ethnic_minority").detail, "0,1\u00A0% tổng số đảng viên");
    const Chart& trend = chart(membership, "membership_trend");
    EXPECT_EQ(trend.categories.front(), "2015");  // the years before the data begins are left out
    EXPECT_EQ(trend.categories.back(), "2019");
    EXPECT_EQ(trend.series[0].labels.back(), "7.841");
    EXPECT_EQ(trend.note, "2019: đến 30/6/2019");
}

TEST_F(DashboardDemo, the_rating_page_shows_the_old_scale_for_2017_and_the_current_one_for_2019) {
    Dashboard d = build("HT", "");
    const Chart& ratings = chart(page(d, "rating"), "rating_orgs_by_year");
    EXPECT_EQ(ratings.kind, Chart::Kind::stacked_bar);
    // 2017: Trong sạch, vững mạnh (tiêu biểu) ... Yếu kém — 104 organisations; none on the current scale.
    EXPECT_EQ(at(ratings, "tsvm_tieu_bieu", "2017"), 17.0);
    EXPECT_EQ(at(ratings, "tsvm", "2017"), 54.0);
    EXPECT_EQ(at(ratings, "yeu_kem", "2017"), 4.0);
    EXPECT_EQ(at(ratings, "htxs", "2017"), std::nullopt);
    EXPECT_EQ(at(ratings, "kht", "2017"), std::nullopt);
    // 2019: Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ; none on the old scale.
    EXPECT_EQ(at(ratings, "htxs", "2019"), 18.0);
    EXPECT_EQ(at(ratings, "htt", "2019"), 69.0);
    EXPECT_EQ(at(ratings, "kht", "2019"), 4.0);
    EXPECT_EQ(at(ratings, "tsvm", "2019"), std::nullopt);
    EXPECT_EQ(at(ratings, "yeu_kem", "2019"), std::nullopt);
    // Both scales are in the legend, best first, with the catalogue's labels.
    std::vector<std::string> legend;
    for (const Series& s : ratings.series) legend.push_back(s.name);
    EXPECT_EQ(legend, (std::vector<std::string>{"Trong sạch, vững mạnh tiêu biểu", "Hoàn thành xuất sắc nhiệm vụ",
                                                "Trong sạch, vững mạnh", "Hoàn thành tốt nhiệm vụ",
                                                "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ", "Yếu kém"}));
    EXPECT_EQ(ratings.categories.front(), "2017");
    EXPECT_EQ(ratings.categories.back(), "2025");  // 2026 is not rated yet

    // The share rated good or better: 2025's 10 + 74 of 103, against 2024's 15 + 68 of 105.
    const Tile& good = tile(page(d, "rating"), "rating_orgs_good_share");
    EXPECT_EQ(good.value, "81,6\u00A0%");
    EXPECT_EQ(good.period, "Năm 2025");
    EXPECT_EQ(good.detail, "84/103 tổ chức");
    EXPECT_EQ(good.change, "+2,5 điểm\u00A0% so với năm 2024");  // 84/103 − 83/105 = 2.51 points
    EXPECT_EQ(tile(page(d, "overview"), "rating_orgs_good_share").value, "81,6\u00A0%");
    // 2017 on the old scale: Trong sạch vững mạnh (17 tiêu biểu + 54) and Hoàn thành tốt (23) of 104.
    const Chart& shares = chart(page(d, "rating"), "good_share_trend");
    EXPECT_EQ(shares.series[0].labels.front(), "90,4\u00A0%");
    expect_complete(d);

    // At the July 2019 review the latest rating is 2018's, the first on the current scale.
    Dashboard review = build("HT-KCQDN", "at=2019-H1");
    const Chart& then = chart(page(review, "rating"), "rating_orgs_by_year");
    EXPECT_EQ(at(then, "tsvm", "2017"), 54.0);
    EXPECT_EQ(at(then, "htxs", "2018"), 21.0);
    EXPECT_EQ(at(then, "tsvm", "2018"), std::nullopt);
    EXPECT_EQ(tile(page(review, "rating"), "rating_orgs_good_share").period, "Năm 2018");
}

// The base organisations of a document with no admissions in the as-of year, read straight from the JSON.
std::set<std::string> without_admissions_in(const std::string& body) {
    json::value scope = json::parse(body);
    const std::string as_of(scope.at("scope").at("as_of").as_string());
    const std::string year = as_of.substr(0, 4);
    std::set<std::string> bases;
    for (const json::value& level : scope.at("catalogue").at("levels").as_array())
        if (level.as_object().contains("base") && level.at("base").as_bool())
            bases.insert(std::string(level.at("code").as_string()));
    std::set<std::string> names;
    for (const json::value& org : scope.at("organisations").as_array()) {
        if (!bases.contains(std::string(org.at("level").as_string())) || org.at("depth").as_int64() == 0) continue;
        bool existed = false;  // some version of it covers part of the year up to the as-of day
        for (const json::value& version : org.at("versions").as_array()) {
            const std::string from(version.at("valid_from").as_string());
            const std::string to =
                version.at("valid_to").is_null() ? "9999-12-31" : std::string(version.at("valid_to").as_string());
            if (from <= as_of && to >= year + "-01-01") existed = true;
        }
        if (!existed) continue;
        const json::object& values = scope.at("values").as_object();
        const json::value* mine = values.if_contains(org.at("code").as_string());
        const json::value* admissions = mine ? mine->as_object().if_contains("admissions") : nullptr;
        const json::value* this_year = admissions ? admissions->as_object().if_contains(year) : nullptr;
        if (!this_year || this_year->as_int64() == 0) names.insert(std::string(org.at("name").as_string()));
    }
    return names;
}

TEST_F(DashboardDemo, the_organisations_without_admissions_this_year_are_those_the_data_has) {
    const std::string body = fetch(*syncd, "HT", "depth=2");
    Dashboard d = build_dashboard(parse(body), vi);
    dump(d);
    const Page& admission = page(d, "admission");
    const ItemList& none = list(admission, "orgs_without_admissions");
    std::set<std::string> listed;
    for (const ListItem& item : none.items) listed.insert(item.text);
    const std::set<std::string> expected = without_admissions_in(body);
    EXPECT_EQ(expected.size(), 10u);  // deploy/demo/README.md: ten have none yet in 2026
    EXPECT_EQ(listed, expected);
    EXPECT_EQ(none.items.size(), expected.size());
    EXPECT_EQ(none.title, "TCCSĐ chưa kết nạp được đảng viên năm 2026 (10)");
    EXPECT_EQ(tile(admission, "orgs_without_admissions").value, "10");

    // The same ten, split between the two committees that took over the bloc's organisations in 2025.
    std::set<std::string> split;
    for (const char* org : {"HT-CQD", "HT-UBND"}) {
        const std::string part = fetch(*syncd, org);
        Dashboard committee = build_dashboard(parse(part), vi);
        const ItemList& theirs = list(page(committee, "admission"), "orgs_without_admissions");
        std::set<std::string> names;
        for (const ListItem& item : theirs.items) names.insert(item.text);
        EXPECT_EQ(names, without_admissions_in(part)) << org;
        split.insert(names.begin(), names.end());
    }
    EXPECT_EQ(split, expected);

    // At the July 2019 review, the bloc's own base organisations with none in January–June 2019.
    const std::string review = fetch(*syncd, "HT-KCQDN", "at=2019-H1");
    Dashboard at_review = build_dashboard(parse(review), vi);
    std::set<std::string> then;
    for (const ListItem& item : list(page(at_review, "admission"), "orgs_without_admissions").items)
        then.insert(item.text);
    EXPECT_EQ(then, without_admissions_in(review));

    // The bloc itself was wound up on 30/6/2025: in 2026 its former organisations are listed by their new committees.
    Dashboard wound_up = build_dashboard(parse(fetch(*syncd, "HT-KCQDN")), vi);
    const ItemList& gone = list(page(wound_up, "admission"), "orgs_without_admissions");
    EXPECT_TRUE(gone.items.empty());
    EXPECT_EQ(gone.empty_text, "Tổ chức đã kết thúc hoạt động ngày 30/6/2025");
    EXPECT_EQ(tile(page(wound_up, "admission"), "orgs_without_admissions").value, "\u2014");
}

TEST_F(DashboardDemo, the_pacing_says_how_many_a_month_are_still_needed_for_the_target) {
    Dashboard d = build("HT", "");
    EXPECT_EQ(d.as_of, "31/10/2026");
    const Page& admission = page(d, "admission");
    const Tile& year = tile(admission, "admissions");
    EXPECT_EQ(year.value, "303");
    EXPECT_EQ(year.detail, "chỉ tiêu 380 · đạt 79,7\u00A0%");
    EXPECT_EQ(year.period, "Năm 2026 (đến 31/10/2026)");
    const Chart& cumulative = chart(admission, "admissions_cumulative");
    EXPECT_EQ(cumulative.note, "Cần kết nạp thêm 77 trong 2 tháng còn lại: 39/tháng");
    EXPECT_EQ(at(cumulative, "cumulative", "T10"), 303.0);
    EXPECT_EQ(at(cumulative, "cumulative", "T11"), std::nullopt);
    EXPECT_EQ(at(cumulative, "target", "T1"), 380.0);
    EXPECT_EQ(at(cumulative, "pace", "T12"), 380.0);
    const Tile& pacing = tile(admission, "admissions_pacing");
    EXPECT_EQ(pacing.value, "77");
    EXPECT_EQ(pacing.detail, "39/tháng trong 2 tháng còn lại · đã qua 83,3\u00A0% thời gian");
    const Chart& monthly = chart(admission, "admissions_monthly");
    EXPECT_EQ(monthly.categories.front(), "T1");
    EXPECT_EQ(monthly.series.size(), 2u);
    EXPECT_EQ(monthly.series[1].name, "Năm 2025");
    EXPECT_EQ(monthly.series[0].values[11], std::nullopt);  // December 2026 has not come yet

    Dashboard english = build("HT", "", en);
    EXPECT_EQ(chart(page(english, "admission"), "admissions_cumulative").note,
              "77 more to admit in the 2 months left: 39 a month");
}

// A screen set to a review shows the review's period on every page, as the report read out in the room quotes it.
TEST_F(DashboardDemo, a_review_of_the_term_to_date_shows_the_published_term_figures_and_names_the_review) {
    Dashboard d = build("HT-KCQDN", "review=2015-09..2019-06&depth=2");
    EXPECT_EQ(d.review, "Nhiệm kỳ 2015\u20132020: 9/2015 \u2013 6/2019 · số liệu đến 30/6/2019");
    const Page& overview = page(d, "overview");
    EXPECT_EQ(tile(overview, "members_total").value, "7.841");
    EXPECT_EQ(tile(overview, "members_total").change, "+508 so với 30/6/2015");  // since the half before the term
    EXPECT_EQ(tile(overview, "org_base_total").value, "105");
    const Tile& admitted = tile(overview, "admissions");
    EXPECT_EQ(admitted.value, "1.534");
    EXPECT_EQ(admitted.period, "9/2015 \u2013 6/2019");
    EXPECT_EQ(admitted.detail, "chỉ tiêu nhiệm kỳ 1.800 · đạt 85,2\u00A0%");
    EXPECT_EQ(admitted.change, "");  // the months before it began before the first figures: compared with nothing
    EXPECT_EQ(tile(overview, "full_recognitions").value, "1.677");
    EXPECT_EQ(tile(overview, "discipline_members").value, "127");
    const Page& admission = page(d, "admission");
    EXPECT_EQ(tile(admission, "admissions_from_youth_union").detail, "68,3\u00A0% số được kết nạp");  // of 1.534
    const Page& cadres = page(d, "cadres");
    EXPECT_EQ(cadres.title, "Cấp ủy – cán bộ");
    EXPECT_EQ(tile(cadres, "secretary_is_head").value, "80");
    const Tile& heads = tile(cadres, "secretary_is_head_share");
    EXPECT_EQ(heads.value, "76,2\u00A0%");
    EXPECT_EQ(heads.detail, "80/105 tổ chức cơ sở đảng");
    EXPECT_EQ(heads.change, "+11,5 điểm\u00A0% so với 30/6/2015");  // 66/102 at the half year before the term
    EXPECT_EQ(tile(cadres, "committee_members").value, "700");
    EXPECT_EQ(tile(cadres, "committee_female_pct").value, "20,0\u00A0%");
    EXPECT_EQ(tile(cadres, "committee_female_pct").detail, "140/700 người");
    EXPECT_EQ(tile(cadres, "committee_young_pct").value, "11,0\u00A0%");
    EXPECT_EQ(tile(cadres, "committee_young_pct").detail, "77/700 người");
    expect_complete(d);

    Dashboard term = build("HT-KCQDN", "review=2015-2020");
    EXPECT_EQ(term.review, "Tổng kết nhiệm kỳ 2015\u20132020 · số liệu đến 31/8/2020");
    Dashboard half = build("HT-KCQDN", "review=2019-H1");
    EXPECT_EQ(half.review, "Sơ kết 6 tháng đầu năm 2019 · số liệu đến 30/6/2019");
    EXPECT_EQ(tile(page(half, "overview"), "admissions").change, "\u221220 so với 6 tháng đầu năm 2018");
    Dashboard english = build("HT-KCQDN", "review=2019", en);
    EXPECT_EQ(english.review, "Annual review 2019 · figures to 31/12/2019");

    Dashboard since_2017 = build("HT-KCQDN", "review=2017-01..2019-06");
    EXPECT_EQ(since_2017.review, "Kỳ báo cáo 1/2017 \u2013 6/2019 · số liệu đến 30/6/2019");
    EXPECT_EQ(tile(page(since_2017, "discipline"), "removed_from_rolls").value, "128");
    const Tile& failing = tile(page(since_2017, "rating"), "rating_members.failing_in_review");
    EXPECT_EQ(failing.label, "Đảng viên không hoàn thành nhiệm vụ (cộng dồn)");
    EXPECT_EQ(failing.value, "82");
    EXPECT_EQ(failing.period, "Xếp loại năm 2017\u20132018");
    EXPECT_EQ(failing.detail, "2017: 41 · 2018: 41");
    expect_complete(since_2017);
}

// Every tile says something: a figure, or a dash where the data holds none. How many hold a figure is fixed by
// the demo's data, so a dashboard of dashes fails here too: the province before 2015 has only what the tree answers
// (its base organisations), the bloc's latest scope few (it was wound up on 30/6/2025), a province-wide scope all
// but one.
TEST_F(DashboardDemo, no_tile_of_any_page_is_ever_blank_and_each_holds_the_figures_the_data_has) {
    struct Case {
        std::string org, query;
        int figures, tiles;
    };
    for (const Formatter* format : {&vi, &en})
        for (const Case& c : std::vector<Case>{{"HT-KCQDN", "at=2019-H1", 42, 42},
                                               {"HT-KCQDN", "at=2019-H1&depth=2", 42, 42},
                                               {"HT", "depth=2", 42, 42},
                                               {"HT", "", 41, 42},
                                               {"HT-UBND", "", 42, 42},
                                               {"HT-CQD", "at=2025-H2", 41, 41},
                                               {"HT-KCQDN", "", 20, 42},  // the term of 2025-2030 began after the bloc was wound up
                                               {"HT-KCQDN-001", "at=2015-Q1", 12, 38},  // no term yet (9/2015); itself counted by the tree
                                               {"HT-KCQDN-001", "", 33, 40},
                                               {"HT", "at=2010", 1, 38}}) {
            SCOPED_TRACE(c.org + "?" + c.query);
            Dashboard d = build(c.org, c.query, *format);
            EXPECT_EQ(d.pages.size(), all_pages().size());
            expect_complete(d);
            int tiles = 0, figures = 0;
            for (const Page& p : d.pages)
                for (const Tile& t : p.tiles) tiles++, figures += !t.missing;
            EXPECT_EQ(tiles, c.tiles);
            EXPECT_EQ(figures, c.figures);
        }
}

TEST_F(DashboardDemo, a_device_shows_only_its_pages_in_its_order) {
    wire::ScopeDocument document = parse(fetch(*syncd, "HT", ""));
    Dashboard d = build_dashboard(document, vi, {"rating", "overview", "no-such-page"});
    ASSERT_EQ(d.pages.size(), 2u);
    EXPECT_EQ(d.pages[0].key, "rating");
    EXPECT_EQ(d.pages[1].key, "overview");
}

TEST_F(DashboardDemo, inspection_and_discipline_this_year_and_last) {
    Dashboard d = build("HT-KCQDN", "at=2019-H1");
    const Page& discipline = page(d, "discipline");
    EXPECT_EQ(discipline.title, "Kiểm tra – giám sát – kỷ luật");
    EXPECT_EQ(tile(discipline, "inspections_org").value, "26");
    EXPECT_EQ(tile(discipline, "removed_from_rolls").value, "23");
    EXPECT_EQ(tile(discipline, "removed_from_rolls").change, "\u22126 so với cùng kỳ năm 2018");  // 29 in 2018-H1
    EXPECT_TRUE(tile(discipline, "removed_from_rolls").change_is_good);  // fewer removed is better
    const Tile& inspections = tile(page(d, "overview"), "inspections");
    EXPECT_EQ(inspections.value, "235");  // 26 + 90 + 30 + 89
    EXPECT_EQ(inspections.detail, "kiểm tra 116 · giám sát 119");
    EXPECT_EQ(inspections.unit, "lượt");
    const Chart& forms = chart(discipline, "discipline_members_by_form");
    EXPECT_EQ(forms.categories, (std::vector<std::string>{"2018", "2019"}));
    EXPECT_EQ(forms.kind, Chart::Kind::stacked_bar);
    EXPECT_EQ(forms.note, "2019: đến 30/6/2019");
    const Chart& by_year = chart(discipline, "inspections_by_year");
    EXPECT_EQ(by_year.series.size(), 4u);
    EXPECT_EQ(at(by_year, "Kiểm tra tổ chức đảng", "2015"), 77.0);
}

// ---- the small test dataset of tests/data: exact change texts ----

class DashboardTestData : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        test::import_test_data(syncd);
    }
    void TearDown() override { syncd.stop(); }
    Dashboard build(const std::string& org, const std::string& query, const Formatter& format = vi) {
        Dashboard dashboard = build_dashboard(parse(fetch(syncd, org, query)), format);
        dump(dashboard);
        return dashboard;
    }
    SyncdProcess syncd;
};

TEST_F(DashboardTestData, a_full_year_compares_stocks_with_mid_year_and_flows_with_last_year) {
    Dashboard d = build("R", "depth=2");
    EXPECT_EQ(d.org_name, "Tỉnh ủy Thử nghiệm");
    EXPECT_EQ(d.as_of, "31/12/2026");
    const Page& overview = page(d, "overview");
    const Tile& members = tile(overview, "members_total");
    EXPECT_EQ(members.value, "119");
    EXPECT_EQ(members.period, "31/12/2026");
    EXPECT_EQ(members.change, "+4 so với 30/6/2026");
    const Tile& admissions = tile(overview, "admissions");
    EXPECT_EQ(admissions.value, "16");
    EXPECT_EQ(admissions.period, "Năm 2026");  // the year is over
    EXPECT_EQ(admissions.change, "\u2212769 so với năm 2025");
    EXPECT_EQ(admissions.change_sign, -1);
    EXPECT_FALSE(admissions.change_is_good);
    EXPECT_EQ(admissions.detail, "chỉ tiêu 18 · đạt 88,9\u00A0%");
    const Tile& disciplined = tile(overview, "discipline_members");
    EXPECT_EQ(disciplined.value, "4");
    EXPECT_EQ(disciplined.detail, "Khiển trách 2 · Cảnh cáo 2");
    EXPECT_EQ(disciplined.change, "");  // nothing reported for 2025 to compare with
    EXPECT_EQ(disciplined.change_sign, 0);
    // The test catalogue has no full_recognitions: no tile for it, rather than one without a label.
    EXPECT_TRUE(std::none_of(overview.tiles.begin(), overview.tiles.end(),
                             [](const Tile& t) { return t.indicator == "full_recognitions"; }));
    const Tile& good = tile(overview, "rating_orgs_good_share");
    EXPECT_EQ(good.value, "100,0\u00A0%");
    EXPECT_EQ(good.detail, "3/3 tổ chức");
    EXPECT_EQ(good.period, "Năm 2025");
    EXPECT_EQ(chart(page(d, "admission"), "admissions_cumulative").note, "Năm 2026 còn thiếu 2 so với chỉ tiêu");
    const ItemList& none = list(page(d, "admission"), "orgs_without_admissions");
    EXPECT_TRUE(none.items.empty());
    EXPECT_EQ(none.empty_text, "Tất cả tổ chức cơ sở đảng đã kết nạp được đảng viên trong năm 2026");
    expect_complete(d);

    Dashboard english = build("R", "depth=2", en);
    EXPECT_EQ(tile(page(english, "overview"), "members_total").change, "+4 vs 30/6/2026");
    EXPECT_EQ(tile(page(english, "overview"), "admissions").change, "\u2212769 vs 2025");
    EXPECT_EQ(tile(page(english, "overview"), "admissions").detail, "target 18 · 88.9% reached");
}

TEST_F(DashboardTestData, a_year_in_progress_compares_flows_with_the_same_months_of_last_year) {
    // Last year month by month under U1: 3 in February, 4 in November.
    ASSERT_EQ(
        syncd.import("values", "org,indicator,period,value\nB2,admissions,2025-02,3\nB2,admissions,2025-11,4\n").status,
        200);
    Dashboard d = build("U1", "at=2026-10");
    EXPECT_EQ(d.as_of, "31/10/2026");
    const Tile& admissions = tile(page(d, "overview"), "admissions");
    EXPECT_EQ(admissions.value, "7");  // B2 3, B4 3 in March while still under U1, C1 1
    EXPECT_EQ(admissions.period, "Năm 2026 (đến 31/10/2026)");
    EXPECT_EQ(admissions.change, "+4 so với cùng kỳ năm 2025");
    EXPECT_TRUE(admissions.change_is_good);
    EXPECT_EQ(admissions.detail, "chỉ tiêu 10 · đạt 70,0\u00A0%");
    EXPECT_EQ(chart(page(d, "admission"), "admissions_cumulative").note,
              "Cần kết nạp thêm 3 trong 2 tháng còn lại: 2/tháng");
    Dashboard english = build("U1", "at=2026-10", en);
    EXPECT_EQ(tile(page(english, "overview"), "admissions").change, "+4 vs the same period of 2025");

    // R's 2025 admissions were reported for the whole year (785 at B3): no same months to compare with.
    Dashboard root = build("R", "at=2026-10");
    EXPECT_EQ(tile(page(root, "overview"), "admissions").change, "");
}

TEST_F(DashboardTestData, a_stock_not_reported_yet_shows_a_dash_and_the_day_it_would_be_for) {
    Dashboard d = build("R", "at=2026-Q1&depth=2");
    const Tile& members = tile(page(d, "overview"), "members_total");
    EXPECT_EQ(members.value, "\u2014");
    EXPECT_TRUE(members.missing);
    EXPECT_EQ(members.period, "31/3/2026");
    // B1's first admission of the year is C1's in May: on 31/3 it has none; B2, B3 and B4 have some.
    const ItemList& none = list(page(d, "admission"), "orgs_without_admissions");
    ASSERT_EQ(none.items.size(), 1u);
    EXPECT_EQ(none.items[0].text, "Đảng bộ Sở Tài chính");
    EXPECT_EQ(none.items[0].detail, "Cơ quan hành chính");
    EXPECT_EQ(none.title, "TCCSĐ chưa kết nạp được đảng viên năm 2026 (1)");
    expect_complete(d);
}

TEST_F(DashboardTestData, a_scope_that_does_not_reach_base_organisations_says_so_instead_of_an_empty_list) {
    Dashboard d = build("R", "");  // depth 1: the two upper committees only
    const Page& admission = page(d, "admission");
    const ItemList& none = list(admission, "orgs_without_admissions");
    EXPECT_TRUE(none.items.empty());
    EXPECT_EQ(none.empty_text, "Màn hình này không hiển thị đến cấp tổ chức cơ sở đảng");
    EXPECT_EQ(tile(admission, "orgs_without_admissions").value, "\u2014");
    expect_complete(d);
}

TEST(DashboardNoData, before_the_first_figures_the_pages_are_there_without_tiles_and_without_an_as_of_day) {
    SyncdProcess syncd;
    syncd.start();
    for (auto [kind, file] : {std::pair{"catalogue", "catalogue.json"}, {"organisations", "tree.csv"}})
        ASSERT_EQ(syncd.import(kind, test::test_data(file), file).status, 200) << file;
    Dashboard d = build_dashboard(parse(fetch(syncd, "R", "")), vi);
    EXPECT_EQ(d.org_name, "Tỉnh ủy Thử nghiệm");
    EXPECT_EQ(d.as_of, "");  // the kiosk shows its "waiting for first data" screen
    ASSERT_EQ(d.pages.size(), all_pages().size());
    for (const Page& p : d.pages) {
        EXPECT_FALSE(p.title.empty());
        EXPECT_TRUE(p.tiles.empty());
        EXPECT_TRUE(p.charts.empty());
    }
    syncd.stop();
}


// A bloc whose catalogue, tree and members were imported, but no count of organisations: the tree answers them
// — the base organisations in force at the period's end, by level — and the tile, the breakdown by type and the
// API agree.
TEST(DashboardCountsFromTheTree, a_bloc_imported_without_its_counts_of_organisations_is_counted_by_its_tree) {
    SyncdProcess syncd;
    syncd.start();
    const std::string demo = CHISO_DEMO_DIR;
    auto imported = [&](const std::string& kind, const std::string& body, const std::string& name,
                        const std::string& format = "") {
        test::HttpResponse response = syncd.import(kind, body, name, format);
        EXPECT_EQ(response.status, 200) << name << ": " << response.body;
    };
    imported("catalogue", test::read_file(demo + "/catalogue.json"), "catalogue.json", "json");
    imported("organisations", test::read_file(demo + "/organisations.csv"), "organisations.csv");
    std::istringstream all(test::read_file(demo + "/values.csv"));
    std::string values, line;
    int left_out = 0;
    while (std::getline(all, line))
        if (line.find(",org_base_") != std::string::npos || line.find(",org_sub_cells,") != std::string::npos)
            ++left_out;
        else
            values += line + "\n";
    ASSERT_GT(left_out, 1000);
    imported("values", values, "values-without-counts.csv");
    imported("values", test::read_file(demo + "/reference-2019-H1.csv"), "reference-2019-H1.csv", "wide");

    boost::json::value scope = syncd.scope("HT-KCQDN", "at=2019-H1");
    const auto& figures = scope.at("values").at("HT-KCQDN");
    EXPECT_EQ(figures.at("org_base_total").at("2019-H1"), 105);
    EXPECT_EQ(figures.at("org_base_committees").at("2019-H1"), 35);
    EXPECT_EQ(figures.at("org_base_cells").at("2019-H1"), 70);
    EXPECT_EQ(figures.at("org_sub_cells").at("2019-H1"), 136);
    EXPECT_EQ(figures.at("secretary_is_head_share").at("2019-H1").at(1), 105);  // a ratio over the count

    Dashboard d = build_dashboard(parse(fetch(syncd, "HT-KCQDN", "at=2019-H1")), vi);
    const Tile& orgs = tile(page(d, "overview"), "org_base_total");
    EXPECT_EQ(orgs.value, "105");
    EXPECT_EQ(orgs.period, "30/6/2019");
    EXPECT_EQ(orgs.detail, "Đảng bộ cơ sở 35 · Chi bộ cơ sở 70");
    const Chart& by_type = chart(page(d, "membership"), "orgs_by_type");
    ASSERT_EQ(by_type.series.size(), 1u);
    EXPECT_EQ(by_type.series[0].labels, (std::vector<std::string>{"49", "17", "16", "15", "1", "7"}));
    const auto& types = scope.at("by_type").at("2019-H1").as_object();
    std::int64_t counted = 0;
    for (const auto& [type, row] : types) {
        EXPECT_EQ(row.at("orgs"), row.at("org_base_total")) << type;  // the type's count, and its figure
        counted += row.at("orgs").as_int64();
    }
    EXPECT_EQ(counted, 105);
    // The province after the reorganisation of 2025: the tree knows which organisations were wound up or founded.
    EXPECT_EQ(syncd.scope("HT", "at=2025-H2").at("values").at("HT").at("org_base_total").at("2025-H2"), 103);
    expect_complete(d);
}

}  // namespace
}  // namespace chiso::dashboard
