// Imports: a CSV, Excel (.xlsx) or JSON file checked against the current dataset and turned into one change set, or into
// the list of everything wrong with it (file, line, column, reason). Nothing here writes; the caller applies
// a change set only when the list is empty, so a file is applied whole or not at all.
#pragma once

#include "domain/dataset.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::importer {

enum class FileKind { catalogue, organisations, values, targets };
enum class Format { long_csv, wide_csv, json, xlsx };

std::optional<FileKind> parse_file_kind(std::string_view name);
// "long", "wide", "json", "xlsx"; empty: from the file name (.json → json, .xlsx → xlsx, else long). A workbook
// (.xlsx) is a workbook whatever layout is named: each sheet's header says whether it is long or wide.
std::optional<Format> parse_format(std::string_view name, std::string_view file_name);

struct Problem {
    std::string file;
    int line = 0;    // 1-based (a sheet's row); 0 for JSON, where `reason` starts with the path (values[3].value)
    int column = 0;  // 1-based; 0 when the problem is the whole row or file
    std::string reason;
    std::string sheet;    // a workbook's: the sheet's name
    std::string content;  // the cell's text, as the file has it (at most 200 bytes)

    std::string place() const;      // "12:3", or a workbook's "Biểu 1!C12" ("Biểu 1!12" for a row)
    std::string to_string() const;  // file:place: reason
};

struct Outcome {
    std::optional<domain::ChangeSet> changes;  // set only when `problems` is empty
    std::vector<Problem> problems;
    std::size_t problems_not_listed = 0;  // past the first kMaxProblems
    std::vector<std::string> notes;       // what was not read, and why (a workbook's sheet with no table)
};

inline constexpr std::size_t kMaxProblems = 1000;

Outcome import_file(const domain::Dataset& current, FileKind kind, Format format, std::string_view file_name,
                    std::string_view body);

}  // namespace chiso::importer
