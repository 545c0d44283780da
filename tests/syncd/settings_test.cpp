// Display settings and roles on the real chiso-syncd: IT sets defaults, a group's and a device's settings; each
// device gets its own merge of them with a tag its scope answers name; a change ends the long-poll of exactly the
// devices it changes; anything the kiosk would refuse is refused with a reason and changes nothing; each role
// reaches its own routes only.
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <future>

namespace chiso::test {
namespace json = boost::json;
using namespace std::chrono_literals;

class SyncdSettings : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
        hall_1 = syncd.add_device("hall-1", "U2");
        hall_2 = syncd.add_device("hall-2", "U2");
        office = syncd.add_device("office", "U2");
        it = syncd.add_person("it-staff", "it");
        statistician = syncd.add_person("stats", "statistician");
        ASSERT_EQ(put("/api/v1/groups?device=hall-1", R"(["hall"])").status, 204);
        ASSERT_EQ(put("/api/v1/groups?device=hall-2", R"(["hall", "conference"])").status, 204);
    }
    void TearDown() override { syncd.stop(); }

    HttpResponse put(const std::string& target, const std::string& body, const std::string& token = {}) const {
        return syncd.send("PUT", target, token.empty() ? it : token, body);
    }
    json::value effective(const std::string& device_token) const {
        const HttpResponse answer = syncd.get("/api/v1/settings", device_token);
        EXPECT_EQ(answer.status, 200) << answer.body;
        const json::value value = json::parse(answer.body);
        EXPECT_EQ(answer.header("chiso-settings"), json::value_to<std::string>(value.at("tag")));
        return value.at("settings");
    }
    std::string layers() const { return syncd.get("/api/v1/settings", it).body; }

    SyncdProcess syncd;
    std::string hall_1, hall_2, office, it, statistician;
};

TEST_F(SyncdSettings, each_device_gets_the_defaults_then_its_groups_in_order_then_its_own) {
    ASSERT_EQ(put("/api/v1/settings", R"({"dwell_seconds": 20, "language": "vi", "theme": "dark"})").status, 200);
    ASSERT_EQ(put("/api/v1/settings?group=hall", R"({"dwell_seconds": 30, "pages": ["overview", "admission"]})").status,
              200);
    ASSERT_EQ(put("/api/v1/settings?group=conference",
                  R"({"dwell_seconds": 45, "schedule": {"on": "07:00", "off": "19:00", "days": ["mon"]}})")
                  .status,
              200);
    ASSERT_EQ(put("/api/v1/settings?device=hall-2", R"({"theme": "light", "pin_page": "overview"})").status, 200);

    EXPECT_EQ(effective(office), json::parse(R"({"dwell_seconds": 20, "language": "vi", "theme": "dark"})"));
    EXPECT_EQ(effective(hall_1), json::parse(R"({"dwell_seconds": 30, "language": "vi", "theme": "dark",
                                                  "pages": ["overview", "admission"]})"));
    EXPECT_EQ(effective(hall_2), json::parse(R"({"dwell_seconds": 45, "language": "vi", "theme": "light",
                                                  "pages": ["overview", "admission"], "pin_page": "overview",
                                                  "schedule": {"on": "07:00", "off": "19:00", "days": ["mon"]}})"));
    // IT sees every layer and each device's merge.
    const json::value all = json::parse(layers());
    EXPECT_EQ(all.at("groups").at("hall").at("devices"), json::parse(R"(["hall-1", "hall-2"])"));
    EXPECT_EQ(all.at("devices").at("hall-2").at("effective"), effective(hall_2));
    // An empty object takes a layer away.
    ASSERT_EQ(put("/api/v1/settings?device=hall-2", "{}").status, 200);
    EXPECT_EQ(effective(hall_2).at("theme"), "dark");
}

TEST_F(SyncdSettings, scope_answers_name_the_settings_and_a_change_ends_the_long_poll_of_those_it_changes) {
    const HttpResponse first = syncd.get("/api/v1/scope", hall_1);
    ASSERT_EQ(first.status, 200);
    const std::string tag = first.header("chiso-settings");
    ASSERT_FALSE(tag.empty());
    const HttpResponse office_first = syncd.get("/api/v1/scope", office);

    auto hall_poll = std::async(std::launch::async, [&] {
        return syncd.get("/api/v1/scope?wait=60", hall_1, {{"If-None-Match", first.header("etag")}});
    });
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(10s)));
    const auto changed_at = std::chrono::steady_clock::now();
    ASSERT_EQ(put("/api/v1/settings?group=hall", R"({"dwell_seconds": 30})").status, 200);
    const HttpResponse woken = hall_poll.get();
    EXPECT_EQ(woken.status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - changed_at, scaled(5s));
    EXPECT_NE(woken.header("chiso-settings"), tag);
    EXPECT_NE(woken.header("etag"), first.header("etag"));

    // The office is in no group: its answer and its tag stay, and its long-poll runs its time out.
    const HttpResponse office_poll =
        syncd.get("/api/v1/scope?wait=1", office, {{"If-None-Match", office_first.header("etag")}});
    EXPECT_EQ(office_poll.status, 304);
    EXPECT_EQ(office_poll.header("chiso-settings"), office_first.header("chiso-settings"));
}

