// The commands of chiso-syncd, apart from parsing the command line: serve, import, list tokens
// (provision.hpp: provisioning a fleet).
#pragma once

#include "syncd/config.hpp"

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

}  // namespace chiso::syncd
