// chiso-syncd provision: a fleet file (CSV, one row per screen) in; a device token on the server and a
// configuration bundle per screen out, for deploy/provision/chiso-firstboot to install (README, Deployment).
#pragma once

#include "syncd/config.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace chiso::syncd {

struct ProvisionOptions {
    std::filesystem::path fleet;  // the fleet file (CSV, one row per device)
    std::filesystem::path out;    // where DIR/<device>/ bundles and DIR/manifest.csv go
    std::string server_url;       // [server] url of every bundle: syncd as the kiosks reach it
    bool replace = false;         // a device that exists gets a new token; its old one stops working
    bool set_hostname = false;    // each bundle asks its device to take the device's name as host name
    std::filesystem::path ca_file;  // https only: the CA (PEM) every kiosk verifies syncd's certificate with
};

// Checks every row of the fleet file first; on any problem prints each as FILE:LINE:COLUMN: reason and returns 1
// with nothing created. Otherwise creates every device's token in one transaction, committed only once every
// bundle (chiso-kiosk.toml, kiosk.token, and ca.pem with --ca-file) is written, and merges the devices into DIR/manifest.csv (no tokens).
int provision(const Config& config, const ProvisionOptions& options);

// A fleet file checked as provision() checks it, against the server's organisations and tokens (name → admin),
// without a database and without writing anything: for the fuzz target (tests/fuzz/fleet_fuzz.cpp).
struct FleetCheck {
    std::vector<std::string> problems;  // LINE:COLUMN: reason, in the order found
    std::vector<std::string> bundles;   // when there is no problem: each device's chiso-kiosk.toml, in file order
};
FleetCheck check_fleet(const std::string& text, const ProvisionOptions& options,
                       const std::set<std::string>& organisations, const std::map<std::string, bool>& tokens);

}  // namespace chiso::syncd
