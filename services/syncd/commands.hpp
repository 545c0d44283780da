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

// Imports each file as one all-or-nothing import (or, with dry_run, checks it and prints what it would change);
// prints problems as file:line:column: reason and returns 1 at the first file refused.
int import_files(const Config& config, const std::string& kind, const std::string& format,
                 const std::vector<std::string>& files, bool dry_run);
// The import history, latest first: revision, when, kind, rows, who, file.
int list_imports(const Config& config, int limit);
// Puts back the figures `revision` replaced, as a new revision; a ServiceError says why it cannot.
int undo_import(const Config& config, std::int64_t revision);

int list_devices(const Config& config);

}  // namespace chiso::syncd
