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

Rollup::Rollup(std::shared_ptr<const Dataset> dataset) : data_(std::move(dataset)) {
    for (const Organisation& org : data_->tree->all())
        for (const OrgVersion& version : org.versions) {
            starts_.push_back(version.valid_from);
            ends_.push_back(version.valid_to);
        }
    std::sort(starts_.begin(), starts_.end());
    std::sort(ends_.begin(), ends_.end());
}

bool Rollup::tree_changes_during(const Period& period) const {
    const Day first = period.first_day(), last = period.last_day();
    auto start = std::upper_bound(starts_.begin(), starts_.end(), first);  // a version beginning after day one
    auto end = std::lower_bound(ends_.begin(), ends_.end(), first);        // a version ending before the last day
    return (start != starts_.end() && *start <= last) || (end != ends_.end() && *end < last);
}

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

}  // namespace

const Column& Rollup::own_column(int indicator, int category, const Period& period, Day cutoff) {
    if (period.last_day() <= cutoff) cutoff = kForever;  // the whole period counts: one cache entry
    ColumnKey key{indicator, category, period, cutoff, ColumnKey::own};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;

    const int orgs = data_->tree->size();
    // A period cut short is never taken from a direct report: that report covers days past the cutoff.
    Column result = cutoff == kForever ? series_column(data_->values, SeriesKey{indicator, category, period}, orgs)
                                       : Column(orgs, kMissing);
    std::vector<const Column*> parts;
    for (const Period& part : period.parts())
        if (part.first_day() <= cutoff) parts.push_back(&own_column(indicator, category, part, cutoff));
    const bool adds_up = data_->catalogue->indicators[indicator].adds_over_time();
    for (int org = 0; org < orgs; ++org) {
        if (result[org] != kMissing) continue;
        for (const Column* part : parts) {
            if (adds_up)
                add_into(result[org], (*part)[org]);
            else if ((*part)[org] != kMissing)
                result[org] = (*part)[org];  // the last part holding a value
        }
    }
    return columns_.emplace(key, std::move(result)).first->second;
}

const Column& Rollup::figure_column(int indicator, int category, const Period& period, Day cutoff) {
    if (period.last_day() <= cutoff) cutoff = kForever;
    ColumnKey key{indicator, category, period, cutoff, ColumnKey::figure};
    if (auto found = columns_.find(key); found != columns_.end()) return found->second;

    const Indicator& definition = data_->catalogue->indicators[indicator];
    const int orgs = data_->tree->size();
    Column result(orgs, kMissing);
    if (period.first_day() > cutoff) {
    } else if (definition.kind == Kind::distribution && category < 0) {
        for (int c = 0; c < static_cast<int>(definition.categories.size()); ++c) {
            const Column& part = figure_column(indicator, c, period, cutoff);
            for (int org = 0; org < orgs; ++org) add_into(result[org], part[org]);
        }
    } else if (definition.adds_over_time() && tree_changes_during(period) && !period.parts().empty()) {
        for (const Period& part : period.parts()) {
            if (part.first_day() > cutoff) continue;
            const Column& sum = figure_column(indicator, category, part, cutoff);
            for (int org = 0; org < orgs; ++org) add_into(result[org], sum[org]);
        }
    } else {
        result = tree_sum(own_column(indicator, category, period, cutoff), period, false);
    }
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
