#include "domain/rollup.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace chiso::domain {
namespace {

// Imports bound each figure (kLargestFigure), so no real tree comes near the limit; if one did, a sum that no
// longer fits is an error, never a wrapped, negative figure on a screen.
void add_into(std::int64_t& total, std::int64_t value) {
    if (value == kMissing) return;
    if (total == kMissing)
        total = value;
    else if (__builtin_add_overflow(total, value, &total))
        throw std::overflow_error("a sum of figures passed the largest number chiso can hold");
}

bool is_stock_distribution(const Indicator& indicator) {
    return indicator.kind == Kind::distribution && !indicator.flow_over_time;
}

// A version begins or ends strictly inside [first, last].
bool changes_during(const Organisation& org, Day first, Day last) {
    for (const OrgVersion& version : org.versions)
        if ((version.valid_from > first && version.valid_from <= last) ||
            (version.valid_to >= first && version.valid_to < last))
            return true;
    return false;
}

}  // namespace

namespace {

std::map<int, std::vector<std::string>> counted_levels(const Catalogue& catalogue) {
    std::map<int, std::vector<std::string>> counted;
    for (const Level& level : catalogue.levels) {
        if (int total = catalogue.indicator(kBaseOrgCount); level.base && total >= 0)
            counted[total].push_back(level.code);
        for (const std::string& code : level.counted_in)
            if (int indicator = catalogue.indicator(code); indicator >= 0 && code != kBaseOrgCount)
                counted[indicator].push_back(level.code);
    }
    return counted;
}

}  // namespace

Rollup::Rollup(std::shared_ptr<const Dataset> dataset)
    : data_(std::move(dataset)), terms_(data_->terms_of(-1)), counted_levels_(counted_levels(*data_->catalogue)) {
    members_.resize(data_->tree->size());
    for (int org = 0; org < data_->tree->size(); ++org) members_[org] = org;
}

Rollup::Rollup(std::shared_ptr<const Dataset> dataset, int root)
    : data_(std::move(dataset)), terms_(data_->terms_of(root)), counted_levels_(counted_levels(*data_->catalogue)) {
    const OrgTree& tree = *data_->tree;
    members_.push_back(root);
    positions_.emplace(root, 0);
    for (std::size_t next = 0; next < members_.size(); ++next)
        for (int child : tree.children_ever(members_[next]))
            if (positions_.emplace(child, static_cast<int>(members_.size())).second) members_.push_back(child);
    // A universe of a good part of the tree is looked up in an array the size of the tree instead: a lookup a few
    // times faster, at a cost the universe already pays.
    if (members_.size() * 4 >= static_cast<std::size_t>(tree.size())) {
        dense_positions_.assign(tree.size(), -1);
        for (std::size_t at = 0; at < members_.size(); ++at) dense_positions_[members_[at]] = static_cast<int>(at);
        positions_.clear();
    }
}

const TermSpan* Rollup::term(const Period& period) const {
    if (period.kind != PeriodKind::term) return nullptr;
    for (const TermSpan& span : terms_)
        if (span.term == period) return &span;
    return nullptr;
}

int Rollup::position(int org) const {
    if (org < 0 || org >= data_->tree->size()) return -1;
    if (!dense_positions_.empty()) return dense_positions_[org];
    if (positions_.empty()) return org;  // the whole tree, in order
    auto found = positions_.find(org);
    return found == positions_.end() ? -1 : found->second;
}

// Whether an organisation outside the universe, or one of its ancestors, changed during [first, last]: the
// universe's members below it then count as moved, exactly as in a rollup of the whole tree.
bool Rollup::moved_above(int org, Day first, Day last, std::unordered_map<int, bool>& memo, int guard) const {
    if (auto found = memo.find(org); found != memo.end()) return found->second;
    const OrgTree& orgs = *data_->tree;
    bool moved = changes_during(orgs.at(org), first, last);
    const OrgVersion* version = orgs.at(org).version_during(first, last);
    const int parent = version ? version->parent_index : -1;
    if (!moved && parent >= 0 && guard < orgs.size() && orgs.at(parent).version_during(first, last))
        moved = moved_above(parent, first, last, memo, guard + 1);
    return memo[org] = moved;
}

