// The fleet view's server side: how a device is judged (online, stale, silent, never seen, revoked) and why, the
// [fleet] keys of the configuration file, and GET /api/v1/devices and GET /fleet on the real chiso-syncd.
// The page itself, in a real Chromium, is fleet_page_test (fleet_page_test.mjs).
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"
#include "syncd/config.hpp"
#include "syncd/fleet.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <thread>

namespace chiso::test {
namespace json = boost::json;
using syncd::DeviceStatus;
using syncd::FleetThresholds;
using syncd::judge_device;
using syncd::LastHeartbeat;

// ---- judging one device -----------------------------------------------------------------------------------------

TEST(FleetJudge, a_device_is_silent_past_the_limit_and_silence_outranks_old_data) {
    const FleetThresholds limits{180, 7200};
    EXPECT_EQ(judge_device(false, LastHeartbeat{180, 10, std::nullopt, {}, true, {}}, limits).status, DeviceStatus::online);
    const auto silent = judge_device(false, LastHeartbeat{181, 99999, std::nullopt, {}, true, {}}, limits);
    EXPECT_EQ(silent.status, DeviceStatus::silent);
    EXPECT_EQ(silent.reason, "no heartbeat for 3 min (silent after 3 min)");
    EXPECT_EQ(judge_device(false, LastHeartbeat{3 * 86400 + 4 * 3600, 5, std::nullopt, {}, true, {}}, limits).reason,
              "no heartbeat for 3 d 4 h (silent after 3 min)");
}

TEST(FleetJudge, a_device_is_stale_when_its_data_is_old_or_it_holds_none) {
    const FleetThresholds limits{180, 7200};
    EXPECT_EQ(judge_device(false, LastHeartbeat{5, 7200, std::nullopt, {}, true, {}}, limits).status, DeviceStatus::online);
    const auto old = judge_device(false, LastHeartbeat{5, 7201, std::nullopt, {}, true, {}}, limits);
    EXPECT_EQ(old.status, DeviceStatus::stale);
    EXPECT_EQ(old.reason, "data 2 h old (stale after 2 h)");
    const auto empty = judge_device(false, LastHeartbeat{5, -1, std::nullopt, {}, true, {}}, limits);
    EXPECT_EQ(empty.status, DeviceStatus::stale);
    EXPECT_EQ(empty.reason, "running, but holds no data yet");
}

TEST(FleetJudge, a_beating_device_whose_kiosk_sees_no_display_says_so_before_its_data) {
    const FleetThresholds limits{180, 7200};
    const auto unplugged = judge_device(false, LastHeartbeat{5, 99999, false, "HDMI-A-1", true, {}}, limits);
    EXPECT_EQ(unplugged.status, DeviceStatus::display_disconnected);
    EXPECT_EQ(unplugged.reason, "no display connected (HDMI-A-1 disconnected)");
    EXPECT_EQ(judge_device(false, LastHeartbeat{5, 10, true, "HDMI-A-1", true, {}}, limits).status, DeviceStatus::online);
    // A kiosk that cannot tell (no DRM connector: a window on a desktop) is judged by the rest.
    EXPECT_EQ(judge_device(false, LastHeartbeat{5, 10, std::nullopt, {}, true, {}}, limits).status, DeviceStatus::online);
    // Silence outranks it: an old report of a display says nothing about now.
    EXPECT_EQ(judge_device(false, LastHeartbeat{999, 10, false, {}, true, {}}, limits).status, DeviceStatus::silent);
    EXPECT_TRUE(syncd::is_problem(DeviceStatus::display_disconnected));
}

TEST(FleetJudge, a_display_in_standby_is_a_problem_in_its_hours_only) {
    const FleetThresholds limits{180, 7200};
    const auto off = judge_device(false, LastHeartbeat{5, 10, true, "HDMI-A-1", true, "standby"}, limits);
    EXPECT_EQ(off.status, DeviceStatus::display_off);
    EXPECT_EQ(off.reason, "the display is in standby during its hours (HDMI-CEC)");
    // Outside its schedule the kiosk put it there itself.
    EXPECT_EQ(judge_device(false, LastHeartbeat{5, 10, true, "HDMI-A-1", false, "standby"}, limits).status,
              DeviceStatus::online);
    EXPECT_EQ(judge_device(false, LastHeartbeat{5, 10, true, "HDMI-A-1", true, "on"}, limits).status,
              DeviceStatus::online);
    EXPECT_EQ(judge_device(false, LastHeartbeat{5, 10, true, "HDMI-A-1", true, "unknown"}, limits).status,
              DeviceStatus::online);
    EXPECT_TRUE(syncd::is_problem(DeviceStatus::display_off));
}

TEST(FleetJudge, never_seen_online_and_revoked_say_why) {
    const FleetThresholds limits;
    EXPECT_EQ(judge_device(false, std::nullopt, limits).status, DeviceStatus::never_seen);
    EXPECT_EQ(judge_device(false, LastHeartbeat{20, 3 * 60 + 5, std::nullopt, {}, true, {}}, limits).reason, "heartbeat 20 s ago, data 3 min old");
    EXPECT_EQ(judge_device(false, LastHeartbeat{4, 0, std::nullopt, {}, true, {}}, limits).reason, "heartbeat just now, data 0 s old");
    // A clock stepped back: the heartbeat looks as if from the future, and is simply recent.
    EXPECT_EQ(judge_device(false, LastHeartbeat{-30, 0, std::nullopt, {}, true, {}}, limits).status, DeviceStatus::online);
    // Revoked outranks everything: a retired screen is nobody's problem, however silent.
    const auto revoked = judge_device(true, LastHeartbeat{999999, 999999, std::nullopt, {}, true, {}}, limits);
    EXPECT_EQ(revoked.status, DeviceStatus::revoked);
    EXPECT_EQ(revoked.reason, "token revoked");
    EXPECT_EQ(syncd::status_name(DeviceStatus::never_seen), "never_seen");
}

TEST(FleetJudge, durations_read_at_a_glance) {
    EXPECT_EQ(syncd::short_duration(0), "0 s");
    EXPECT_EQ(syncd::short_duration(59), "59 s");
    EXPECT_EQ(syncd::short_duration(60), "1 min");
    EXPECT_EQ(syncd::short_duration(3599), "59 min");
    EXPECT_EQ(syncd::short_duration(3600), "1 h");
    EXPECT_EQ(syncd::short_duration(2 * 3600 + 5 * 60 + 9), "2 h 5 min");
    EXPECT_EQ(syncd::short_duration(86400), "1 d");
    EXPECT_EQ(syncd::short_duration(-5), "0 s");
}

// ---- the [fleet] keys -------------------------------------------------------------------------------------------

class FleetConfig : public ::testing::Test {
protected:
    std::filesystem::path write(const std::string& text) {
        const auto file = folder.folder() / "chiso-syncd.toml";
        std::ofstream(file) << text;
        return file;
    }
    // The reason load_config gives, or "" when it accepts the file.
    std::string refusal(const std::string& text) {
        try {
            syncd::load_config(write(text));
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return {};
    }
    SyncdProcess folder;  // only for its temporary folder; never started
};

TEST_F(FleetConfig, the_keys_set_the_thresholds_and_the_shipped_file_documents_the_defaults) {
    const auto config = syncd::load_config(write("[fleet]\nsilent_after_seconds = 90\nstale_after_seconds = 600\n"));
    EXPECT_EQ(config.server.fleet.silent_after_s, 90);
    EXPECT_EQ(config.server.fleet.stale_after_s, 600);
    const auto shipped = syncd::load_config(std::filesystem::path(CHISO_DEMO_DIR) / "../config/chiso-syncd.toml");
    const FleetThresholds defaults;
    EXPECT_EQ(shipped.server.fleet.silent_after_s, defaults.silent_after_s);
    EXPECT_EQ(shipped.server.fleet.stale_after_s, defaults.stale_after_s);
    EXPECT_EQ(syncd::load_config(write("")).server.fleet.silent_after_s, defaults.silent_after_s);
}

TEST_F(FleetConfig, a_wrong_value_or_key_is_refused_naming_the_key) {
    EXPECT_NE(refusal("[fleet]\nsilent_after_seconds = 0\n").find("'fleet.silent_after_seconds' must be between 1"),
              std::string::npos);
    EXPECT_NE(refusal("[fleet]\nstale_after_seconds = \"2h\"\n").find("'fleet.stale_after_seconds' must be an integer"),
              std::string::npos);
    EXPECT_NE(refusal("[fleet]\nsilent_after = 60\n").find("fleet.silent_after"), std::string::npos);
    const std::string too_long = refusal("[fleet]\nstale_after_seconds = 2592001\n");
    EXPECT_NE(too_long.find("chiso-syncd.toml:2:"), std::string::npos) << "the file and line: " << too_long;
}

// ---- on the real chiso-syncd ------------------------------------------------------------------------------------

class FleetServer : public ::testing::Test {
protected:
    void SetUp() override {
        const auto config = syncd.folder() / "chiso-syncd.toml";
        std::ofstream(config) << "[fleet]\nsilent_after_seconds = 2\nstale_after_seconds = 3600\n";
        syncd.start({"--config", config.string()});
        import_test_data(syncd);
    }
    void TearDown() override { syncd.stop(); }

