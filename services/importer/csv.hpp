// RFC 4180 CSV as statisticians' tools write it: UTF-8 with or without a byte-order mark, quoted fields that may
// hold commas, quotes ("") and line breaks, CRLF or LF. Each record keeps the line it starts on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chiso::importer {

struct CsvRecord {
    int line = 0;
    std::vector<std::string> fields;
};

struct CsvResult {
    std::vector<CsvRecord> records;  // blank lines are skipped
    std::string error;               // set when the text is not CSV (an unterminated quote)
    int error_line = 0;
};

CsvResult parse_csv(std::string_view text);

// Without surrounding white space.
std::string trim(std::string_view text);

// Trimmed, with ASCII letters lower-cased: how headers and labels are compared.
std::string fold(std::string_view text);

}  // namespace chiso::importer