const Rollup::Tree& Rollup::tree_during(const Period& period) {
    auto key = std::make_pair(period.first_day(), period.last_day());
    auto found = trees_.find(key);
    if (found != trees_.end()) return found->second;

    const OrgTree& orgs = *data_->tree;
    const int size = static_cast<int>(members_.size());
    Tree tree;
    tree.parent.assign(size, -1);
    tree.parent_org.assign(size, -1);
    std::vector<int> depth(size, -1);
    std::vector<bool> in_force(size, false);
    for (int i = 0; i < size; ++i)
        if (const auto* version = orgs.at(members_[i]).version_during(key.first, key.second)) {
            in_force[i] = true;
            tree.parent_org[i] = version->parent_index;
        }
    // A parent not in force during the period cuts its children off rather than adopting them.
    for (int i = 0; i < size; ++i) {
        const int parent = tree.parent_org[i];
        if (parent < 0) continue;
        const int at = position(parent);
        if (at >= 0 ? !in_force[at] : !orgs.at(parent).version_during(key.first, key.second))
            tree.parent_org[i] = -1;
        else
            tree.parent[i] = at;
    }
    std::function<int(int, int)> depth_of = [&](int i, int guard) -> int {
        if (depth[i] >= 0) return depth[i];
        int parent = tree.parent[i];
        // guard stops a cycle in bad data from recursing forever
        depth[i] = (parent < 0 || guard > size) ? 0 : depth_of(parent, guard + 1) + 1;
        return depth[i];
    };
    for (int i = 0; i < size; ++i)
        if (in_force[i]) {
            depth_of(i, 0);
            tree.children_first.push_back(i);
        }
    std::stable_sort(tree.children_first.begin(), tree.children_first.end(),
                     [&](int a, int b) { return depth[a] > depth[b]; });
    tree.moved.assign(size, false);
    std::unordered_map<int, bool> above;  // organisations outside the universe
    for (auto it = tree.children_first.rbegin(); it != tree.children_first.rend(); ++it) {
        const int i = *it;
        bool moved = changes_during(orgs.at(members_[i]), key.first, key.second);
        if (tree.parent[i] >= 0)
            moved = moved || tree.moved[tree.parent[i]];
        else if (tree.parent_org[i] >= 0)
            moved = moved || moved_above(tree.parent_org[i], key.first, key.second, above, 0);
        tree.moved[i] = moved;
        tree.any_moved = tree.any_moved || moved;
    }
    return trees_.emplace(key, std::move(tree)).first->second;
}

const std::vector<int>& Rollup::parent_positions(const Period& period) {
    return tree_during(period).parent;
}

const std::vector<int>& Rollup::parents(const Period& period) {
    auto key = std::make_pair(period.first_day(), period.last_day());
    if (auto found = parents_by_org_.find(key); found != parents_by_org_.end()) return found->second;
    const Tree& tree = tree_during(period);
    std::vector<int> parent(data_->tree->size(), -1);
    for (std::size_t i = 0; i < members_.size(); ++i) parent[members_[i]] = tree.parent_org[i];
    return parents_by_org_.emplace(key, std::move(parent)).first->second;
}

void Rollup::add_column(Column& total, const Column& part) const {
    if (part.empty()) return;
    if (total.empty()) total.assign(members_.size(), kMissing);
    for (std::size_t i = 0; i < part.size(); ++i) add_into(total[i], part[i]);
}

Column Rollup::tree_sum(const Column& own, const Period& period, bool own_first) {
    if (own.empty()) return {};
    const Tree& tree = tree_during(period);
    Column total(own.size(), kMissing), below(own.size(), kMissing);
    for (int i : tree.children_first) {
        if (own_first)
            total[i] = own[i] != kMissing ? own[i] : below[i];
        else {
            total[i] = own[i];
            add_into(total[i], below[i]);
        }
        if (tree.parent[i] >= 0) add_into(below[tree.parent[i]], total[i]);
    }
    return total;
}

