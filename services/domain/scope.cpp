#include "domain/scope.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_set>

namespace chiso::domain {
namespace {

Period year(int y) {
    return Period{PeriodKind::year, static_cast<short>(y), 0};
}
Period half(int y, int h) {
    return Period{PeriodKind::half, static_cast<short>(y), static_cast<short>(h)};
}

// Of `periods`, those begun by `as_of`, in order and without repeats (a term by the months it runs).
std::vector<Period> begun(std::vector<Period> periods, const ScopeView& view) {
    std::erase_if(periods, [&](const Period& p) { return view.months_of(p).first_day() > view.as_of; });
    std::sort(periods.begin(), periods.end(), [&](const Period& a, const Period& b) {
        const Period x = view.months_of(a), y = view.months_of(b);
        return std::tuple(x.last_day(), y.first_day(), a) < std::tuple(y.last_day(), x.first_day(), b);
    });
    periods.erase(std::unique(periods.begin(), periods.end()), periods.end());
    return periods;
}

// The years a scope's trends show: the last ten, or with a review the years it spans (five at least).
std::vector<Period> trend_years(const ScopeView& view) {
    int last = view.as_of / 10000, first = last - 9;
    if (view.request.review) {
        first = std::min(view.months_of(*view.request.review).first_day() / 10000, last - 4);
    }
    std::vector<Period> years;
    for (int y = first; y <= last; ++y) years.push_back(year(y));
    return years;
}

// A review, the period before it, and the half year that ended as it began (the stocks it is compared with).
std::vector<Period> with_review(std::vector<Period> periods, const ScopeView& view) {
    if (!view.request.review) return periods;
    periods.push_back(*view.request.review);
    if (view.review_previous) periods.push_back(*view.review_previous);
    const Day begins = view.months_of(*view.request.review).first_day();
    const int y = begins / 10000;
    periods.push_back(begins / 100 % 100 <= 6 ? half(y - 1, 2) : half(y, 1));
    return periods;
}

std::vector<Period> root_window(const ScopeView& view) {
    const int y = view.as_of / 10000;
    std::vector<Period> periods = with_review(trend_years(view), view);
    for (const TermSpan& span : view.terms) periods.push_back(span.term);
    for (int past = y - 2; past <= y; ++past) periods.insert(periods.end(), {half(past, 1), half(past, 2)});
    for (int recent = y - 1; recent <= y; ++recent) {
        periods.push_back(Period{PeriodKind::nine_months, static_cast<short>(recent), 0});
        for (const Period& h : year(recent).parts())
            for (const Period& quarter : h.parts()) {
                periods.push_back(quarter);
                for (const Period& month : quarter.parts()) periods.push_back(month);
            }
    }
    return begun(std::move(periods), view);
}

std::vector<Period> member_window(const ScopeView& view) {
    const Day as_of = view.as_of;
    const int y = as_of / 10000;
    const int h = as_of / 100 % 100 <= 6 ? 1 : 2;
    std::vector<Period> periods =
        with_review({year(y - 1), year(y), half(y, h), h == 1 ? half(y - 1, 2) : half(y, 1)}, view);
    for (const TermSpan& span : view.terms)
        if (span.months.first_day() <= as_of && as_of <= span.months.last_day()) periods.push_back(span.term);
    return begun(std::move(periods), view);
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
                if (view.months_of(period).overlaps(change.period) || period.overlaps(change.period))
                    for (int indicator : touched) marks.emplace(org, indicator, period);
            if (change.target) marks.emplace(org, -change.indicator - 1, change.period);  // the target itself
        }
    }
    return marks;
}

// The base organisations below the scope's root in each member period, grouped by type (in type order): the
// rows of the breakdown by organisation type, as positions in the rollup's universe.
using TypeGroups = std::vector<std::pair<std::string, std::vector<int>>>;

std::vector<TypeGroups> base_orgs_by_type(Rollup& rollup, const ScopeView& view) {
    const Dataset& data = rollup.dataset();
    const Catalogue& catalogue = *data.catalogue;
    const int root = rollup.position(view.request.root);
    const auto& members = rollup.universe();
    std::vector<TypeGroups> groups;
    for (const Period& period : view.member_periods) {
        const Period months = view.months_of(period);
        const auto& parent = rollup.parent_positions(months);
        std::map<std::string, std::vector<int>> by_type;
        for (int at = 0; at < static_cast<int>(members.size()); ++at) {
            const OrgVersion* version = data.tree->at(members[at]).version_during(months.first_day(), months.last_day());
            const Level* level = version ? catalogue.level(version->level) : nullptr;
            if (!level || !level->base) continue;
            int up = at;
            for (int guard = 0; up >= 0 && up != root && guard < 64; ++guard) up = parent[up];
            if (up == root) by_type[version->type].push_back(at);
        }
        groups.emplace_back(by_type.begin(), by_type.end());
    }
    return groups;
}

