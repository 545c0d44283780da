#include "importer/importer.hpp"

#include "importer/csv.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <charconv>
#include <span>
#include <map>
#include <set>

namespace chiso::importer {
namespace json = boost::json;
using namespace chiso::domain;

std::optional<FileKind> parse_file_kind(std::string_view name) {
    if (name == "catalogue") return FileKind::catalogue;
    if (name == "organisations") return FileKind::organisations;
    if (name == "values") return FileKind::values;
    if (name == "targets") return FileKind::targets;
    return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name, std::string_view file_name) {
    if (name.empty()) return file_name.ends_with(".json") ? Format::json : Format::long_csv;
    if (name == "long") return Format::long_csv;
    if (name == "wide") return Format::wide_csv;
    if (name == "json") return Format::json;
    return std::nullopt;
}

std::string Problem::to_string() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

namespace {

// One cell of input and where it came from: a view of the file's text, or of a JSON row's own copy.
struct Field {
    std::string_view text;
    int line = 0;
    int column = 0;
    std::string_view path;  // JSON only
    bool present = false;
};

// A JSON row owns its cells: a number's text is made, not found in the file.
struct JsonCell {
    std::string text;
    std::string path;
};
struct JsonRow {
    std::string path;
    std::vector<std::pair<std::string_view, JsonCell>> cells;
};

// One row of input, its cells by column name (org, indicator, period, value, category, ...). A CSV row reads its
// cells from the parsed file and a JSON row from its JsonRow, so a million-row file makes a million rows of a few
// words each, and reading a cell copies nothing.
struct Row {
    int line = 0;
    int indicator_column = -1;                  // a wide table: the one cell this row is (its header the indicator)
    const CsvRecord* record = nullptr;          // CSV: its cells
    std::span<const std::string_view> columns;  // CSV: the name of each cell ("" for none)
    const CsvRecord* header = nullptr;          // a wide table: the header row
    const JsonRow* json = nullptr;              // JSON: its cells

    std::string_view path() const { return json ? std::string_view(json->path) : std::string_view(); }

    Field operator[](std::string_view name) const {
        if (header) {
            if (name == "indicator") return cell(*header, static_cast<std::size_t>(indicator_column));
            if (name == "value") return cell(*record, static_cast<std::size_t>(indicator_column));
        }
        if (record) {
            for (std::size_t c = 0; c < columns.size(); ++c)
                if (columns[c] == name) return cell(*record, c);
            return {};
        }
        for (const auto& [column, field] : json->cells)
            if (column == name) return Field{field.text, 0, 0, field.path, true};
        return {};
    }

private:
    static Field cell(const CsvRecord& record, std::size_t column) {
        return Field{record.fields[column], record.line, static_cast<int>(column + 1), {}, true};
    }
};

// Rows, and what they point into: the parsed file (whose views a move keeps valid) or the JSON rows.
struct Rows {
    std::optional<CsvResult> csv;
    std::vector<std::string_view> columns;
    std::vector<JsonRow> json;
    std::vector<Row> rows;
};

class Report {
public:
    explicit Report(std::string_view file) : file_(file) {}

    void add(const Field& where, const std::string& reason) {
        add(where.line, where.column, where.path.empty() ? reason : std::string(where.path) + ": " + reason);
    }
    void add(int line, int column, const std::string& reason) {
        if (problems_.size() < kMaxProblems)
            problems_.push_back({file_, line, column, reason});
        else
            ++dropped_;
    }
    bool empty() const { return problems_.empty(); }

