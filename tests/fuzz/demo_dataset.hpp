// The demo's catalogue and tree as a dataset, made once with the real importer: the fuzz targets of the importer
// check rows against it, so that their inputs get past the header into the checks.
#pragma once

#include "importer/importer.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace chiso::fuzz {

inline std::string read_demo_file(const std::string& file) {
    std::ifstream in(std::string(CHISO_DEMO_DIR "/") + file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline domain::Dataset with_demo_file(const domain::Dataset& before, importer::FileKind kind, importer::Format format,
                                      const std::string& file) {
    const auto outcome = importer::import_file(before, kind, format, file, read_demo_file(file));
    if (!outcome.changes) throw std::runtime_error("the demo's " + file + " does not import");
    return before.apply(*outcome.changes, before.revision + 1);
}

inline const domain::Dataset& demo_tree() {
    static const domain::Dataset dataset = [] {
        domain::Dataset empty;
        auto catalogue = with_demo_file(empty, importer::FileKind::catalogue, importer::Format::json, "catalogue.json");
        return with_demo_file(catalogue, importer::FileKind::organisations, importer::Format::long_csv,
                              "organisations.csv");
    }();
    return dataset;
}

}  // namespace chiso::fuzz
