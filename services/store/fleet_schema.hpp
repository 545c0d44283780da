// Private to the store: the fleet's tables (tokens with their roles, heartbeats, display settings and groups),
// written by fleet_tables.cpp beside the figures of store.cpp, and what both files share.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>

namespace chiso::store {

// Schema 3: a role on every token; display settings per layer; the groups each device is in.
void migrate_fleet_to_3(SQLite::Database& db);

inline std::string text(SQLite::Statement& statement, int column) {
    return statement.getColumn(column).getString();
}

}  // namespace chiso::store
