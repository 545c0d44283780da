// The kiosk's cache: a document survives a restart, a damaged file is set aside and started afresh with a
// reason, and a store() cut short by a kill leaves a whole document, old or new.
#include "syncclient/cache.hpp"

#include "support/time_scale.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

namespace chiso::test {
namespace json = boost::json;
using syncclient::Cache;
using syncclient::SyncState;

namespace {

// A snapshot of format 1 with `orgs` organisations, each with a year of monthly figures: `orgs` = 1000 makes
// a document of about 1.5 MB, so that storing it takes a while.
wire::ScopeDocument make_document(std::int64_t revision, int orgs = 3) {
    json::object values;
    json::array organisations;
    for (int i = 0; i < orgs; ++i) {
        char code[16];  // snprintf, as GCC 12 at -O3 warns falsely (-Wrestrict) on "B" + std::string
        std::snprintf(code, sizeof code, i == 0 ? "U1" : "B%d", i);
        organisations.push_back(json::object{{"code", code},
                                             {"name", code},
                                             {"level", "base_cell"},
                                             {"type", ""},
                                             {"depth", i == 0 ? 0 : 1},
                                             {"versions", json::array{}}});
        json::object months;
        for (int month = 1; month <= 12; ++month) {
            char period[16];
            std::snprintf(period, sizeof period, "2026-%02d", month);
            months[period] = revision * 1000 + i + month;
        }
        values[code] = json::object{{"members_total", months}, {"admissions", months}};
    }
    json::object document{
        {"format", 1},
        {"kind", "snapshot"},
        {"revision", revision},
        {"scope_revision", revision},
        {"scope", {{"org", "U1"}, {"depth", 1}, {"as_of", "2026-12-31"}, {"periods", json::object{}}}},
        {"catalogue",
         {{"levels", json::array{}},
          {"org_types", json::array{}},
          {"indicators", json::array{}},
          {"terms", json::array{}}}},
        {"organisations", organisations},
        {"values", values},
        {"targets", json::object{}},
        {"by_type", json::object{}}};
    auto parsed = wire::ScopeDocument::parse(json::serialize(document));
    if (!parsed) throw std::logic_error("make_document made a document that does not parse");
    return *parsed;
}

class CacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "chiso-cache-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        folder = pattern;
        file = folder / "cache.db";
    }
    void TearDown() override {
        if (!HasFailure()) std::filesystem::remove_all(folder);
    }

    // Files beside the cache whose name says they were set aside.
    std::vector<std::filesystem::path> set_aside() const {
        std::vector<std::filesystem::path> found;
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            if (entry.path().filename().string().starts_with("cache.db.corrupt-")) found.push_back(entry.path());
        return found;
    }

    std::string integrity_check() const {
        SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
        return db.execAndGet("PRAGMA integrity_check").getString();
    }

    std::filesystem::path folder;
    std::filesystem::path file;
};

TEST_F(CacheTest, a_new_cache_is_empty) {
    Cache cache(file);
    EXPECT_FALSE(cache.rebuilt());
    EXPECT_FALSE(cache.document().has_value());
    EXPECT_EQ(cache.state().synced_at, 0);
    EXPECT_TRUE(cache.state().etag.empty());
}

