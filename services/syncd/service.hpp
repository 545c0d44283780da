// What chiso-syncd does, without HTTP: authenticate tokens, answer scope queries, apply imports,
// record heartbeats. The Beast server (server.hpp) only maps requests onto these calls.
// Thread-safe: any number of readers run alongside one writer; readers see whole revisions only.
#pragma once

#include "syncd/fleet.hpp"
#include "syncd/fleet_settings.hpp"
#include "syncd/reply_cache.hpp"
#include "syncd/roles.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::store {
class Store;
}
namespace chiso::domain {
class Dataset;
}

namespace chiso::syncd {

class Screenshots;

// An error the caller should see as an HTTP status with a one-line reason.
struct ServiceError : std::runtime_error {
    int status;
    ServiceError(int status_code, const std::string& reason) : std::runtime_error(reason), status(status_code) {}
};

struct Principal {
    std::string name;  // the device's or the person's
    Role role = Role::device;
    std::string scope_org;  // a device's scope organisation code; empty for people
    bool may(Right right) const { return syncd::may(role, right); }
};

struct ScopeQuery {
    std::optional<std::string> org;     // defaults to the device's scope; required for an admin
    int depth = 1;                      // levels of the subtree below the scope organisation
    std::optional<std::int64_t> since;  // a revision the client holds: answer with a delta if possible
    std::optional<std::string> at;      // a period code: figures as of its last day (default: the latest data)
    std::optional<std::string> review;  // a period code: every page shows it (and the period before it)
};

struct ScopeReply {
    std::string etag;                 // quoted, as sent in the ETag header
    std::int64_t scope_revision = 0;  // the last revision that changed anything this scope shows
    bool delta = false;
    std::string body;  // application/json
};

struct ImportRequest {
    std::string kind;       // catalogue | organisations | values | targets
    std::string format;     // long | wide | json | xlsx; empty: from the file name, else long
    std::string file_name;  // used in error messages
    std::string body;
    std::string who;        // kept in the history: the token's name, or the command line's user
    bool dry_run = false;   // check and preview what it would change, and change nothing
};

struct ImportReply {
    bool applied = false;
    bool checked = false;       // the file passed every check (a dry run's, or applied)
    std::int64_t revision = 0;  // the new revision when applied, else the unchanged current one
    std::size_t rows = 0;
    std::string body;  // application/json: {"applied":..,"revision":..,"rows":..,"errors":[..]}, a dry run's "preview"
};

struct TokenInfo {
    std::string name;
    std::string scope_org;
    Role role = Role::device;
    bool revoked = false;
    std::string created_at;
};

struct ServiceOptions {
    std::size_t reply_cache_bytes = std::size_t{256} << 20;  // [store] reply_cache_mib: rendered scope replies
};

class Service {
public:
    explicit Service(const std::filesystem::path& database, ServiceOptions options = {});
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Display settings per group and device. A device's scope ETag includes the tag of its effective settings.
    FleetSettings& settings();
    const FleetSettings& settings() const;
    // Kiosks' screenshots and IT's requests for them; a pending request is in the device's scope ETag too.
    Screenshots& screenshots();

    // nullopt when the token is unknown or revoked (HTTP 401).
    std::optional<Principal> authenticate(std::string_view bearer_token) const;

    // Throws ServiceError 403 for an organisation outside the principal's scope, 404 for an unknown one,
    // 400 for bad parameters.
    std::string scope_etag(const Principal& who, const ScopeQuery& query) const;
    ScopeReply scope(const Principal& who, const ScopeQuery& query) const;

    // A file checked whole and applied as one revision (imports.cpp), or with `dry_run` only previewed: how many
    // figures are new, changed or the same, and each figure before and after for the root and the organisations
    // touched.
    ImportReply import(const ImportRequest& request);
    // The revisions applied, latest first: {"revision":..,"imports":[{revision, kind, file, rows, applied_at, who,
    // checksum, undoes}]}.
    std::string imports_json(int limit) const;
    // Puts back, as a new revision, the exact figures revision `undone` replaced (an undo's too: a redo). Throws
    // ServiceError 404 for no such revision, 409 when it changed the catalogue or the tree, or when a later import
    // changed any of its figures.
    ImportReply undo(std::int64_t undone, const std::string& who);

    // body: {"version":..,"revision":..,"data_age_s":..,"page":..,"screen_on":..}; throws ServiceError 400.
    void heartbeat(const Principal& device, std::string_view body);
    // Every device token, worst first (silent, never seen, stale, online, revoked; then by name), each with its
    // last heartbeat and a status and reason judged by `limits`; beside them the limits and a count per status.
    std::vector<DeviceState> device_states(const FleetThresholds& limits) const;
    // device_metrics() of device_states(), made at most once a second however often /metrics is asked.
    std::string device_metrics_text(const FleetThresholds& limits) const;
    std::string devices_json(const FleetThresholds& limits) const;
    std::string health_json() const;
    std::int64_t revision() const;
    ReplyCache::Stats reply_cache_stats() const;

    // Called after every applied import with the new revision, on the importing thread.
    void on_change(std::function<void(std::int64_t)> listener);

    // Token management (CLI). add_token returns the clear token, shown once; only its hash is stored.
    // A device's token needs a scope organisation; a person's has none.
    std::string add_token(const std::string& name, const std::string& scope_org, Role role);
    std::vector<TokenInfo> tokens() const;
    void revoke_token(const std::string& name);  // throws ServiceError 404 for an unknown name

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace chiso::syncd
