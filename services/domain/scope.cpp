#include "domain/scope.hpp"

#include <algorithm>
#include <tuple>

namespace chiso::domain {
namespace {

Period year(int y) {
    return Period{PeriodKind::year, static_cast<short>(y), 0};
}
Period half(int y, int h) {
    return Period{PeriodKind::half, static_cast<short>(y), static_cast<short>(h)};
}

// Of `periods`, those begun by `as_of`, in order and without repeats.
std::vector<Period> begun(std::vector<Period> periods, Day as_of) {
    std::erase_if(periods, [&](const Period& p) { return p.first_day() > as_of; });
    std::sort(periods.begin(), periods.end(), [](const Period& a, const Period& b) {
        return std::tuple(a.last_day(), b.first_day()) < std::tuple(b.last_day(), a.first_day());
    });
    periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
    return periods;
}

std::vector<Period> root_window(const Catalogue& catalogue, Day as_of) {
    const int y = as_of / 10000;
    std::vector<Period> periods;
    for (int past = y - 9; past <= y; ++past) periods.push_back(year(past));
    for (const Period& term : catalogue.terms) periods.push_back(term);
    for (int past = y - 2; past <= y; ++past) periods.insert(periods.end(), {half(past, 1), half(past, 2)});
    for (int recent = y - 1; recent <= y; ++recent) {
        periods.push_back(Period{PeriodKind::nine_months, static_cast<short>(recent), 0});
        for (const Period& h : year(recent).parts())
            for (const Period& quarter : h.parts()) {
                periods.push_back(quarter);
                for (const Period& month : quarter.parts()) periods.push_back(month);
            }
    }
    return begun(std::move(periods), as_of);
}

std::vector<Period> member_window(const Catalogue& catalogue, Day as_of) {
    const int y = as_of / 10000;
    const int h = as_of / 100 % 100 <= 6 ? 1 : 2;
    std::vector<Period> periods{year(y - 1), year(y), half(y, h), h == 1 ? half(y - 1, 2) : half(y, 1)};
    for (const Period& term : catalogue.terms)
        if (term.first_day() <= as_of && as_of <= term.last_day()) periods.push_back(term);
    return begun(std::move(periods), as_of);
}

using Mark = std::tuple<int, int, Period>;  // org, indicator, period

// Every (organisation, indicator, period) of the scope that `changes` reach, ratios built on them included.
std::set<Mark> reached(const Dataset& data, const ScopeView& view, const std::vector<ChangedFigure>& changes) {
    std::vector<int> depth_of(data.tree->size(), -1);
    for (const ScopeOrg& org : view.orgs) depth_of[org.org] = org.depth;
    const auto& indicators = data.catalogue->indicators;
    std::set<Mark> marks;
    std::set<std::tuple<int, int, Period, bool>> done;
    for (const ChangedFigure& change : changes) {
        if (!done.emplace(change.org, change.indicator, change.period, change.target).second) continue;
        const std::string& code = indicators[change.indicator].code;
        std::vector<int> touched;
        if (!change.target) touched.push_back(change.indicator);
        for (int i = 0; i < static_cast<int>(indicators.size()); ++i) {
            const Indicator& ratio = indicators[i];
            if (ratio.kind != Kind::ratio) continue;
            for (const std::string& operand : {ratio.numerator, ratio.denominator}) {
                bool is_target = operand.starts_with(kTargetPrefix);
                std::string_view operand_code =
                    is_target ? std::string_view(operand).substr(kTargetPrefix.size()) : std::string_view(operand);
                if (operand_code == code && is_target == change.target) touched.push_back(i);
            }
        }
        for (int org : data.ancestors_ever(change.org)) {
            if (depth_of[org] < 0) continue;
            const auto& periods = depth_of[org] == 0 ? view.root_periods : view.member_periods;
            for (const Period& period : periods)
                if (period.overlaps(change.period))
                    for (int indicator : touched) marks.emplace(org, indicator, period);
            if (change.target) marks.emplace(org, -change.indicator - 1, change.period);  // the target itself
        }
    }
    return marks;
}

void add_figures(Rollup& rollup, ScopeView& view, const ScopeOrg& org, const std::set<Mark>* marks) {
    const Catalogue& catalogue = *rollup.dataset().catalogue;
    const auto& periods = org.depth == 0 ? view.root_periods : view.member_periods;
    for (int i = 0; i < static_cast<int>(catalogue.indicators.size()); ++i) {
        const Indicator& indicator = catalogue.indicators[i];
        for (const Period& period : periods) {
            if (marks && !marks->contains(Mark{org.org, i, period})) continue;
            if (indicator.kind == Kind::ratio) {
                if (auto fraction = rollup.ratio(org.org, i, period, view.as_of))
                    view.figures.push_back({org.org, i, -1, period, fraction->numerator, fraction->denominator});
                continue;
            }
            const int categories = static_cast<int>(indicator.categories.size());
            for (int c = indicator.kind == Kind::distribution ? 0 : -1; c < std::max(categories, 0); ++c) {
                std::int64_t value = rollup.figure(org.org, i, c, period, view.as_of);
                if (value != kMissing) view.figures.push_back({org.org, i, c, period, value, std::nullopt});
                if (c < 0) break;
            }
        }
    }
}

void add_targets(Rollup& rollup, ScopeView& view, const ScopeOrg& org, const std::set<Mark>* marks) {
    const Dataset& data = rollup.dataset();
    std::set<std::pair<int, Period>> keys;  // every target set for this organisation or below
    for (const auto& [key, series] : data.targets.series) keys.emplace(key.indicator, key.period);
    for (const auto& [indicator, period] : keys) {
        if (marks && !marks->contains(Mark{org.org, -indicator - 1, period})) continue;
        std::int64_t value = rollup.target(org.org, indicator, period);
        if (value != kMissing) view.targets.push_back({org.org, indicator, -1, period, value, std::nullopt});
    }
}

void add_by_type(Rollup& rollup, ScopeView& view) {
    const Dataset& data = rollup.dataset();
    const Catalogue& catalogue = *data.catalogue;
    const int root = view.request.root;
    for (const Period& period : view.member_periods) {
        const auto& parent = rollup.parents(period);
        std::map<std::string, std::vector<int>> base_by_type;
        for (int org = 0; org < data.tree->size(); ++org) {
            const OrgVersion* version = data.tree->at(org).version_during(period.first_day(), period.last_day());
            const Level* level = version ? catalogue.level(version->level) : nullptr;
            if (!level || !level->base) continue;
            int up = org;
            for (int guard = 0; up >= 0 && up != root && guard < 64; ++guard) up = parent[up];
            if (up == root) base_by_type[version->type].push_back(org);
        }
        for (const auto& [type, orgs] : base_by_type) {
            view.by_type.push_back({period, type, -1, -1, static_cast<std::int64_t>(orgs.size()), std::nullopt});
            for (int i = 0; i < static_cast<int>(catalogue.indicators.size()); ++i) {
                const Indicator& indicator = catalogue.indicators[i];
                const int categories =
                    indicator.kind == Kind::distribution ? static_cast<int>(indicator.categories.size()) : 0;
                for (int c = categories > 0 ? 0 : -1; c < std::max(categories, 0) || c == -1; ++c) {
                    std::int64_t sum = kMissing, denominator = kMissing;
                    for (int org : orgs) {
                        if (indicator.kind == Kind::ratio) {
                            if (auto fraction = rollup.ratio(org, i, period, view.as_of)) {
                                sum = (sum == kMissing ? 0 : sum) + fraction->numerator;
                                denominator = (denominator == kMissing ? 0 : denominator) + fraction->denominator;
                            }
                            continue;
                        }
                        std::int64_t value = rollup.figure(org, i, c, period, view.as_of);
                        if (value != kMissing) sum = (sum == kMissing ? 0 : sum) + value;
                    }
                    if (sum != kMissing)
                        view.by_type.push_back(
                            {period, type, i, c, sum,
                             denominator == kMissing ? std::nullopt : std::optional<std::int64_t>(denominator)});
                    if (c < 0) break;
                }
            }
        }
    }
}

}  // namespace

std::vector<ScopeOrg> scope_orgs(const Dataset& data, int root, int depth) {
    std::vector<std::vector<int>> children(data.tree->size());
    for (int org = 0; org < data.tree->size(); ++org) {
        std::vector<int> parents;
        for (const OrgVersion& version : data.tree->at(org).versions)
            if (version.parent_index >= 0 &&
                std::find(parents.begin(), parents.end(), version.parent_index) == parents.end())
                parents.push_back(version.parent_index);
        for (int parent : parents) children[parent].push_back(org);
    }
    std::vector<ScopeOrg> result{{root, 0}};
    std::vector<bool> seen(data.tree->size(), false);
    seen[root] = true;
    for (std::size_t next = 0; next < result.size(); ++next) {
        if (result[next].depth >= depth) continue;
        for (int child : children[result[next].org])
            if (!seen[child]) {
                seen[child] = true;
                result.push_back({child, result[next].depth + 1});
            }
    }
    return result;
}

ScopeView build_scope(Rollup& rollup, const ScopeRequest& request, const std::vector<ChangedFigure>* changes) {
    const Dataset& data = rollup.dataset();
    ScopeView view;
    view.request = request;
    view.as_of = std::min(request.as_of, data.latest_day);
    view.orgs = scope_orgs(data, request.root, request.depth);
    if (view.as_of > 0) {
        view.root_periods = root_window(*data.catalogue, view.as_of);
        view.member_periods = member_window(*data.catalogue, view.as_of);
    }
    std::set<Mark> marks;
    if (changes) marks = reached(data, view, *changes);
    const std::set<Mark>* filter = changes ? &marks : nullptr;
    for (const ScopeOrg& org : view.orgs) {
        add_figures(rollup, view, org, filter);
        add_targets(rollup, view, org, filter);
    }
    if (!changes || !marks.empty()) add_by_type(rollup, view);
    return view;
}

}  // namespace chiso::domain