TEST_F(CacheTest, a_document_and_its_sync_state_survive_closing_and_reopening) {
    const wire::ScopeDocument document = make_document(7);
    {
        Cache cache(file);
        cache.store(document, {"http://syncd:8470", "\"etag-7\"", 1'700'000'000});
        cache.touch(1'700'000'060);
    }
    Cache reopened(file);
    EXPECT_FALSE(reopened.rebuilt()) << reopened.rebuilt_reason();
    auto held = reopened.document();
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(held->to_json(), document.to_json());
    EXPECT_EQ(held->revision(), 7);
    SyncState state = reopened.state();
    EXPECT_EQ(state.server, "http://syncd:8470");
    EXPECT_EQ(state.etag, "\"etag-7\"");
    EXPECT_EQ(state.synced_at, 1'700'000'060);
}

TEST_F(CacheTest, the_cache_is_in_wal_mode_with_its_schema_version) {
    { Cache cache(file); }
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 2);
}

TEST_F(CacheTest, display_settings_are_kept_with_their_server_and_tag) {
    {
        Cache cache(file);
        EXPECT_FALSE(cache.settings().has_value());
        cache.store_settings({"http://syncd:8470", "0123456789abcdef", R"({"dwell_seconds":30})"});
    }
    Cache reopened(file);
    const auto settings = reopened.settings();
    ASSERT_TRUE(settings.has_value());
    EXPECT_EQ(settings->server, "http://syncd:8470");
    EXPECT_EQ(settings->tag, "0123456789abcdef");
    EXPECT_EQ(settings->json, R"({"dwell_seconds":30})");
}

TEST_F(CacheTest, a_file_of_garbage_is_set_aside_and_rebuilt_with_a_reason) {
    std::string garbage(64 * 1024, '\0');
    std::mt19937 random(42);
    for (char& c : garbage) c = static_cast<char>(random());
    std::ofstream(file, std::ios::binary) << garbage;

    Cache cache(file);
    EXPECT_TRUE(cache.rebuilt());
    EXPECT_NE(cache.rebuilt_reason().find("not a readable database"), std::string::npos) << cache.rebuilt_reason();
    EXPECT_FALSE(cache.document().has_value());
    auto aside = set_aside();
    ASSERT_EQ(aside.size(), 1u);
    std::ifstream kept(aside[0], std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), garbage);  // kept for a person to look at

    cache.store(make_document(1), {"http://syncd", "e", 1});  // and the new cache works
    EXPECT_EQ(cache.document()->revision(), 1);
}

TEST_F(CacheTest, a_truncated_database_file_is_set_aside_and_rebuilt_with_a_reason) {
    {
        Cache cache(file);
        cache.store(make_document(3, 500), {"http://syncd", "e", 1});
    }  // closing the last connection checkpoints the WAL into the file
    ASSERT_FALSE(std::filesystem::exists(file.string() + "-wal"));
    const auto size = std::filesystem::file_size(file);
    ASSERT_GT(size, 100'000u);
    std::filesystem::resize_file(file, size / 2);

    Cache cache(file);
    EXPECT_TRUE(cache.rebuilt());
    EXPECT_FALSE(cache.rebuilt_reason().empty());
    std::cout << "[ reason   ] " << cache.rebuilt_reason() << "\n";
    EXPECT_FALSE(cache.document().has_value());
    EXPECT_EQ(set_aside().size(), 1u);
}

TEST_F(CacheTest, a_stored_document_that_does_not_parse_is_set_aside) {
    {
        Cache cache(file);
        cache.store(make_document(3), {"http://syncd", "e", 1});
    }
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
        db.exec(R"(UPDATE document SET json = '{"format": 99}')");
    }
    Cache cache(file);
    EXPECT_TRUE(cache.rebuilt());
    EXPECT_NE(cache.rebuilt_reason().find("does not parse"), std::string::npos) << cache.rebuilt_reason();
    EXPECT_FALSE(cache.document().has_value());
}

TEST_F(CacheTest, a_cache_of_a_newer_schema_is_set_aside_rather_than_misread) {
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA user_version=9");
    }
    Cache cache(file);
    EXPECT_TRUE(cache.rebuilt());
    EXPECT_NE(cache.rebuilt_reason().find("newer"), std::string::npos) << cache.rebuilt_reason();
}

TEST_F(CacheTest, a_locked_cache_is_refused_and_never_set_aside) {
    { Cache(file).store(make_document(3), {"http://syncd", "e", 1}); }
    SQLite::Database other(file.string(), SQLite::OPEN_READWRITE);  // as a second kiosk started by mistake would
    other.exec("PRAGMA locking_mode=EXCLUSIVE");
    other.exec("BEGIN EXCLUSIVE");
    EXPECT_THROW(Cache{file}, SQLite::Exception);  // after its 5 s busy timeout
    EXPECT_TRUE(set_aside().empty());
    other.exec("COMMIT");
}

// A child process stores two large documents in turn until it is killed at a random moment; each time the
// cache must open without being rebuilt, pass integrity_check and hold one of the two, whole.
TEST_F(CacheTest, a_store_killed_midway_leaves_the_old_or_the_new_document_whole) {
    const wire::ScopeDocument first = make_document(1, 1000), second = make_document(2, 1000);
    const std::string first_json = first.to_json(), second_json = second.to_json();
    {
        Cache cache(file);
        const auto started = std::chrono::steady_clock::now();
        cache.store(first, {"http://syncd", "e1", 1});
        std::cout
            << "[ store    ] one store() of " << first_json.size() / 1024 << " KiB took "
            << std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count()
            << " µs\n";
    }
    std::mt19937 random(7);
    int held_first = 0, held_second = 0;
    for (int round = 0; round < 20; ++round) {
        int ready[2];
        ASSERT_EQ(::pipe(ready), 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ::close(ready[0]);
            try {
                Cache cache(file);
                if (::write(ready[1], "r", 1) != 1) ::_exit(2);
                for (bool turn = false;; turn = !turn)
                    cache.store(turn ? first : second, {"http://syncd", turn ? "e1" : "e2", 1});
            } catch (...) {
                ::_exit(3);
            }
        }
        ::close(ready[1]);
        char signal_byte = 0;
        ASSERT_EQ(::read(ready[0], &signal_byte, 1), 1) << "the child could not open the cache";
        ::close(ready[0]);
        // The kill's moment, among the child's stores: what is tested, scaled so that a slow build's slower stores
        // are met as often.
        std::this_thread::sleep_for(
            std::chrono::microseconds(std::uniform_int_distribution<long long>(0, scaled(std::chrono::milliseconds(80)).count() * 1000)(random)));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended by itself in round " << round;

        Cache cache(file);
        ASSERT_FALSE(cache.rebuilt()) << "round " << round << ": " << cache.rebuilt_reason();
        auto held = cache.document();
        ASSERT_TRUE(held.has_value()) << "round " << round;
        const std::string json = held->to_json();
        ASSERT_TRUE(json == first_json || json == second_json)
            << "round " << round << ": a document neither old nor new";
        (json == first_json ? held_first : held_second)++;
        EXPECT_EQ(cache.state().etag, json == first_json ? "e1" : "e2") << "round " << round;
        ASSERT_EQ(integrity_check(), "ok") << "round " << round;
    }
    std::cout << "[ kills    ] 20 rounds: the first document held " << held_first << " times, the second "
              << held_second << " times\n";
}

}  // namespace
}  // namespace chiso::test
