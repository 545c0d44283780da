// The rollup engine on its own: a dataset built by the real importer, read through Rollup.
#include "domain/rollup.hpp"
#include "importer/importer.hpp"
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>

namespace chiso::domain {
using importer::FileKind;
using importer::Format;

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

}  // namespace chiso::domain
