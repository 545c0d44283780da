#include "importer/rows.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>

namespace chiso::importer {
namespace json = boost::json;

namespace {

// Column names and the Vietnamese headers that mean the same.
const std::map<std::string, std::string>& header_names() {
    static const std::map<std::string, std::string> names = {
        {"org", "org"},           {"tổ chức", "org"},           {"indicator", "indicator"}, {"chỉ số", "indicator"},
        {"period", "period"},     {"kỳ", "period"},             {"value", "value"},         {"giá trị", "value"},
        {"category", "category"}, {"phân loại", "category"},    {"code", "code"},           {"mã", "code"},
        {"name", "name"},         {"tên", "name"},              {"parent", "parent"},       {"cấp trên", "parent"},
        {"level", "level"},       {"cấp", "level"},             {"type", "type"},           {"loại hình", "type"},
        {"valid_from", "valid_from"}, {"từ ngày", "valid_from"}, {"valid_to", "valid_to"},  {"đến ngày", "valid_to"}};
    return names;
}

// A cell's text as a problem shows it: whole up to 200 bytes, cut at a character's start beyond.
std::string shown(std::string_view text) {
    if (text.size() <= 200) return std::string(text);
    std::size_t end = 200;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end)) + "…";
}

bool blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// One table: a CSV file, or a sheet under its header row. A sheet's rows are as wide as their last cell, so
// ragged; a CSV record must have as many fields as its header.
struct Table {
    std::span<const CsvRecord> records;  // the header first
    std::string_view sheet;
    bool ragged = false;
    std::set<std::pair<int, int>> unreadable = {};  // a sheet's cells whose value the file lacks, already reported

    bool readable(const CsvRecord& record, std::size_t column) const {
        return !unreadable.contains({record.line, static_cast<int>(column + 1)});
    }
    bool readable(const CsvRecord& record) const {
        auto first = unreadable.lower_bound({record.line, 0});
        return first == unreadable.end() || first->first != record.line;
    }
};

// Whether a record fits its header; if not, the report says why, at its line or at its first cell outside the
// table (past its last header, or under an empty header cell of a sheet's long table: a figure never read).
bool fits(const Table& table, const CsvRecord& record, std::span<const std::string_view> columns, Report& report) {
    const std::size_t expected = columns.size();
    if (table.ragged) {
        for (std::size_t c = 0; c < record.fields.size(); ++c) {
            if (blank(record.fields[c]) || (c < expected && !columns[c].empty())) continue;
            report.add(Field{record.fields[c], record.line, static_cast<int>(c + 1), {}, true, table.sheet},
                       c < expected ? "this cell's column has no header: give it one, or clear the cell"
                                    : "this cell is right of the table's last header: give its column a header, or clear it");
            return false;
        }
        return true;
    }
    if (record.fields.size() == expected) return true;
    report.add(record.line, 0,
               "expected " + std::to_string(expected) + " fields, found " + std::to_string(record.fields.size()));
    return false;
}

void add_long(const Table& table, const std::set<std::string>& required, const std::set<std::string>& optional,
              Rows& rows, Report& report) {
    const CsvRecord& header = table.records.front();
    std::vector<std::string_view>& columns = rows.columns.emplace_back();
    std::set<std::string> seen;
    bool good = true;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
        const Field here{header.fields[c], header.line, static_cast<int>(c + 1), {}, true, table.sheet};
        auto name = column_name(header.fields[c]);
        if (table.ragged && blank(header.fields[c])) {
            columns.emplace_back();  // a sheet's empty header cell: a gap between columns, checked per row
            continue;
        }
        if (!name || (!required.contains(std::string(*name)) && !optional.contains(std::string(*name)))) {
            report.add(here, "unknown column " + quoted(header.fields[c]));
            columns.emplace_back();
            good = false;
            continue;
        }
        if (!seen.insert(std::string(*name)).second) {
            report.add(here, "column " + quoted(*name) + " appears twice");
            good = false;
        }
        columns.push_back(*name);
    }
    for (const std::string& name : required)
        if (!seen.contains(name)) {
            report.add(header.line, 0, "the column " + quoted(name) + " is missing", table.sheet);
            good = false;
        }
    if (!good) return;
    for (const CsvRecord& record : table.records.subspan(1)) {
        if (!fits(table, record, columns, report) || !table.readable(record)) continue;
        rows.rows.push_back(Row{record.line, -1, &record, columns, nullptr, nullptr, table.sheet});
    }
}

void add_wide(const Table& table, Rows& rows, Report& report) {
    const CsvRecord& header = table.records.front();
    int org_column = -1, period_column = -1;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
        auto name = column_name(header.fields[c]);
        if (name == "org")
            org_column = static_cast<int>(c);
        else if (name == "period")
            period_column = static_cast<int>(c);
    }
    if (org_column < 0) report.add(header.line, 0, "the column 'org' (tổ chức) is missing", table.sheet);
    if (period_column < 0) report.add(header.line, 0, "the column 'period' (kỳ) is missing", table.sheet);
    if (org_column < 0 || period_column < 0) return;

    // Each cell of an indicator column is a row of its own: org and period from its record, the indicator from
    // the header, the value its own.
    std::vector<std::string_view>& columns = rows.columns.emplace_back(header.fields.size());
    columns[static_cast<std::size_t>(org_column)] = "org";
    columns[static_cast<std::size_t>(period_column)] = "period";
    for (const CsvRecord& record : table.records.subspan(1)) {
        if (!fits(table, record, std::span<const std::string_view>(header.fields), report)) continue;
        for (std::size_t c = 0; c < std::min(header.fields.size(), record.fields.size()); ++c) {
            if (static_cast<int>(c) == org_column || static_cast<int>(c) == period_column) continue;
            if (blank(record.fields[c]) || !table.readable(record, c)) continue;  // not reported, or reported
            rows.rows.push_back(Row{record.line, static_cast<int>(c), &record, columns, &header, nullptr, table.sheet});
        }
    }
}

