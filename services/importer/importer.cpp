#include "importer/importer.hpp"

#include "importer/catalogue.hpp"
#include "importer/rows.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace chiso::importer {
using namespace chiso::domain;

std::optional<FileKind> parse_file_kind(std::string_view name) {
    if (name == "catalogue") return FileKind::catalogue;
    if (name == "organisations") return FileKind::organisations;
    if (name == "values") return FileKind::values;
    if (name == "targets") return FileKind::targets;
    return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name, std::string_view file_name) {
    const std::string file = fold(file_name);
    if (name == "xlsx" || ((name.empty() || name == "long" || name == "wide") && file.ends_with(".xlsx")))
        return Format::xlsx;  // a sheet's layout is read from its header
    if (name.empty()) return file.ends_with(".json") ? Format::json : Format::long_csv;
    if (name == "long") return Format::long_csv;
    if (name == "wide") return Format::wide_csv;
    if (name == "json") return Format::json;
    return std::nullopt;
}

std::string Problem::place() const {
    if (sheet.empty()) return std::to_string(line) + ":" + std::to_string(column);
    if (line == 0) return sheet;
    return sheet + "!" + (column == 0 ? std::to_string(line) : cell_name(line, column));
}

std::string Problem::to_string() const {
    return file + ":" + place() + ": " + reason;
}

namespace {

// ---- checking values and targets ----------------------------------------------------------------------------

std::optional<std::int64_t> whole_number(std::string_view text) {
    std::string folded = fold(text);
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(folded.data(), folded.data() + folded.size(), value);
    if (folded.empty() || error != std::errc{} || end != folded.data() + folded.size()) return std::nullopt;
    return value;
}

struct ResolvedIndicator {
    int indicator = -1;
    int category = -1;
    bool category_in_name = false;
};

// A category of an indicator by code or either label; -1 when it has none such.
int resolve_category(const Indicator& indicator, std::string_view text) {
    const std::string wanted = fold(text);
    const auto& categories = indicator.categories;
    for (int c = 0; c < static_cast<int>(categories.size()); ++c)
        if (fold(categories[c].code) == wanted || fold(categories[c].label_vi) == wanted ||
            fold(categories[c].label_en) == wanted)
            return c;
    return -1;
}

// An indicator by code or either label; a wide column may add ".category" (code or label).
std::optional<ResolvedIndicator> resolve_indicator(const Catalogue& catalogue, std::string_view text) {
    const std::string wanted = fold(text);
    for (int i = 0; i < static_cast<int>(catalogue.indicators.size()); ++i) {
        const Indicator& d = catalogue.indicators[i];
        if (fold(d.code) == wanted || fold(d.label_vi) == wanted || fold(d.label_en) == wanted)
            return ResolvedIndicator{i, -1, false};
    }
    auto dot = wanted.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    auto base = resolve_indicator(catalogue, wanted.substr(0, dot));
    if (!base || base->category_in_name) return std::nullopt;
    const int category = resolve_category(catalogue.indicators[base->indicator], wanted.substr(dot + 1));
    if (category < 0) return std::nullopt;
    return ResolvedIndicator{base->indicator, category, true};
}

const char* kPeriodHelp =
    "expected a month 2026-03, quarter 2026-Q1, half year 2026-H1, nine months 2026-9M, "
    "year 2026, term 2020-2025 or months 2015-09..2019-06";

// An organisation's figure of an indicator (and category) for a period, hashed: files hold a million of them.
struct FigureKey {
    int org, indicator, category;
    Period period;
    bool operator==(const FigureKey&) const = default;
};
struct FigureKeyHash {
    std::size_t operator()(const FigureKey& k) const {
        std::uint64_t h = static_cast<std::uint32_t>(k.org);
        for (std::uint64_t part : {std::uint64_t(std::uint32_t(k.indicator)), std::uint64_t(std::uint32_t(k.category)),
                                   std::uint64_t(k.period.kind), std::uint64_t(std::uint16_t(k.period.year)),
                                   std::uint64_t(std::uint16_t(k.period.index))})
            h = (h ^ part) * 0x100000001b3ULL + (h >> 29);
        return static_cast<std::size_t>(h);
    }
};

// The figures a file sets, in the order of its rows, each with the row it came from; and where each key is, so
// that a repeated key and a part's whole in the same file are found at once. One flat table of a million keys:
// no allocation per key.
struct CheckedFigures {
    std::vector<FigureChange> changes;
    std::vector<const Row*> rows;
    boost::unordered_flat_map<FigureKey, std::uint32_t, FigureKeyHash> index;

