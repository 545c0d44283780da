// syncd's SQLite store: the catalogue, the organisation tree, values and targets, the revision log, device
// tokens (hashed) and heartbeats. WAL with synchronous=FULL; every change is one transaction; the schema
// migrates by PRAGMA user_version. One Store is one connection: use it from one thread at a time.
#pragma once

#include "domain/dataset.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace chiso::store {

// role: "device" for a screen's token; "admin", "it" or "statistician" for a person's.
struct TokenRow {
    std::string name;
    std::string scope_org;
    std::string role = "device";
    std::string created_at;
    std::optional<std::string> revoked_at;
};

// A device token to create: the device's name, the organisation it shows and the groups it is in (in order).
struct NewDevice {
    std::string name;
    std::string scope_org;
    std::vector<std::string> groups;
};

// One layer of display settings: "defaults", "group:NAME" or "device:NAME", its JSON object as stored.
struct SettingsRow {
    std::string layer;
    std::string json;
    std::string updated_at;
    std::string updated_by;
};

struct DeviceGroup {
    std::string device;
    std::string group;
};

struct Heartbeat {
    std::string device;
    std::string received_at;  // ISO 8601 UTC; empty: the store sets it to now
    std::string version;
    std::int64_t revision = 0;
    std::int64_t data_age_s = -1;
    std::string page;
    bool screen_on = true;
    std::string address;
    std::string settings_tag;  // of the display settings the kiosk has applied
    std::optional<bool> display_connected;  // nullopt: the kiosk cannot tell (no DRM connector)
    std::string display_connector;
    std::string display_power;  // over HDMI-CEC: "on", "standby", "unknown"; empty: no CEC
};

struct RevisionRow {
    std::int64_t revision = 0;
    std::string kind;  // catalogue, organisations, values, targets; "undo" for an undo
    std::string file;
    std::int64_t rows = 0;
    std::string applied_at;
    std::string who;       // the token's name, or "command line (USER)"
    std::string checksum;  // the file's SHA-256, hex
    std::optional<std::int64_t> undoes;
};

// Who makes a change, and with what: kept in the import history.
struct CommitInfo {
    std::string who;
    std::string checksum;
    std::optional<std::int64_t> undoes;
};

// A figure a revision set, by codes, with its value before and after (kMissing: none).
struct ReplacedFigure {
    bool target = false;
    std::string org, indicator, category, period;
    std::int64_t before = 0, after = 0;
};

class Store {
public:
    static constexpr int kSchemaVersion = 5;

    explicit Store(const std::filesystem::path& file);

    std::int64_t revision();
    domain::Dataset load();
    // Every organisation code the tree has ever held, without loading the figures.
    std::set<std::string> organisation_codes();

    // Writes `changes` as the next revision in one transaction and returns that revision; each figure's value in
    // `before` is kept, to undo it. A figure changed to kMissing is removed.
    std::int64_t commit(const domain::ChangeSet& changes, const domain::Dataset& before, const CommitInfo& info = {});
    // The latest revisions first (history.cpp).
    std::vector<RevisionRow> revisions(int limit);
    std::optional<RevisionRow> revision_row(std::int64_t revision);
    // The figures `revision` set, each with its value before and after.
    std::vector<ReplacedFigure> replaced(std::int64_t revision);
    // How many of the figures `revision` set hold another value or revision now: 0 when nothing later changed them.
    std::int64_t changed_since(std::int64_t revision);

    // Returns the clear token; only its SHA-256 is stored. Throws std::invalid_argument for a name in use.
    std::string add_token(const std::string& name, const std::string& scope_org, const std::string& role);
    // A token for every device, all in one transaction; returns the clear tokens in the same order. A name in use
    // throws std::invalid_argument naming it, unless `replace`: then that device's token gets a new secret, scope
    // and groups, and its old secret is refused from then on. A person's token is never replaced. `before_commit` runs
    // inside the transaction with the clear tokens (to write them where they go): if it throws, nothing is stored.
    std::vector<std::string> add_device_tokens(
        const std::vector<NewDevice>& devices, bool replace,
        const std::function<void(const std::vector<std::string>& tokens)>& before_commit);
    std::vector<TokenRow> tokens();
    std::optional<TokenRow> token_by_hash(const std::string& sha256_hex);
    bool revoke_token(const std::string& name);
    // Changes whenever another connection commits: a cheap way to know cached tokens may be out of date.
    std::int64_t data_version();

    void record_heartbeat(const Heartbeat& heartbeat);
    std::vector<Heartbeat> heartbeats();

    // Display settings, checked by the caller. An empty object ("{}") removes the layer.
    std::vector<SettingsRow> settings();
    void put_settings(const std::string& layer, const std::string& json, const std::string& updated_by);
    // Every device's groups, by device and then in the device's order.
    std::vector<DeviceGroup> device_groups();
    void set_device_groups(const std::string& device, const std::vector<std::string>& groups);
    // The status each device was last announced in (to the webhook), by device.
    std::map<std::string, std::string> alert_states();
    void set_alert_state(const std::string& device, const std::string& status);

    // Moves with every change to settings or groups, by any connection.
    std::int64_t fleet_version();

private:
    void migrate();
    SQLite::Database db_;
};

std::string sha256_hex(std::string_view text);
// 32 random bytes as 64 hex digits (OpenSSL's RAND_bytes): a token, an enrolment key.
std::string random_token();

}  // namespace chiso::store
