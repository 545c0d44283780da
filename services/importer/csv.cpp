#include "importer/csv.hpp"

#include <algorithm>

namespace chiso::importer {

CsvResult parse_csv(std::string_view text) {
    CsvResult result;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // Sized up front: a million-row file then allocates once per record, not once per field.
    result.records.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    CsvRecord record;
    std::string field;
    bool quoted = false, field_started = false;
    int line = 1, quote_line = 0;
    record.line = 1;
    std::size_t width = 0;  // the last record's number of fields
    auto end_record = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
        field_started = false;
        bool blank = record.fields.size() == 1 && record.fields[0].empty();
        if (!blank) {
            width = record.fields.size();
            result.records.push_back(std::move(record));
        }
        record = CsvRecord{};
        record.line = line;
        record.fields.reserve(width);
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += '"', ++i;
            else if (c == '"')
                quoted = false;
            else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = field_started = true;
            quote_line = line;
        } else if (c == ',') {
            record.fields.push_back(std::move(field));
            field.clear();
            field_started = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            ++line;
            end_record();
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted) {
        result.error = "a quoted field is never closed";
        result.error_line = quote_line;
        return result;
    }
    if (field_started || !record.fields.empty()) end_record();
    return result;
}

std::string trim(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::string fold(std::string_view text) {
    std::string out = trim(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

}  // namespace chiso::importer
