// Fuzzes the fleet file `chiso-syncd provision --fleet` reads (syncd::check_fleet, the check provision() makes
// before it creates anything), against the demo's organisations and two tokens on the server. Any bytes must give
// problems or bundles, never a crash; and every bundle of an accepted file must be a chiso-kiosk.toml the kiosk
// itself accepts, since a bundle it refused would stop that screen at its first start.
#include "importer/csv.hpp"
#include "input_file.hpp"
#include "kiosk/config.hpp"
#include "syncd/provision.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace {

using namespace chiso;

std::set<std::string> demo_organisations() {
    std::ifstream in(CHISO_DEMO_DIR "/organisations.csv", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string file = text.str();
    const importer::CsvResult csv = importer::parse_csv(file);
    std::set<std::string> codes;
    for (std::size_t r = 1; r < csv.records.size(); ++r)
        if (!csv.records[r].fields.empty()) codes.insert(std::string(csv.records[r].fields[0]));
    if (codes.empty()) std::abort();
    return codes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::set<std::string> organisations = demo_organisations();
    static const std::map<std::string, bool> tokens{{"demo-admin", true}, {"ht-0001", false}};
    static const chiso::fuzz::InputFile bundle_file("bundle.toml");
    syncd::ProvisionOptions options;
    options.fleet = "fleet.csv";
    options.out = "/nonexistent/chiso-fuzz-bundles";
    options.server_url = "http://10.0.0.5:8470";

    const syncd::FleetCheck check =
        syncd::check_fleet(std::string(reinterpret_cast<const char*>(data), size), options, organisations, tokens);
    if (!check.problems.empty() && !check.bundles.empty()) __builtin_trap();  // bundles despite problems
    for (const std::string& bundle : check.bundles) {
        try {
            (void)kiosk::load_config(bundle_file.write(bundle));
        } catch (const std::runtime_error&) {
            __builtin_trap();  // a bundle the kiosk refuses
        }
    }
    return 0;
}
