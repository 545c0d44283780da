// Fuzzes the importer with what an administrator's file could hold: CSV (long and wide) and JSON, for values,
// targets, organisations and the catalogue, against a dataset that has the demo's catalogue and tree, so that
// rows get past the header into the checks. The first byte picks the kind and format; the rest is the file.
// Whatever the bytes, import_file must return problems or a change set, never crash, hang or leak.
#include "importer/importer.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using namespace chiso;

std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

domain::Dataset with(const domain::Dataset& before, importer::FileKind kind, importer::Format format,
                     const std::string& file) {
    const auto outcome =
        importer::import_file(before, kind, format, file, read(std::string(CHISO_DEMO_DIR "/") + file));
    if (!outcome.changes) throw std::runtime_error("the demo's " + file + " does not import");
    return before.apply(*outcome.changes, before.revision + 1);
}

const domain::Dataset& demo_tree() {
    static const domain::Dataset dataset = [] {
        domain::Dataset empty;
        auto catalogue = with(empty, importer::FileKind::catalogue, importer::Format::json, "catalogue.json");
        return with(catalogue, importer::FileKind::organisations, importer::Format::long_csv, "organisations.csv");
    }();
    return dataset;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using importer::FileKind, importer::Format;
    static constexpr FileKind kinds[] = {FileKind::values, FileKind::targets, FileKind::organisations,
                                         FileKind::catalogue};
    static constexpr Format formats[] = {Format::long_csv, Format::wide_csv, Format::json};
    const FileKind kind = kinds[data[0] % 4];
    const Format format = formats[(data[0] / 4) % 3];
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto outcome = importer::import_file(demo_tree(), kind, format, "fuzz", body);
    if (outcome.changes && !outcome.problems.empty()) __builtin_trap();  // both: a file half applied
    return 0;
}
