// What one dashboard sees: an organisation, its subtree to a depth, and the figures of the periods a dashboard
// shows, as of a day. The scope organisation gets a long window (years of trend, terms, halves, quarters and
// months of this year and last); the organisations below it get this year, last year, this half and the last, and
// this term; the breakdown by organisation type covers the same short window.
#pragma once

#include "domain/rollup.hpp"

#include <set>

namespace chiso::domain {

struct ScopeRequest {
    int root = 0;
    int depth = 1;
    Day as_of = kForever;  // kForever: the latest day holding data
    // A review (sơ kết, tổng kết): every page shows this period, counted to `as_of`, its end or the latest data.
    std::optional<Period> review;
};

// One served figure. For a ratio, `value` is the numerator and `denominator` is set.
struct ScopeFigure {
    int org = 0;
    int indicator = 0;
    int category = -1;
    Period period;
    std::int64_t value = 0;
    std::optional<std::int64_t> denominator;
};

struct TypeFigure {
    Period period;
    std::string type;
    int indicator = -1;  // -1: the number of base organisations of the type
    int category = -1;
    std::int64_t value = 0;
    std::optional<std::int64_t> denominator;
};

struct ScopeOrg {
    int org = 0;
    int depth = 0;
};

// Which served figures a delta must carry: those an (indicator, organisation, period) change reaches.
struct ChangedFigure {
    int org = 0;
    int indicator = 0;
    Period period;
    bool target = false;
};

struct ScopeView {
    ScopeRequest request;
    Day as_of = 0;  // the day the figures are counted to
    std::vector<ScopeOrg> orgs;
    std::vector<TermSpan> terms;  // as they run for the root
    // With a review: the period before it of the same kind, as far into it as the review is counted (the term
    // before, the same half a year before, the same number of months before a range).
    std::optional<Period> review_previous;
    std::vector<Period> root_periods;
    std::vector<Period> member_periods;
    std::vector<ScopeFigure> figures;
    std::vector<ScopeFigure> targets;
    std::vector<TypeFigure> by_type;

    // The months a period's figures cover: a term's as it runs for the root, any other period's own.
    Period months_of(const Period& period) const;
};

// The period a review is compared with: its months shifted back by a year (a month, quarter, half or nine months),
// a year, its term's length or its own length (a range), to as far as the review is counted (`as_of`); a range
// that is one month, quarter, half or year is given as that period.
Period previous_for_review(const Period& review, const Period& months, Day as_of);

// The organisations that were ever below `root`, to `depth` levels, root first.
std::vector<ScopeOrg> scope_orgs(const Dataset& data, int root, int depth);

// Everything the scope shows, or with `changes` only the figures those changes reach (and the whole by-type
// breakdown when any does).
ScopeView build_scope(Rollup& rollup, const ScopeRequest& request, const std::vector<ChangedFigure>* changes = nullptr);

}  // namespace chiso::domain
