// Rollups, exactly as INDICATORS.md defines them.
//  - over time, for each organisation's own figures: a figure reported for the period itself is taken as it is;
//    otherwise a flow is the sum of the period's parts and a stock is its last part that holds a value (a stock
//    reported for a period is its value on the period's last day, so it also stands for the last part);
//  - across organisations: every kind is summed (a ratio's numerator and denominator separately) over the tree
//    as it stood in the period; over a period in which the tree changed, figures are summed part by part over
//    the tree of each part's time (a flow adds the parts, a stock takes the last holding a value), so a
//    reorganisation moves figures from the day it takes effect and an organisation wound up keeps its last;
//  - a target is the organisation's own, or failing that the sum of its children's.
// Computed columns are kept for the life of the dataset they were computed from. Thread-safe.
#pragma once

#include "domain/dataset.hpp"

#include <mutex>

namespace chiso::domain {

// One figure for every organisation; kMissing where nothing in its subtree was reported.
using Column = std::vector<std::int64_t>;

struct Fraction {
    std::int64_t numerator = 0;
    std::int64_t denominator = 0;
};

class Rollup {
public:
    explicit Rollup(std::shared_ptr<const Dataset> dataset);

    const Dataset& dataset() const { return *data_; }

    // A stock, flow or distribution category (-1: all categories) for `period`, counting only what happened up
    // to `cutoff` (a period reaching past it is rebuilt from its parts up to that day).
    std::int64_t figure(int org, int indicator, int category, const Period& period, Day cutoff = kForever);
    std::int64_t target(int org, int indicator, const Period& period);
    // A ratio indicator's summed numerator and denominator; nullopt when either is missing.
    std::optional<Fraction> ratio(int org, int indicator, const Period& period, Day cutoff = kForever);

    // The parent of every organisation in the tree as it stood during `period` (-1: none, or not in force).
    const std::vector<int>& parents(const Period& period);

private:
    struct Tree {
        std::vector<int> parent;
        std::vector<int> children_first;  // every organisation in force, each before its parent
        std::vector<bool> moved;          // it or an ancestor began, ended or changed parent during the period
        bool any_moved = false;
    };
    struct ColumnKey {
        int indicator;
        int category;
        Period period;
        Day cutoff;
        enum Of { figure, own, target } of;
        auto operator<=>(const ColumnKey&) const = default;
    };

    const Tree& tree_during(const Period& period);
    const Column& figure_column(int indicator, int category, const Period& period, Day cutoff);
    const Column& own_column(int indicator, int category, const Period& period, Day cutoff);
    const Column& target_column(int indicator, const Period& period);
    Column tree_sum(const Column& own, const Period& period, bool own_first);
    Column rolled_flow(int indicator, int category, const Period& period, Day cutoff, const std::vector<bool>* only);
    Column rolled_stock(int indicator, int category, const Period& period, Day cutoff);
    Column direct_column(int indicator, int category, const Period& period);
    std::vector<Period> ending_with(const Period& period) const;
    std::int64_t numerator_or_denominator(int org, std::string_view code, const Period& period, Day cutoff);

    std::shared_ptr<const Dataset> data_;
    std::recursive_mutex mutex_;
    std::map<std::pair<Day, Day>, Tree> trees_;
    std::map<ColumnKey, Column> columns_;
};

}  // namespace chiso::domain
