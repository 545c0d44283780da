// kiosk_corrupt_cache_test: the real chiso-kiosk started on a damaged cache — a file of garbage, or a real cache cut
// in half — sets the file aside beside it, rebuilds the cache by a full sync from the real chiso-syncd, and says
// so in one line of its log (stderr).
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_containing(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.find(needle) != std::string::npos) found.push_back(line);
    return found;
}

// The files set aside beside `cache`: cache.db.corrupt-<time>.
std::vector<std::filesystem::path> set_aside(const std::filesystem::path& cache) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(cache.parent_path())) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(cache.filename().string() + ".corrupt-") && !name.ends_with("-wal") &&
            !name.ends_with("-shm"))
            found.push_back(entry.path());
    }
    return found;
}

class KioskCorruptCache : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start({"--demo"});
        std::ofstream(token_file) << syncd.add_device("room", "HT") << "\n";
    }

    KioskProcess kiosk() {
        return KioskProcess(syncd.folder(),
                            {"--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
                             token_file.string(), "--org", "HT", "--cache", cache.string()});
    }

    // Starts the kiosk on whatever `cache` now holds; returns once it shows the demo from a full sync, and stops it.
    std::string run_until_synced() {
        KioskProcess process = kiosk();
        process.start();
        auto shown = process.wait_for(
            [](const auto& s) { return connection_of(s) == "Online" && s.at("hasDocument").as_bool(); },
            scaled(std::chrono::seconds(30)));
        EXPECT_TRUE(shown) << process.log();
        if (shown) {
            EXPECT_EQ(tile_value(*shown, "overview", "members_total"), "8.408");
        }
        EXPECT_TRUE(process.stop()) << process.log();
        return process.log();
    }

    // The rebuilt cache is whole and holds the server's revision.
    void expect_a_whole_cache() {
        SQLite::Database db(cache.string(), SQLite::OPEN_READONLY);
        EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
        EXPECT_EQ(db.execAndGet("SELECT revision FROM document WHERE id = 1").getInt64(),
                  syncd.scope("HT").at("revision").to_number<std::int64_t>());
    }

    void expect_one_rebuilt_line(const std::string& log, const std::string& reason) {
        const auto rebuilt = lines_containing(log, "was rebuilt");
        ASSERT_EQ(rebuilt.size(), 1u) << log;
        EXPECT_NE(rebuilt[0].find("the cache " + cache.string() + " was rebuilt: "), std::string::npos) << rebuilt[0];
        EXPECT_NE(rebuilt[0].find(reason), std::string::npos) << rebuilt[0];
        std::cout << "[ log      ] " << rebuilt[0] << "\n";
        EXPECT_EQ(lines_containing(log, "(snapshot)").size(), 1u) << "not one full sync:\n" << log;
    }

    SyncdProcess syncd;
    std::filesystem::path token_file = syncd.folder() / "room.token";
    std::filesystem::path cache = syncd.folder() / "kiosk-cache.db";
};

TEST_F(KioskCorruptCache, AFileOfGarbageIsSetAsideAndRebuiltByAFullSync) {
    std::string garbage(64 * 1024, '\0');
    std::mt19937 random(7);
    for (char& c : garbage) c = static_cast<char>(random());
    std::ofstream(cache, std::ios::binary) << garbage;

    const std::string log = run_until_synced();
    expect_one_rebuilt_line(log, "not a readable database");
    const auto aside = set_aside(cache);
    ASSERT_EQ(aside.size(), 1u);
    EXPECT_EQ(read_file(aside[0]), garbage) << "the damaged file was not kept as it was";
    expect_a_whole_cache();
}

TEST_F(KioskCorruptCache, ACacheCutInHalfIsSetAsideAndRebuiltByAFullSync) {
    const std::string first = run_until_synced();  // a real cache, closed cleanly (its WAL checkpointed)
    EXPECT_TRUE(lines_containing(first, "was rebuilt").empty()) << first;
    ASSERT_FALSE(std::filesystem::exists(cache.string() + "-wal"));
    const auto size = std::filesystem::file_size(cache);
    ASSERT_GT(size, 8192u);
    std::filesystem::resize_file(cache, size / 2);

    const std::string log = run_until_synced();
    expect_one_rebuilt_line(log, ": ");
    EXPECT_EQ(set_aside(cache).size(), 1u);
    expect_a_whole_cache();
}

}  // namespace
}  // namespace chiso::test
