#include "domain/dataset.hpp"

#include <algorithm>

namespace chiso::domain {

std::optional<Kind> parse_kind(std::string_view name) {
    if (name == "stock") return Kind::stock;
    if (name == "flow") return Kind::flow;
    if (name == "ratio") return Kind::ratio;
    if (name == "distribution") return Kind::distribution;
    return std::nullopt;
}

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::stock:
            return "stock";
        case Kind::flow:
            return "flow";
        case Kind::ratio:
            return "ratio";
        case Kind::distribution:
            return "distribution";
    }
    return "?";
}

void Catalogue::reindex() {
    indicator_index_.clear();
    for (int i = 0; i < static_cast<int>(indicators.size()); ++i) indicator_index_[indicators[i].code] = i;
}

int Catalogue::indicator(std::string_view code) const {
    auto found = indicator_index_.find(std::string(code));
    return found == indicator_index_.end() ? -1 : found->second;
}

int Catalogue::category(int indicator_position, std::string_view code) const {
    const auto& categories = indicators[indicator_position].categories;
    for (int i = 0; i < static_cast<int>(categories.size()); ++i)
        if (categories[i].code == code) return i;
    return -1;
}

const Level* Catalogue::level(std::string_view code) const {
    for (const auto& level : levels)
        if (level.code == code) return &level;
    return nullptr;
}

bool Catalogue::has_org_type(std::string_view code) const {
    return std::any_of(org_types.begin(), org_types.end(), [&](const Label& t) { return t.code == code; });
}

const OrgVersion* Organisation::version_during(Day first, Day last) const {
    const OrgVersion* found = nullptr;
    for (const auto& version : versions)
        if (version.valid_from <= last && version.valid_to >= first) found = &version;
    return found;
}

OrgTree::OrgTree(std::vector<Organisation> organisations) : orgs_(std::move(organisations)) {
    for (int i = 0; i < size(); ++i) index_[orgs_[i].code] = i;
    for (auto& org : orgs_)
        for (auto& version : org.versions) version.parent_index = version.parent.empty() ? -1 : find(version.parent);
    children_ever_.resize(orgs_.size());
    for (int i = 0; i < size(); ++i)
        for (const auto& version : orgs_[i].versions) {
            if (version.parent_index < 0) continue;
            auto& children = children_ever_[version.parent_index];
            if (children.empty() || children.back() != i) children.push_back(i);  // i's versions come together
        }
}

int OrgTree::find(std::string_view code) const {
    auto found = index_.find(std::string(code));
    return found == index_.end() ? -1 : found->second;
}

std::int64_t Figures::get(const SeriesKey& key, int org) const {
    auto found = series.find(key);
    if (found == series.end() || org >= static_cast<int>(found->second->size())) return kMissing;
    return (*found->second)[org];
}

Dataset::Dataset()
    : catalogue(std::make_shared<Catalogue>()),
      tree(std::make_shared<OrgTree>()),
      touched(std::make_shared<std::vector<std::int64_t>>()) {}

namespace {

// Sets figures copy-on-write: only the series a change touches are copied.
void set_figures(Figures& figures, const std::vector<FigureChange>& changes, int org_count) {
    std::map<SeriesKey, std::shared_ptr<Series>> copies;
    for (const auto& change : changes) {
        auto& copy = copies[change.key];
        if (!copy) {
            auto existing = figures.series.find(change.key);
            copy = existing == figures.series.end() ? std::make_shared<Series>()
                                                    : std::make_shared<Series>(*existing->second);
            copy->resize(std::max<std::size_t>(copy->size(), org_count), kMissing);
        }
        (*copy)[change.org] = change.value;
    }
    for (auto& [key, series] : copies) figures.series[key] = std::move(series);
}

// The last day of the latest period holding a value: the series are looked at latest first, each only as far as
// its first value.
Day latest_day_held(const Figures& figures) {
    std::vector<std::pair<Day, const Series*>> by_day;
    for (const auto& [key, series] : figures.series) by_day.emplace_back(key.period.last_day(), series.get());
    std::sort(by_day.begin(), by_day.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [day, series] : by_day)
        if (std::any_of(series->begin(), series->end(), [](std::int64_t v) { return v != kMissing; })) return day;
    return 0;
}

}  // namespace

std::vector<int> Dataset::ancestors_ever(int org) const {
    std::vector<int> found{org};
    for (std::size_t next = 0; next < found.size(); ++next)
        for (const auto& version : tree->at(found[next]).versions) {
            int parent = version.parent_index;
            if (parent >= 0 && std::find(found.begin(), found.end(), parent) == found.end()) found.push_back(parent);
        }
    return found;
}

Dataset Dataset::apply(const ChangeSet& changes, std::int64_t new_revision) const {
    Dataset next = *this;
    next.revision = new_revision;
    if (changes.catalogue) {
        next.catalogue = std::make_shared<Catalogue>(*changes.catalogue);
        next.structure_revision = new_revision;
    }
    if (!changes.organisations.empty()) {
        auto organisations = tree->all();
        for (const auto& org : changes.organisations) {
            int existing = tree->find(org.code);
            if (existing >= 0)
                organisations[existing] = org;
            else
                organisations.push_back(org);
        }
        next.tree = std::make_shared<OrgTree>(std::move(organisations));
        next.structure_revision = new_revision;
    }
    set_figures(next.values, changes.values, next.tree->size());
    set_figures(next.targets, changes.targets, next.tree->size());

    const bool removes = std::any_of(changes.values.begin(), changes.values.end(),
                                     [](const FigureChange& c) { return c.value == kMissing; });
    if (removes) next.latest_day = latest_day_held(next.values);  // an undo may take the latest figures away

    auto touched_now = std::make_shared<std::vector<std::int64_t>>(*touched);
    touched_now->resize(next.tree->size(), 0);
    std::vector<bool> seen(next.tree->size(), false);
    for (const auto* list : {&changes.values, &changes.targets})
        for (const auto& change : *list) {
            if (list == &changes.values && change.value != kMissing)
                next.latest_day = std::max(next.latest_day, change.key.period.last_day());
            if (seen[change.org]) continue;
            seen[change.org] = true;
            for (int org : next.ancestors_ever(change.org)) (*touched_now)[org] = new_revision;
        }
    next.touched = std::move(touched_now);
    return next;
}

TermSpan span_of(const Term& term, const TermDays* days) {
    TermSpan span{term.period, {term.period.first_day(), term.period.last_day()}, false, {}};
    if (!days && term.days) days = &*term.days;
    if (days) span.days = *days, span.dated = true;
    span.months = *Period::months(Period::month_of(span.days.first), Period::month_of(span.days.last));
    return span;
}

std::vector<TermSpan> Dataset::terms_of(int org) const {
    std::vector<TermSpan> spans;
    for (const Term& term : catalogue->terms) {
        const TermDays* days = nullptr;
        // Up the tree as it now stands; the guard stops a cycle in bad data.
        for (int at = org, guard = 0; at >= 0 && !days && guard < 64; ++guard) {
            const Organisation& organisation = tree->at(at);
            if (auto found = term.by_organisation.find(organisation.code); found != term.by_organisation.end())
                days = &found->second;
            at = organisation.latest().parent_index;
        }
        spans.push_back(span_of(term, days));
    }
    return spans;
}

std::int64_t Dataset::scope_revision(int org) const {
    std::int64_t figures = org < static_cast<int>(touched->size()) ? (*touched)[org] : 0;
    return std::max(figures, structure_revision);
}

}  // namespace chiso::domain
