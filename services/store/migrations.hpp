// Schema migrations as a chain of steps, driven by PRAGMA user_version, shared by syncd's store and the kiosk's
// cache: step i (migrate_to_<i+1>) takes a database from version i to i+1. A file is at one version or the next,
// never between: the steps it lacks and the new version are written in one transaction.
#pragma once

#include <SQLiteCpp/Database.h>

#include <span>

namespace chiso::store {

using MigrationStep = void (*)(SQLite::Database&);

// Takes `db` through the steps it has not taken yet, to version steps.size(). Returns the version it found; one
// past the chain means a newer program wrote the file, and then nothing is changed (the caller says so).
int migrate(SQLite::Database& db, std::span<const MigrationStep> steps);

}  // namespace chiso::store