// Collects the scope's figures one indicator at a time, so that the rollup holds one indicator's columns at
// most, and hands them out in the order the wire has always had: by organisation, then indicator, period and
// category (figures, targets); by period, then type, indicator and category (the breakdown by type).
class Collector {
public:
    Collector(Rollup& rollup, ScopeView& view, const std::set<Mark>* marks, bool by_type)
        : rollup_(rollup), view_(view), marks_(marks), figures_(view.orgs.size()), targets_(view.orgs.size()) {
        if (by_type) groups_ = base_orgs_by_type(rollup, view);
        for (const TypeGroups& groups : groups_) type_rows_.emplace_back(groups.size());
        for (const auto& [key, series] : rollup.dataset().targets.series) target_periods_.emplace(key.indicator, key.period);
    }

    void add_indicator(int i) {
        const Indicator& indicator = rollup_.dataset().catalogue->indicators[i];
        const int categories =
            indicator.kind == Kind::distribution ? static_cast<int>(indicator.categories.size()) : 0;
        for (std::size_t o = 0; o < view_.orgs.size(); ++o) {
            const ScopeOrg& org = view_.orgs[o];
            const int at = rollup_.position(org.org);
            for (const Period& period : org.depth == 0 ? view_.root_periods : view_.member_periods) {
                if (marks_ && !marks_->contains(Mark{org.org, i, period})) continue;
                if (indicator.kind == Kind::ratio) {
                    auto [numerator, denominator] = rollup_.ratio_columns(i, period, view_.as_of);
                    const std::int64_t n = numerator ? value_at(*numerator, at) : kMissing;
                    const std::int64_t d = denominator ? value_at(*denominator, at) : kMissing;
                    if (n != kMissing && d != kMissing) figures_[o].push_back({org.org, i, -1, period, n, d});
                    continue;
                }
                const bool distribution = indicator.kind == Kind::distribution;
                for (int c = distribution ? 0 : -1; c < (distribution ? categories : 0) || c == -1; ++c) {
                    const std::int64_t value = value_at(rollup_.figure_column(i, c, period, view_.as_of), at);
                    if (value != kMissing) figures_[o].push_back({org.org, i, c, period, value, std::nullopt});
                    if (c < 0) break;
                }
            }
            for (auto it = target_periods_.lower_bound({i, Period{PeriodKind::month, -32768, 0}});
                 it != target_periods_.end() && it->first == i; ++it) {
                const Period& period = it->second;
                if (marks_ && !marks_->contains(Mark{org.org, -i - 1, period})) continue;
                const std::int64_t value = value_at(rollup_.target_column(i, period), at);
                if (value != kMissing) targets_[o].push_back({org.org, i, -1, period, value, std::nullopt});
            }
        }
        for (std::size_t p = 0; p < groups_.size(); ++p) add_by_type(i, categories, p);
        rollup_.forget();
    }

