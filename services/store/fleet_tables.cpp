#include "store/fleet_schema.hpp"
#include "store/store.hpp"

#include <SQLiteCpp/Transaction.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <set>
#include <stdexcept>

namespace chiso::store {

std::string random_token() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("no randomness for a token");
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (unsigned char byte : bytes) {
        token += hex[byte >> 4];
        token += hex[byte & 15];
    }
    return token;
}

namespace {

// Devices' own tokens keep admin = 0: the column stays for a program of schema 2 reading the file.
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'device';
UPDATE tokens SET role = 'admin' WHERE admin = 1;
CREATE TABLE settings (layer TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at TEXT NOT NULL
  DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), updated_by TEXT NOT NULL);
CREATE TABLE device_groups (device TEXT NOT NULL, position INTEGER NOT NULL, grp TEXT NOT NULL,
  PRIMARY KEY (device, position), UNIQUE (device, grp));
ALTER TABLE heartbeats ADD COLUMN settings_tag TEXT NOT NULL DEFAULT '';
ALTER TABLE heartbeats ADD COLUMN display_connected INTEGER;
ALTER TABLE heartbeats ADD COLUMN display_connector TEXT NOT NULL DEFAULT '';
ALTER TABLE heartbeats ADD COLUMN display_power TEXT NOT NULL DEFAULT '';
CREATE TABLE device_alerts (device TEXT PRIMARY KEY, status TEXT NOT NULL, changed_at TEXT NOT NULL);
CREATE TABLE fleet_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO fleet_version VALUES (1, 0);
)sql";

void bump_fleet_version(SQLite::Database& db) {
    db.exec("UPDATE fleet_version SET version = version + 1");
}

// Inside the caller's transaction.
void write_device_groups(SQLite::Database& db, const std::string& device, const std::vector<std::string>& groups) {
    bump_fleet_version(db);
    SQLite::Statement remove(db, "DELETE FROM device_groups WHERE device = ?");
    remove.bind(1, device);
    remove.exec();
    SQLite::Statement insert(db, "INSERT INTO device_groups VALUES (?,?,?)");
    for (std::size_t i = 0; i < groups.size(); ++i) {
        insert.bind(1, device), insert.bind(2, static_cast<std::int64_t>(i)), insert.bind(3, groups[i]);
        insert.exec(), insert.reset();
    }
}

}  // namespace

void migrate_fleet_to_3(SQLite::Database& db) {
    db.exec(kSchemaV3);
}

std::string sha256_hex(std::string_view input) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string Store::add_token(const std::string& name, const std::string& scope_org, const std::string& role) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement exists(db_, "SELECT 1 FROM tokens WHERE name = ?");
    exists.bind(1, name);
    if (exists.executeStep()) throw std::invalid_argument("a token named '" + name + "' exists already");
    std::string token = random_token();
    SQLite::Statement insert(db_, "INSERT INTO tokens (name, sha256, scope_org, admin, role) VALUES (?,?,?,?,?)");
    insert.bind(1, name), insert.bind(2, sha256_hex(token)), insert.bind(3, scope_org), insert.bind(4, role == "admin"),
        insert.bind(5, role);
    insert.exec();
    bump_fleet_version(db_);
    transaction.commit();
    return token;
}

std::vector<std::string> Store::add_device_tokens(
    const std::vector<NewDevice>& devices, bool replace,
    const std::function<void(const std::vector<std::string>& tokens)>& before_commit) {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement existing(db_, "SELECT role FROM tokens WHERE name = ?");
    SQLite::Statement insert(db_, "INSERT INTO tokens (name, sha256, scope_org, admin) VALUES (?,?,?,0)");
    // The row is kept (the name is the key heartbeats are filed under) with a new secret: the old hash is gone,
    // so the old token no longer matches anything.
    SQLite::Statement renew(db_,
                            "UPDATE tokens SET sha256 = ?, scope_org = ?, revoked_at = NULL,"
                            " created_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE name = ?");
    std::vector<std::string> clear_tokens;
    clear_tokens.reserve(devices.size());
    std::set<std::string> names;
    for (const NewDevice& device : devices) {
        if (!names.insert(device.name).second) throw std::invalid_argument("'" + device.name + "' is listed twice");
        existing.bind(1, device.name);
        const bool exists = existing.executeStep();
        const std::string role = exists ? text(existing, 0) : "device";
        existing.reset();
        if (role != "device") throw std::invalid_argument("'" + device.name + "' is a person's token (" + role + ")");
        if (exists && !replace) throw std::invalid_argument("a token named '" + device.name + "' exists already");
        std::string token = random_token();
        SQLite::Statement& write = exists ? renew : insert;
        if (exists)
            renew.bind(1, sha256_hex(token)), renew.bind(2, device.scope_org), renew.bind(3, device.name);
        else
            insert.bind(1, device.name), insert.bind(2, sha256_hex(token)), insert.bind(3, device.scope_org);
        write.exec();
        write.reset();
        write_device_groups(db_, device.name, device.groups);
        clear_tokens.push_back(std::move(token));
    }
    if (before_commit) before_commit(clear_tokens);
    transaction.commit();
    return clear_tokens;
}