    Outcome finish(std::optional<ChangeSet> changes) {
        Outcome outcome;
        if (empty()) outcome.changes = std::move(changes);
        outcome.problems = std::move(problems_);
        outcome.problems_not_listed = dropped_;
        return outcome;
    }

private:
    std::string file_;
    std::vector<Problem> problems_;
    std::size_t dropped_ = 0;
};

// Column names and the Vietnamese headers that mean the same.
const std::map<std::string, std::string>& header_names() {
    static const std::map<std::string, std::string> names = {{"org", "org"},
                                                             {"tổ chức", "org"},
                                                             {"indicator", "indicator"},
                                                             {"chỉ số", "indicator"},
                                                             {"period", "period"},
                                                             {"kỳ", "period"},
                                                             {"value", "value"},
                                                             {"giá trị", "value"},
                                                             {"category", "category"},
                                                             {"phân loại", "category"},
                                                             {"code", "code"},
                                                             {"mã", "code"},
                                                             {"name", "name"},
                                                             {"tên", "name"},
                                                             {"parent", "parent"},
                                                             {"cấp trên", "parent"},
                                                             {"level", "level"},
                                                             {"cấp", "level"},
                                                             {"type", "type"},
                                                             {"loại hình", "type"},
                                                             {"valid_from", "valid_from"},
                                                             {"từ ngày", "valid_from"},
                                                             {"valid_to", "valid_to"},
                                                             {"đến ngày", "valid_to"}};
    return names;
}

// The column's name, kept in the table above: a view that lives as long as the program.
std::optional<std::string_view> column_name(std::string_view header) {
    auto found = header_names().find(fold(header));
    if (found == header_names().end()) return std::nullopt;
    return found->second;
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

// ---- reading each format into rows of named fields -------------------------------------------------------

std::optional<CsvResult> read_csv(std::string_view body, Report& report) {
    CsvResult csv = parse_csv(body);
    if (!csv.error.empty()) {
        report.add(csv.error_line, 0, csv.error);
        return std::nullopt;
    }
    if (csv.records.empty()) {
        report.add(1, 0, "the file is empty: a header line is expected");
        return std::nullopt;
    }
    return csv;
}

// Whether a record has as many fields as its header; if not, the report says so for its line.
bool has_fields(const CsvRecord& record, std::size_t expected, Report& report) {
    if (record.fields.size() == expected) return true;
    report.add(record.line, 0,
               "expected " + std::to_string(expected) + " fields, found " + std::to_string(record.fields.size()));
    return false;
}

Rows long_rows(std::string_view body, const std::set<std::string>& required, const std::set<std::string>& optional,
               Report& report) {
    Rows rows;
    rows.csv = read_csv(body, report);
    if (!rows.csv) return rows;
    const CsvRecord& header = rows.csv->records.front();
    std::set<std::string> seen;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
        auto name = column_name(header.fields[c]);
        if (!name || (!required.contains(std::string(*name)) && !optional.contains(std::string(*name)))) {
            report.add(header.line, static_cast<int>(c + 1), "unknown column " + quoted(header.fields[c]));
            rows.columns.emplace_back();
            continue;
        }
        if (!seen.insert(std::string(*name)).second)
            report.add(header.line, static_cast<int>(c + 1), "column " + quoted(*name) + " appears twice");
        rows.columns.push_back(*name);
    }
    for (const std::string& name : required)
        if (!seen.contains(name)) report.add(header.line, 0, "the column " + quoted(name) + " is missing");
    if (!report.empty()) return rows;

    rows.rows.reserve(rows.csv->records.size());
    for (std::size_t r = 1; r < rows.csv->records.size(); ++r) {
        const CsvRecord& record = rows.csv->records[r];
        if (!has_fields(record, rows.columns.size(), report)) continue;
        rows.rows.push_back(Row{record.line, -1, &record, rows.columns, nullptr, nullptr});
    }
    return rows;
}

// A wide table: org and period columns, then one column per indicator (or indicator.category).
Rows wide_rows(std::string_view body, Report& report) {
    Rows rows;
    rows.csv = read_csv(body, report);
    if (!rows.csv) return rows;
    const CsvRecord& header = rows.csv->records.front();
    int org_column = -1, period_column = -1;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
        auto name = column_name(header.fields[c]);
        if (name == "org")
            org_column = static_cast<int>(c);
        else if (name == "period")
            period_column = static_cast<int>(c);
    }
    if (org_column < 0) report.add(header.line, 0, "the column 'org' (tổ chức) is missing");
    if (period_column < 0) report.add(header.line, 0, "the column 'period' (kỳ) is missing");
    if (!report.empty()) return rows;

