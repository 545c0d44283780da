#include "store/migrations.hpp"

#include <SQLiteCpp/Transaction.h>

#include <string>

namespace chiso::store {

namespace {

int user_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

int migrate(SQLite::Database& db, std::span<const MigrationStep> steps) {
    const int last = static_cast<int>(steps.size());
    if (const int version = user_version(db); version >= last) return version;  // the usual case: no write lock
    // IMMEDIATE: a second process opening the same file waits here and then finds the work done.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const int found = user_version(db);
    for (int version = found; version < last; ++version) steps[static_cast<std::size_t>(version)](db);
    if (found < last) db.exec("PRAGMA user_version=" + std::to_string(last));
    transaction.commit();
    return found;
}

}  // namespace chiso::store
