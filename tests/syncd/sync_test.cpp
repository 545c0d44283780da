// How kiosks stay in sync: revisions, ETag revalidation, deltas since a revision, and the long-poll that
// answers as soon as the scope changes.
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <future>

namespace chiso::test {
namespace json = boost::json;
using namespace std::chrono_literals;

class SyncdSync : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
        device = syncd.add_device("room-a", "U1");
    }
    void TearDown() override { syncd.stop(); }
    SyncdProcess syncd;
    std::string device;
};

TEST_F(SyncdSync, every_applied_import_takes_the_next_revision) {
    json::value health = json::parse(syncd.get("/api/v1/health", "").body);
    std::int64_t before = health.at("revision").as_int64();
    EXPECT_EQ(before, 4);  // catalogue, tree, values, targets
    HttpResponse applied = syncd.import("values", "org,indicator,period,value\nB2,admissions,2026-10,1\n");
    ASSERT_EQ(applied.status, 200) << applied.body;
    EXPECT_EQ(json::parse(applied.body).at("revision").as_int64(), before + 1);
}

TEST_F(SyncdSync, an_unchanged_scope_revalidates_with_304) {
    HttpResponse first = syncd.get("/api/v1/scope", device);
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_FALSE(first.header("etag").empty());
    HttpResponse again = syncd.get("/api/v1/scope", device, {{"If-None-Match", first.header("etag")}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("etag"), first.header("etag"));
}

TEST_F(SyncdSync, a_change_outside_the_scope_leaves_its_etag_alone_and_one_inside_changes_it) {
    std::string etag = syncd.get("/api/v1/scope", device).header("etag");
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB3,admissions,2026-10,1\n").status, 200);  // under U2
    EXPECT_EQ(syncd.get("/api/v1/scope", device, {{"If-None-Match", etag}}).status, 304);
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB2,admissions,2026-10,1\n").status, 200);  // under U1
    EXPECT_EQ(syncd.get("/api/v1/scope", device, {{"If-None-Match", etag}}).status, 200);
}

TEST_F(SyncdSync, a_delta_since_a_revision_holds_exactly_the_changed_figures) {
    json::value snapshot = json::parse(syncd.get("/api/v1/scope", device).body);
    std::int64_t held = snapshot.at("revision").as_int64();
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB2,admissions,2026-10,2\n").status, 200);

    HttpResponse response = syncd.get("/api/v1/scope?since=" + std::to_string(held), device);
    ASSERT_EQ(response.status, 200);
    json::value delta = json::parse(response.body);
    EXPECT_EQ(delta.at("kind").as_string(), "delta");
    EXPECT_EQ(delta.at("since").as_int64(), held);
    EXPECT_FALSE(delta.as_object().contains("catalogue"));
    // B2 and its committee U1 (the scope), admissions in the periods holding October 2026, and the
    // attainment ratio built on admissions — and nothing else.
    const json::object& values = delta.at("values").as_object();
    ASSERT_EQ(values.size(), 2u) << response.body;
    const json::object& u1 = values.at("U1").as_object();
    EXPECT_EQ(u1.size(), 2u) << response.body;
    EXPECT_EQ(u1.at("admissions").at("2026-10").as_int64(), 2);
    EXPECT_EQ(u1.at("admissions").at("2026").as_int64(), 9);
    for (const auto& [period, value] : u1.at("admissions").as_object()) {
        std::string code(period);
        EXPECT_TRUE(code == "2026" || code == "2026-H2" || code == "2026-Q4" || code == "2026-10" ||
                    code == "2025-2030")
            << code;
    }
    EXPECT_EQ(u1.at("admissions_attainment").at("2026"), json::parse("[9,10,900]"));
    const json::object& b2 = values.at("B2").as_object();
    EXPECT_EQ(b2.at("admissions").at("2026").as_int64(), 5);
    EXPECT_TRUE(delta.at("targets").as_object().empty());

    // Every figure in the delta is what a fresh snapshot says.
    json::value fresh = json::parse(syncd.get("/api/v1/scope", device).body);
    for (const auto& [period, value] : u1.at("admissions").as_object())
        EXPECT_EQ(fresh.at("values").at("U1").at("admissions").at(period), value) << period;
}

TEST_F(SyncdSync, a_delta_across_a_change_of_the_tree_is_a_full_snapshot) {
    std::int64_t held = json::parse(syncd.get("/api/v1/scope", device).body).at("revision").as_int64();
    ASSERT_EQ(syncd
                  .import("organisations",
                          "code,name,parent,level,type,valid_from,valid_to\n"
                          "B5,Chi bộ mới,U1,base_cell,dn,2026-09-01,\n")
                  .status,
              200);
    json::value reply = json::parse(syncd.get("/api/v1/scope?since=" + std::to_string(held), device).body);
    EXPECT_EQ(reply.at("kind").as_string(), "snapshot");
    EXPECT_TRUE(reply.as_object().contains("catalogue"));
}

TEST_F(SyncdSync, a_delta_across_a_move_of_the_latest_day_is_a_full_snapshot) {
    // The window of periods a scope shows follows the latest day holding data; when it moves, figures that
    // did not change may enter the window, so only a snapshot is whole.
    std::int64_t held = json::parse(syncd.get("/api/v1/scope", device).body).at("revision").as_int64();
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB2,admissions,2027-01,1\n").status, 200);
    json::value reply = json::parse(syncd.get("/api/v1/scope?since=" + std::to_string(held), device).body);
    EXPECT_EQ(reply.at("kind").as_string(), "snapshot");
    EXPECT_EQ(reply.at("scope").at("as_of").as_string(), "2027-01-31");
}

TEST_F(SyncdSync, a_long_poll_is_answered_within_a_second_of_an_import) {
    HttpResponse first = syncd.get("/api/v1/scope", device);
    std::string etag = first.header("etag");
    auto poll = std::async(std::launch::async, [&] {
        return syncd.get("/api/v1/scope?wait=30", device, {{"If-None-Match", etag}});
    });
    // Held: syncd counts it, and it has not answered, since nothing changed.
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(10s)));
    ASSERT_EQ(poll.wait_for(0s), std::future_status::timeout) << "the long-poll answered before any change";
    auto imported_at = std::chrono::steady_clock::now();
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB2,admissions,2026-10,3\n").status, 200);
    ASSERT_EQ(poll.wait_for(scaled(1s)), std::future_status::ready) << "no answer within a second of the import";
    HttpResponse answer = poll.get();
    auto answered_at = std::chrono::steady_clock::now();
    EXPECT_EQ(answer.status, 200);
    EXPECT_NE(answer.header("etag"), etag);
    EXPECT_LT(answered_at - imported_at, scaled(1s));
}

TEST_F(SyncdSync, a_long_poll_with_nothing_new_ends_in_304_when_its_wait_is_over) {
    std::string etag = syncd.get("/api/v1/scope", device).header("etag");
    auto started = std::chrono::steady_clock::now();
    HttpResponse answer = syncd.get("/api/v1/scope?wait=1", device, {{"If-None-Match", etag}});
    EXPECT_EQ(answer.status, 304);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
}

TEST_F(SyncdSync, figures_survive_a_restart_with_the_same_revision) {
    json::value before = syncd.scope("R");
    syncd.stop();
    syncd.start();
    json::value after = syncd.scope("R");
    EXPECT_EQ(after.at("revision"), before.at("revision"));
    EXPECT_EQ(after.at("values"), before.at("values"));
}

}  // namespace chiso::test
