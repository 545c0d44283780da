// The whole of what syncd knows at one revision: the indicator catalogue, the effective-dated organisation
// tree, reported values and targets. Immutable once built; a change set makes the next revision's dataset,
// sharing every series the change did not touch.
#pragma once

#include "domain/period.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chiso::domain {

enum class Kind : unsigned char { stock, flow, ratio, distribution };
std::optional<Kind> parse_kind(std::string_view name);
const char* kind_name(Kind kind);

struct Label {
    std::string code;
    std::string label_vi;
    std::string label_en;
};

struct Level : Label {
    bool base = false;  // a base organisation (tổ chức cơ sở đảng): counted by type, and in org_base_total
    // Stock indicators that count organisations of this level, so the tree answers them where nothing was
    // reported (a base level also counts in org_base_total).
    std::vector<std::string> counted_in;
};

inline constexpr std::string_view kBaseOrgCount = "org_base_total";

struct Indicator : Label {
    std::string group;
    std::string unit;
    Kind kind = Kind::stock;
    bool flow_over_time = false;  // a distribution that adds up over time like a flow
    bool higher_is_better = true;
    int decimals = 0;
    std::string part_of;      // the whole this indicator is a part of
    std::string numerator;    // ratio only
    std::string denominator;  // ratio only; "target:CODE" for the target of CODE
    std::vector<Label> categories;

    bool adds_over_time() const { return kind == Kind::flow || (kind == Kind::distribution && flow_over_time); }
};

inline constexpr std::string_view kTargetPrefix = "target:";

// The first and last day of a term for one organisation.
struct TermDays {
    Day first = 0;
    Day last = 0;
    auto operator<=>(const TermDays&) const = default;
};

// A term (nhiệm kỳ) runs from a congress to the next: the catalogue gives its days, and an organisation whose
// congress fell elsewhere (with its subtree) has its own. A term without days runs from 1 January of its first
// year to 31 December of its last.
struct Term {
    Period period;  // its code: 2015-2020
    std::optional<TermDays> days;
    std::map<std::string, TermDays> by_organisation;  // organisation code → its own days
};

// A term as it runs for one organisation: the days, and the months its figures are summed over.
struct TermSpan {
    Period term;
    TermDays days;
    bool dated = false;  // days from the catalogue, not the whole calendar years
    Period months;       // a range: the months of its first and last day
};
TermSpan span_of(const Term& term, const TermDays* days);

class Catalogue {
public:
    std::vector<Level> levels;
    std::vector<Label> org_types;
    std::vector<Indicator> indicators;  // positions are stable: new codes are appended
    std::vector<Term> terms;  // in code order

    // Rebuilds the code lookups; call after changing the vectors.
    void reindex();
    int indicator(std::string_view code) const;  // -1 when unknown
    int category(int indicator, std::string_view code) const;
    const Level* level(std::string_view code) const;
    bool has_org_type(std::string_view code) const;

private:
    std::unordered_map<std::string, int> indicator_index_;
};

struct OrgVersion {
    std::string name;
    std::string parent;  // code, empty for a root
    std::string level;
    std::string type;
    Day valid_from = 0;
    Day valid_to = kForever;
    int parent_index = -1;  // resolved by OrgTree
};

struct Organisation {
    std::string code;
    std::vector<OrgVersion> versions;  // ordered by valid_from, not overlapping

    // The version in force during [first, last]: of those overlapping it, the one that began last.
    const OrgVersion* version_during(Day first, Day last) const;
    const OrgVersion& latest() const { return versions.back(); }
};

class OrgTree {
public:
    OrgTree() = default;
    explicit OrgTree(std::vector<Organisation> organisations);

    const std::vector<Organisation>& all() const { return orgs_; }
    const Organisation& at(int index) const { return orgs_[index]; }
    int size() const { return static_cast<int>(orgs_.size()); }
    int find(std::string_view code) const;  // -1 when unknown
    // Every organisation that was ever directly below `org`, under any of its versions.
    const std::vector<int>& children_ever(int org) const { return children_ever_[org]; }

private:
    std::vector<Organisation> orgs_;  // positions are stable: new codes are appended
    std::unordered_map<std::string, int> index_;
    std::vector<std::vector<int>> children_ever_;
};

// One series of figures: an indicator (and category) for one period, indexed by organisation.
struct SeriesKey {
    int indicator = 0;
    int category = -1;  // -1 unless the indicator is a distribution
    Period period;
    auto operator<=>(const SeriesKey&) const = default;
};

inline constexpr std::int64_t kMissing = -1;  // figures are counts, never negative
// The largest figure an import accepts: far above any count of people or organisations, and far enough below
// 2^63 that a country's sums over decades cannot overflow.
inline constexpr std::int64_t kLargestFigure = 1'000'000'000'000;
using Series = std::vector<std::int64_t>;     // by organisation index; kMissing or past the end: not reported

struct Figures {
    std::map<SeriesKey, std::shared_ptr<const Series>> series;
    std::int64_t get(const SeriesKey& key, int org) const;
};

struct FigureChange {
    int org = 0;
    SeriesKey key;
    std::int64_t value = 0;
};

// What one import changes. Organisations replace every version of their code; figures are set.
struct ChangeSet {
    std::string kind;
    std::string file;
    std::size_t rows = 0;
    std::optional<Catalogue> catalogue;
    std::vector<Organisation> organisations;
    std::vector<FigureChange> values;
    std::vector<FigureChange> targets;
};

class Dataset {
public:
    Dataset();

    std::int64_t revision = 0;
    std::int64_t structure_revision = 0;  // last revision that changed the catalogue or the tree
    std::shared_ptr<const Catalogue> catalogue;
    std::shared_ptr<const OrgTree> tree;
    Figures values;
    Figures targets;
    // Per organisation: the last revision that changed a figure of it or of any organisation ever below it.
    std::shared_ptr<const std::vector<std::int64_t>> touched;
    Day latest_day = 0;  // last day of the latest period holding a value

    // The dataset of the next revision. Organisation codes in `changes` must already resolve.
    Dataset apply(const ChangeSet& changes, std::int64_t new_revision) const;
    std::int64_t scope_revision(int org) const;

    // Organisations whose subtree, at any time, held `org`: itself and every past and present ancestor.
    std::vector<int> ancestors_ever(int org) const;

    // The catalogue's terms as they run for `org` (-1: the catalogue's own days): the days of the nearest of it
    // and its ancestors (as the tree now stands) that has its own, else the catalogue's.
    std::vector<TermSpan> terms_of(int org) const;
};

}  // namespace chiso::domain
