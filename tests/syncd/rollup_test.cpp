// syncd rollups, read back over HTTP from a real chiso-syncd: every kind of indicator up a four-level tree
// (province → committee → base organisation → sub-cell) and over time, through a reorganisation mid-year.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace chiso::test {
namespace json = boost::json;

class SyncdRollup : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        syncd_ = new SyncdProcess;
        syncd_->start();
        import_test_data(*syncd_);
        province_ = new json::value(syncd_->scope("R", "depth=3"));
    }
    static void TearDownTestSuite() {
        syncd_->stop();
        delete province_;
        delete syncd_;
    }
    // values[org][indicator][period] of the province's scope.
    static const json::value* figure(const std::string& org, const std::string& indicator, const std::string& period) {
        const json::value* org_values = province_->at("values").as_object().if_contains(org);
        if (!org_values) return nullptr;
        const json::value* series = org_values->as_object().if_contains(indicator);
        return series ? series->as_object().if_contains(period) : nullptr;
    }
    static std::int64_t number(const std::string& org, const std::string& indicator, const std::string& period) {
        const json::value* value = figure(org, indicator, period);
        EXPECT_NE(value, nullptr) << org << " " << indicator << " " << period;
        return value ? value->as_int64() : -1;
    }
    static SyncdProcess* syncd_;
    static json::value* province_;
};
SyncdProcess* SyncdRollup::syncd_ = nullptr;
json::value* SyncdRollup::province_ = nullptr;

TEST_F(SyncdRollup, stocks_add_up_the_tree_at_the_same_date) {
    EXPECT_EQ(number("B1", "members_total", "2026-H1"), 50);  // its two sub-cells
    EXPECT_EQ(number("U1", "members_total", "2026-H1"), 75);  // B1 + B2 + B4
    EXPECT_EQ(number("U2", "members_total", "2026-H1"), 40);
    EXPECT_EQ(number("R", "members_total", "2026-H1"), 115);
}

TEST_F(SyncdRollup, a_stock_over_a_year_is_its_last_value_never_a_sum) {
    EXPECT_EQ(number("R", "members_total", "2026-H2"), 119);
    EXPECT_EQ(number("R", "members_total", "2026"), 119);
    EXPECT_EQ(number("B1", "members_total", "2026"), 51);
}

TEST_F(SyncdRollup, flows_add_up_the_tree_and_over_time) {
    EXPECT_EQ(number("R", "admissions", "2026-03"), 7);
    EXPECT_EQ(number("R", "admissions", "2026-Q1"), 10);
    EXPECT_EQ(number("R", "admissions", "2026-H1"), 11);
    EXPECT_EQ(number("R", "admissions", "2026-9M"), 16);
    EXPECT_EQ(number("R", "admissions", "2026"), 16);
    EXPECT_EQ(number("B1", "admissions", "2026"), 1);  // reported by its sub-cell C1
}

TEST_F(SyncdRollup, a_flow_over_a_term_adds_its_years) {
    EXPECT_EQ(number("R", "admissions", "2025"), 785);
    EXPECT_EQ(number("R", "admissions", "2025-2030"), 785 + 16);
}

TEST_F(SyncdRollup, distributions_add_up_per_category) {
    const json::value* discipline = figure("R", "discipline_members", "2026");
    ASSERT_NE(discipline, nullptr);
    EXPECT_EQ(discipline->at("khien_trach").as_int64(), 2);
    EXPECT_EQ(discipline->at("canh_cao").as_int64(), 2);
    const json::value* ratings = figure("U1", "rating_orgs", "2025");
    ASSERT_NE(ratings, nullptr);
    EXPECT_EQ(ratings->at("htxs").as_int64(), 1);
    EXPECT_EQ(ratings->at("htt").as_int64(), 1);
}

TEST_F(SyncdRollup, ratios_come_from_summed_numerators_and_denominators) {
    // 10 women of 50 members in B1, reported by different sub-cells: [numerator, denominator, tenths of a %]
    EXPECT_EQ(*figure("B1", "members_female_share", "2026-H1"), json::parse("[10,50,200]"));
    // At the province: 10 of 115 = 8.695…% → 8.7 %
    EXPECT_EQ(*figure("R", "members_female_share", "2026-H1"), json::parse("[10,115,87]"));
}

TEST_F(SyncdRollup, percentages_round_half_away_from_zero_on_the_exact_value) {
    // 785 admitted against a target of 400 is exactly 196.25 %: shown 196.3 %
    EXPECT_EQ(*figure("B3", "admissions_attainment", "2025"), json::parse("[785,400,1963]"));
    // 801 against 400 over the term to date is 200.25 %: 200.3 %
    EXPECT_EQ(*figure("R", "admissions_attainment", "2025-2030"), json::parse("[801,400,2003]"));
}

TEST_F(SyncdRollup, a_reorganisation_mid_year_moves_figures_from_the_day_it_takes_effect) {
    // B4 moved from U1 to U2 on 1 July 2026: its March admissions stay with U1, September's go to U2.
    EXPECT_EQ(number("U1", "admissions", "2026-H1"), 2 + 1 + 3 + 1);
    EXPECT_EQ(figure("U1", "admissions", "2026-H2"), nullptr);
    EXPECT_EQ(number("U2", "admissions", "2026-H2"), 5);
    EXPECT_EQ(number("U1", "admissions", "2026"), 2 + 1 + 3 + 1);
    EXPECT_EQ(number("U2", "admissions", "2026"), 4 + 5);
    EXPECT_EQ(number("U1", "members_total", "2026-H1"), 75);
    EXPECT_EQ(number("U1", "members_total", "2026-H2"), 66);  // without B4
    EXPECT_EQ(number("U2", "members_total", "2026-H2"), 53);  // with B4
    EXPECT_EQ(number("U1", "members_total", "2026"), 66);     // a stock over the year: at its end, without B4
    EXPECT_EQ(number("U2", "members_total", "2026"), 53);
    EXPECT_EQ(number("R", "members_total", "2026-H2"), 119);  // the province counts B4 once either way
}

TEST_F(SyncdRollup, targets_are_an_organisations_own_or_else_the_sum_of_its_childrens) {
    const auto& targets = province_->at("targets");
    EXPECT_EQ(targets.at("R").at("admissions").at("2025-2030").as_int64(), 400);
    EXPECT_EQ(targets.at("R").at("admissions").at("2026").as_int64(), 18);
    EXPECT_EQ(*figure("U1", "admissions_attainment", "2026"), json::parse("[7,10,700]"));
}

TEST_F(SyncdRollup, the_breakdown_by_organisation_type_counts_base_organisations_and_adds_their_figures) {
    const auto& by_type = province_->at("by_type").at("2026-H1");
    EXPECT_EQ(by_type.at("hanh_chinh").at("orgs").as_int64(), 2);
    EXPECT_EQ(by_type.at("dn").at("orgs").as_int64(), 2);
    EXPECT_EQ(by_type.at("hanh_chinh").at("members_total").as_int64(), 65);
    EXPECT_EQ(by_type.at("dn").at("members_total").as_int64(), 50);
}

TEST_F(SyncdRollup, a_scope_as_of_an_earlier_day_counts_only_what_happened_by_then) {
    json::value mid_year = syncd_->scope("R", "at=2026-H1");
    EXPECT_EQ(mid_year.at("scope").at("as_of").as_string(), "2026-06-30");
    EXPECT_EQ(mid_year.at("values").at("R").at("admissions").at("2026").as_int64(), 11);
    EXPECT_EQ(mid_year.at("values").at("R").at("members_total").at("2026").as_int64(), 115);
}

}  // namespace chiso::test
