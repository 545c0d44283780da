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

namespace {

// The small letter of a capital Vietnamese writes (Đ, Ă, Â, Ê, Ô, Ơ, Ư, and each with its tone marks), as Unicode
// pairs them; any other character as it is.
char32_t small_letter(char32_t c) {
    const bool even = c % 2 == 0;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;  // À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý
    if (even && ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))) return c + 1;  // Ă Đ Ĩ Ũ
    if (c == 0x1A0 || c == 0x1AF) return c + 1;                                           // Ơ Ư
    if (even && ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF))) return c + 1;  // Ạ Ả Ấ ... Ỹ
    return c;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
    } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    }
    out += static_cast<char>(0x80 | (c & 0x3F));
}

}  // namespace

std::string fold(std::string_view text) {
    std::string trimmed = trim(text);
    std::string out;
    out.reserve(trimmed.size());
    for (std::size_t i = 0; i < trimmed.size(); ++i) {
        const auto byte = static_cast<unsigned char>(trimmed[i]);
        if (byte < 0x80) {
            out += byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : static_cast<char>(byte);
            continue;
        }
        // Two- and three-byte sequences hold every capital above; anything else (or broken) is kept as it is.
        const std::size_t length = (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : 1;
        bool whole = length > 1 && i + length <= trimmed.size();
        char32_t c = length == 2 ? byte & 0x1F : byte & 0x0F;
        for (std::size_t k = 1; whole && k < length; ++k) {
            const auto next = static_cast<unsigned char>(trimmed[i + k]);
            whole = (next & 0xC0) == 0x80;
            c = (c << 6) | (next & 0x3F);
        }
        if (!whole) {
            out += trimmed[i];
            continue;
        }
        const char32_t small = small_letter(c);
        if (small == c)
            out.append(trimmed, i, length);
        else
            append_utf8(out, small);
        i += length - 1;
    }
    return out;
}

}  // namespace chiso::importer
