// Fuzzes the importer with what an administrator's file could hold: CSV (long and wide) and JSON, for values,
// targets, organisations and the catalogue, against a dataset that has the demo's catalogue and tree, so that
// rows get past the header into the checks. The first byte picks the kind and format; the rest is the file.
// Whatever the bytes, import_file must return problems or a change set, never crash, hang or leak.
#include "demo_dataset.hpp"

#include <cstdint>

using namespace chiso;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using importer::FileKind, importer::Format;
    static constexpr FileKind kinds[] = {FileKind::values, FileKind::targets, FileKind::organisations,
                                         FileKind::catalogue};
    static constexpr Format formats[] = {Format::long_csv, Format::wide_csv, Format::json};
    const FileKind kind = kinds[data[0] % 4];
    const Format format = formats[(data[0] / 4) % 3];
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto outcome = importer::import_file(fuzz::demo_tree(), kind, format, "fuzz", body);
    if (outcome.changes && !outcome.problems.empty()) __builtin_trap();  // both: a file half applied
    return 0;
}
