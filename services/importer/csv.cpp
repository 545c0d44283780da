#include "importer/csv.hpp"

#include <algorithm>

namespace chiso::importer {

namespace {

// The field being read: a slice of the text while its characters are contiguous there, else a copy.
class FieldText {
public:
    void append_char_at(std::string_view text, std::size_t i) {
        if (copied_) {
            copy_ += text[i];
        } else if (begin_ == end_) {
            begin_ = i, end_ = i + 1;
        } else if (end_ == i) {
            ++end_;
        } else {
            copied_ = true;
            copy_.assign(text.substr(begin_, end_ - begin_)) += text[i];
        }
    }
    std::string_view finish(std::string_view text, std::deque<std::string>& copies) {
        std::string_view field = copied_ ? std::string_view(copies.emplace_back(std::move(copy_)))
                                         : text.substr(begin_, end_ - begin_);
        *this = FieldText{};
        return field;
    }

private:
    std::size_t begin_ = 0, end_ = 0;
    bool copied_ = false;
    std::string copy_;
};

}  // namespace

CsvResult parse_csv(std::string_view text) {
    CsvResult result;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    struct Span {
        int line;
        std::size_t first, count;
    };
    // Sized once from the separators, so that a large file's fields are never moved as the vector grows.
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::vector<Span> spans;  // made into records once fields_ stops growing
    spans.reserve(lines);
    result.fields_.reserve(lines + static_cast<std::size_t>(std::count(text.begin(), text.end(), ',')));
    FieldText field;
    bool quoted = false, field_started = false;
    int line = 1, quote_line = 0;
    Span record{1, 0, 0};
    auto end_field = [&] {
        result.fields_.push_back(field.finish(text, result.unquoted_));
        ++record.count;
        field_started = false;
    };
    auto end_record = [&] {
        end_field();
        const bool blank = record.count == 1 && result.fields_.back().empty();
        if (blank)
            result.fields_.pop_back();
        else
            spans.push_back(record);
        record = Span{line, result.fields_.size(), 0};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field.append_char_at(text, i), ++i;
            else if (c == '"')
                quoted = false;
            else {
                if (c == '\n') ++line;
                field.append_char_at(text, i);
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = field_started = true;
            quote_line = line;
        } else if (c == ',') {
            end_field();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (c == '\n') {
            ++line;
            end_record();
        } else {
            field.append_char_at(text, i);
            field_started = true;
        }
    }
    if (quoted) {
        result.error = "a quoted field is never closed";
        result.error_line = quote_line;
        return result;
    }
    if (field_started || record.count > 0) end_record();
    result.records.reserve(spans.size());
    for (const Span& span : spans)
        result.records.push_back({span.line, std::span<const std::string_view>(result.fields_).subspan(span.first, span.count)});
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