TEST_F(SyncdSettings, settings_the_kiosk_would_refuse_are_refused_with_a_reason_and_change_nothing) {
    ASSERT_EQ(put("/api/v1/settings?group=hall", R"({"dwell_seconds": 30})").status, 200);
    const std::string before = layers();
    const std::string tag_before = syncd.get("/api/v1/scope", hall_1).header("chiso-settings");
    struct Case {
        std::string target, body;
        int status;
        std::string reason;
    };
    const std::vector<Case> cases{
        {"/api/v1/settings?group=hall", R"({"dwell_seconds": 1})", 400, "'dwell_seconds' must be 3 to 3600 (found 1)"},
        {"/api/v1/settings?group=hall", R"({"rotation": 45})", 400, "'rotation' must be 0, 90, 180 or 270"},
        {"/api/v1/settings?group=hall", R"({"pages": ["overview", "weather"]})", 400, "unknown page 'weather'"},
        {"/api/v1/settings?group=hall", R"({"colour": "red"})", 400, "unknown setting 'colour'"},
        {"/api/v1/settings?group=hall", R"({"schedule": {"on": "25:00"}})", 400, "'schedule.on' must be a time"},
        {"/api/v1/settings?group=hall", R"(["dwell_seconds"])", 400, "settings must be a JSON object"},
        {"/api/v1/settings?group=hall", "{\"pin_page\": \"" + std::string(20000, 'x') + "\"}", 400,
         "at most 16384 bytes"},
        {"/api/v1/settings?group=nobody-here", R"({"dwell_seconds": 30})", 404, "unknown group 'nobody-here'"},
        {"/api/v1/settings?device=no-such-screen", R"({"dwell_seconds": 30})", 404, "unknown device 'no-such-screen'"},
        {"/api/v1/settings?device=it-staff", R"({"dwell_seconds": 30})", 404, "unknown device 'it-staff'"},
        {"/api/v1/groups?device=hall-1", R"(["Hội trường"])", 400, "bad group name"},
        {"/api/v1/groups?device=hall-1", R"(["hall", "hall"])", 400, "listed twice"},
        {"/api/v1/groups?device=nobody", R"(["hall"])", 404, "unknown device 'nobody'"},
    };
    for (const Case& c : cases) {
        const HttpResponse answer = put(c.target, c.body);
        EXPECT_EQ(answer.status, c.status) << c.target << " " << c.body.substr(0, 80);
        EXPECT_NE(answer.body.find(c.reason), std::string::npos) << answer.body;
    }
    EXPECT_EQ(layers(), before);
    EXPECT_EQ(syncd.get("/api/v1/scope", hall_1).header("chiso-settings"), tag_before);
}

TEST_F(SyncdSettings, each_role_reaches_its_own_routes_only) {
    const std::string values = test_data("values.csv");
    // IT: devices and settings, not imports.
    EXPECT_EQ(syncd.get("/api/v1/devices", it).status, 200);
    EXPECT_EQ(syncd.post("/api/v1/import?kind=values", it, values).status, 403);
    // A statistician: imports and figures, not the fleet.
    EXPECT_EQ(syncd.post("/api/v1/import?kind=values&name=values.csv", statistician, values).status, 200);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=U1", statistician).status, 200);
    EXPECT_EQ(syncd.get("/api/v1/devices", statistician).status, 403);
    EXPECT_EQ(syncd.get("/api/v1/settings", statistician).status, 403);
    EXPECT_EQ(put("/api/v1/settings", R"({"dwell_seconds": 30})", statistician).status, 403);
    // A device: its own settings, never another layer.
    EXPECT_EQ(put("/api/v1/settings?device=hall-1", R"({"dwell_seconds": 30})", hall_1).status, 403);
    EXPECT_EQ(put("/api/v1/groups?device=hall-1", R"([])", hall_1).status, 403);
    // The device list is of devices only, not of people.
    const std::string devices = syncd.get("/api/v1/devices", it).body;
    EXPECT_NE(devices.find("\"hall-1\""), std::string::npos);
    EXPECT_EQ(devices.find("it-staff"), std::string::npos);
    EXPECT_EQ(devices.find("\"stats\""), std::string::npos);
}

TEST_F(SyncdSettings, the_command_line_edits_keys_of_a_layer_checked_by_the_same_rules) {
    const std::string etag_before = syncd.get("/api/v1/scope", hall_1).header("etag");
    int status = -1;
    syncd.cli({"settings", "set", "--group", "hall", "pages=overview,admission", "dwell_seconds=25",
               "schedule.on=07:30", "schedule.off=17:00", "schedule.days=mon,tue,wed"},
              &status);
    ASSERT_EQ(status, 0);
    syncd.cli({"settings", "set", "--group", "hall", "dwell_seconds=2"}, &status);
    EXPECT_NE(status, 0);
    const json::value shown = json::parse(syncd.cli({"settings", "show", "--device", "hall-1"}, &status));
    ASSERT_EQ(status, 0);
    EXPECT_EQ(shown.at("effective"), json::parse(R"({"pages": ["overview", "admission"], "dwell_seconds": 25,
        "schedule": {"on": "07:30", "off": "17:00", "days": ["mon", "tue", "wed"]}})"));
    // The running server takes it within its one-second look at the store: a kiosk's long-poll of a second with
    // the ETag from before the change is answered 304 while the server has not seen it, and 200 once it has.
    const auto deadline = std::chrono::steady_clock::now() + scaled(5s);
    int answer = 304;
    while (answer == 304 && std::chrono::steady_clock::now() < deadline)
        answer = syncd.get("/api/v1/scope?wait=1", hall_1, {{"If-None-Match", etag_before}}).status;
    EXPECT_EQ(answer, 200) << "the server did not take the change within 5 s";
    EXPECT_EQ(effective(hall_1), shown.at("effective"));
}

}  // namespace chiso::test