// What the series holds for each organisation of the universe; empty when the series does not exist.
Column Rollup::series_column(const Figures& figures, const SeriesKey& key) const {
    auto found = figures.series.find(key);
    if (found == figures.series.end()) return {};
    const Series& series = *found->second;
    Column column(members_.size(), kMissing);
    for (std::size_t i = 0; i < members_.size(); ++i)
        if (members_[i] < static_cast<int>(series.size())) column[i] = series[members_[i]];
    return column;
}

// Whether any organisation holds a value of `indicator` for a period overlapping `period`: if none does, every
// column of it for that period is missing, and costs nothing.
bool Rollup::has_values(int indicator, const Period& period) {
    if (value_periods_.empty()) value_periods_.resize(data_->catalogue->indicators.size());
    auto& periods = value_periods_[indicator];
    if (!periods) {
        periods.emplace();
        const auto& series = data_->values.series;
        for (auto it = series.lower_bound(SeriesKey{indicator, -1, Period{PeriodKind::month, -32768, 0}});
             it != series.end() && it->first.indicator == indicator; ++it)
            periods->push_back(it->first.period);
        std::sort(periods->begin(), periods->end());
        periods->erase(std::unique(periods->begin(), periods->end()), periods->end());
    }
    return std::any_of(periods->begin(), periods->end(), [&](const Period& p) { return p.overlaps(period); });
}

// The longer periods that end on the same day as `period` and contain it (2026-12 → 2026-Q4, 2026-H2, 2026, …).
std::vector<Period> Rollup::ending_with(const Period& period) const {
    std::vector<Period> longer;
    const short y = period.year;
    const int month = period.last_day() / 100 % 100;
    if (period.kind == PeriodKind::month && month % 3 == 0) longer.push_back({PeriodKind::quarter, y, short(month / 3)});
    if (period.kind <= PeriodKind::quarter && month % 6 == 0) longer.push_back({PeriodKind::half, y, short(month / 6)});
    if (period.kind <= PeriodKind::quarter && month == 9) longer.push_back({PeriodKind::nine_months, y, 0});
    if (period.kind <= PeriodKind::half && month == 12) longer.push_back({PeriodKind::year, y, 0});
    if (period.kind != PeriodKind::term && period.kind != PeriodKind::nine_months)
        for (const TermSpan& span : terms_)
            if (span.months.last_day() == period.last_day() && span.months != period) longer.push_back(span.term);
    return longer;
}

// What each organisation reported for the period itself; for a distribution without a category, the total.
// A stock reported for a longer period ending on the same day counts too: it is the value on that day.
Column Rollup::direct_column(int indicator, int category, const Period& period) {
    const Indicator& definition = data_->catalogue->indicators[indicator];
    Column result;
    if (definition.kind == Kind::distribution && category < 0) {
        for (int c = 0; c < static_cast<int>(definition.categories.size()); ++c)
            add_column(result, direct_column(indicator, c, period));
        return result;
    }
    result = series_column(data_->values, SeriesKey{indicator, category, period});
    auto fill_missing = [&result](Column more) {
        if (more.empty()) return;
        if (result.empty()) {
            result = std::move(more);
            return;
        }
        for (std::size_t i = 0; i < result.size(); ++i)
            if (result[i] == kMissing) result[i] = more[i];
    };
    for (const TermSpan& span : terms_)  // a term's figures are its months'
        if (span.months == period) fill_missing(series_column(data_->values, SeriesKey{indicator, category, span.term}));
    if (definition.adds_over_time()) return result;
    for (const Period& longer : ending_with(period))
        fill_missing(series_column(data_->values, SeriesKey{indicator, category, longer}));
    return result;
}

