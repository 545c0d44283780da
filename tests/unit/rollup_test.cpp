// The rollup engine on its own: a dataset built by the real importer, read through Rollup.
#include "domain/rollup.hpp"
#include "importer/importer.hpp"
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>

namespace chiso::domain {
using importer::FileKind;
using importer::Format;

// Imports `body` into `data` as its next revision; the test fails if it is refused.
void import_into(Dataset& data, FileKind kind, Format format, const std::string& body) {
    auto outcome = importer::import_file(data, kind, format, "inline", body);
    ASSERT_TRUE(outcome.changes) << outcome.problems.front().to_string();
    data = data.apply(*outcome.changes, data.revision + 1);
}

class RollupTest : public ::testing::Test {
protected:
    void SetUp() override {
        load(FileKind::catalogue, Format::json, "catalogue.json");
        load(FileKind::organisations, Format::long_csv, "tree.csv");
        load(FileKind::values, Format::long_csv, "values.csv");
        load(FileKind::targets, Format::long_csv, "targets.csv");
        rollup = std::make_unique<Rollup>(std::make_shared<const Dataset>(data));
    }
    void load(FileKind kind, Format format, const std::string& file) {
        auto outcome = importer::import_file(data, kind, format, file, test::test_data(file));
        ASSERT_TRUE(outcome.changes) << file << ": " << outcome.problems.front().to_string();
        data = data.apply(*outcome.changes, data.revision + 1);
    }
    int org(const char* code) const { return data.tree->find(code); }
    int indicator(const char* code) const { return data.catalogue->indicator(code); }
    std::int64_t figure(const char* o, const char* i, const char* period, Day cutoff = kForever) {
        return rollup->figure(org(o), indicator(i), -1, *Period::parse(period), cutoff);
    }
    Dataset data;
    std::unique_ptr<Rollup> rollup;
};

TEST_F(RollupTest, nothing_reported_is_missing_not_zero) {
    EXPECT_EQ(figure("R", "members_total", "2025-H1"), kMissing);
    EXPECT_EQ(figure("R", "admissions", "2026-06"), kMissing);
    EXPECT_EQ(figure("U2", "admissions", "2026-01"), kMissing);
}

TEST_F(RollupTest, a_figure_reported_for_a_whole_period_is_taken_as_it_is) {
    EXPECT_EQ(figure("B3", "admissions", "2025"), 785);
    EXPECT_EQ(figure("B3", "admissions", "2025-H1"), kMissing);  // never split into parts
}

TEST_F(RollupTest, a_period_cut_short_counts_only_its_days_up_to_the_cutoff) {
    EXPECT_EQ(figure("R", "admissions", "2026", 20260331), 10);
    EXPECT_EQ(figure("R", "members_total", "2026", 20260630), 115);
    EXPECT_EQ(figure("R", "members_total", "2026", 20260531), kMissing);  // no stock reported by then
}

TEST_F(RollupTest, every_organisation_in_force_has_one_parent_per_period) {
    const auto& first_half = rollup->parents(*Period::parse("2026-H1"));
    const auto& second_half = rollup->parents(*Period::parse("2026-H2"));
    EXPECT_EQ(first_half[org("B4")], org("U1"));
    EXPECT_EQ(second_half[org("B4")], org("U2"));
    EXPECT_EQ(first_half[org("R")], -1);
}

TEST_F(RollupTest, a_distribution_without_a_category_is_the_total_of_its_categories) {
    EXPECT_EQ(rollup->figure(org("R"), indicator("discipline_members"), -1, *Period::parse("2026")), 4);
}

TEST_F(RollupTest, a_ratio_without_its_denominator_is_missing) {
    EXPECT_FALSE(rollup->ratio(org("B2"), indicator("admissions_attainment"), *Period::parse("2026")));
    auto attainment = rollup->ratio(org("U1"), indicator("admissions_attainment"), *Period::parse("2026"));
    ASSERT_TRUE(attainment);
    EXPECT_EQ(attainment->numerator, 7);
    EXPECT_EQ(attainment->denominator, 10);
}

TEST_F(RollupTest, a_range_of_months_sums_its_flows_and_takes_its_stocks_at_its_end) {
    EXPECT_EQ(figure("R", "admissions", "2026-02..2026-05"), 1 + 4 + 3 + 1);
    EXPECT_EQ(figure("R", "admissions", "2026-04..2026-08"), 1);
    EXPECT_EQ(figure("B2", "admissions", "2026-01..2026-01"), 2);
    EXPECT_EQ(figure("R", "admissions", "2025-01..2026-12"), 785 + 16);  // a year reported whole, and months
    EXPECT_EQ(figure("R", "members_total", "2026-01..2026-06"), 115);
    EXPECT_EQ(figure("R", "members_total", "2026-03..2026-12"), 119);
    EXPECT_EQ(figure("R", "members_total", "2026-03..2026-05"), kMissing);  // no stock at or before its end inside it
    EXPECT_EQ(figure("R", "admissions", "2026-02..2026-12", 20260331), 1 + 4 + 3);
}

TEST(RollupReorganisation, a_committee_wound_up_mid_year_keeps_its_last_stock_and_its_flows_until_then) {
    Dataset data;
    auto load = [&](FileKind kind, Format format, const std::string& body) { import_into(data, kind, format, body); };
    load(FileKind::catalogue, Format::json, test::test_data("catalogue.json"));
    load(FileKind::organisations, Format::long_csv,
         "code,name,parent,level,type,valid_from,valid_to\n"
         "R,Tỉnh ủy,,provincial,,2020-01-01,\n"
         "OLD,Đảng ủy Khối cũ,R,upper,,2020-01-01,2025-06-30\n"
         "NEW,Đảng ủy mới,R,upper,,2025-07-01,\n"
         "B,Chi bộ,OLD,base_cell,dn,2020-01-01,2025-06-30\n"
         "B,Chi bộ,NEW,base_cell,dn,2025-07-01,\n");
    load(FileKind::values, Format::long_csv,
         "org,indicator,period,value\n"
         "B,members_total,2025-H1,40\nB,members_total,2025-H2,41\n"
         "B,admissions,2025-03,2\nB,admissions,2025-09,3\n");
    load(FileKind::values, Format::long_csv,
         "org,indicator,period,category,value\n"
         "B,rating_orgs,2024,htxs,1\nB,rating_orgs,2025,htt,1\n");
    Rollup rollup(std::make_shared<const Dataset>(data));
    auto figure = [&](const char* org, const char* indicator, const char* period) {
        return rollup.figure(data.tree->find(org), data.catalogue->indicator(indicator), -1, *Period::parse(period));
    };
    EXPECT_EQ(figure("OLD", "members_total", "2025"), 40);   // at 30/6, its last day
    EXPECT_EQ(figure("NEW", "members_total", "2025"), 41);
    EXPECT_EQ(figure("R", "members_total", "2025"), 41);
    EXPECT_EQ(figure("OLD", "members_total", "2020-2025"), 40);
    EXPECT_EQ(figure("OLD", "admissions", "2025"), 2);
    EXPECT_EQ(figure("NEW", "admissions", "2025"), 3);
    EXPECT_EQ(figure("R", "admissions", "2020-2025"), 5);
    // A range crossing the reorganisation sums each month under the committee of its time, and a stock at its
    // end is taken from the tree of that day.
    EXPECT_EQ(figure("OLD", "admissions", "2025-02..2025-10"), 2);
    EXPECT_EQ(figure("NEW", "admissions", "2025-02..2025-10"), 3);
    EXPECT_EQ(figure("R", "admissions", "2025-02..2025-10"), 5);
    EXPECT_EQ(figure("R", "admissions", "2025-04..2025-10"), 3);
    EXPECT_EQ(figure("OLD", "members_total", "2025-02..2025-12"), 40);
    EXPECT_EQ(figure("R", "members_total", "2025-02..2025-12"), 41);

    // A yearly rating stands for the organisation at the year's end, under the committee it then had; a stock
    // distribution over a term is its last year's, whole, never a mix of categories from different years.
    auto rating = [&](const char* org, const char* category, const char* period) {
        int indicator = data.catalogue->indicator("rating_orgs");
        return rollup.figure(data.tree->find(org), indicator, data.catalogue->category(indicator, category),
                             *Period::parse(period));
    };
    EXPECT_EQ(rating("NEW", "htt", "2025"), 1);
    EXPECT_EQ(rating("OLD", "htt", "2025"), kMissing);
    EXPECT_EQ(rating("OLD", "htxs", "2025"), kMissing);
    EXPECT_EQ(rating("R", "htt", "2020-2025"), 1);
    EXPECT_EQ(rating("R", "htxs", "2020-2025"), kMissing);
    EXPECT_EQ(rating("R", "htxs", "2024"), 1);
}

// A term runs from its congress: its flows are summed over exactly its months, a ratio over it divides those by
// the term's target, and an organisation whose congress fell elsewhere (with its subtree) has its own months.
TEST(RollupTerms, a_dated_term_sums_exactly_its_months_for_the_organisation_it_is_asked_for) {
    Dataset data;
    auto load = [&](FileKind kind, Format format, const std::string& body) { import_into(data, kind, format, body); };
    load(FileKind::catalogue, Format::json, test::test_data("catalogue.json"));
    load(FileKind::catalogue, Format::json,
         R"({"terms": [{"code": "2015-2020", "first": "2015-09-01", "last": "2020-08-31",
                        "organisations": [{"org": "U2", "first": "2015-11-15", "last": "2020-10-31"}]}]})");
    load(FileKind::organisations, Format::long_csv,
         "code,name,parent,level,type,valid_from,valid_to\n"
         "R,Tỉnh ủy,,provincial,,2010-01-01,\n"
         "U1,Đảng ủy Khối A,R,upper,,2010-01-01,\n"
         "U2,Đảng ủy Khối B,R,upper,,2010-01-01,\n"
         "B1,Chi bộ 1,U1,base_cell,dn,2010-01-01,\n"
         "B2,Chi bộ 2,U2,base_cell,dn,2010-01-01,\n");
    load(FileKind::values, Format::long_csv,
         "org,indicator,period,value\n"
         "B1,admissions,2015-08,100\nB1,admissions,2015-09,1\nB1,admissions,2017,10\nB1,admissions,2020-08,2\n"
         "B1,admissions,2020-09,100\n"
         "B2,admissions,2015-10,100\nB2,admissions,2015-11,3\nB2,admissions,2020-10,4\nB2,admissions,2020-11,100\n"
         "B1,members_total,2020-H1,50\nB1,members_total,2020-08,52\nB1,members_total,2020-H2,53\n");
    load(FileKind::targets, Format::long_csv, "org,indicator,period,value\nR,admissions,2015-2020,40\n");
    auto shared = std::make_shared<const Dataset>(data);
    const Period term = *Period::parse("2015-2020");
    const int admissions = data.catalogue->indicator("admissions");
    auto org = [&](const char* code) { return data.tree->find(code); };

    Rollup province(shared, org("R"));  // the catalogue's days: 2015-09 .. 2020-08
    EXPECT_EQ(province.terms().at(0).months.code(), "2015-09..2020-08");
    EXPECT_EQ(province.figure(org("R"), admissions, -1, term), 1 + 10 + 2 + 100 + 3);  // B2's 2015-10 and 2020-11 out
    EXPECT_EQ(province.figure(org("B1"), admissions, -1, term), 13);
    EXPECT_EQ(province.figure(org("R"), admissions, -1, term, 20190630), 1 + 10 + 100 + 3);  // the term to date
    EXPECT_EQ(province.figure(org("B1"), data.catalogue->indicator("members_total"), -1, term), 52);  // at 31/8/2020
    auto attainment = province.ratio(org("R"), data.catalogue->indicator("admissions_attainment"), term);
    ASSERT_TRUE(attainment);
    EXPECT_EQ(attainment->numerator, 116);
    EXPECT_EQ(attainment->denominator, 40);

    Rollup bloc(shared, org("U2"));  // its own days: 2015-11 .. 2020-10
    EXPECT_EQ(bloc.terms().at(0).months.code(), "2015-11..2020-10");
    EXPECT_EQ(bloc.figure(org("U2"), admissions, -1, term), 3 + 4);
    Rollup cell(shared, org("B2"));  // below U2: U2's days
    EXPECT_EQ(cell.figure(org("B2"), admissions, -1, term), 3 + 4);
}

