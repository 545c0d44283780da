// How a file's rows reach the importer's checks, whatever the format: a CSV file, the sheets of an Excel workbook
// or a JSON document become rows whose cells are found by column name (org, indicator, period, value, ...), each
// cell knowing where it came from (a line and column, a sheet's cell, a JSON path); and the report of problems an
// import collects. A million-row file makes a million rows of a few words each: a cell is a view, never a copy.
#pragma once

#include "importer/csv.hpp"
#include "importer/importer.hpp"
#include "importer/xlsx.hpp"

#include <boost/json/value.hpp>

#include <deque>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::importer {

// One cell of input and where it came from: a view of the file's text, a workbook's cell, or a JSON row's copy.
struct Field {
    std::string_view text;
    int line = 0;  // a sheet's row
    int column = 0;
    std::string_view path;   // JSON only
    bool present = false;    // the file has this column (the cell may still be empty)
    std::string_view sheet;  // a workbook's only
};

// A JSON document's place: "values[3].value".
inline Field at_path(std::string_view path, std::string_view text = {}) {
    return Field{text, 0, 0, path, true, {}};
}

// A JSON row owns its cells: a number's text is made, not found in the file.
struct JsonCell {
    std::string text;
    std::string path;
};
struct JsonRow {
    std::string path;
    std::vector<std::pair<std::string_view, JsonCell>> cells;
};

struct Row {
    int line = 0;
    int indicator_column = -1;                  // a wide table: the one cell this row is (its header the indicator)
    const CsvRecord* record = nullptr;          // CSV or a sheet: its cells
    std::span<const std::string_view> columns;  // CSV or a sheet: the name of each cell ("" for none)
    const CsvRecord* header = nullptr;          // a wide table: the header row
    const JsonRow* json = nullptr;              // JSON: its cells
    std::string_view sheet;                     // a workbook's: the sheet's name

    std::string_view path() const { return json ? std::string_view(json->path) : std::string_view(); }
    // The row's cell in a column; not `present` when the file has no such column.
    Field operator[](std::string_view name) const;
    // Where the row is, for a message: "line 12", "Biểu 1!12", "values[3]".
    std::string place() const;
    // The row as a whole, for a problem with no one cell.
    Field whole() const { return Field{{}, line, 0, path(), true, sheet}; }

private:
    Field cell(const CsvRecord& from, std::size_t column) const;
};

// Rows, and what they point into: the parsed file or workbook (whose views a move keeps valid), each table's
// column names, or the JSON rows.
struct Rows {
    std::optional<CsvResult> csv;
    std::optional<Workbook> workbook;
    std::deque<std::vector<std::string_view>> columns;  // one per table: a deque never moves them
    std::vector<JsonRow> json;
    std::vector<Row> rows;
    std::vector<std::string> notes;  // what was left unread, and why (a sheet with no table)
};

class Report {
public:
    explicit Report(std::string_view file) : file_(file) {}

    void add(const Field& where, const std::string& reason);
    void add(int line, int column, const std::string& reason, std::string_view sheet = {});
    void add_unlisted(std::size_t count) { dropped_ += count; }  // problems found but not kept
    bool empty() const { return problems_.empty() && dropped_ == 0; }
    Outcome finish(std::optional<domain::ChangeSet> changes, std::vector<std::string> notes = {});

private:
    void keep(Problem problem);
    std::string file_;
    std::vector<Problem> problems_;
    std::size_t dropped_ = 0;
};

// A column's name from its header ("Tổ chức" → "org"): a view that lives as long as the program.
std::optional<std::string_view> column_name(std::string_view header);
std::string quoted(std::string_view text);

// A long table: the `required` columns and any of `optional`, in any order.
Rows long_rows(std::string_view body, const std::set<std::string>& required, const std::set<std::string>& optional,
               Report& report);
// A wide table: org and period columns, then one column per indicator (or indicator.category).
Rows wide_rows(std::string_view body, Report& report);
// An object whose array `list` holds one object per row.
Rows json_rows(std::string_view body, const std::string& list, Report& report);
// Every sheet of a workbook that has a table: its header is the first row naming the `key` column (org, or an
// organisation's code), and a title block above it is not read. A sheet whose header has the indicator and value
// columns is long, any other wide (when `wide_too`).
Rows sheet_rows(std::string_view body, std::string_view key, const std::set<std::string>& required,
                const std::set<std::string>& optional, bool wide_too, Report& report);

std::optional<boost::json::value> read_json(std::string_view body, Report& report);
std::string json_text(const boost::json::value& value);

}  // namespace chiso::importer
