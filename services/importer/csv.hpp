// RFC 4180 CSV as statisticians' tools write it: UTF-8 with or without a byte-order mark, quoted fields that may
// hold commas, quotes ("") and line breaks, CRLF or LF. Each record keeps the line it starts on.
// A field is a view: of the text parsed, which must outlive the result, or of the result's own copy of a field
// whose quotes it undid. So a million-row file costs a few large allocations, not one per record and field.
#pragma once

#include <concepts>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::importer {

struct CsvRecord {
    int line = 0;
    std::span<const std::string_view> fields;
};

struct CsvResult {
    std::vector<CsvRecord> records;  // blank lines are skipped
    std::string error;               // set when the text is not CSV (an unterminated quote)
    int error_line = 0;

    CsvResult() = default;
    CsvResult(CsvResult&&) = default;  // a move keeps every view valid; a copy would not, so there is none
    CsvResult& operator=(CsvResult&&) = default;

private:
    friend CsvResult parse_csv(std::string_view text);
// The result would view a string about to go: keep the text in a variable first.
template <class Text>
    requires std::same_as<Text, std::string>
CsvResult parse_csv(Text&& temporary) = delete;
    std::vector<std::string_view> fields_;  // every record's fields, one after another
    std::deque<std::string> unquoted_;      // fields that are not a slice of the text
};

CsvResult parse_csv(std::string_view text);
// The result would view a string about to go: keep the text in a variable first.
template <class Text>
    requires std::same_as<Text, std::string>
CsvResult parse_csv(Text&& temporary) = delete;

// Without surrounding white space.
std::string trim(std::string_view text);

// Trimmed, with capital letters made small, Vietnamese ones too ("TỔ CHỨC" → "tổ chức"): how headers, codes and
// labels are compared.
std::string fold(std::string_view text);

}  // namespace chiso::importer
