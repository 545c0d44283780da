#include "syncclient/cache.hpp"

#include "store/migrations.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <system_error>

namespace chiso::syncclient {

namespace {

constexpr int kBusyTimeoutMs = 5000;  // a checkpoint by another reader (a tool, a test) may hold the file briefly

// One row each: the cache holds one scope (a kiosk shows one organisation), replaced whole by store().
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE document (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, revision INTEGER NOT NULL);
CREATE TABLE sync_state (id INTEGER PRIMARY KEY CHECK (id = 1), server TEXT NOT NULL, etag TEXT NOT NULL,
  synced_at INTEGER NOT NULL);
)sql";

// The display settings the server last sent (kiosk/settings.hpp), checked before they were stored.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE settings (id INTEGER PRIMARY KEY CHECK (id = 1), server TEXT NOT NULL, tag TEXT NOT NULL,
  json TEXT NOT NULL);
)sql";

void configure(SQLite::Database& db) {
    // The first statement reads the header: a file that is not a database throws here.
    if (db.execAndGet("PRAGMA journal_mode=WAL").getString() != "wal")
        throw SQLite::Exception("the cache cannot use write-ahead logging");
    db.exec("PRAGMA synchronous=FULL");  // a commit is on disk before store() returns
}

// The first problems PRAGMA quick_check found, or nothing when it says "ok".
std::optional<std::string> integrity_problem(SQLite::Database& db) {
    SQLite::Statement check(db, "PRAGMA quick_check(3)");
    std::string problems;
    while (check.executeStep()) {
        std::string line = check.getColumn(0).getString();
        if (line == "ok") return std::nullopt;
        problems += (problems.empty() ? "" : "; ") + line;
    }
    return "integrity check failed: " + problems;
}

void migrate_to_1(SQLite::Database& db) {
    db.exec(kSchemaV1);
}

void migrate_to_2(SQLite::Database& db) {
    db.exec(kSchemaV2);
}

constexpr std::array<store::MigrationStep, 2> kMigrations{migrate_to_1, migrate_to_2};

std::optional<std::string> migrate(SQLite::Database& db) {
    if (const int found = store::migrate(db, kMigrations); found > static_cast<int>(kMigrations.size()))
        return "written by a newer kiosk (cache schema " + std::to_string(found) + ")";
    return std::nullopt;
}

std::optional<std::string> stored_json(SQLite::Database& db) {
    SQLite::Statement select(db, "SELECT json FROM document WHERE id = 1");
    if (!select.executeStep()) return std::nullopt;
    return select.getColumn(0).getString();
}

bool is_damage(int sqlite_error) {
    return sqlite_error == SQLITE_CORRUPT || sqlite_error == SQLITE_NOTADB || sqlite_error == SQLITE_FORMAT;
}

}  // namespace

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Cache::Cache(const std::filesystem::path& file) : file_(file) {
    std::error_code ignored;
    if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path(), ignored);
    if (auto reason = open_checked()) {
        set_aside();
        rebuilt_ = true;
        rebuilt_reason_ = *reason;
        // A fresh file: if this throws too, the disk itself is the problem and the caller must hear of it.
        db_.emplace(file_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
        configure(*db_);
        migrate(*db_);
    }
}

std::optional<std::string> Cache::open_checked() {
    try {
        db_.emplace(file_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
        configure(*db_);
        if (auto problem = integrity_problem(*db_)) return problem;
        if (auto problem = migrate(*db_)) return problem;
        std::string error;
        if (auto json = stored_json(*db_); json && !wire::ScopeDocument::parse(*json, &error))
            return "the stored document does not parse: " + error;
        return std::nullopt;
    } catch (const SQLite::Exception& e) {
        // Only damage sets the file aside; a lock held by another process or a read-only disk is not damage.
        if (!is_damage(e.getErrorCode())) throw;
        return std::string("not a readable database: ") + e.what();
    }
}

// Moves the file and its WAL and shared-memory files to <file>.corrupt-<unix time>, for a person to look at.
void Cache::set_aside() {
    db_.reset();
    std::string aside = file_.string() + ".corrupt-" + std::to_string(unix_now());
    for (int n = 1; std::filesystem::exists(aside); ++n)
        aside = file_.string() + ".corrupt-" + std::to_string(unix_now()) + "-" + std::to_string(n);
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ignored;  // -wal and -shm may not exist
        std::filesystem::rename(file_.string() + suffix, aside + suffix, ignored);
    }
}

std::optional<wire::ScopeDocument> Cache::document() {
    std::lock_guard lock(mutex_);
    auto json = stored_json(*db_);
    if (!json) return std::nullopt;
    return wire::ScopeDocument::parse(*json);  // checked on open; written only from a parsed document since
}

SyncState Cache::state() {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, "SELECT server, etag, synced_at FROM sync_state WHERE id = 1");
    if (!select.executeStep()) return {};
    return {select.getColumn(0).getString(), select.getColumn(1).getString(), select.getColumn(2).getInt64()};
}

void Cache::store(const wire::ScopeDocument& document, const SyncState& state) {
    const std::string json = document.to_json();  // outside the lock and the transaction
    std::lock_guard lock(mutex_);
    SQLite::Transaction transaction(*db_);
    SQLite::Statement put_document(*db_, "INSERT OR REPLACE INTO document (id, json, revision) VALUES (1, ?, ?)");
    put_document.bind(1, json);
    put_document.bind(2, document.revision());
    put_document.exec();
    SQLite::Statement put_state(*db_,
                                "INSERT OR REPLACE INTO sync_state (id, server, etag, synced_at) VALUES (1, ?, ?, ?)");
    put_state.bind(1, state.server);
    put_state.bind(2, state.etag);
    put_state.bind(3, state.synced_at);
    put_state.exec();
    transaction.commit();
}

std::optional<StoredSettings> Cache::settings() {
    std::lock_guard lock(mutex_);
    SQLite::Statement select(*db_, "SELECT server, tag, json FROM settings WHERE id = 1");
    if (!select.executeStep()) return std::nullopt;
    return StoredSettings{select.getColumn(0).getString(), select.getColumn(1).getString(),
                          select.getColumn(2).getString()};
}

void Cache::store_settings(const StoredSettings& settings) {
    std::lock_guard lock(mutex_);
    SQLite::Statement put(*db_, "INSERT OR REPLACE INTO settings (id, server, tag, json) VALUES (1, ?, ?, ?)");
    put.bind(1, settings.server), put.bind(2, settings.tag), put.bind(3, settings.json);
    put.exec();
}

void Cache::touch(std::int64_t synced_at) {
    std::lock_guard lock(mutex_);
    SQLite::Statement update(*db_, "UPDATE sync_state SET synced_at = ? WHERE id = 1");
    update.bind(1, synced_at);
    update.exec();
}

}  // namespace chiso::syncclient