    void beat(const std::string& token, std::int64_t data_age_s, const std::string& display = "") {
        const HttpResponse response =
            syncd.post("/api/v1/heartbeat", token,
                       R"({"version":"0.1.0","revision":4,"data_age_s":)" + std::to_string(data_age_s) +
                           R"(,"page":"overview","screen_on":true)" + display + "}");
        ASSERT_EQ(response.status, 204) << response.body;
    }
    json::object devices() {
        const HttpResponse response = syncd.get("/api/v1/devices", syncd.admin_token());
        EXPECT_EQ(response.status, 200) << response.body;
        return json::parse(response.body).as_object();
    }
    // How the server judges device `name` now.
    std::string status_of(const std::string& name) {
        const json::object list = devices();
        for (const json::value& device : list.at("devices").as_array())
            if (device.at("name").as_string() == name) return std::string(device.at("status").as_string());
        return "(not listed)";
    }
    // Asks the device list until it judges `name` `status`: every 100 ms, within the admin token's request budget.
    bool wait_for_status(const std::string& name, const std::string& status, std::chrono::milliseconds limit) {
        for (const auto deadline = std::chrono::steady_clock::now() + limit;
             std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(std::chrono::milliseconds(100)))
            if (status_of(name) == status) return true;
        return false;
    }

