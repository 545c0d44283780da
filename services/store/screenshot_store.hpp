// The screenshots kiosks send (proof of what they show), in a SQLite file of their own beside the store's: images
// are a cache of the latest few per device, not figures, so they neither wait for an import's write lock nor
// grow the store's backups. Not thread-safe: its owner (syncd/screenshots.cpp) serialises calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace chiso::store {

struct ScreenshotRow {
    std::int64_t id = 0;
    std::string device;
    std::int64_t received_at = 0;  // unix seconds
    std::int64_t drawn_at = 0;     // unix seconds, the kiosk's clock
    std::int64_t revision = 0;     // of the data on the screen
    std::string page;
    int width = 0;
    int height = 0;
    bool requested = false;  // taken because IT asked for it
    std::string png;         // empty in listings
};

class ScreenshotStore {
public:
    explicit ScreenshotStore(const std::filesystem::path& file);

    // Stores it and keeps only the device's latest `keep`; returns its id.
    std::int64_t add(const ScreenshotRow& row, int keep);
    std::vector<ScreenshotRow> latest_per_device();  // without images
    std::optional<ScreenshotRow> find(std::int64_t id);

private:
    SQLite::Database db_;
};

// The screenshots' file for a store at `database`: "chiso.db" → "chiso-screenshots.db" in the same folder.
std::filesystem::path screenshot_file_for(const std::filesystem::path& database);

}  // namespace chiso::store
