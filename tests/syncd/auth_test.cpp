// Tokens: a device sees its own scope only, an admin imports and lists devices, a wrong or revoked token
// is refused (401), and a token without the right is forbidden (403).
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <future>

namespace chiso::test {
namespace json = boost::json;

class SyncdAuth : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
        device = syncd.add_device("room-b", "U2");
    }
    void TearDown() override { syncd.stop(); }
    SyncdProcess syncd;
    std::string device;
};

TEST_F(SyncdAuth, a_request_without_a_token_or_with_a_wrong_one_is_401) {
    EXPECT_EQ(syncd.get("/api/v1/scope", "").status, 401);
    HttpResponse wrong = syncd.get("/api/v1/scope", device + "x");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_FALSE(wrong.header("www-authenticate").empty());
    EXPECT_EQ(syncd.get("/api/v1/scope", "", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status, 401);
}

// The server keeps a token it has checked for 250 ms before it reads the database again: a revoked token is
// refused within that, and from its first refusal on every request is refused.
void revoke_and_wait_for_refusal(const SyncdProcess& syncd, const std::string& name, const std::string& token) {
    syncd.cli({"device", "revoke", name});
    ASSERT_TRUE(syncd.wait_until_refused(token, scaled(std::chrono::seconds(2))))
        << "the revoked token was still accepted 2 s later";
}

TEST_F(SyncdAuth, a_revoked_token_is_refused_within_the_recheck_and_from_then_on) {
    ASSERT_EQ(syncd.get("/api/v1/scope", device).status, 200);
    revoke_and_wait_for_refusal(syncd, "room-b", device);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(syncd.get("/api/v1/scope", device).status, 401);
    EXPECT_EQ(syncd.post("/api/v1/heartbeat", device, R"({"page": "overview"})").status, 401);
}

TEST_F(SyncdAuth, a_token_revoked_during_a_long_poll_is_not_given_the_next_revision) {
    const HttpResponse first = syncd.get("/api/v1/scope", device);
    ASSERT_EQ(first.status, 200);
    auto poll = std::async(std::launch::async, [&] {
        return syncd.get("/api/v1/scope?wait=60", device, {{"If-None-Match", first.header("etag")}});
    });
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(std::chrono::seconds(10))));
    revoke_and_wait_for_refusal(syncd, "room-b", device);
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB3,admissions,2026-10,77\n").status, 200);
    const HttpResponse answer = poll.get();  // woken by the import, which changed its scope
    EXPECT_EQ(answer.status, 401) << answer.body.substr(0, 300);
    EXPECT_EQ(answer.body.find("\"values\""), std::string::npos);
    EXPECT_EQ(syncd.metric("chiso_longpolls_waiting"), 0);
}

TEST_F(SyncdAuth, a_device_sees_its_scope_and_what_lies_below_it_and_nothing_else) {
    EXPECT_EQ(syncd.get("/api/v1/scope?org=B3", device).status, 200);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=U1", device).status, 403);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=R", device).status, 403);
    json::value scope = json::parse(syncd.get("/api/v1/scope", device).body);
    EXPECT_EQ(scope.at("scope").at("org").as_string(), "U2");
    EXPECT_FALSE(scope.at("values").as_object().contains("U1"));
}

TEST_F(SyncdAuth, a_device_cannot_tell_a_code_that_exists_elsewhere_from_one_that_exists_nowhere) {
    const HttpResponse elsewhere = syncd.get("/api/v1/scope?org=U1", device);
    const HttpResponse nowhere = syncd.get("/api/v1/scope?org=U9", device);
    EXPECT_EQ(elsewhere.status, 403);
    EXPECT_EQ(nowhere.status, 403);
    std::string said = nowhere.body;
    said.replace(said.find("U9"), 2, "U1");
    EXPECT_EQ(said, elsewhere.body);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=U9", syncd.admin_token()).status, 404);  // the admin sees every code
}

TEST_F(SyncdAuth, a_device_token_may_not_import_nor_list_devices) {
    EXPECT_EQ(syncd.post("/api/v1/import?kind=values", device, "org,indicator,period,value\n").status, 403);
    EXPECT_EQ(syncd.get("/api/v1/devices", device).status, 403);
    EXPECT_EQ(syncd.get("/api/v1/devices", syncd.admin_token()).status, 200);
}

TEST_F(SyncdAuth, a_heartbeat_shows_in_the_device_list) {
    HttpResponse beat =
        syncd.post("/api/v1/heartbeat", device,
                   R"({"version":"0.1.0","revision":4,"data_age_s":12,"page":"overview","screen_on":true})");
    EXPECT_EQ(beat.status, 204) << beat.body;
    json::value devices = json::parse(syncd.get("/api/v1/devices", syncd.admin_token()).body);
    const json::value& room = devices.at("devices").at(0);
    EXPECT_EQ(room.at("name").as_string(), "room-b");
    EXPECT_EQ(room.at("status").as_string(), "online");
    EXPECT_EQ(room.at("page").as_string(), "overview");
    EXPECT_EQ(room.at("revision").as_int64(), 4);
    EXPECT_EQ(syncd.post("/api/v1/heartbeat", device, "not json").status, 400);
}

