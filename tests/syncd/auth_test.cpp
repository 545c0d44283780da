// Tokens: a device sees its own scope only, an admin imports and lists devices, a wrong or revoked token
// is refused (401), and a token without the right is forbidden (403).
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

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

TEST_F(SyncdAuth, a_revoked_token_is_refused_from_its_next_request) {
    ASSERT_EQ(syncd.get("/api/v1/scope", device).status, 200);
    syncd.cli({"device", "revoke", "room-b"});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server rechecks tokens within 250 ms
    EXPECT_EQ(syncd.get("/api/v1/scope", device).status, 401);
}

TEST_F(SyncdAuth, a_device_sees_its_scope_and_what_lies_below_it_and_nothing_else) {
    EXPECT_EQ(syncd.get("/api/v1/scope?org=B3", device).status, 200);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=U1", device).status, 403);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=R", device).status, 403);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=NOPE", device).status, 404);
    json::value scope = json::parse(syncd.get("/api/v1/scope", device).body);
    EXPECT_EQ(scope.at("scope").at("org").as_string(), "U2");
    EXPECT_FALSE(scope.at("values").as_object().contains("U1"));
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

TEST_F(SyncdAuth, tokens_are_stored_only_as_hashes) {
    std::string database = read_file(syncd.database());
    std::string wal = std::filesystem::exists(syncd.database().string() + "-wal")
                          ? read_file(syncd.database().string() + "-wal")
                          : "";
    EXPECT_EQ(database.find(device), std::string::npos);
    EXPECT_EQ(wal.find(device), std::string::npos);
    EXPECT_EQ(read_file(syncd.folder() / "syncd.log").find(device), std::string::npos);
}

}  // namespace chiso::test
