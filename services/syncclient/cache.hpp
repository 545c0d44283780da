// The kiosk's local cache: the last good scope document and what is known about the sync, in SQLite (WAL,
// synchronous=FULL), so a power cut at any moment leaves either the old document or the new one, never half.
// A cache that fails its integrity check or does not parse is set aside and started afresh (the next sync is
// then a full snapshot); the constructor says so through `rebuilt`. Every member may be called from any thread
// (one connection, guarded by a mutex): the sync thread writes, the kiosk reads at start.
#pragma once

#include "wire/scope_document.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

namespace chiso::syncclient {

// Seconds since the Unix epoch, now: what SyncState::synced_at and the cache's names of set-aside files hold.
std::int64_t unix_now();

struct SyncState {
    std::string server;          // base URL the document came from
    std::string etag;            // for If-None-Match
    std::int64_t synced_at = 0;  // unix seconds of the last successful exchange (a 200 or a 304)
};

// Display settings as the server sent them (kiosk/settings.hpp), with the tag it named them by.
struct StoredSettings {
    std::string server;
    std::string tag;
    std::string json;
};

class Cache {
public:
    // Opens or creates the file (and its folder). Throws SQLite::Exception when the file cannot be used but is
    // not damaged — locked by another process for over 5 s, a read-only or missing disk — and leaves it alone.
    explicit Cache(const std::filesystem::path& file);

    bool rebuilt() const { return rebuilt_; }  // the file was corrupt and has been started afresh
    std::string rebuilt_reason() const { return rebuilt_reason_; }

    std::optional<wire::ScopeDocument> document();  // nullopt before the first sync
    SyncState state();

    // Stores a new document with its sync state in one transaction.
    void store(const wire::ScopeDocument& document, const SyncState& state);
    // Records a successful revalidation (304): only the time moves.
    void touch(std::int64_t synced_at);

    std::optional<StoredSettings> settings();  // nullopt until the server first sent some
    void store_settings(const StoredSettings& settings);

private:
    std::optional<std::string> open_checked();  // the reason the file is unusable, if it is
    void set_aside();

    std::mutex mutex_;
    std::filesystem::path file_;
    std::optional<SQLite::Database> db_;
    bool rebuilt_ = false;
    std::string rebuilt_reason_;
};

}  // namespace chiso::syncclient