TEST_F(SyncdAuth, a_heartbeat_with_a_long_version_or_page_is_refused_and_nothing_is_stored) {
    ASSERT_EQ(syncd.post("/api/v1/heartbeat", device, R"({"version":"0.1.0","page":"overview"})").status, 204);
    const std::string long_text(65, 'x');
    for (const std::string field : {"version", "page"}) {
        HttpResponse beat = syncd.post("/api/v1/heartbeat", device, "{\"" + field + "\":\"" + long_text + "\"}");
        EXPECT_EQ(beat.status, 400) << field;
        EXPECT_NE(beat.body.find(field + " must be at most 64 bytes"), std::string::npos) << beat.body;
    }
    EXPECT_EQ(syncd.post("/api/v1/heartbeat", device, "{\"page\":\"" + std::string(64, 'p') + "\"}").status, 204);
    const json::value devices = json::parse(syncd.get("/api/v1/devices", syncd.admin_token()).body);
    EXPECT_EQ(devices.at("devices").at(0).at("page").as_string(), std::string(64, 'p'));
    EXPECT_EQ(devices.at("devices").at(0).at("version").as_string(), "");
}

TEST_F(SyncdAuth, tokens_are_stored_only_as_hashes) {
    std::string database = read_file(syncd.database());
    std::string wal = std::filesystem::exists(syncd.database().string() + "-wal")
                          ? read_file(syncd.database().string() + "-wal")
                          : "";
    EXPECT_EQ(database.find(device), std::string::npos);
    EXPECT_EQ(wal.find(device), std::string::npos);
    EXPECT_EQ(read_file(syncd.folder() / "syncd.log").find(device), std::string::npos);
}

TEST_F(SyncdAuth, no_route_gives_a_device_another_scopes_data) {
    // Every way of asking for a scope: plain, a delta, a long-poll, a revalidation; and the admin-only routes.
    const std::string admin_etag = syncd.get("/api/v1/scope?org=U1", syncd.admin_token()).header("etag");
    for (const std::string query : {"?org=U1", "?org=U1&since=1", "?org=R&depth=3", "?org=U1&wait=1"})
        EXPECT_EQ(syncd.get("/api/v1/scope" + query, device, {{"If-None-Match", admin_etag}}).status, 403) << query;
    for (const std::string route : {"/api/v1/devices", "/api/v1/import?kind=values"})
        EXPECT_EQ(syncd.get(route, device).status, route == "/api/v1/devices" ? 403 : 405) << route;
    // The unauthenticated routes carry no figures.
    for (const std::string route : {"/api/v1/health", "/metrics", "/fleet"}) {
        const std::string body = syncd.get(route, "").body;
        EXPECT_EQ(body.find("U1"), std::string::npos) << route;
        EXPECT_EQ(body.find("members_total"), std::string::npos) << route;
    }
}

TEST_F(SyncdAuth, no_token_is_ever_written_to_the_log_even_at_trace_level) {
    syncd.stop();
    syncd.restart_on_same_port({"--log-level", "trace"});
    const std::string wrong = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    syncd.get("/api/v1/scope", device);
    syncd.get("/api/v1/scope?org=U1", device);
    syncd.get("/api/v1/scope", wrong);
    syncd.get("/api/v1/devices", syncd.admin_token());
    syncd.get("/api/v1/scope", "", {{"Authorization", "Bearer " + wrong + " extra"}});
    syncd.post("/api/v1/heartbeat", device, "not json");
    syncd.stop();
    const std::string log = read_file(syncd.folder() / "syncd.log");
    EXPECT_NE(log.find("room-b"), std::string::npos) << "the log names the device instead";
    for (const std::string& token : {device, wrong, syncd.admin_token()})
        EXPECT_EQ(log.find(token.substr(0, 16)), std::string::npos) << "a token in the log:\n" << log;
    syncd.restart_on_same_port();
}

// An import's body may be tens of megabytes: a token that may not import is refused on its header, before the body
// is read (the client here never sends one), rather than after it is buffered.
TEST_F(SyncdAuth, an_import_without_an_admin_token_is_refused_before_its_body_is_read) {
    namespace asio = boost::asio;
    for (const std::string& authorization : {std::string(), "Authorization: Bearer " + device + "\r\n"}) {
        asio::io_context io;
        asio::ip::tcp::socket socket(io);
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(syncd.port())});
        const std::string header = "POST /api/v1/import?kind=values HTTP/1.1\r\nHost: x\r\n" + authorization +
                                   "Content-Length: 50000000\r\n\r\n";
        asio::write(socket, asio::buffer(header));
        const auto sent = std::chrono::steady_clock::now();
        std::string answer(12, '\0');
        asio::read(socket, asio::buffer(answer));  // "HTTP/1.1 401"
        const auto waited = std::chrono::steady_clock::now() - sent;
        EXPECT_EQ(answer, authorization.empty() ? "HTTP/1.1 401" : "HTTP/1.1 403");
        EXPECT_LT(waited, scaled(std::chrono::seconds(5)));  // the read deadline for a body is 15 s
    }
}

}  // namespace chiso::test
