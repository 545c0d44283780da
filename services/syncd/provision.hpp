// chiso-syncd provision: a fleet file (CSV, one row per screen) in; a device token on the server and a
// configuration bundle per screen out, for deploy/provision/chiso-firstboot to install (README, Deployment).
#pragma once

#include "syncd/config.hpp"

#include <filesystem>
#include <string>

namespace chiso::syncd {

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