namespace {
TokenRow token_row(SQLite::Statement& query) {
    TokenRow row{text(query, 0), text(query, 1), text(query, 2), text(query, 3), std::nullopt};
    if (!query.getColumn(4).isNull()) row.revoked_at = text(query, 4);
    return row;
}
}  // namespace

std::vector<TokenRow> Store::tokens() {
    std::vector<TokenRow> rows;
    SQLite::Statement query(db_, "SELECT name, scope_org, role, created_at, revoked_at FROM tokens ORDER BY name");
    while (query.executeStep()) rows.push_back(token_row(query));
    return rows;
}

std::optional<TokenRow> Store::token_by_hash(const std::string& sha256) {
    SQLite::Statement query(db_, "SELECT name, scope_org, role, created_at, revoked_at FROM tokens WHERE sha256 = ?");
    query.bind(1, sha256);
    if (!query.executeStep()) return std::nullopt;
    return token_row(query);
}

bool Store::revoke_token(const std::string& name) {
    SQLite::Statement update(db_,
                             "UPDATE tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                             " WHERE name = ? AND revoked_at IS NULL");
    update.bind(1, name);
    return update.exec() > 0;
}

std::int64_t Store::data_version() {
    return db_.execAndGet("PRAGMA data_version").getInt64();
}

void Store::record_heartbeat(const Heartbeat& h) {
    SQLite::Statement upsert(db_,
                             "INSERT OR REPLACE INTO heartbeats VALUES"
                             " (?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ','now')), ?,?,?,?,?,?,?,?,?,?)");
    upsert.bind(1, h.device);
    if (!h.received_at.empty()) upsert.bind(2, h.received_at);
    upsert.bind(3, h.version), upsert.bind(4, h.revision), upsert.bind(5, h.data_age_s), upsert.bind(6, h.page),
        upsert.bind(7, h.screen_on), upsert.bind(8, h.address), upsert.bind(9, h.settings_tag);
    if (h.display_connected) upsert.bind(10, *h.display_connected);
    upsert.bind(11, h.display_connector), upsert.bind(12, h.display_power);
    upsert.exec();
}

std::vector<Heartbeat> Store::heartbeats() {
    std::vector<Heartbeat> rows;
    SQLite::Statement query(db_,
                            "SELECT device, received_at, version, revision, data_age_s, page, screen_on,"
                            " address, settings_tag, display_connected, display_connector, display_power FROM heartbeats"
                            " ORDER BY device");
    while (query.executeStep())
        rows.push_back({text(query, 0), text(query, 1), text(query, 2), query.getColumn(3).getInt64(),
                        query.getColumn(4).getInt64(), text(query, 5), query.getColumn(6).getInt() != 0,
                        text(query, 7), text(query, 8),
                        query.getColumn(9).isNull() ? std::nullopt
                                                    : std::optional<bool>(query.getColumn(9).getInt() != 0),
                        text(query, 10), text(query, 11)});
    return rows;
}

std::vector<SettingsRow> Store::settings() {
    std::vector<SettingsRow> rows;
    SQLite::Statement query(db_, "SELECT layer, json, updated_at, updated_by FROM settings ORDER BY layer");
    while (query.executeStep()) rows.push_back({text(query, 0), text(query, 1), text(query, 2), text(query, 3)});
    return rows;
}

void Store::put_settings(const std::string& layer, const std::string& json, const std::string& updated_by) {
    SQLite::Transaction transaction(db_);
    bump_fleet_version(db_);
    if (json == "{}") {
        SQLite::Statement remove(db_, "DELETE FROM settings WHERE layer = ?");
        remove.bind(1, layer);
        remove.exec();
    } else {
        SQLite::Statement upsert(db_, "INSERT OR REPLACE INTO settings (layer, json, updated_by) VALUES (?,?,?)");
        upsert.bind(1, layer), upsert.bind(2, json), upsert.bind(3, updated_by);
        upsert.exec();
    }
    transaction.commit();
}

std::map<std::string, std::string> Store::alert_states() {
    std::map<std::string, std::string> states;
    SQLite::Statement query(db_, "SELECT device, status FROM device_alerts");
    while (query.executeStep()) states[text(query, 0)] = text(query, 1);
    return states;
}

void Store::set_alert_state(const std::string& device, const std::string& status) {
    SQLite::Statement upsert(db_,
                             "INSERT OR REPLACE INTO device_alerts VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
    upsert.bind(1, device), upsert.bind(2, status);
    upsert.exec();
}

std::int64_t Store::fleet_version() {
    return db_.execAndGet("SELECT version FROM fleet_version").getInt64();
}

std::vector<DeviceGroup> Store::device_groups() {
    std::vector<DeviceGroup> rows;
    SQLite::Statement query(db_, "SELECT device, grp FROM device_groups ORDER BY device, position");
    while (query.executeStep()) rows.push_back({text(query, 0), text(query, 1)});
    return rows;
}

void Store::set_device_groups(const std::string& device, const std::vector<std::string>& groups) {
    SQLite::Transaction transaction(db_);
    write_device_groups(db_, device, groups);
    transaction.commit();
}

}  // namespace chiso::store
