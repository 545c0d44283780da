// Fuzzes the CSV reader every import and the fleet file go through: quoting, byte-order marks, line ends.
#include "importer/csv.hpp"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)chiso::importer::parse_csv(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
