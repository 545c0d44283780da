#include "store/screenshot_store.hpp"

#include "store/migrations.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <stdexcept>

namespace chiso::store {

namespace {

void create_v1(SQLite::Database& db) {
    db.exec(R"sql(
CREATE TABLE screenshots (id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, received_at INTEGER NOT NULL,
  drawn_at INTEGER NOT NULL, revision INTEGER NOT NULL, page TEXT NOT NULL, width INTEGER NOT NULL,
  height INTEGER NOT NULL, requested INTEGER NOT NULL, png BLOB NOT NULL);
CREATE INDEX screenshots_by_device ON screenshots (device, id);
)sql");
}

constexpr std::array<MigrationStep, 1> kMigrations{create_v1};

ScreenshotRow read_row(SQLite::Statement& rows, bool with_image) {
    ScreenshotRow row;
    row.id = rows.getColumn(0).getInt64();
    row.device = rows.getColumn(1).getString();
    row.received_at = rows.getColumn(2).getInt64();
    row.drawn_at = rows.getColumn(3).getInt64();
    row.revision = rows.getColumn(4).getInt64();
    row.page = rows.getColumn(5).getString();
    row.width = rows.getColumn(6).getInt();
    row.height = rows.getColumn(7).getInt();
    row.requested = rows.getColumn(8).getInt() != 0;
    if (with_image) {
        const auto& blob = rows.getColumn(9);
        row.png.assign(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
    }
    return row;
}

constexpr const char* kColumns = "id, device, received_at, drawn_at, revision, page, width, height, requested";

}  // namespace

std::filesystem::path screenshot_file_for(const std::filesystem::path& database) {
    return database.parent_path() / (database.stem().string() + "-screenshots.db");
}

ScreenshotStore::ScreenshotStore(const std::filesystem::path& file)
    : db_(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.setBusyTimeout(2000);
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=NORMAL");  // a screenshot lost to a power cut is taken again in minutes
    if (const int found = migrate(db_, kMigrations); found > static_cast<int>(kMigrations.size()))
        throw std::runtime_error(file.string() + " was written by a newer chiso-syncd (schema " +
                                 std::to_string(found) + ")");
}

std::int64_t ScreenshotStore::add(const ScreenshotRow& row, int keep) {
    SQLite::Transaction transaction(db_);
    SQLite::Statement insert(db_, "INSERT INTO screenshots (device, received_at, drawn_at, revision, page, width, "
                                  "height, requested, png) VALUES (?,?,?,?,?,?,?,?,?)");
    insert.bind(1, row.device), insert.bind(2, row.received_at), insert.bind(3, row.drawn_at);
    insert.bind(4, row.revision), insert.bind(5, row.page), insert.bind(6, row.width), insert.bind(7, row.height);
    insert.bind(8, row.requested ? 1 : 0);
    insert.bind(9, row.png.data(), static_cast<int>(row.png.size()));
    insert.exec();
    const std::int64_t id = db_.getLastInsertRowid();
    SQLite::Statement trim(db_, "DELETE FROM screenshots WHERE device = ? AND id NOT IN "
                                "(SELECT id FROM screenshots WHERE device = ? ORDER BY id DESC LIMIT ?)");
    trim.bind(1, row.device), trim.bind(2, row.device), trim.bind(3, keep);
    trim.exec();
    transaction.commit();
    return id;
}

std::vector<ScreenshotRow> ScreenshotStore::latest_per_device() {
    SQLite::Statement rows(db_, std::string("SELECT ") + kColumns +
                                    " FROM screenshots WHERE id IN (SELECT max(id) FROM screenshots GROUP BY device)"
                                    " ORDER BY device");
    std::vector<ScreenshotRow> out;
    while (rows.executeStep()) out.push_back(read_row(rows, false));
    return out;
}

std::optional<ScreenshotRow> ScreenshotStore::find(std::int64_t id) {
    SQLite::Statement rows(db_, std::string("SELECT ") + kColumns + ", png FROM screenshots WHERE id = ?");
    rows.bind(1, id);
    if (!rows.executeStep()) return std::nullopt;
    return read_row(rows, true);
}

}  // namespace chiso::store
