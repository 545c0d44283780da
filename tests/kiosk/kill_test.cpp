// kiosk_kill_test: the real chiso-kiosk, syncing from a chiso-syncd that takes an import every few tens of
// milliseconds (so the kiosk keeps writing its cache), is killed with SIGKILL at random moments, again and again.
// After every kill the cache passes SQLite's integrity check and the document it holds parses; and a kiosk
// started on that cache with no server to reach shows the cached revision at once.
#include "import_stream.hpp"
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"

#include "wire/scope_document.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;

struct CacheCheck {
    std::string integrity;
    std::optional<std::int64_t> revision;  // of the stored document; nullopt when there is none yet
    std::string parse_error;               // set when a stored document does not parse
};

// What a kiosk would find on start, read the way SQLite recovers a file after a crash (read-write, with its WAL).
CacheCheck check_cache(const std::filesystem::path& file) {
    CacheCheck check;
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
    check.integrity = db.execAndGet("PRAGMA integrity_check").getString();
    if (!db.tableExists("document")) return check;
    SQLite::Statement select(db, "SELECT json FROM document WHERE id = 1");
    if (!select.executeStep()) return check;
    std::string error;
    if (auto document = wire::ScopeDocument::parse(select.getColumn(0).getString(), &error))
        check.revision = document->revision();
    else
        check.parse_error = error.empty() ? "does not parse" : error;
    return check;
}

TEST(KioskKill, ACacheWrittenContinuouslySurvivesSigkillAndIsShownOnTheNextStart) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    const std::filesystem::path token_file = syncd.folder() / "room.token";
    std::ofstream(token_file) << syncd.add_device("room", "HT") << "\n";
    const std::filesystem::path cache = syncd.folder() / "kiosk-cache.db";
    const std::vector<std::string> common{"--token-file", token_file.string(), "--org",
                                          "HT",           "--cache",           cache.string()};
    std::vector<std::string> live{"--server", "http://127.0.0.1:" + std::to_string(syncd.port())};
    live.insert(live.end(), common.begin(), common.end());

    // Imports arrive continuously: each changes one base organisation's November admissions.
    ImportStream stream(syncd);

    const unsigned seed = std::random_device{}();
    std::cout << "[ seed     ] " << seed << "\n";
    std::mt19937 random(seed);
    // Up to 0.9 s after the start or the first document; longer in slow builds (time_scale.hpp), where the
    // kiosk takes as much longer to reach the cache writes that the kills are for.
    std::uniform_int_distribution<long long> moment_ms(0, scaled(900ms).count());
    constexpr int kKills = 22;
    int kills_with_a_document = 0;
    int kills_after_a_new_revision = 0;  // the kiosk had written to the cache since the kill before
    std::int64_t last_revision = 0;
    for (int kill = 0; kill < kKills; ++kill) {
        SCOPED_TRACE("kill " + std::to_string(kill + 1));
        KioskProcess kiosk(syncd.folder(), live);
        kiosk.start();
        // Half the kills fall anywhere from the start (opening the cache, loading QML, the first snapshot);
        // the other half once it is showing data and following the imports.
        if (kill % 2 == 1) {
            ASSERT_TRUE(kiosk.wait_for([](const auto& s) { return s.at("hasDocument").as_bool(); }, scaled(20s)))
                << kiosk.log();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(moment_ms(random)));
        kiosk.kill();

        if (!std::filesystem::exists(cache)) {  // killed before it made its cache (slow builds): nothing to lose yet
            ASSERT_EQ(last_revision, 0) << "the cache is gone after it held revision " << last_revision;
            continue;
        }
        const CacheCheck check = check_cache(cache);
        ASSERT_EQ(check.integrity, "ok");
        ASSERT_EQ(check.parse_error, "");
        if (check.revision) {
            ++kills_with_a_document;
            EXPECT_GE(*check.revision, last_revision) << "the cache went back to an older revision";
            if (*check.revision > last_revision) ++kills_after_a_new_revision;
            last_revision = *check.revision;
        }
    }
    const int imports = stream.stop();
    std::cout << "[ kills    ] " << kKills << " SIGKILLs, " << kills_with_a_document
              << " with a document in the cache, " << kills_after_a_new_revision
              << " after the kiosk had stored a newer revision; " << imports
              << " imports meanwhile; last cached revision " << last_revision << "\n";
    EXPECT_GE(kills_with_a_document, kKills / 2);
    EXPECT_GE(kills_after_a_new_revision, kKills / 2);
    EXPECT_GT(imports, kKills);

    // With no server to reach, the next start shows the cache — before any sync could have happened.
    const CacheCheck before = check_cache(cache);
    ASSERT_TRUE(before.revision);
    std::vector<std::string> dead{"--server", "http://127.0.0.1:9"};
    dead.insert(dead.end(), common.begin(), common.end());
    KioskProcess offline(syncd.folder(), dead);
    const auto started = Clock::now();
    offline.start();
    auto shown = offline.wait_for([](const auto& s) { return s.at("hasDocument").as_bool(); }, scaled(20s));
    ASSERT_TRUE(shown) << offline.log();
    std::cout << "[ restart  ] kiosk started on the cache, no server → revision " << revision_of(*shown)
              << " on screen in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms\n";
    EXPECT_EQ(revision_of(*shown), *before.revision);
    EXPECT_NE(connection_of(*shown), "Online");
    EXPECT_EQ(tile_value(*shown, "overview", "members_total"), "8.408");
    EXPECT_TRUE(offline.stop()) << offline.log();
}

}  // namespace
}  // namespace chiso::test
