#include "importer/archive.hpp"

#include <expat.h>
#include <zip.h>

#include <array>

namespace chiso::importer {

namespace {

std::string_view local_name(const char* name) {
    std::string_view whole(name);
    auto separator = whole.rfind('|');  // expat's namespace separator, set below
    if (separator != std::string_view::npos) whole.remove_prefix(separator + 1);
    auto colon = whole.rfind(':');  // a prefix expat left (an undeclared one)
    if (colon != std::string_view::npos) whole.remove_prefix(colon + 1);
    return whole;
}

constexpr zip_int64_t kMaxParts = 10'000;  // a workbook has a few dozen; each lookup by name walks them all

std::string mebibytes(std::uint64_t bytes) {
    return std::to_string((bytes + (std::uint64_t{1} << 20) - 1) >> 20) + " MiB";
}

// The expat parser of one part, and the handler it feeds; a handler's error or a DTD stops it.
struct Parse {
    XmlHandler& handler;
    XML_Parser parser;
    std::string refusal;

    // Calls the handler; nothing it throws may cross expat's C frames: it becomes the handler's error.
    template <class Call>
    static void guarded(void* self, Call&& call) {
        auto* parse = static_cast<Parse*>(self);
        if (!parse->handler.error.empty()) return;  // stopped: expat may still end the element it was in
        try {
            call(parse->handler);
        } catch (const std::exception& e) {
            parse->handler.error = std::string("cannot be read: ") + e.what();
        }
        if (!parse->handler.error.empty()) XML_StopParser(parse->parser, XML_FALSE);
    }
    static void XMLCALL on_open(void* self, const XML_Char* name, const XML_Char** attributes) {
        guarded(self, [&](XmlHandler& h) { h.open(local_name(name), attributes); });
    }
    static void XMLCALL on_close(void* self, const XML_Char* name) {
        guarded(self, [&](XmlHandler& h) { h.close(local_name(name)); });
    }
    static void XMLCALL on_text(void* self, const XML_Char* text, int length) {
        guarded(self, [&](XmlHandler& h) { h.text(std::string_view(text, static_cast<std::size_t>(length))); });
    }
    // A workbook's XML never has one; refusing it leaves no entity to expand, inside or outside the file.
    static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* parse = static_cast<Parse*>(self);
        parse->refusal = "has a document type declaration (DTD), which a workbook's XML never has";
        XML_StopParser(parse->parser, XML_FALSE);
    }
};

}  // namespace

std::string_view attribute(const char** attributes, std::string_view name) {
    for (std::size_t i = 0; attributes[i] && attributes[i + 1]; i += 2)
        if (local_name(attributes[i]) == name) return attributes[i + 1];
    return {};
}

struct Archive::Zip {
    zip_t* archive = nullptr;
    ~Zip() {
        if (archive) zip_discard(archive);  // read only: nothing to write back
    }
};

Archive::Archive(std::string_view bytes, std::uint64_t unpacked_budget)
    : zip_(std::make_unique<Zip>()), budget_(unpacked_budget) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
        zip_->archive = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (!zip_->archive) zip_source_free(source);
    }
    if (!zip_->archive)
        error_ = std::string("not a zip archive, as an .xlsx workbook is: ") + zip_error_strerror(&error);
    else if (zip_get_num_entries(zip_->archive, 0) > kMaxParts)
        error_ = "the archive has more than " + std::to_string(kMaxParts) + " parts, which no workbook has";
    zip_error_fini(&error);
}

Archive::~Archive() = default;

bool Archive::has(std::string_view part) const {
    return zip_->archive && zip_name_locate(zip_->archive, std::string(part).c_str(), ZIP_FL_NOCASE) >= 0;
}

bool Archive::parse(std::string_view part_name, XmlHandler& handler) {
    if (!zip_->archive) return false;
    const std::string part(part_name);
    auto fail = [&](const std::string& reason) {
        error_ = part + " " + reason;
        return false;
    };
    const zip_int64_t index = zip_name_locate(zip_->archive, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return fail("is missing");
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_->archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
        return fail("cannot be read: " + std::string(zip_error_strerror(zip_get_error(zip_->archive))));
    if (stat.size > budget_)
        return fail("unpacks to " + mebibytes(stat.size) + ", more than the " + mebibytes(budget_) +
                    " left of what a workbook may unpack to");
    zip_file_t* file = zip_fopen_index(zip_->archive, static_cast<zip_uint64_t>(index), 0);
    if (!file) return fail("cannot be unpacked: " + std::string(zip_error_strerror(zip_get_error(zip_->archive))));

    XML_Parser parser = XML_ParserCreateNS(nullptr, '|');
    Parse parse{handler, parser, {}};
    XML_SetUserData(parser, &parse);
    XML_SetElementHandler(parser, &Parse::on_open, &Parse::on_close);
    XML_SetCharacterDataHandler(parser, &Parse::on_text);
    XML_SetStartDoctypeDeclHandler(parser, &Parse::on_doctype);

    std::string failure;
    std::uint64_t unpacked = 0;
    std::array<char, 1 << 16> piece;
    for (;;) {
        const zip_int64_t read = zip_fread(file, piece.data(), piece.size());
        if (read < 0) {
            failure = "is damaged: " + std::string(zip_error_strerror(zip_file_get_error(file)));
            break;
        }
        unpacked += static_cast<std::uint64_t>(read);
        if (unpacked > stat.size) {  // libzip checks the size only at the end: stop the part's lie here
            failure = "unpacks to more than the " + std::to_string(stat.size) + " bytes it declares";
            break;
        }
        const bool last = read == 0;
        if (XML_Parse(parser, piece.data(), static_cast<int>(read), last) != XML_STATUS_OK) {
            if (!parse.refusal.empty())
                failure = parse.refusal;
            else if (handler.error.empty())
                failure = "is not well-formed XML (line " + std::to_string(XML_GetCurrentLineNumber(parser)) +
                          "): " + XML_ErrorString(XML_GetErrorCode(parser));
            break;
        }
        if (last) break;
    }
    XML_ParserFree(parser);
    zip_fclose(file);
    budget_ -= std::min(budget_, unpacked);
    if (!handler.error.empty()) {
        error_ = handler.error;  // it names its place in the workbook's words: a sheet, a cell
        return false;
    }
    return failure.empty() || fail(failure);
}

}  // namespace chiso::importer