const Column& Rollup::own_column(int indicator, int category, const Period& period, Day cutoff) {
    if (period.last_day() <= cutoff) cutoff = kForever;  // the whole period counts: one cache entry
    ColumnKey key{indicator, category, period, cutoff, ColumnKey::own};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;
    if (!has_values(indicator, period)) return columns_.emplace(key, Column{}).first->second;

    const Indicator& definition = data_->catalogue->indicators[indicator];
    Column result;
    if (definition.kind == Kind::distribution && category < 0) {
        for (int c = 0; c < static_cast<int>(definition.categories.size()); ++c)
            add_column(result, own_column(indicator, c, period, cutoff));
        return columns_.emplace(key, std::move(result)).first->second;
    }
    // A period cut short is never taken from a direct report: that report covers days past the cutoff.
    const bool whole = cutoff == kForever;
    if (whole) result = direct_column(indicator, category, period);
    // A stock distribution is taken whole from one period: the last with any category reported.
    const bool by_total = is_stock_distribution(definition);
    const Column reported_total = whole && by_total ? direct_column(indicator, -1, period) : Column{};
    const Column& reported = by_total ? reported_total : result;  // read for each organisation before it changes
    std::vector<const Column*> values, totals;
    for (const Period& part : period.parts())
        if (part.first_day() <= cutoff) {
            values.push_back(&own_column(indicator, category, part, cutoff));
            totals.push_back(by_total ? &own_column(indicator, -1, part, cutoff) : values.back());
        }
    if (std::all_of(totals.begin(), totals.end(), [](const Column* c) { return c->empty(); }))
        return columns_.emplace(key, std::move(result)).first->second;
    const bool reported_any = !reported.empty();
    if (result.empty()) result.assign(members_.size(), kMissing);
    for (std::size_t i = 0; i < result.size(); ++i) {
        if (reported_any && reported[i] != kMissing) continue;
        for (std::size_t p = 0; p < values.size(); ++p) {
            const std::int64_t value = value_at(*values[p], static_cast<int>(i));
            if (definition.adds_over_time()) add_into(result[i], value);
            else if (!by_total && value != kMissing) result[i] = value;  // the last part holding a value
            else if (by_total && value_at(*totals[p], static_cast<int>(i)) != kMissing) result[i] = value;
        }
    }
    return columns_.emplace(key, std::move(result)).first->second;
}