// The tree answers a count of organisations nothing was reported for: those of the levels counted, in force on the
// period's last day, under the parent they then had; a reported figure wins where there is one.
TEST(RollupCounts, organisations_are_counted_from_the_tree_where_no_count_was_reported) {
    Dataset data;
    auto load = [&](FileKind kind, Format format, const std::string& body) { import_into(data, kind, format, body); };
    load(FileKind::catalogue, Format::json, test::test_data("catalogue.json"));
    load(FileKind::catalogue, Format::json,
         R"({"indicators": [{"code": "org_base_total", "label_vi": "Tổ chức cơ sở đảng", "kind": "stock"},
                            {"code": "org_sub_cells", "label_vi": "Chi bộ trực thuộc", "kind": "stock"}],
             "levels": [{"code": "sub_cell", "label_vi": "Chi bộ trực thuộc", "counted_in": ["org_sub_cells"]}]})");
    load(FileKind::organisations, Format::long_csv, test::test_data("tree.csv"));
    auto count = [&](Rollup& rollup, const char* org, const char* indicator, const char* period) {
        return rollup.figure(data.tree->find(org), data.catalogue->indicator(indicator), -1, *Period::parse(period));
    };
    {
        Rollup rollup(std::make_shared<const Dataset>(data));
        EXPECT_EQ(count(rollup, "R", "org_base_total", "2026-H1"), 4);  // B1–B4
        EXPECT_EQ(count(rollup, "U1", "org_base_total", "2026-H1"), 3);
        EXPECT_EQ(count(rollup, "U1", "org_base_total", "2026"), 2);  // B4 under U2 from 1/7/2026
        EXPECT_EQ(count(rollup, "U2", "org_base_total", "2026"), 2);
        EXPECT_EQ(count(rollup, "U2", "org_base_total", "2026-06..2026-07"), 2);  // a range: at its end
        EXPECT_EQ(count(rollup, "B4", "org_base_total", "2026"), 1);
        EXPECT_EQ(count(rollup, "C1", "org_base_total", "2026"), 0);  // a sub-cell is no base organisation
        EXPECT_EQ(count(rollup, "R", "org_sub_cells", "2026"), 2);
        EXPECT_EQ(count(rollup, "B1", "org_sub_cells", "2026"), 2);
        EXPECT_EQ(count(rollup, "R", "org_base_total", "2019"), kMissing);  // before the tree begins (2020)
        EXPECT_EQ(rollup.figure(data.tree->find("R"), data.catalogue->indicator("org_base_total"), -1,
                                *Period::parse("2026"), 20260331),
                  4);  // to date: on the cutoff day
    }
    load(FileKind::values, Format::long_csv, "org,indicator,period,value\nU1,org_base_total,2026-H2,7\n");
    Rollup rollup(std::make_shared<const Dataset>(data));
    EXPECT_EQ(count(rollup, "U1", "org_base_total", "2026"), 7);  // reported: it wins
    EXPECT_EQ(count(rollup, "U2", "org_base_total", "2026"), 2);  // nothing reported below U2: the tree
    EXPECT_EQ(count(rollup, "R", "org_base_total", "2026"), 7);   // what its subtree reported, not mixed with the tree
    EXPECT_EQ(count(rollup, "U1", "org_base_total", "2026-H1"), 3);  // the period with no report: the tree
}

}  // namespace chiso::domain