std::optional<CsvResult> read_csv(std::string_view body, Report& report) {
    if (looks_like_zip(body)) {
        report.add(1, 0, "this is a zip archive, as an Excel workbook is: name the file .xlsx, or choose the format xlsx");
        return std::nullopt;
    }
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

}  // namespace

Field Row::operator[](std::string_view name) const {
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
        if (column == name) return at_path(field.path, field.text);
    return {};
}

Field Row::cell(const CsvRecord& from, std::size_t column) const {
    // A sheet's row ends at its last cell: the cells after it are there, and empty.
    const std::string_view text = column < from.fields.size() ? from.fields[column] : std::string_view();
    return Field{text, from.line, static_cast<int>(column + 1), {}, true, sheet};
}

std::string Row::place() const {
    if (json) return json->path;
    if (!sheet.empty()) return std::string(sheet) + "!" + std::to_string(line);
    return "line " + std::to_string(line);
}

void Report::add(const Field& where, const std::string& reason) {
    keep(Problem{file_, where.line, where.column, where.path.empty() ? reason : std::string(where.path) + ": " + reason,
                 std::string(where.sheet), shown(where.text)});
}

void Report::add(int line, int column, const std::string& reason, std::string_view sheet) {
    keep(Problem{file_, line, column, reason, std::string(sheet), {}});
}

void Report::keep(Problem problem) {
    if (problems_.size() < kMaxProblems)
        problems_.push_back(std::move(problem));
    else
        ++dropped_;
}

Outcome Report::finish(std::optional<domain::ChangeSet> changes, std::vector<std::string> notes) {
    Outcome outcome;
    if (empty()) outcome.changes = std::move(changes);
    outcome.problems = std::move(problems_);
    outcome.problems_not_listed = dropped_;
    outcome.notes = std::move(notes);
    return outcome;
}

std::optional<std::string_view> column_name(std::string_view header) {
    auto found = header_names().find(fold(header));
    if (found == header_names().end()) return std::nullopt;
    return found->second;
}

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

Rows long_rows(std::string_view body, const std::set<std::string>& required, const std::set<std::string>& optional,
               Report& report) {
    Rows rows;
    rows.csv = read_csv(body, report);
    if (rows.csv) {
        rows.rows.reserve(rows.csv->records.size());
        add_long(Table{rows.csv->records, {}, false}, required, optional, rows, report);
    }
    return rows;
}

Rows wide_rows(std::string_view body, Report& report) {
    Rows rows;
    rows.csv = read_csv(body, report);
    if (rows.csv) add_wide(Table{rows.csv->records, {}, false}, rows, report);
    return rows;
}

Rows sheet_rows(std::string_view body, std::string_view key, const std::set<std::string>& required,
                const std::set<std::string>& optional, bool wide_too, Report& report) {
    Rows rows;
    rows.workbook = read_xlsx(body);
    const Workbook& book = *rows.workbook;
    if (!book.error.empty()) {
        report.add(0, 0, book.error);
        return rows;
    }
    report.add_unlisted(book.problems_not_listed);
    bool any = false;
    for (const Sheet& sheet : book.sheets) {
        if (sheet.hidden) {
            rows.notes.push_back("the sheet " + quoted(sheet.name) + " is hidden: not read");
            continue;
        }
        auto header = std::find_if(sheet.records.begin(), sheet.records.end(), [&](const CsvRecord& record) {
            return std::any_of(record.fields.begin(), record.fields.end(),
                               [&](std::string_view cell) { return column_name(cell) == key; });
        });
        if (header == sheet.records.end()) {
            rows.notes.push_back("the sheet " + quoted(sheet.name) + " has no table (no row names the column " +
                                 quoted(key) + "): not read");
            continue;
        }
        any = true;
        Table table{std::span(header, sheet.records.end()), sheet.name, true};
        // A cell whose value the file lacks matters in the table only: not in a title block above it.
        for (const CellProblem& problem : book.problems)
            if (problem.sheet == sheet.name && problem.row > header->line) {
                report.add(problem.row, problem.column, problem.reason, problem.sheet);
                table.unreadable.emplace(problem.row, problem.column);
            }
        auto named = [&](std::string_view wanted) {
            return std::any_of(header->fields.begin(), header->fields.end(),
                               [&](std::string_view cell) { return column_name(cell) == wanted; });
        };
        if (wide_too && !(named("indicator") && named("value")))
            add_wide(table, rows, report);
        else
            add_long(table, required, optional, rows, report);
    }
    if (!any)
        report.add(0, 0, "no sheet has a table: a header row naming the column " + quoted(key) + " is expected");
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
            report.add(at_path(path), "expected an object");
            continue;
        }
        JsonRow& row = rows.json.emplace_back(JsonRow{path, {}});
        for (const auto& [key, value] : array[i].as_object()) {
            auto name = column_name(key);
            JsonCell cell{json_text(value), path + "." + std::string(key)};
            if (!name) {
                report.add(at_path(cell.path, cell.text), "unknown field");
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
    for (const JsonRow& row : rows.json) rows.rows.push_back(Row{0, -1, nullptr, {}, nullptr, &row, {}});
    return rows;
}

}  // namespace chiso::importer