// A flow summed over the tree as it stood in the period, counting only the organisations in `only` (all when
// null). Organisations that moved during the period are summed part by part, each part over the tree of its
// time, unless they reported for the whole period directly.
Column Rollup::rolled_flow(int indicator, int category, const Period& period, Day cutoff,
                           const std::vector<bool>* only) {
    Column own = own_column(indicator, category, period, cutoff);
    if (only && !own.empty())
        for (std::size_t i = 0; i < own.size(); ++i)
            if (!(*only)[i]) own[i] = kMissing;
    const Tree& tree = tree_during(period);
    if (!tree.any_moved || period.parts().empty()) return tree_sum(own, period, false);

    const Column direct = period.last_day() <= cutoff ? direct_column(indicator, -1, period) : Column{};
    std::vector<bool> split(members_.size(), false);
    for (std::size_t i = 0; i < members_.size(); ++i)
        if (tree.moved[i] && value_at(direct, static_cast<int>(i)) == kMissing && (!only || (*only)[i])) {
            split[i] = true;
            if (!own.empty()) own[i] = kMissing;
        }
    Column result = tree_sum(own, period, false);
    for (const Period& part : period.parts()) {
        if (part.first_day() > cutoff) continue;
        add_column(result, rolled_flow(indicator, category, part, cutoff, &split));
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
    Column result;
    for (const Period& part : period.parts()) {
        if (part.first_day() > cutoff) continue;
        const Column& value = figure_column(indicator, category, part, cutoff);
        const Column& total = by_total ? figure_column(indicator, -1, part, cutoff) : value;
        if (total.empty()) continue;
        if (result.empty()) result.assign(members_.size(), kMissing);
        for (std::size_t i = 0; i < result.size(); ++i)
            if (total[i] != kMissing) result[i] = value_at(value, static_cast<int>(i));
    }
    return result;
}

const Column& Rollup::figure_column(int indicator, int category, const Period& period, Day cutoff) {
    if (const TermSpan* span = term(period)) return figure_column(indicator, category, span->months, cutoff);
    if (period.last_day() <= cutoff) cutoff = kForever;
    ColumnKey key{indicator, category, period, cutoff, ColumnKey::figure};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;
    Column result;
    if (period.first_day() > cutoff || !has_values(indicator, period))
        result = {};
    else if (data_->catalogue->indicators[indicator].adds_over_time())
        result = rolled_flow(indicator, category, period, cutoff, nullptr);
    else
        result = rolled_stock(indicator, category, period, cutoff);
    if (period.first_day() <= cutoff && category < 0)
        if (Column counted = tree_count(indicator, period, cutoff); !counted.empty()) {
            if (result.empty()) result.assign(members_.size(), kMissing);
            for (std::size_t i = 0; i < result.size(); ++i)
                if (result[i] == kMissing) result[i] = counted[i];
        }
    return columns_.emplace(key, std::move(result)).first->second;
}

Column Rollup::tree_count(int indicator, const Period& period, Day cutoff) {
    auto counted = counted_levels_.find(indicator);
    if (counted == counted_levels_.end()) return {};
    const Day day = std::min(period.last_day(), cutoff);
    Column own(members_.size(), kMissing);
    for (std::size_t i = 0; i < members_.size(); ++i)
        if (const OrgVersion* version = data_->tree->at(members_[i]).version_during(day, day))
            own[i] = std::count(counted->second.begin(), counted->second.end(), version->level) ? 1 : 0;
    // The tree of the period (or of the cutoff's month) has every organisation in force on its last day under the
    // parent it then had: the version in force that day began last. The period's tree is the one its stocks use.
    return tree_sum(own, day == period.last_day() ? period : Period::month_of(day), false);
}

const Column& Rollup::target_column(int indicator, const Period& period) {
    ColumnKey key{indicator, -1, period, kForever, ColumnKey::target};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;
    Column own = series_column(data_->targets, SeriesKey{indicator, -1, period});
    return columns_.emplace(key, tree_sum(own, period, true)).first->second;
}

std::int64_t Rollup::figure(int org, int indicator, int category, const Period& period, Day cutoff) {
    return value_at(figure_column(indicator, category, period, cutoff), position(org));
}

std::int64_t Rollup::target(int org, int indicator, const Period& period) {
    return value_at(target_column(indicator, period), position(org));
}

const Column* Rollup::operand_column(std::string_view code, const Period& period, Day cutoff) {
    const Catalogue& catalogue = *data_->catalogue;
    if (code.starts_with(kTargetPrefix)) {
        int indicator = catalogue.indicator(code.substr(kTargetPrefix.size()));
        return indicator < 0 ? nullptr : &target_column(indicator, period);
    }
    int indicator = catalogue.indicator(code);
    return indicator < 0 ? nullptr : &figure_column(indicator, -1, period, cutoff);
}

std::pair<const Column*, const Column*> Rollup::ratio_columns(int indicator, const Period& period, Day cutoff) {
    const Indicator& definition = data_->catalogue->indicators[indicator];
    const Column* numerator = operand_column(definition.numerator, period, cutoff);
    const Column* denominator = operand_column(definition.denominator, period, cutoff);
    return {numerator, denominator};
}

std::optional<Fraction> Rollup::ratio(int org, int indicator, const Period& period, Day cutoff) {
    auto [numerator_column, denominator_column] = ratio_columns(indicator, period, cutoff);
    const int at = position(org);
    const std::int64_t numerator = numerator_column ? value_at(*numerator_column, at) : kMissing;
    const std::int64_t denominator = denominator_column ? value_at(*denominator_column, at) : kMissing;
    if (numerator == kMissing || denominator == kMissing) return std::nullopt;
    return Fraction{numerator, denominator};
}

void Rollup::forget() {
    columns_.clear();
}

std::size_t Rollup::column_bytes() const {
    std::size_t bytes = 0;
    for (const auto& [key, column] : columns_) bytes += column.capacity() * sizeof(std::int64_t);
    return bytes;
}

}  // namespace chiso::domain
