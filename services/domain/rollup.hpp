// Rollups, exactly as docs/INDICATORS.md defines them.
//  - over time, for each organisation's own figures: a figure reported for the period itself is taken as it is;
//    otherwise a flow is the sum of the period's parts and a stock is its last part that holds a value (a stock
//    reported for a period is its value on the period's last day, so it also stands for the last part);
//  - across organisations: every kind is summed (a ratio's numerator and denominator separately) over the tree
//    as it stood in the period; over a period in which the tree changed, figures are summed part by part over
//    the tree of each part's time (a flow adds the parts, a stock takes the last holding a value), so a
//    reorganisation moves figures from the day it takes effect and an organisation wound up keeps its last;
//  - a target is the organisation's own, or failing that the sum of its children's;
//  - a term's figures are its months' (Dataset::terms_of: the days of the rollup's root, or the catalogue's), and
//    a figure reported for the term itself counts as those months';
//  - a count of organisations (org_base_total, and any stock a level is `counted_in`) that nothing was reported
//    for is answered by the tree: the organisations of the levels counted, in force on the period's last day (or
//    the cutoff), in each subtree. Where a figure was reported (for an organisation or below it), it wins.
// What it costs: a Rollup computes over a universe — the whole tree, or only the organisations ever below one
// root, which is all that root's subtree depends on — so a province's scope costs a province, not the nation.
// A period in which an indicator holds no value anywhere costs nothing. Computed columns are kept until
// forget(), so a caller bounds memory by forgetting between indicators. Use one Rollup from one thread.
#pragma once

#include "domain/dataset.hpp"

#include <map>
#include <optional>
#include <unordered_map>

namespace chiso::domain {

// One figure for every organisation of the universe, by position; kMissing where nothing in its subtree was
// reported. Empty: missing everywhere.
using Column = std::vector<std::int64_t>;

inline std::int64_t value_at(const Column& column, int position) {
    return position >= 0 && position < static_cast<int>(column.size()) ? column[position] : kMissing;
}

struct Fraction {
    std::int64_t numerator = 0;
    std::int64_t denominator = 0;
};

class Rollup {
public:
    // Over the whole tree.
    explicit Rollup(std::shared_ptr<const Dataset> dataset);
    // Over `root` and every organisation ever below it (root at position 0); figures of any other organisation
    // read as missing.
    Rollup(std::shared_ptr<const Dataset> dataset, int root);

    const Dataset& dataset() const { return *data_; }
    // The organisations computed over, by position; and the position of an organisation (-1: outside).
    const std::vector<int>& universe() const { return members_; }
    int position(int org) const;
    // The catalogue's terms as they run for the root (the catalogue's days over the whole tree).
    const std::vector<TermSpan>& terms() const { return terms_; }
    const TermSpan* term(const Period& period) const;  // nullptr: not a term of the catalogue

    // A stock, flow or distribution category (-1: all categories) for `period`, counting only what happened up
    // to `cutoff` (a period reaching past it is rebuilt from its parts up to that day).
    std::int64_t figure(int org, int indicator, int category, const Period& period, Day cutoff = kForever);
    std::int64_t target(int org, int indicator, const Period& period);
    // A ratio indicator's summed numerator and denominator; nullopt when either is missing.
    std::optional<Fraction> ratio(int org, int indicator, const Period& period, Day cutoff = kForever);

    // The same as whole columns by position, for callers that read many organisations; valid until forget().
    const Column& figure_column(int indicator, int category, const Period& period, Day cutoff = kForever);
    const Column& target_column(int indicator, const Period& period);
    // A ratio's numerator and denominator columns; nullptr where the catalogue names an unknown code.
    std::pair<const Column*, const Column*> ratio_columns(int indicator, const Period& period, Day cutoff);

    // The parent of every organisation of the universe as it stood during `period`, indexed by organisation
    // (-1: none, not in force, or outside the universe).
    const std::vector<int>& parents(const Period& period);
    // The same by position in the universe (-1: none, not in force, or outside the universe).
    const std::vector<int>& parent_positions(const Period& period);

    // Drops every computed column; the trees of each period are kept.
    void forget();
    std::size_t column_bytes() const;

private:
    struct Tree {
        std::vector<int> parent;          // by position; -1: none, or outside the universe
        std::vector<int> parent_org;      // by position: the parent organisation; -1: none
        std::vector<int> children_first;  // every position in force, each before its parent
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
    bool moved_above(int org, Day first, Day last, std::unordered_map<int, bool>& memo, int guard) const;
    bool has_values(int indicator, const Period& period);
    const Column& own_column(int indicator, int category, const Period& period, Day cutoff);
    Column tree_sum(const Column& own, const Period& period, bool own_first);
    Column rolled_flow(int indicator, int category, const Period& period, Day cutoff, const std::vector<bool>* only);
    Column rolled_stock(int indicator, int category, const Period& period, Day cutoff);
    Column direct_column(int indicator, int category, const Period& period);
    Column series_column(const Figures& figures, const SeriesKey& key) const;
    Column tree_count(int indicator, const Period& period, Day cutoff);
    void add_column(Column& total, const Column& part) const;
    std::vector<Period> ending_with(const Period& period) const;
    const Column* operand_column(std::string_view code, const Period& period, Day cutoff);

    std::shared_ptr<const Dataset> data_;
    std::vector<int> members_;        // position → organisation
    // organisation → position: one of these, or neither for the whole tree in order
    std::unordered_map<int, int> positions_;
    std::vector<int> dense_positions_;
    std::map<std::pair<Day, Day>, Tree> trees_;
    std::map<std::pair<Day, Day>, std::vector<int>> parents_by_org_;
    std::map<ColumnKey, Column> columns_;
    std::vector<std::optional<std::vector<Period>>> value_periods_;  // by indicator: periods holding values
    std::vector<TermSpan> terms_;
    std::map<int, std::vector<std::string>> counted_levels_;  // indicator → the level codes counted in it
};

}  // namespace chiso::domain
