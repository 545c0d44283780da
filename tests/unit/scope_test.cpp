// What a scope costs may depend on what is asked, never what it shows: a scope computed over its own subtree
// equals the same scope computed over the whole tree, and no scope depends on the scopes asked before it.
// The test data's four-level tree reorganises mid-2026, so moves across subtrees are covered.
#include "domain/scope.hpp"
#include "importer/importer.hpp"
#include "support/syncd_process.hpp"
#include "wire/scope_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>

namespace chiso::domain {
using importer::FileKind;
using importer::Format;

class ScopeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        Dataset data;
        for (auto [kind, format, file] : {std::tuple{FileKind::catalogue, Format::json, "catalogue.json"},
                                          {FileKind::organisations, Format::long_csv, "tree.csv"},
                                          {FileKind::values, Format::long_csv, "values.csv"},
                                          {FileKind::targets, Format::long_csv, "targets.csv"}}) {
            auto outcome = importer::import_file(data, kind, format, file, test::test_data(file));
            ASSERT_TRUE(outcome.changes) << file << ": " << outcome.problems.front().to_string();
            data = data.apply(*outcome.changes, data.revision + 1);
        }
        data_ = new std::shared_ptr<const Dataset>(std::make_shared<const Dataset>(std::move(data)));
    }
    static void TearDownTestSuite() { delete data_; }

    // Every organisation at three depths, as of the latest data and four days before it.
    static std::vector<ScopeRequest> every_request() {
        std::vector<ScopeRequest> requests;
        for (int org = 0; org < (*data_)->tree->size(); ++org)
            for (int depth : {0, 1, 3})
                for (Day as_of : {kForever, 20261130, 20260331, 20251231, 20250731})
                    requests.push_back({org, depth, as_of, std::nullopt});
        return requests;
    }
    static std::string name(const ScopeRequest& r) {
        return (*data_)->tree->at(r.root).code + " depth " + std::to_string(r.depth) + " as of " +
               std::to_string(r.as_of);
    }
    static std::string json(Rollup& rollup, const ScopeRequest& request) {
        const Dataset& data = **data_;
        return wire::scope_json(data, build_scope(rollup, request), {data.revision, data.revision, std::nullopt});
    }
    static std::shared_ptr<const Dataset>* data_;
};
std::shared_ptr<const Dataset>* ScopeTest::data_ = nullptr;

TEST_F(ScopeTest, a_scope_over_its_own_subtree_equals_the_scope_over_the_whole_tree) {
    int compared = 0, smaller = 0;
    for (const ScopeRequest& request : every_request()) {
        Rollup whole(*data_);
        Rollup subtree(*data_, request.root);
        EXPECT_LE(subtree.universe().size(), whole.universe().size());
        smaller += subtree.universe().size() < whole.universe().size();
        EXPECT_EQ(json(subtree, request), json(whole, request)) << name(request);
        ++compared;
    }
    EXPECT_EQ(compared, (*data_)->tree->size() * 3 * 5);
    EXPECT_EQ(smaller, ((*data_)->tree->size() - 1) * 3 * 5);  // all but the province's own
}

TEST_F(ScopeTest, a_scope_is_the_same_whichever_scopes_were_asked_before_it_and_in_which_order) {
    std::vector<ScopeRequest> requests = every_request();
    std::vector<std::string> alone;
    for (const ScopeRequest& request : requests) {
        Rollup fresh(*data_, request.root);
        alone.push_back(json(fresh, request));
    }
    const unsigned seed = std::random_device{}();
    std::cout << "[ seed     ] " << seed << '\n';
    std::mt19937 random(seed);
    std::vector<std::size_t> order(requests.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (int round = 0; round < 3; ++round) {
        std::shuffle(order.begin(), order.end(), random);
        Rollup shared(*data_);  // one rollup over the whole tree, asked every scope in turn
        for (std::size_t i : order) EXPECT_EQ(json(shared, requests[i]), alone[i]) << name(requests[i]);
    }
}

TEST_F(ScopeTest, a_rollup_holds_no_column_past_the_indicator_it_is_on) {
    const Dataset& data = **data_;
    Rollup rollup(*data_, data.tree->find("R"));
    build_scope(rollup, {data.tree->find("R"), 3, kForever, std::nullopt});
    EXPECT_EQ(rollup.column_bytes(), 0u);  // the scope forgot each indicator's columns before the next
    EXPECT_NE(rollup.figure(data.tree->find("R"), data.catalogue->indicator("members_total"), -1,
                            *Period::parse("2026-H1")),
              kMissing);
    EXPECT_GT(rollup.column_bytes(), 0u);
}

TEST_F(ScopeTest, a_subtree_rollup_counts_nothing_outside_it) {
    const Dataset& data = **data_;
    Rollup rollup(*data_, data.tree->find("U2"));
    EXPECT_EQ(rollup.position(data.tree->find("U2")), 0);
    EXPECT_EQ(rollup.position(data.tree->find("U1")), -1);
    EXPECT_EQ(rollup.figure(data.tree->find("U1"), data.catalogue->indicator("members_total"), -1,
                            *Period::parse("2026-H1")),
              kMissing);
}

// Imports refuse figures above kLargestFigure; a dataset made some other way with sums past 2^63 is an error
// when asked, never a wrapped, negative figure.
TEST_F(ScopeTest, a_sum_past_the_largest_number_is_an_error_not_a_wrapped_figure) {
    const Dataset& data = **data_;
    const int members = data.catalogue->indicator("members_total");
    const Period half = *Period::parse("2026-H1");
    ChangeSet huge;
    for (const char* code : {"B2", "B1"})  // both below U1
        huge.values.push_back({data.tree->find(code), SeriesKey{members, -1, half}, 5'000'000'000'000'000'000});
    auto big = std::make_shared<const Dataset>(data.apply(huge, data.revision + 1));
    Rollup rollup(big, big->tree->find("U1"));
    EXPECT_THROW(rollup.figure(big->tree->find("U1"), members, -1, half), std::overflow_error);
}

}  // namespace chiso::domain