    SyncdProcess syncd;
};

TEST_F(FleetServer, the_device_list_judges_every_device_by_the_configured_limits_worst_first) {
    const std::string quiet = syncd.add_device("a-quiet", "U1");
    const std::string fresh = syncd.add_device("b-fresh", "U2");
    const std::string behind = syncd.add_device("c-behind", "U2");
    syncd.add_device("d-unboxed", "B1");
    syncd.add_device("e-retired", "B2");
    const std::string unplugged = syncd.add_device("f-unplugged", "B2");
    syncd.cli({"device", "revoke", "e-retired"});
    beat(quiet, 10);
    EXPECT_EQ(status_of("a-quiet"), "online") << "silent at once";
    // Past silent_after_seconds = 2 for the first, which the server says when it is (heartbeat times are whole
    // seconds: 3 to 4 s after its beat); the others beat then and are listed well within it.
    EXPECT_TRUE(wait_for_status("a-quiet", "silent", scaled(std::chrono::seconds(10))));
    beat(fresh, 30);
    beat(behind, 3601);
    beat(unplugged, 3601, R"(,"display":{"connected":false,"connector":"HDMI-A-1"})");

    const json::object list = devices();
    std::vector<std::pair<std::string, std::string>> seen;
    for (const json::value& device : list.at("devices").as_array())
        seen.emplace_back(device.at("name").as_string(), device.at("status").as_string());
    const std::vector<std::pair<std::string, std::string>> expected{{"a-quiet", "silent"},
                                                                    {"d-unboxed", "never_seen"},
                                                                    {"f-unplugged", "display_disconnected"},
                                                                    {"c-behind", "stale"},
                                                                    {"b-fresh", "online"},
                                                                    {"e-retired", "revoked"}};
    EXPECT_EQ(seen, expected);

    const json::array& rows = list.at("devices").as_array();
    const std::string silent_reason(rows[0].at("reason").as_string());
    EXPECT_EQ(silent_reason.rfind("no heartbeat for ", 0), 0u) << silent_reason;
    EXPECT_NE(silent_reason.find(" s (silent after 2 s)"), std::string::npos) << silent_reason;
    EXPECT_EQ(rows[2].at("reason").as_string(), "no display connected (HDMI-A-1 disconnected)");
    EXPECT_EQ(rows[2].at("display_connected"), false);
    EXPECT_EQ(rows[3].at("reason").as_string(), "data 1 h old (stale after 1 h)");
    EXPECT_EQ(rows[1].at("reason").as_string(), "no heartbeat since its token was made");
    EXPECT_FALSE(rows[1].as_object().contains("last_heartbeat"));
    // The fields the list had before the fleet view are all still there.
    for (const char* key : {"name", "scope", "revoked", "last_heartbeat", "silent_s", "version", "revision",
                            "data_age_s", "page", "screen_on", "status", "reason"})
        EXPECT_TRUE(rows[4].as_object().contains(key)) << key;
    EXPECT_EQ(list.at("counts"), json::parse(R"({"silent":1,"never_seen":1,"display_disconnected":1,"display_off":0,
                                                "stale":1,"online":1,"revoked":1})"));
    EXPECT_EQ(list.at("thresholds"), json::parse(R"({"silent_after_s":2,"stale_after_s":3600})"));
}

TEST_F(FleetServer, the_fleet_page_is_served_to_anyone_and_reaches_nothing_but_this_server) {
    const HttpResponse page = syncd.get("/fleet", "");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(page.body.find("/fleet/console.js"), std::string::npos);
    const std::string policy = page.header("content-security-policy");
    EXPECT_NE(policy.find("default-src 'none'"), std::string::npos);
    EXPECT_NE(policy.find("connect-src 'self'"), std::string::npos);
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
    // Its script and style come from here too, under the same policy.
    const HttpResponse script = syncd.get("/fleet/console.js", "");
    ASSERT_EQ(script.status, 200);
    EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_NE(script.body.find("/api/v1/devices"), std::string::npos);
    EXPECT_EQ(script.header("content-security-policy"), policy);
    EXPECT_EQ(syncd.get("/fleet/console.css", "").header("content-type"), "text/css; charset=utf-8");
    EXPECT_EQ(syncd.get("/fleet/nothing.js", "").status, 404);
    // The data is not: without the admin token the devices stay hidden.
    EXPECT_EQ(syncd.get("/api/v1/devices", "").status, 401);
    EXPECT_EQ(syncd.post("/fleet", "", "").status, 405);
}

}  // namespace chiso::test