    // Each cell of an indicator column is a row of its own: org and period from its record, the indicator from
    // the header, the value its own.
    rows.columns.assign(header.fields.size(), std::string_view{});
    rows.columns[static_cast<std::size_t>(org_column)] = "org";
    rows.columns[static_cast<std::size_t>(period_column)] = "period";
    for (std::size_t r = 1; r < rows.csv->records.size(); ++r) {
        const CsvRecord& record = rows.csv->records[r];
        if (!has_fields(record, header.fields.size(), report)) continue;
        for (std::size_t c = 0; c < header.fields.size(); ++c) {
            if (static_cast<int>(c) == org_column || static_cast<int>(c) == period_column) continue;
            if (fold(record.fields[c]).empty()) continue;  // not reported
            rows.rows.push_back(Row{record.line, static_cast<int>(c), &record, rows.columns, &header, nullptr});
        }
    }
    return rows;
}

std::optional<json::value> read_json(std::string_view body, Report& report) {
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    boost::system::error_code error;
    json::value document = json::parse(body, error);
    if (error) {
        report.add(0, 0, "not valid JSON: " + error.message());
        return std::nullopt;
    }
    return document;
}

std::string json_text(const json::value& value) {
    if (value.is_string()) return std::string(value.as_string());
    if (value.is_int64()) return std::to_string(value.as_int64());
    if (value.is_uint64()) return std::to_string(value.as_uint64());
    if (value.is_null()) return {};
    return json::serialize(value);
}

Rows json_rows(std::string_view body, const std::string& list, Report& report) {
    Rows rows;
    auto document = read_json(body, report);
    if (!document) return rows;
    const json::object* object = document->if_object();
    const json::value* records = object ? object->if_contains(list) : nullptr;
    if (!records || !records->is_array()) {
        report.add(0, 0, "expected an object with an array " + quoted(list));
        return rows;
    }
    const json::array& array = records->as_array();
    rows.json.reserve(array.size());  // rows point at these: no reallocation
    for (std::size_t i = 0; i < array.size(); ++i) {
        std::string path = list + "[" + std::to_string(i) + "]";
        if (!array[i].is_object()) {
            report.add(Field{{}, 0, 0, path, true}, "expected an object");
            continue;
        }
        JsonRow& row = rows.json.emplace_back(JsonRow{path, {}});
        for (const auto& [key, value] : array[i].as_object()) {
            auto name = column_name(key);
            JsonCell cell{json_text(value), path + "." + std::string(key)};
            if (!name) {
                report.add(Field{cell.text, 0, 0, cell.path, true}, "unknown field");
                continue;
            }
            auto same = std::find_if(row.cells.begin(), row.cells.end(), [&](const auto& c) { return c.first == *name; });
            if (same != row.cells.end())
                same->second = std::move(cell);  // the last of a repeated key counts, as in a JSON object
            else
                row.cells.emplace_back(*name, std::move(cell));
        }
    }
    rows.rows.reserve(rows.json.size());
    for (const JsonRow& row : rows.json) rows.rows.push_back(Row{0, -1, nullptr, {}, nullptr, &row});
    return rows;
}

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
    const std::string category = fold(wanted.substr(dot + 1));
    const auto& categories = catalogue.indicators[base->indicator].categories;
    for (int c = 0; c < static_cast<int>(categories.size()); ++c)
        if (fold(categories[c].code) == category || fold(categories[c].label_vi) == category ||
            fold(categories[c].label_en) == category)
            return ResolvedIndicator{base->indicator, c, true};
    return std::nullopt;
}

