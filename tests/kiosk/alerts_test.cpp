// kiosk_alerts_test: syncd's webhook against a receiver in the test. A real kiosk killed is announced once as
// silent — the receiver refuses the first attempt, and the retry delivers it — and once as back when it is started
// again, and nothing more; a device outside the schedule of its display settings is not announced until its hours
// begin; a display unplugged (a stand-in for the kernel's DRM connector folder: the real one needs a display) is a
// problem of its own. /metrics names each device's status for Prometheus.
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"
#include "support/webhook_receiver.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// The number of the last fleet check syncd logged ("alert watch: check 17: 2 devices"), 0 before the first.
int last_check(const std::filesystem::path& log) {
    static const std::regex check("alert watch: check ([0-9]+):");
    int last = 0;
    const std::string text = read_file(log);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), check); it != std::sregex_iterator(); ++it)
        last = std::stoi((*it)[1]);
    return last;
}

TEST(KioskAlerts, a_killed_kiosk_is_announced_once_and_once_more_when_back_and_outside_its_hours_not_at_all) {
    WebhookReceiver receiver(1);  // refuses the first request
    SyncdProcess syncd;
    const auto config = syncd.folder() / "chiso-syncd.toml";
    std::ofstream(config) << "[fleet]\nsilent_after_seconds = 3\nstale_after_seconds = 3600\n"
                          << "[alerts]\nwebhook_url = \"" << receiver.url() << "\"\ncheck_seconds = 1\nattempts = 3\n";
    syncd.start({"--demo", "--config", config.string(), "--log-level", "debug"});
    const std::string it = syncd.add_person("it-staff", "it");
    // The kiosk's DRM connectors: a stand-in folder laid out as /sys/class/drm, a display on HDMI-A-1.
    const auto drm = syncd.folder() / "drm";
    std::filesystem::create_directories(drm / "card1-HDMI-A-1");
    std::filesystem::create_directories(drm / "card1-Writeback-1");
    std::ofstream(drm / "card1-HDMI-A-1" / "status") << "connected\n";
    std::ofstream(drm / "card1-Writeback-1" / "status") << "unknown\n";
    const auto token_file = syncd.folder() / "hall.token";
    std::ofstream(token_file) << syncd.add_device("hall-1", "HT") << "\n";
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
                        token_file.string(), "--cache", (syncd.folder() / "cache.db").string()},
                       {{"CHISO_KIOSK_HEARTBEAT", "1"}, {"CHISO_KIOSK_DRM_ROOT", drm.string()}});
    kiosk.start();
    ASSERT_TRUE(kiosk.wait_for([](const auto& s) { return connection_of(s) == "Online"; }, scaled(30s)))
        << kiosk.log();

    // A screen whose hours are over (its schedule: one minute of a day that is not today), seen once and silent.
    const std::string night = syncd.add_device("night-1", "HT");
    ASSERT_EQ(syncd.send("PUT", "/api/v1/settings?device=night-1", it,
                         schedule_outside_now())
                  .status,
              200);
    ASSERT_EQ(syncd.post("/api/v1/heartbeat", night, R"({"revision": 1, "data_age_s": 0})").status, 204);

    // /metrics: each device's status, and whether it is in its hours (made again at most once a second).
    EXPECT_TRUE(syncd.wait_for_metric(R"(chiso_device_status{device="hall-1",scope="HT",status="online"})", 1.0,
                                      scaled(10s)));
    EXPECT_TRUE(syncd.wait_for_metric(R"(chiso_device_in_hours{device="night-1"})", 0.0, scaled(10s)));
    EXPECT_TRUE(syncd.wait_for_metric(R"(chiso_device_in_hours{device="hall-1"})", 1.0, scaled(10s)));

    // Killed: one notice, "silent", delivered on the second attempt.
    kiosk.kill();
    ASSERT_TRUE(receiver.wait_for(1, scaled(20s))) << read_file(syncd.folder() / "syncd.log");
    json::value silent = json::parse(receiver.accepted().at(0));
    EXPECT_EQ(silent.at("device"), "hall-1");
    EXPECT_EQ(silent.at("status"), "silent");
    EXPECT_EQ(silent.at("previous"), "ok");
    EXPECT_EQ(silent.at("problem"), true);
    EXPECT_EQ(silent.at("scope"), "HT");
    EXPECT_EQ(receiver.requests(), 2) << "the refused attempt was not retried, or retried more than once";

    // Back: one notice, "online".
    kiosk.start();
    ASSERT_TRUE(receiver.wait_for(2, scaled(30s))) << read_file(syncd.folder() / "syncd.log");
    json::value back = json::parse(receiver.accepted().at(1));
    EXPECT_EQ(back.at("device"), "hall-1");
    EXPECT_EQ(back.at("status"), "online");
    EXPECT_EQ(back.at("previous"), "silent");
    EXPECT_EQ(back.at("problem"), false);

    // Three more looks at the fleet: nothing more is sent — not the kiosk again, not the screen out of its hours.
    const int check = last_check(syncd.folder() / "syncd.log");
    ASSERT_TRUE(wait_for_text(syncd.folder() / "syncd.log", "alert watch: check " + std::to_string(check + 3) + ":",
                              scaled(15s), syncd.pid()));
    EXPECT_EQ(receiver.accepted().size(), 2u);

    // Its hours begin (its schedule taken away): the problem still there is announced.
    ASSERT_EQ(syncd.send("PUT", "/api/v1/settings?device=night-1", it, "{}").status, 200);
    ASSERT_TRUE(receiver.wait_for(3, scaled(20s)));
    json::value late = json::parse(receiver.accepted().at(2));
    EXPECT_EQ(late.at("device"), "night-1");
    EXPECT_EQ(late.at("status"), "silent");

    // The display is unplugged: the kiosk's next heartbeat says so, and that is announced as its own problem.
    std::ofstream(drm / "card1-HDMI-A-1" / "status") << "disconnected\n";
    ASSERT_TRUE(receiver.wait_for(4, scaled(20s)));
    json::value unplugged = json::parse(receiver.accepted().at(3));
    EXPECT_EQ(unplugged.at("device"), "hall-1");
    EXPECT_EQ(unplugged.at("status"), "display_disconnected");
    EXPECT_EQ(unplugged.at("reason"), "no display connected (HDMI-A-1 disconnected)");
    const json::value devices = json::parse(syncd.get("/api/v1/devices", it).body);
    for (const json::value& device : devices.at("devices").as_array())
        if (device.at("name") == "hall-1") {
            EXPECT_EQ(device.at("status"), "display_disconnected");
            EXPECT_EQ(device.at("display_connected"), false);
            EXPECT_EQ(device.at("display_connector"), "HDMI-A-1");
        }
    std::ofstream(drm / "card1-HDMI-A-1" / "status") << "connected\n";
    ASSERT_TRUE(receiver.wait_for(5, scaled(20s)));
    EXPECT_EQ(json::parse(receiver.accepted().at(4)).at("status"), "online");
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

}  // namespace
}  // namespace chiso::test
