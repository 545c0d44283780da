// syncd's cost at scale, on the real binary: the rendered-reply cache stays within its bound whatever days kiosks
// ask for, and a kiosk long-polling the nation's root hears of an import within 20 s of its start.
#include "support/national_data.hpp"
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <fstream>
#include <future>
#include <iostream>
#include <random>
#include <sstream>

namespace chiso::test {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::filesystem::path write_config(const SyncdProcess& syncd, const std::string& text) {
    const auto file = syncd.folder() / "chiso-syncd.toml";
    std::ofstream(file) << "[server]\nrequests_per_second = 100000\nrequest_burst = 100000\n" << text;
    return file;
}

std::string month_code(int year, int month) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    return text;
}

}  // namespace

TEST(SyncdReplyCache, many_distinct_days_are_evicted_and_memory_stays_under_the_bound) {
    // AddressSanitizer holds freed memory in quarantine (256 MiB by default), so under it even a server that frees
    // what it evicts grows: the syncd of this test keeps a small quarantine, and what grows is what is kept.
    if (const char* options = std::getenv("ASAN_OPTIONS"))
        ::setenv("ASAN_OPTIONS", (std::string(options) + ":quarantine_size_mb=4").c_str(), 1);
    SyncdProcess syncd;
    syncd.start({"--config", write_config(syncd, "[store]\nreply_cache_mib = 1\n").string(), "--demo"});
    const std::string token = syncd.add_device("hall", "HT");
    const double limit = syncd.metric("chiso_reply_cache_limit_bytes");
    ASSERT_EQ(limit, 1 << 20);

    ASSERT_EQ(syncd.get("/api/v1/scope?depth=2", token).status, 200);
    const long resident_before_kib = process_status_kib(syncd.pid(), "VmRSS:");

    // Every month from 2000 to the demo's data (each a different answer), as a kiosk set to a review day would.
    int asked = 0;
    double most = 0;
    for (int year = 2000; year <= 2019; ++year)
        for (int month = 1; month <= 12; ++month) {
            const auto reply = syncd.get("/api/v1/scope?depth=2&at=" + month_code(year, month), token);
            ASSERT_EQ(reply.status, 200) << reply.body;
            ++asked;
            most = std::max(most, syncd.metric("chiso_reply_cache_bytes"));
        }
    const double evictions = syncd.metric("chiso_reply_cache_evictions_total");
    std::cout << "[ cache    ] " << asked << " distinct days asked; at most " << most << " bytes kept of " << limit
              << "; " << evictions << " evicted; " << syncd.metric("chiso_reply_cache_entries") << " kept\n";
    EXPECT_LE(most, limit);
    EXPECT_GT(evictions, 0);
    EXPECT_LT(syncd.metric("chiso_reply_cache_entries"), asked);

    // Days past the latest data all show the latest data: one answer, one etag, one entry in the cache.
    const std::string latest_etag = syncd.get("/api/v1/scope?depth=2", token).header("etag");
    const double misses = syncd.metric("chiso_reply_cache_requests_total{result=\"miss\"}");
    for (int year = 2101; year <= 2110; ++year)
        for (int month = 1; month <= 12; ++month) {
            const auto reply = syncd.get("/api/v1/scope?depth=2&at=" + month_code(year, month), token);
            ASSERT_EQ(reply.status, 200);
            EXPECT_EQ(reply.header("etag"), latest_etag);
        }
    EXPECT_EQ(syncd.metric("chiso_reply_cache_requests_total{result=\"miss\"}"), misses);

    // What the answers left behind: the cache's megabyte and some slack, where keeping every answer whole takes
    // 59 MiB here.
    const long grown_kib = process_status_kib(syncd.pid(), "VmRSS:") - resident_before_kib;
    std::cout << "[ memory   ] resident memory grew " << static_cast<double>(grown_kib) / 1024.0
              << " MiB over the requests\n";
    EXPECT_LT(grown_kib, scaled_memory(24 << 10));
    syncd.stop();
}

// The whole country: 54,435 organisations and a month of 1,020,000 values, then a kiosk long-polling the nation's
// root while the next month is imported. The figures of such a year are tests/bench/national_bench's.
TEST(SyncdNationalScale, a_kiosk_long_polling_the_nations_root_gets_the_new_revision_within_20_s_of_an_imports_start) {
    SyncdProcess syncd;
    syncd.start({"--config", write_config(syncd, "max_body_mib = 256\n").string()});
    const national::Tree tree = national::make_tree(true);
    const std::uint64_t seed = std::random_device{}();
    std::cout << "[ seed     ] " << seed << '\n';
    std::mt19937_64 random(seed);
    auto import = [&](const std::string& query, const std::string& body) {
        const auto reply = http(syncd.port(), {"POST", "/api/v1/import?" + query, body,
                                               {{"Authorization", "Bearer " + syncd.admin_token()}},
                                               std::chrono::duration_cast<std::chrono::seconds>(scaled(120s))});
        EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 2000);
        return boost::json::parse(reply.body).at("revision").as_int64();
    };
    import("kind=catalogue&format=json&name=catalogue.json", national::kCatalogue);
    import("kind=organisations&name=tree.csv", tree.csv);
    const std::int64_t first = import("kind=values&name=2026-01.csv", national::make_month(tree, "2026-01", random).csv);
    const national::Month next = national::make_month(tree, "2026-02", random);

    const std::string token = syncd.add_device("national-hall", tree.root);
    const auto held = syncd.get("/api/v1/scope?depth=1", token);
    ASSERT_EQ(held.status, 200);
    ASSERT_EQ(boost::json::parse(held.body).at("revision").as_int64(), first);

    // The kiosk's long-poll, as its sync client sends it; held once /metrics counts it.
    std::promise<Clock::time_point> answered_at;
    auto answered = answered_at.get_future();
    HttpResponse woken;
    std::thread kiosk([&] {
        woken = http(syncd.port(), {"GET", "/api/v1/scope?depth=1&wait=60&since=" + std::to_string(first), {},
                                    {{"Authorization", "Bearer " + token}, {"If-None-Match", held.header("etag")}},
                                    std::chrono::duration_cast<std::chrono::seconds>(scaled(120s))});
        answered_at.set_value(Clock::now());
    });
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(10s))) << "the long-poll was never held";

    const auto started = Clock::now();
    const std::int64_t second = import("kind=values&name=2026-02.csv", next.csv);
    ASSERT_EQ(answered.wait_until(started + scaled(20s)), std::future_status::ready)
        << "no answer within 20 s of the import's start";
    kiosk.join();
    const double seconds = std::chrono::duration<double>(answered.get() - started).count();
    std::cout << "[ national ] the kiosk on the nation's root had revision " << second << " " << seconds
              << " s after the import of " << next.values.size() << " values began\n";
    ASSERT_EQ(woken.status, 200) << woken.body.substr(0, 500);
    EXPECT_EQ(boost::json::parse(woken.body).at("revision").as_int64(), second);
    EXPECT_LE(seconds, std::chrono::duration<double>(scaled(20s)).count());

    const long peak_kib = process_status_kib(syncd.pid(), "VmHWM:");
    std::cout << "[ memory   ] peak resident " << peak_kib / 1024 << " MiB\n";
    EXPECT_LT(peak_kib, scaled_memory(2LL << 20));  // 2 GiB
    syncd.stop();
}

}  // namespace chiso::test