// Names and labels go on the wall as written: nothing in them may read as markup to a viewer that guesses.
const char* kNoMarkup = "'<' is not allowed: names and labels are shown as written, never as markup";

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
    checked.index.reserve(rows.size());
    checked.changes.reserve(rows.size());
    checked.rows.reserve(rows.size());
    for (const Row& row : rows) {
        bool good = true;
        auto fail = [&](const Field& field, const std::string& reason) {
            report.add(field.present ? field : Field{{}, row.line, 0, row.path(), true}, reason);
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
                else if ((category = catalogue.category(indicator->indicator, trim(category_field.text))) < 0)
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
                fail(value_field, "a duplicate of " +
                                      (earlier_row.json ? std::string(earlier_row.path())
                                                        : "line " + std::to_string(earlier_row.line)) +
                                      " with another value (" + std::to_string(earlier.value) + ", here " +
                                      std::to_string(*value) + ")");
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
    if (format == Format::long_csv)
        rows = long_rows(body, required, targets ? std::set<std::string>{} : std::set<std::string>{"category"}, report);
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
    return report.finish(std::move(changes));
}

// ---- organisations ------------------------------------------------------------------------------------------

Outcome import_organisations(const Dataset& current, Format format, std::string_view file, std::string_view body) {
    Report report(file);
    if (format == Format::wide_csv) {
        report.add(0, 0, "organisations come as a long CSV or JSON, not a wide table");
        return report.finish(std::nullopt);
    }
    Rows input = format == Format::json ? json_rows(body, "organisations", report)
                                        : long_rows(body, {"code", "name", "level", "valid_from"},
                                                               {"parent", "type", "valid_to"}, report);
    const std::vector<Row>& rows = input.rows;
    const Catalogue& catalogue = *current.catalogue;

    std::map<std::string, Organisation> by_code;
    std::map<std::string, std::vector<const Row*>> rows_of;
    for (const Row& row : rows) {
        bool good = true;
        auto fail = [&](const Field& field, const std::string& reason) {
            report.add(field.present ? field : Field{{}, row.line, 0, row.path(), true}, reason);
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
                report.add(row["parent"].present ? row["parent"] : Field{{}, row.line, 0, row.path(), true},
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
    return report.finish(std::move(changes));
}

// ---- catalogue ----------------------------------------------------------------------------------------------

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
        report.add(Field{{}, 0, 0, path, true}, reason);
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
        report.add(Field{{}, 0, 0, path, true}, "expected a term like 2020-2025, or {\"code\", \"first\", \"last\"}");
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
            report.add(Field{{}, 0, 0, path + ".organisations", true}, "expected an array");
            return std::nullopt;
        }
        for (std::size_t i = 0; i < orgs->as_array().size(); ++i) {
            const std::string at = path + ".organisations[" + std::to_string(i) + "]";
            const json::value& entry = orgs->as_array()[i];
            const std::string org = entry.is_object() ? member(entry.as_object(), "org") : std::string();
            if (org.empty() || org.find('<') != std::string::npos) {
                report.add(Field{{}, 0, 0, at, true}, "expected {\"org\": CODE, \"first\": DAY, \"last\": DAY}");
                good = false;
                continue;
            }
            auto days = read_term_days(entry.as_object(), *period, at, report);
            if (days && !term.by_organisation.emplace(org, *days).second) {
                report.add(Field{{}, 0, 0, at, true}, quoted(org) + " is listed twice");
                good = false;
            }
            good = good && days.has_value();
        }
    }
    return good ? std::optional<Term>(std::move(term)) : std::nullopt;
}

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
        if (!items->is_array()) return report.add(Field{{}, 0, 0, std::string(list), true}, "expected an array");
        for (std::size_t i = 0; i < items->as_array().size(); ++i) {
            std::string path = std::string(list) + "[" + std::to_string(i) + "]";
            const json::value& item = items->as_array()[i];
            if (!item.is_object())
                report.add(Field{{}, 0, 0, path, true}, "expected an object");
            else
                read(item.as_object(), path);
        }
    };
    auto label = [&](const json::object& item, const std::string& path) {
        Label l{member(item, "code"), member(item, "label_vi"), member(item, "label_en")};
        if (l.code.empty()) report.add(Field{{}, 0, 0, path, true}, "a code is needed");
        if (l.label_vi.empty()) report.add(Field{{}, 0, 0, path, true}, "a Vietnamese label (label_vi) is needed");
        for (const auto& [key, text] : {std::pair{"code", &l.code}, std::pair{"label_vi", &l.label_vi},
                                        std::pair{"label_en", &l.label_en}})
            if (text->find('<') != std::string::npos) report.add(Field{{}, 0, 0, path + "." + key, true}, kNoMarkup);
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
                report.add(Field{{}, 0, 0, path + ".counted_in", true}, "expected an array of indicator codes");
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
        if (!kind) report.add(Field{{}, 0, 0, path + ".kind", true}, "expected stock, flow, ratio or distribution");
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
            report.add(Field{{}, 0, 0, path, true}, "a distribution needs categories");
        if (d.kind == Kind::ratio && (d.numerator.empty() || d.denominator.empty()))
            report.add(Field{{}, 0, 0, path, true}, "a ratio needs a numerator and a denominator");
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
        report.add(Field{{}, 0, 0, "terms", true}, "expected an array");
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