    void finish() {
        for (auto& figures : figures_) view_.figures.insert(view_.figures.end(), figures.begin(), figures.end());
        for (auto& targets : targets_) view_.targets.insert(view_.targets.end(), targets.begin(), targets.end());
        for (std::size_t p = 0; p < groups_.size(); ++p)
            for (std::size_t t = 0; t < groups_[p].size(); ++t) {
                const auto& [type, orgs] = groups_[p][t];
                view_.by_type.push_back({view_.member_periods[p], type, -1, -1,
                                         static_cast<std::int64_t>(orgs.size()), std::nullopt});
                view_.by_type.insert(view_.by_type.end(), type_rows_[p][t].begin(), type_rows_[p][t].end());
            }
    }

private:
    // A type's figure sums its base organisations' own figures; a ratio sums the numerators and denominators of
    // those holding both.
    void add_by_type(int i, int categories, std::size_t p) {
        const Period& period = view_.member_periods[p];
        const Indicator& indicator = rollup_.dataset().catalogue->indicators[i];
        for (std::size_t t = 0; t < groups_[p].size(); ++t) {
            const auto& [type, orgs] = groups_[p][t];
            if (indicator.kind == Kind::ratio) {
                auto [numerator, denominator] = rollup_.ratio_columns(i, period, view_.as_of);
                std::int64_t sum = kMissing, total = kMissing;
                for (int at : orgs) {
                    const std::int64_t n = numerator ? value_at(*numerator, at) : kMissing;
                    const std::int64_t d = denominator ? value_at(*denominator, at) : kMissing;
                    if (n == kMissing || d == kMissing) continue;
                    sum = (sum == kMissing ? 0 : sum) + n;
                    total = (total == kMissing ? 0 : total) + d;
                }
                if (sum != kMissing) type_rows_[p][t].push_back({period, type, i, -1, sum, total});
                continue;
            }
            for (int c = categories > 0 ? 0 : -1; c < categories || c == -1; ++c) {
                const Column& column = rollup_.figure_column(i, c, period, view_.as_of);
                std::int64_t sum = kMissing;
                for (int at : orgs)
                    if (const std::int64_t value = value_at(column, at); value != kMissing)
                        sum = (sum == kMissing ? 0 : sum) + value;
                if (sum != kMissing) type_rows_[p][t].push_back({period, type, i, c, sum, std::nullopt});
                if (c < 0) break;
            }
        }
    }

    Rollup& rollup_;
    ScopeView& view_;
    const std::set<Mark>* marks_;
    std::vector<std::vector<ScopeFigure>> figures_, targets_;  // by organisation of the scope
    std::vector<TypeGroups> groups_;                           // by member period
    std::vector<std::vector<std::vector<TypeFigure>>> type_rows_;  // by member period, then type
    std::set<std::pair<int, Period>> target_periods_;          // every (indicator, period) with a target set
};

}  // namespace

Period previous_for_review(const Period& review, const Period& months, Day as_of) {
    auto month_number = [](Day day) { return day / 10000 * 12 + day / 100 % 100 - 1; };
    const int first = month_number(months.first_day());
    const int last = std::min(month_number(months.last_day()), month_number(std::max(as_of, months.first_day())));
    const int length = month_number(months.last_day()) - first + 1;
    const int shift = review.kind == PeriodKind::term || review.kind == PeriodKind::range ? length : 12;
    auto month = [](int number) { return Period{PeriodKind::month, short(number / 12), short(number % 12 + 1)}; };
    const Period previous = *Period::months(month(first - shift), month(last - shift));
    const std::vector<Period> parts = previous.parts();
    return parts.size() == 1 ? parts.front() : previous;  // 2018-01..2018-06 is 2018-H1
}

Period ScopeView::months_of(const Period& period) const {
    for (const TermSpan& span : terms)
        if (span.term == period) return span.months;
    return period;
}

std::vector<ScopeOrg> scope_orgs(const Dataset& data, int root, int depth) {
    std::vector<ScopeOrg> result{{root, 0}};
    std::unordered_set<int> seen{root};
    for (std::size_t next = 0; next < result.size(); ++next) {
        if (result[next].depth >= depth) continue;
        for (int child : data.tree->children_ever(result[next].org))
            if (seen.insert(child).second) result.push_back({child, result[next].depth + 1});
    }
    return result;
}

ScopeView build_scope(Rollup& rollup, const ScopeRequest& request, const std::vector<ChangedFigure>* changes) {
    const Dataset& data = rollup.dataset();
    ScopeView view;
    view.request = request;
    view.as_of = std::min(request.as_of, data.latest_day);
    view.orgs = scope_orgs(data, request.root, request.depth);
    view.terms = rollup.terms();
    if (request.review && view.as_of > 0) {
        view.review_previous = previous_for_review(*request.review, view.months_of(*request.review), view.as_of);
        // A period begun before the first figures would compare the review with part of itself: none then.
        Day first = kForever;
        for (const auto& [key, series] : data.values.series) first = std::min(first, key.period.first_day());
        if (view.review_previous->first_day() < first) view.review_previous.reset();
    }
    if (view.as_of > 0) {
        view.root_periods = root_window(view);
        view.member_periods = member_window(view);
    }
    std::set<Mark> marks;
    if (changes) marks = reached(data, view, *changes);
    const std::set<Mark>* filter = changes ? &marks : nullptr;
    Collector collector(rollup, view, filter, !changes || !marks.empty());
    for (int i = 0; i < static_cast<int>(data.catalogue->indicators.size()); ++i) collector.add_indicator(i);
    collector.finish();
    return view;
}

}  // namespace chiso::domain
