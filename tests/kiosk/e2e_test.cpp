// kiosk_e2e_test: the real chiso-kiosk, offscreen, against the real chiso-syncd serving the demo, watched through
// its --state-file. It shows the demo's figures for Hà Tĩnh; an import at the server is on screen within 2 s;
// with the server gone it keeps every figure and says the data is stale once the threshold passes; with the
// server back on the same port it is online with the new data, without being restarted.
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;

long long ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TEST(KioskEndToEnd, ShowsTheServersFiguresFollowsImportsTurnsStaleWithoutItAndRecovers) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    const std::filesystem::path token_file = syncd.folder() / "room.token";
    std::ofstream(token_file) << syncd.add_device("room", "HT") << "\n";
    constexpr int kStaleSeconds = 4;
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
                        token_file.string(), "--org", "HT", "--cache", (syncd.folder() / "kiosk-cache.db").string(),
                        "--stale-seconds", std::to_string(kStaleSeconds)});
    const auto started = Clock::now();
    kiosk.start();

    // 1. The demo's figures: the province's members as the overview's first tile shows them.
    auto shown = kiosk.wait_for(
        [](const auto& s) { return connection_of(s) == "Online" && tile_value(s, "overview", "members_total") != ""; },
        scaled(30s));
    ASSERT_TRUE(shown) << kiosk.log();
    std::cout << "[ start    ] kiosk started → demo on screen in " << ms_since(started) << " ms\n";
    EXPECT_EQ(tile_value(*shown, "overview", "members_total"), "8.408");
    EXPECT_EQ(tile_value(*shown, "overview", "admissions"), "303");
    EXPECT_EQ(shown->at("org").as_string(), "Tỉnh ủy Hà Tĩnh");
    EXPECT_EQ(shown->at("asOf").as_string(), "Số liệu đến 31/10/2026");
    EXPECT_FALSE(shown->at("stale").as_bool());
    const std::int64_t demo_revision = revision_of(*shown);

    // 2. A new month's admissions for one base organisation, imported at the server, reach the screen.
    const auto imported = Clock::now();
    const HttpResponse reply =
        syncd.import("values", "org,indicator,period,value\nHT-KCQDN-001,admissions,2026-11,4\n", "november.csv");
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto import_limit = scaled(2s);  // 2 s, longer only in slow builds (time_scale.hpp)
    const auto after_import =
        kiosk.wait_for([&](const auto& s) { return revision_of(s) > demo_revision; }, import_limit);
    const long long import_delay = ms_since(imported);
    ASSERT_TRUE(after_import) << "the import was not on screen within " << import_limit.count() << " ms\n"
                              << kiosk.log();
    std::cout << "[ import   ] POST /import → new revision on the kiosk's screen in " << import_delay << " ms\n";
    EXPECT_LT(import_delay, import_limit.count());
    EXPECT_EQ(tile_value(*after_import, "overview", "admissions"), "307");  // 303 + 4 this year
    EXPECT_EQ(tile_value(*after_import, "overview", "members_total"), "8.408");
    EXPECT_EQ(after_import->at("asOf").as_string(), "Số liệu đến 30/11/2026");
    EXPECT_FALSE(after_import->at("stale").as_bool());
    const boost::json::value figures = after_import->at("pages");
    const std::int64_t import_revision = revision_of(*after_import);

    // 3. The server goes: the kiosk says it is offline, keeps every figure, and turns stale after the threshold.
    syncd.stop();
    const auto stopped = Clock::now();
    auto offline = kiosk.wait_for([](const auto& s) { return connection_of(s) == "Offline"; }, scaled(5s));
    ASSERT_TRUE(offline) << kiosk.log();
    EXPECT_EQ(offline->at("pages"), figures);
    auto stale = kiosk.wait_for([](const auto& s) { return s.at("stale").as_bool(); }, scaled(10s));
    ASSERT_TRUE(stale) << kiosk.log();
    std::cout << "[ stale    ] server stopped → stale banner in " << ms_since(stopped) << " ms (threshold "
              << kStaleSeconds << " s since the last exchange)\n";
    EXPECT_GT(stale->at("dataAgeSeconds").to_number<std::int64_t>(), kStaleSeconds);
    EXPECT_EQ(revision_of(*stale), import_revision);
    EXPECT_EQ(stale->at("pages"), figures) << "a figure changed or went while the server was away";
    // Frames have been drawn since: each revision the pages held was said once, when first on the screen.
    const std::string log = kiosk.log();
    for (const std::int64_t revision : {demo_revision, import_revision}) {
        const std::string line = "revision " + std::to_string(revision) + " on the screen";
        std::size_t count = 0;
        for (auto at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++count;
        EXPECT_EQ(count, 1u) << "'" << line << "' " << count << " times in:\n" << log;
    }
    EXPECT_NE(stale->at("staleText").as_string(), "");
    EXPECT_EQ(connection_of(*stale), "Offline");

    // 4. New data while the server is down (by its command line), then the server back on the same port: the same
    //    kiosk process is online again with it and no longer stale.
    std::ofstream(syncd.folder() / "late.csv") << "org,indicator,period,value\nHT-KCQDN-002,admissions,2026-11,3\n";
    syncd.cli({"import", "--kind", "values", (syncd.folder() / "late.csv").string()});
    syncd.restart_on_same_port();
    const auto restarted = Clock::now();
    auto back = kiosk.wait_for(
        [&](const auto& s) {
            return connection_of(s) == "Online" && revision_of(s) > import_revision && !s.at("stale").as_bool();
        },
        scaled(30s));
    ASSERT_TRUE(back) << kiosk.log();
    std::cout << "[ back     ] server restarted → kiosk online with the new revision in " << ms_since(restarted)
              << " ms (the client's backoff)\n";
    EXPECT_EQ(tile_value(*back, "overview", "admissions"), "310");  // 307 + 3
    EXPECT_EQ(tile_value(*back, "overview", "members_total"), "8.408");
    EXPECT_TRUE(kiosk.running()) << "the kiosk was restarted or ended";
    EXPECT_TRUE(kiosk.stop()) << "the kiosk did not end cleanly on SIGTERM\n" << kiosk.log();
}

}  // namespace
}  // namespace chiso::test