    const FigureChange* find(const FigureKey& key) const {
        auto found = index.find(key);
        return found == index.end() ? nullptr : &changes[found->second];
    }
};

CheckedFigures check_figures(const Dataset& current, const std::vector<Row>& rows, bool targets, Report& report) {
    const Catalogue& catalogue = *current.catalogue;
    CheckedFigures checked;
    std::map<std::string, std::optional<ResolvedIndicator>, std::less<>> resolved;  // labels repeat on every row
    std::map<std::pair<int, std::string>, int, std::less<>> categories;                // and categories too
    auto category_of = [&](int indicator, std::string_view text) {
        auto found = categories.find(std::pair{indicator, std::string(text)});
        if (found == categories.end())
            found = categories.emplace(std::pair{indicator, std::string(text)},
                                       resolve_category(catalogue.indicators[indicator], text)).first;
        return found->second;
    };
    checked.index.reserve(rows.size());
    checked.changes.reserve(rows.size());
    checked.rows.reserve(rows.size());
    for (const Row& row : rows) {
        bool good = true;
        auto fail = [&](const Field& field, const std::string& reason) {
            report.add(field.present ? field : row.whole(), reason);
            good = false;
        };
        const Field& org_field = row["org"];
        int org = current.tree->find(trim(org_field.text));
        if (org < 0) fail(org_field, "unknown organisation " + quoted(org_field.text));

        const Field& indicator_field = row["indicator"];
        auto cached = resolved.find(indicator_field.text);
        if (cached == resolved.end())
            cached = resolved.emplace(indicator_field.text, resolve_indicator(catalogue, indicator_field.text)).first;
        const auto& indicator = cached->second;
        if (!indicator)
            fail(indicator_field, "unknown indicator " + quoted(indicator_field.text));
        else if (catalogue.indicators[indicator->indicator].kind == Kind::ratio)
            fail(indicator_field, quoted(catalogue.indicators[indicator->indicator].code) +
                                      " is a ratio: it is computed from its numerator and denominator");

        const Field& period_field = row["period"];
        auto period = Period::parse(trim(period_field.text));
        if (!period) fail(period_field, "bad period " + quoted(period_field.text) + ": " + kPeriodHelp);

        const Field& value_field = row["value"];
        auto value = whole_number(value_field.text);
        if (!value)
            fail(value_field, "not a whole number: " + quoted(value_field.text));
        else if (*value < 0)
            fail(value_field, "a count cannot be negative: " + std::string(value_field.text));
        else if (*value > kLargestFigure)
            fail(value_field, "too large for a count: " + std::string(value_field.text) + " (at most " +
                                  std::to_string(kLargestFigure) + ")");

        int category = -1;
        if (indicator && catalogue.indicators[indicator->indicator].kind != Kind::ratio) {
            const Indicator& d = catalogue.indicators[indicator->indicator];
            const Field& category_field = row["category"];
            bool given = !fold(category_field.text).empty();
            if (indicator->category_in_name)
                category = indicator->category;
            else if (d.kind == Kind::distribution && !targets) {
                if (!given)
                    fail(category_field, quoted(d.code) + " is a distribution: a category is needed");
                else if ((category = category_of(indicator->indicator, category_field.text)) < 0)
                    fail(category_field, "unknown category " + quoted(category_field.text) + " of " + quoted(d.code));
            } else if (given) {
                fail(category_field, quoted(d.code) + " has no categories");
            }
        }
        if (org >= 0 && period) {
            if (!current.tree->at(org).version_during(period->first_day(), period->last_day()))
                fail(period_field,
                     "organisation " + quoted(org_field.text) + " did not exist during " + period->code());
        }
        if (!good) continue;

        const FigureKey key{org, indicator->indicator, category, *period};
        auto [at, first] = checked.index.try_emplace(key, static_cast<std::uint32_t>(checked.changes.size()));
        if (!first) {
            const FigureChange& earlier = checked.changes[at->second];
            const Row& earlier_row = *checked.rows[at->second];
            if (earlier.value != *value)
                fail(value_field, "a duplicate of " + earlier_row.place() + " with another value (" +
                                      std::to_string(earlier.value) + ", here " + std::to_string(*value) + ")");
            continue;
        }
        checked.changes.push_back({org, SeriesKey{indicator->indicator, category, *period}, *value});
        checked.rows.push_back(&row);
    }
    return checked;
}

// A part (women members) may not exceed its whole (all members) for the same organisation and period,
// taking the whole from this file or else from what is stored.
void check_parts(const Dataset& current, const CheckedFigures& figures, Report& report) {
    const Catalogue& catalogue = *current.catalogue;
    auto value_of = [&](int org, int indicator, const Period& period) {
        const FigureChange* in_file = figures.find({org, indicator, -1, period});
        return in_file ? in_file->value : current.values.get(SeriesKey{indicator, -1, period}, org);
    };
    for (std::size_t i = 0; i < figures.changes.size(); ++i) {
        const FigureChange& f = figures.changes[i];
        const Row& row = *figures.rows[i];
        const Indicator& d = catalogue.indicators[f.key.indicator];
        const Period& period = f.key.period;
        if (!d.part_of.empty()) {
            int whole = catalogue.indicator(d.part_of);
            std::int64_t total = whole < 0 ? kMissing : value_of(f.org, whole, period);
            if (total != kMissing && f.value > total)
                report.add(row["value"], "the part " + quoted(d.code) + " (" + std::to_string(f.value) +
                                             ") is larger than its whole " + quoted(d.part_of) + " (" +
                                             std::to_string(total) + ")");
        }
        for (int p = 0; p < static_cast<int>(catalogue.indicators.size()); ++p) {
            if (catalogue.indicators[p].part_of != d.code || figures.find({f.org, p, -1, period})) continue;
            std::int64_t part = current.values.get(SeriesKey{p, -1, period}, f.org);
            if (part != kMissing && part > f.value)
                report.add(row["value"], "the whole " + quoted(d.code) + " (" + std::to_string(f.value) +
                                             ") is smaller than its stored part " +
                                             quoted(catalogue.indicators[p].code) + " (" + std::to_string(part) + ")");
        }
    }
}

Outcome import_figures(const Dataset& current, bool targets, Format format, std::string_view file,
                       std::string_view body) {
    Report report(file);
    Rows rows;
    const std::set<std::string> required{"org", "indicator", "period", "value"};
    const std::set<std::string> optional =
        targets ? std::set<std::string>{} : std::set<std::string>{"category"};
    if (format == Format::long_csv)
        rows = long_rows(body, required, optional, report);
    else if (format == Format::xlsx)
        rows = sheet_rows(body, "org", required, optional, true, report);
    else if (format == Format::wide_csv)
        rows = wide_rows(body, report);
    else
        rows = json_rows(body, targets ? "targets" : "values", report);

    CheckedFigures figures = check_figures(current, rows.rows, targets, report);
    if (!targets) check_parts(current, figures, report);
    ChangeSet changes;
    changes.kind = targets ? "targets" : "values";
    changes.file = std::string(file);
    changes.rows = rows.rows.size();
    (targets ? changes.targets : changes.values) = std::move(figures.changes);
    return report.finish(std::move(changes), std::move(rows.notes));
}

// ---- organisations ------------------------------------------------------------------------------------------

Outcome import_organisations(const Dataset& current, Format format, std::string_view file, std::string_view body) {
    Report report(file);
    if (format == Format::wide_csv) {
        report.add(0, 0, "organisations come as a long CSV or JSON, not a wide table");
        return report.finish(std::nullopt);
    }
    const std::set<std::string> required{"code", "name", "level", "valid_from"}, optional{"parent", "type", "valid_to"};
    Rows input = format == Format::json   ? json_rows(body, "organisations", report)
                 : format == Format::xlsx ? sheet_rows(body, "code", required, optional, false, report)
                                          : long_rows(body, required, optional, report);
    const std::vector<Row>& rows = input.rows;
    const Catalogue& catalogue = *current.catalogue;

    std::map<std::string, Organisation> by_code;
    std::map<std::string, std::vector<const Row*>> rows_of;
    for (const Row& row : rows) {
        bool good = true;
        auto fail = [&](const Field& field, const std::string& reason) {
            report.add(field.present ? field : row.whole(), reason);
            good = false;
        };
        OrgVersion version;
        std::string code = trim(row["code"].text);
        if (fold(code).empty()) fail(row["code"], "an organisation needs a code");
        if (code.find('<') != std::string::npos) fail(row["code"], kNoMarkup);
        version.name = trim(row["name"].text);
        if (fold(version.name).empty()) fail(row["name"], "an organisation needs a name");
        if (version.name.find('<') != std::string::npos) fail(row["name"], kNoMarkup);
        version.parent = trim(row["parent"].text);
        version.level = trim(row["level"].text);
        const Level* level = catalogue.level(version.level);
        if (!level) fail(row["level"], "unknown level " + quoted(version.level));
        version.type = trim(row["type"].text);
        if (!version.type.empty() && !catalogue.has_org_type(version.type))
            fail(row["type"], "unknown organisation type " + quoted(version.type));
        else if (version.type.empty() && level && level->base)
            fail(row["type"], "a base organisation needs its organisation type (loại hình)");
        auto from = parse_day(trim(row["valid_from"].text));
        if (!from) fail(row["valid_from"], "bad date " + quoted(row["valid_from"].text) + ": expected YYYY-MM-DD");
        std::optional<Day> to = kForever;
        if (!fold(row["valid_to"].text).empty()) {
            to = parse_day(trim(row["valid_to"].text));
            if (!to) fail(row["valid_to"], "bad date " + quoted(row["valid_to"].text) + ": expected YYYY-MM-DD");
        }
        if (from && to && *to < *from) fail(row["valid_to"], "ends before it begins");
        if (!good) continue;
        version.valid_from = *from;
        version.valid_to = *to;
        Organisation& org = by_code[code];
        org.code = code;
        org.versions.push_back(version);
        rows_of[code].push_back(&row);
    }
    for (auto& [code, org] : by_code) {
        std::vector<std::size_t> order(org.versions.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        const auto& versions = org.versions;  // clang 14 (the fuzz build) cannot capture a structured binding
        std::sort(order.begin(), order.end(),
                  [&](auto a, auto b) { return versions[a].valid_from < versions[b].valid_from; });
        std::vector<OrgVersion> sorted;
        for (std::size_t i : order) sorted.push_back(org.versions[i]);
        for (std::size_t i = 1; i < sorted.size(); ++i)
            if (sorted[i].valid_from <= sorted[i - 1].valid_to)
                report.add((*rows_of[code][order[i]])["valid_from"], "overlaps another interval of " + quoted(code) +
                                                                         " (" + format_day(sorted[i - 1].valid_from) +
                                                                         " to " + format_day(sorted[i - 1].valid_to) +
                                                                         ")");
        org.versions = std::move(sorted);
    }
    // Every parent must be in force, in this file or in the store, on the day its child's interval begins.
    for (const auto& [code, org] : by_code)
        for (std::size_t i = 0; i < org.versions.size(); ++i) {
            const OrgVersion& version = org.versions[i];
            if (version.parent.empty()) continue;
            const Organisation* parent = nullptr;
            if (auto found = by_code.find(version.parent); found != by_code.end())
                parent = &found->second;
            else if (int stored = current.tree->find(version.parent); stored >= 0)
                parent = &current.tree->at(stored);
            const Row& row = *rows_of[code][0];
            if (!parent)
                report.add(row["parent"].present ? row["parent"] : row.whole(),
                           "unknown parent organisation " + quoted(version.parent) + " of " + quoted(code));
            else if (version.parent == code)
                report.add(row["parent"], quoted(code) + " cannot be its own parent");
            else if (!parent->version_during(version.valid_from, version.valid_from))
                report.add(row["parent"], "the parent " + quoted(version.parent) + " does not exist on " +
                                              format_day(version.valid_from));
        }
    ChangeSet changes;
    changes.kind = "organisations";
    changes.file = std::string(file);
    changes.rows = rows.size();
    for (auto& [code, org] : by_code) changes.organisations.push_back(std::move(org));
    return report.finish(std::move(changes), std::move(input.notes));
}

}  // namespace

Outcome import_file(const Dataset& current, FileKind kind, Format format, std::string_view file_name,
                    std::string_view body) {
    switch (kind) {
        case FileKind::catalogue:
            return import_catalogue(current, format, file_name, body);
        case FileKind::organisations:
            return import_organisations(current, format, file_name, body);
        case FileKind::values:
            return import_figures(current, false, format, file_name, body);
        case FileKind::targets:
            return import_figures(current, true, format, file_name, body);
    }
    return {};
}

}  // namespace chiso::importer
