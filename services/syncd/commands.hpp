// The commands of chiso-syncd, apart from parsing the command line: serve, import, list tokens, provision a fleet.
#pragma once

#include "syncd/config.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace chiso::syncd {

// Serves until SIGINT or SIGTERM; with config.demo, first seeds an empty database with the bundled demo and
// writes demo tokens beside the database.
int serve(const Config& config);

// Imports each file as one all-or-nothing import; prints problems as file:line:column: reason and returns 1
// at the first file refused.
int import_files(const Config& config, const std::string& kind, const std::string& format,
                 const std::vector<std::string>& files);

int list_devices(const Config& config);

struct ProvisionOptions {
    std::filesystem::path fleet;  // the fleet file (CSV, one row per device)
    std::filesystem::path out;    // where DIR/<device>/ bundles and DIR/manifest.csv go
    std::string server_url;       // [server] url of every bundle: syncd as the kiosks reach it
    bool replace = false;         // a device that exists gets a new token; its old one stops working
    bool set_hostname = false;    // each bundle asks its device to take the device's name as host name
};

// Checks every row of the fleet file first; on any problem prints each as FILE:LINE:COLUMN: reason and returns 1
// with nothing created. Otherwise creates every device's token in one transaction, committed only once every
// bundle (chiso-kiosk.toml, kiosk.token) is written, and merges the devices into DIR/manifest.csv (no tokens).
int provision(const Config& config, const ProvisionOptions& options);

}  // namespace chiso::syncd
