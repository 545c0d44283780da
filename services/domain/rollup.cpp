#include "domain/rollup.hpp"

#include <algorithm>
#include <functional>

namespace chiso::domain {
namespace {

void add_into(std::int64_t& total, std::int64_t value) {
    if (value == kMissing) return;
    total = total == kMissing ? value : total + value;
}

std::int64_t at(const Column& column, int org) {
    return org >= 0 && org < static_cast<int>(column.size()) ? column[org] : kMissing;
}

}  // namespace

Rollup::Rollup(std::shared_ptr<const Dataset> dataset) : data_(std::move(dataset)) {}

const Rollup::Tree& Rollup::tree_during(const Period& period) {
    auto key = std::make_pair(period.first_day(), period.last_day());
    auto found = trees_.find(key);
    if (found != trees_.end()) return found->second;

    const OrgTree& orgs = *data_->tree;
    Tree tree;
    tree.parent.assign(orgs.size(), -1);
    std::vector<int> depth(orgs.size(), -1);
    std::vector<bool> in_force(orgs.size(), false);
    for (int i = 0; i < orgs.size(); ++i)
        if (const auto* version = orgs.at(i).version_during(key.first, key.second)) {
            in_force[i] = true;
            tree.parent[i] = version->parent_index;
        }
    // A parent not in force during the period cuts its children off rather than adopting them.
    for (int i = 0; i < orgs.size(); ++i)
        if (tree.parent[i] >= 0 && !in_force[tree.parent[i]]) tree.parent[i] = -1;
    std::function<int(int, int)> depth_of = [&](int org, int guard) -> int {
        if (depth[org] >= 0) return depth[org];
        int parent = tree.parent[org];
        // guard stops a cycle in bad data from recursing forever
        depth[org] = (parent < 0 || guard > orgs.size()) ? 0 : depth_of(parent, guard + 1) + 1;
        return depth[org];
    };
    for (int i = 0; i < orgs.size(); ++i)
        if (in_force[i]) {
            depth_of(i, 0);
            tree.children_first.push_back(i);
        }
    std::stable_sort(tree.children_first.begin(), tree.children_first.end(),
                     [&](int a, int b) { return depth[a] > depth[b]; });
    tree.moved.assign(orgs.size(), false);
    for (auto it = tree.children_first.rbegin(); it != tree.children_first.rend(); ++it) {
        bool boundary = false;
        for (const OrgVersion& version : orgs.at(*it).versions)
            boundary = boundary || (version.valid_from > key.first && version.valid_from <= key.second) ||
                       (version.valid_to >= key.first && version.valid_to < key.second);
        int parent = tree.parent[*it];
        tree.moved[*it] = boundary || (parent >= 0 && tree.moved[parent]);
        tree.any_moved = tree.any_moved || tree.moved[*it];
    }
    return trees_.emplace(key, std::move(tree)).first->second;
}

const std::vector<int>& Rollup::parents(const Period& period) {
    std::lock_guard lock(mutex_);
    return tree_during(period).parent;
}

Column Rollup::tree_sum(const Column& own, const Period& period, bool own_first) {
    const Tree& tree = tree_during(period);
    Column total(own.size(), kMissing), below(own.size(), kMissing);
    for (int org : tree.children_first) {
        if (own_first)
            total[org] = own[org] != kMissing ? own[org] : below[org];
        else {
            total[org] = own[org];
            add_into(total[org], below[org]);
        }
        if (tree.parent[org] >= 0) add_into(below[tree.parent[org]], total[org]);
    }
    return total;
}

namespace {

Column series_column(const Figures& figures, const SeriesKey& key, int orgs) {
    Column column(orgs, kMissing);
    if (auto found = figures.series.find(key); found != figures.series.end())
        std::copy_n(found->second->begin(), std::min<std::size_t>(found->second->size(), orgs), column.begin());
    return column;
}

bool is_stock_distribution(const Indicator& indicator) {
    return indicator.kind == Kind::distribution && !indicator.flow_over_time;
}

}  // namespace

// The longer periods that end on the same day as `period` and contain it (2026-12 → 2026-Q4, 2026-H2, 2026, …).
std::vector<Period> Rollup::ending_with(const Period& period) const {
    std::vector<Period> longer;
    const short y = period.year;
    const int month = period.last_day() / 100 % 100;
    if (period.kind == PeriodKind::month && month % 3 == 0) longer.push_back({PeriodKind::quarter, y, short(month / 3)});
    if (period.kind <= PeriodKind::quarter && month % 6 == 0) longer.push_back({PeriodKind::half, y, short(month / 6)});
    if (period.kind <= PeriodKind::quarter && month == 9) longer.push_back({PeriodKind::nine_months, y, 0});
    if (period.kind <= PeriodKind::half && month == 12) longer.push_back({PeriodKind::year, y, 0});
    if (period.kind != PeriodKind::term && period.kind != PeriodKind::nine_months && month == 12)
        for (const Period& term : data_->catalogue->terms)
            if (term.index == y) longer.push_back(term);
    return longer;
}

// What each organisation reported for the period itself; for a distribution without a category, the total.
// A stock reported for a longer period ending on the same day counts too: it is the value on that day.
Column Rollup::direct_column(int indicator, int category, const Period& period) {
    const int orgs = data_->tree->size();
    const Indicator& definition = data_->catalogue->indicators[indicator];
    Column result(orgs, kMissing);
    if (definition.kind == Kind::distribution && category < 0) {
        for (int c = 0; c < static_cast<int>(definition.categories.size()); ++c) {
            Column part = direct_column(indicator, c, period);
            for (int org = 0; org < orgs; ++org) add_into(result[org], part[org]);
        }
        return result;
    }
    result = series_column(data_->values, SeriesKey{indicator, category, period}, orgs);
    if (definition.adds_over_time()) return result;
    for (const Period& longer : ending_with(period)) {
        Column same_day = series_column(data_->values, SeriesKey{indicator, category, longer}, orgs);
        for (int org = 0; org < orgs; ++org)
            if (result[org] == kMissing) result[org] = same_day[org];
    }
    return result;
}

const Column& Rollup::own_column(int indicator, int category, const Period& period, Day cutoff) {
    if (period.last_day() <= cutoff) cutoff = kForever;  // the whole period counts: one cache entry
    ColumnKey key{indicator, category, period, cutoff, ColumnKey::own};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;

    const Indicator& definition = data_->catalogue->indicators[indicator];
    const int orgs = data_->tree->size();
    Column result(orgs, kMissing);
    if (definition.kind == Kind::distribution && category < 0) {
        for (int c = 0; c < static_cast<int>(definition.categories.size()); ++c) {
            const Column& part = own_column(indicator, c, period, cutoff);
            for (int org = 0; org < orgs; ++org) add_into(result[org], part[org]);
        }
        return columns_.emplace(key, std::move(result)).first->second;
    }
    // A period cut short is never taken from a direct report: that report covers days past the cutoff.
    const bool whole = cutoff == kForever;
    if (whole) result = direct_column(indicator, category, period);
    // A stock distribution is taken whole from one period: the last with any category reported.
    const bool by_total = is_stock_distribution(definition);
    const Column reported = whole && by_total ? direct_column(indicator, -1, period) : result;
    std::vector<Period> parts;
    for (const Period& part : period.parts())
        if (part.first_day() <= cutoff) parts.push_back(part);
    for (int org = 0; org < orgs; ++org) {
        if (reported[org] != kMissing) continue;
        for (const Period& part : parts) {
            const std::int64_t value = own_column(indicator, category, part, cutoff)[org];
            if (definition.adds_over_time()) add_into(result[org], value);
            else if (!by_total && value != kMissing) result[org] = value;  // the last part holding a value
            else if (by_total && own_column(indicator, -1, part, cutoff)[org] != kMissing) result[org] = value;
        }
    }
    return columns_.emplace(key, std::move(result)).first->second;
}

// A flow summed over the tree as it stood in the period, counting only the organisations in `only` (all when
// null). Organisations that moved during the period are summed part by part, each part over the tree of its
// time, unless they reported for the whole period directly.
Column Rollup::rolled_flow(int indicator, int category, const Period& period, Day cutoff,
                           const std::vector<bool>* only) {
    const int orgs = data_->tree->size();
    Column own = own_column(indicator, category, period, cutoff);
    if (only)
        for (int org = 0; org < orgs; ++org)
            if (!(*only)[org]) own[org] = kMissing;
    const Tree& tree = tree_during(period);
    if (!tree.any_moved || period.parts().empty()) return tree_sum(own, period, false);

    const Column direct = period.last_day() <= cutoff ? direct_column(indicator, -1, period) : Column(orgs, kMissing);
    std::vector<bool> split(orgs, false);
    for (int org = 0; org < orgs; ++org)
        if (tree.moved[org] && direct[org] == kMissing && (!only || (*only)[org])) {
            split[org] = true;
            own[org] = kMissing;
        }
    Column result = tree_sum(own, period, false);
    for (const Period& part : period.parts()) {
        if (part.first_day() > cutoff) continue;
        Column value = rolled_flow(indicator, category, part, cutoff, &split);
        for (int org = 0; org < orgs; ++org) add_into(result[org], value[org]);
    }
    return result;
}

// A stock summed over the tree as it stood in the period; when the tree changed during the period, each
// organisation's value is that of the last part in which it holds one (an organisation wound up mid-year keeps
// its figure of its last day).
Column Rollup::rolled_stock(int indicator, int category, const Period& period, Day cutoff) {
    const Tree& tree = tree_during(period);
    if (!tree.any_moved || period.parts().empty())
        return tree_sum(own_column(indicator, category, period, cutoff), period, false);
    const bool by_total = is_stock_distribution(data_->catalogue->indicators[indicator]);
    Column result(data_->tree->size(), kMissing);
    for (const Period& part : period.parts()) {
        if (part.first_day() > cutoff) continue;
        const Column& value = figure_column(indicator, category, part, cutoff);
        const Column& total = by_total ? figure_column(indicator, -1, part, cutoff) : value;
        for (std::size_t org = 0; org < result.size(); ++org)
            if (total[org] != kMissing) result[org] = value[org];
    }
    return result;
}

const Column& Rollup::figure_column(int indicator, int category, const Period& period, Day cutoff) {
    if (period.last_day() <= cutoff) cutoff = kForever;
    ColumnKey key{indicator, category, period, cutoff, ColumnKey::figure};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;
    Column result;
    if (period.first_day() > cutoff) result.assign(data_->tree->size(), kMissing);
    else if (data_->catalogue->indicators[indicator].adds_over_time())
        result = rolled_flow(indicator, category, period, cutoff, nullptr);
    else
        result = rolled_stock(indicator, category, period, cutoff);
    return columns_.emplace(key, std::move(result)).first->second;
}

const Column& Rollup::target_column(int indicator, const Period& period) {
    ColumnKey key{indicator, -1, period, kForever, ColumnKey::target};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;
    Column own = series_column(data_->targets, SeriesKey{indicator, -1, period}, data_->tree->size());
    return columns_.emplace(key, tree_sum(own, period, true)).first->second;
}

std::int64_t Rollup::figure(int org, int indicator, int category, const Period& period, Day cutoff) {
    std::lock_guard lock(mutex_);
    return at(figure_column(indicator, category, period, cutoff), org);
}

std::int64_t Rollup::target(int org, int indicator, const Period& period) {
    std::lock_guard lock(mutex_);
    return at(target_column(indicator, period), org);
}

std::int64_t Rollup::numerator_or_denominator(int org, std::string_view code, const Period& period, Day cutoff) {
    const Catalogue& catalogue = *data_->catalogue;
    if (code.starts_with(kTargetPrefix)) {
        int indicator = catalogue.indicator(code.substr(kTargetPrefix.size()));
        return indicator < 0 ? kMissing : at(target_column(indicator, period), org);
    }
    int indicator = catalogue.indicator(code);
    return indicator < 0 ? kMissing : at(figure_column(indicator, -1, period, cutoff), org);
}

std::optional<Fraction> Rollup::ratio(int org, int indicator, const Period& period, Day cutoff) {
    std::lock_guard lock(mutex_);
    const Indicator& definition = data_->catalogue->indicators[indicator];
    std::int64_t numerator = numerator_or_denominator(org, definition.numerator, period, cutoff);
    std::int64_t denominator = numerator_or_denominator(org, definition.denominator, period, cutoff);
    if (numerator == kMissing || denominator == kMissing) return std::nullopt;
    return Fraction{numerator, denominator};
}

}  // namespace chiso::domain
