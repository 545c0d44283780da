// The catalogue's import: levels, organisation types, indicators with their categories, and terms with their
// days, from JSON, merged into the catalogue held (a code replaces its earlier self; stored figures refer to
// categories by position, so a category keeps its place).
#include "importer/catalogue.hpp"

#include <algorithm>

namespace chiso::importer {
namespace json = boost::json;
using namespace chiso::domain;

namespace {
std::string member(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

template <class T>
void merge_by_code(std::vector<T>& into, T item) {
    for (T& existing : into)
        if (existing.code == item.code) {
            existing = std::move(item);
            return;
        }
    into.push_back(std::move(item));
}

// A term's first and last day: both, real days, in order, in the term's first and last year.
std::optional<TermDays> read_term_days(const json::object& item, const Period& term, const std::string& path,
                                       Report& report) {
    auto bad = [&](const std::string& reason) {
        report.add(at_path(path), reason);
        return std::nullopt;
    };
    const std::string first_text = member(item, "first"), last_text = member(item, "last");
    auto first = parse_day(first_text), last = parse_day(last_text);
    if (!first || !last) return bad("a term's days are its first and last, like \"first\": \"2015-09-01\", \"last\": \"2020-08-31\"");
    if (*last < *first) return bad("the term ends (" + last_text + ") before it begins (" + first_text + ")");
    if (*first / 10000 != term.year || *last / 10000 != term.index)
        return bad("the term " + term.code() + " runs from a day of " + std::to_string(term.year) + " to a day of " +
                   std::to_string(term.index) + ", not " + first_text + " to " + last_text);
    return TermDays{*first, *last};
}

// "2020-2025", or {"code": "2015-2020", "first": "2015-09-01", "last": "2020-08-31",
//                  "organisations": [{"org": "HT", "first": "2015-10-01", "last": "2020-09-30"}]}.
std::optional<Term> read_term(const json::value& item, const std::string& path, Report& report) {
    const bool dated = item.is_object();
    auto period = Period::parse(dated ? member(item.as_object(), "code") : json_text(item));
    if (!period || period->kind != PeriodKind::term) {
        report.add(at_path(path), "expected a term like 2020-2025, or {\"code\", \"first\", \"last\"}");
        return std::nullopt;
    }
    Term term{*period, std::nullopt, {}};
    if (!dated) return term;
    const json::object& object = item.as_object();
    bool good = true;
    if (object.contains("first") || object.contains("last")) {
        term.days = read_term_days(object, *period, path, report);
        good = term.days.has_value();
    }
    if (const json::value* orgs = object.if_contains("organisations")) {
        if (!orgs->is_array()) {
            report.add(at_path(path + ".organisations"), "expected an array");
            return std::nullopt;
        }
        for (std::size_t i = 0; i < orgs->as_array().size(); ++i) {
            const std::string at = path + ".organisations[" + std::to_string(i) + "]";
            const json::value& entry = orgs->as_array()[i];
            const std::string org = entry.is_object() ? member(entry.as_object(), "org") : std::string();
            if (org.empty() || org.find('<') != std::string::npos) {
                report.add(at_path(at), "expected {\"org\": CODE, \"first\": DAY, \"last\": DAY}");
                good = false;
                continue;
            }
            auto days = read_term_days(entry.as_object(), *period, at, report);
            if (days && !term.by_organisation.emplace(org, *days).second) {
                report.add(at_path(at), quoted(org) + " is listed twice");
                good = false;
            }
            good = good && days.has_value();
        }
    }
    return good ? std::optional<Term>(std::move(term)) : std::nullopt;
}

}  // namespace

Outcome import_catalogue(const Dataset& current, Format format, std::string_view file, std::string_view body) {
    Report report(file);
    if (format != Format::json) {
        report.add(0, 0, "a catalogue comes as JSON");
        return report.finish(std::nullopt);
    }
    auto document = read_json(body, report);
    if (!document) return report.finish(std::nullopt);
    if (!document->is_object()) {
        report.add(0, 0, "expected a JSON object with levels, org_types, indicators and terms");
        return report.finish(std::nullopt);
    }
    const json::object& root = document->as_object();
    Catalogue catalogue = *current.catalogue;
    auto each = [&](std::string_view list, auto&& read) {
        const json::value* items = root.if_contains(list);
        if (!items) return;
        if (!items->is_array()) return report.add(at_path(std::string(list)), "expected an array");
        for (std::size_t i = 0; i < items->as_array().size(); ++i) {
            std::string path = std::string(list) + "[" + std::to_string(i) + "]";
            const json::value& item = items->as_array()[i];
            if (!item.is_object())
                report.add(at_path(path), "expected an object");
            else
                read(item.as_object(), path);
        }
    };
    auto label = [&](const json::object& item, const std::string& path) {
        Label l{member(item, "code"), member(item, "label_vi"), member(item, "label_en")};
        if (l.code.empty()) report.add(at_path(path), "a code is needed");
        if (l.label_vi.empty()) report.add(at_path(path), "a Vietnamese label (label_vi) is needed");
        for (const auto& [key, text] : {std::pair{"code", &l.code}, std::pair{"label_vi", &l.label_vi},
                                        std::pair{"label_en", &l.label_en}})
            if (text->find('<') != std::string::npos) report.add(at_path(path + "." + key), kNoMarkup);
        if (l.label_en.empty()) l.label_en = l.label_vi;
        return l;
    };
    each("levels", [&](const json::object& item, const std::string& path) {
        Level level;
        static_cast<Label&>(level) = label(item, path);
        const json::value* base = item.if_contains("base");
        level.base = base && base->is_bool() && base->as_bool();
        if (const json::value* counted = item.if_contains("counted_in")) {
            if (!counted->is_array())
                report.add(at_path(path + ".counted_in"), "expected an array of indicator codes");
            else
                for (const json::value& code : counted->as_array()) level.counted_in.push_back(json_text(code));
        }
        merge_by_code(catalogue.levels, level);
    });
    each("org_types", [&](const json::object& item, const std::string& path) {
        merge_by_code(catalogue.org_types, label(item, path));
    });
    each("indicators", [&](const json::object& item, const std::string& path) {
        Indicator d;
        static_cast<Label&>(d) = label(item, path);
        d.group = member(item, "group");
        d.unit = member(item, "unit");
        auto kind = parse_kind(member(item, "kind"));
        if (!kind) report.add(at_path(path + ".kind"), "expected stock, flow, ratio or distribution");
        d.kind = kind.value_or(Kind::stock);
        d.flow_over_time = member(item, "over_time") == "flow";
        if (const json::value* better = item.if_contains("higher_is_better"); better && better->is_bool())
            d.higher_is_better = better->as_bool();
        if (const json::value* decimals = item.if_contains("decimals"); decimals && decimals->is_int64())
            d.decimals = static_cast<int>(decimals->as_int64());
        d.part_of = member(item, "part_of");
        d.numerator = member(item, "numerator");
        d.denominator = member(item, "denominator");
        if (const json::value* categories = item.if_contains("categories"); categories && categories->is_array())
            for (std::size_t c = 0; c < categories->as_array().size(); ++c)
                if (categories->as_array()[c].is_object())
                    d.categories.push_back(
                        label(categories->as_array()[c].as_object(), path + ".categories[" + std::to_string(c) + "]"));
        if (d.kind == Kind::distribution && d.categories.empty())
            report.add(at_path(path), "a distribution needs categories");
        if (d.kind == Kind::ratio && (d.numerator.empty() || d.denominator.empty()))
            report.add(at_path(path), "a ratio needs a numerator and a denominator");
        // Stored figures refer to categories by position: keep the old ones in place, add new ones after.
        if (int existing = catalogue.indicator(d.code); existing >= 0) {
            std::vector<Label> merged = catalogue.indicators[existing].categories;
            for (Label& category : d.categories) merge_by_code(merged, std::move(category));
            d.categories = std::move(merged);
        }
        merge_by_code(catalogue.indicators, std::move(d));
        catalogue.reindex();
    });
    if (const json::value* terms = root.if_contains("terms"); terms && !terms->is_array())
        report.add(at_path("terms"), "expected an array");
    else if (terms)
        for (std::size_t i = 0; i < terms->as_array().size(); ++i)
            if (auto term = read_term(terms->as_array()[i], "terms[" + std::to_string(i) + "]", report)) {
                auto same = std::find_if(catalogue.terms.begin(), catalogue.terms.end(),
                                         [&](const Term& t) { return t.period == term->period; });
                if (same == catalogue.terms.end())
                    catalogue.terms.push_back(std::move(*term));
                else if (terms->as_array()[i].is_object())  // a bare code keeps the days the term has
                    *same = std::move(*term);
            }
    std::sort(catalogue.terms.begin(), catalogue.terms.end(),
              [](const Term& a, const Term& b) { return a.period < b.period; });
    for (const Indicator& d : catalogue.indicators) {
        auto known = [&](std::string_view code) {
            if (code.starts_with(kTargetPrefix)) code.remove_prefix(kTargetPrefix.size());
            return catalogue.indicator(code) >= 0;
        };
        if (!d.part_of.empty() && !known(d.part_of))
            report.add(0, 0, quoted(d.code) + ": part_of names an unknown indicator " + quoted(d.part_of));
        if (d.kind == Kind::ratio && !d.numerator.empty() && !known(d.numerator))
            report.add(0, 0, quoted(d.code) + ": unknown numerator " + quoted(d.numerator));
        if (d.kind == Kind::ratio && !d.denominator.empty() && !known(d.denominator))
            report.add(0, 0, quoted(d.code) + ": unknown denominator " + quoted(d.denominator));
    }
    for (const Level& level : catalogue.levels)
        for (const std::string& code : level.counted_in)
            if (int i = catalogue.indicator(code); i < 0 || catalogue.indicators[i].kind != Kind::stock)
                report.add(0, 0, "level " + quoted(level.code) + ": counted_in names " + quoted(code) +
                                     ", which is not a stock indicator of the catalogue");
    ChangeSet changes;
    changes.kind = "catalogue";
    changes.file = std::string(file);
    changes.rows = catalogue.indicators.size();
    changes.catalogue = std::move(catalogue);
    return report.finish(std::move(changes));
}


}  // namespace chiso::importer
