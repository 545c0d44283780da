// Fuzzes the Excel workbook import (libzip, expat, and the sheets' reading into rows) against the demo's catalogue
// and tree. Bit 0 of the first byte: 0, the rest is an archive as uploaded (mutations mostly meet the archive's
// checks: sizes, CRCs); 1, the rest is a workbook's parts, each "name\n" then its XML, separated by a NUL byte,
// zipped here so that mutations of the XML reach the sheet reader. Bit 1: values, or organisations.
// Whatever the bytes, the import must return problems or a change set, never crash, hang or leak.
#include "demo_dataset.hpp"

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace {

using namespace chiso;

// The parts zipped (stored, not deflated) into an archive in memory.
std::string zipped(std::string_view parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(out);
    zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    while (archive && !parts.empty()) {
        const std::string_view part = parts.substr(0, parts.find('\0'));
        parts.remove_prefix(std::min(parts.size(), part.size() + 1));
        const auto newline = part.find('\n');
        if (newline == std::string_view::npos) continue;
        const std::string name(part.substr(0, newline));
        const std::string_view xml = part.substr(newline + 1);
        zip_source_t* source = zip_source_buffer(archive, xml.data(), xml.size(), 0);
        const zip_int64_t index = source ? zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE) : -1;
        if (index < 0)
            zip_source_free(source);
        else
            zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    std::string bytes;
    if (archive && zip_close(archive) != 0) zip_discard(archive);
    zip_stat_t stat;
    if (zip_source_stat(out, &stat) == 0 && zip_source_open(out) == 0) {
        bytes.resize(stat.size);
        const zip_int64_t got = zip_source_read(out, bytes.data(), bytes.size());
        bytes.resize(got < 0 ? 0 : static_cast<std::size_t>(got));
        zip_source_close(out);
    }
    zip_source_free(out);
    zip_error_fini(&error);
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string body = data[0] & 1 ? zipped(rest) : std::string(rest);
    const auto kind = data[0] & 2 ? importer::FileKind::organisations : importer::FileKind::values;
    const auto outcome = importer::import_file(fuzz::demo_tree(), kind, importer::Format::xlsx, "fuzz.xlsx", body);
    if (outcome.changes && !outcome.problems.empty()) __builtin_trap();  // both: a file half applied
    return 0;
}
