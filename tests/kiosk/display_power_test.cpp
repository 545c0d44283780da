// kiosk_display_power_test: the display's power follows the kiosk's schedule over HDMI-CEC. The real cec-ctl needs
// a display with a CEC bus, which cannot exist here: a stand-in script takes its place, recording every call and
// answering power-status requests with the state the last command left (as a display does). Outside its schedule
// the kiosk puts the display in standby, at its start wakes it, and tells syncd what the display says; a display
// turned off by hand during its hours is shown to IT as "display_off".
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// A stand-in for cec-ctl: each call's arguments as a line of calls.log; --standby and --image-view-on set the
// display's state in power; --give-device-power-status prints the reply a display gives.
void write_stand_in(const std::filesystem::path& folder) {
    const auto script = folder / "cec-ctl";
    std::ofstream(script) << "#!/bin/sh\n"
                             "dir=$(dirname \"$0\")\n"
                             "echo \"$*\" >> \"$dir/calls.log\"\n"
                             "case \"$*\" in\n"
                             "  *--standby*) echo standby > \"$dir/power\" ;;\n"
                             "  *--image-view-on*) echo on > \"$dir/power\" ;;\n"
                             "  *--give-device-power-status*)\n"
                             "    echo 'Transmit from Playback Device 1 to TV (4 to 0):'\n"
                             "    echo 'GIVE_DEVICE_POWER_STATUS (0x8f)'\n"
                             "    echo '    Received from TV (0):'\n"
                             "    echo '    REPORT_POWER_STATUS (0x90):'\n"
                             "    echo \"        pwr-state: $(cat \"$dir/power\") (0x00)\" ;;\n"
                             "esac\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    std::ofstream(folder / "power") << "on\n";
    std::ofstream(folder / "cec0");  // the adapter's device node, as far as the kiosk looks
}

// The first call after the first `from` that is not a power-status query (those come every second meanwhile).
std::string command_after(const std::vector<std::string>& calls, std::size_t from) {
    for (std::size_t i = from; i < calls.size(); ++i)
        if (calls[i].find("--give-device-power-status") == std::string::npos) return calls[i];
    return "(none)";
}

std::vector<std::string> calls(const std::filesystem::path& folder) {
    std::vector<std::string> lines;
    std::ifstream in(folder / "calls.log");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

TEST(KioskDisplayPower, standby_at_the_schedules_end_on_at_its_start_and_the_state_told_to_syncd) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    const std::string it = syncd.add_person("it-staff", "it");
    const auto cec = syncd.folder() / "cec";
    std::filesystem::create_directories(cec);
    write_stand_in(cec);
    const auto token_file = syncd.folder() / "hall.token";
    std::ofstream(token_file) << syncd.add_device("hall-1", "HT") << "\n";
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
                        token_file.string(), "--cache", (syncd.folder() / "cache.db").string()},
                       {{"CHISO_KIOSK_CEC_CTL", (cec / "cec-ctl").string()},
                        {"CHISO_KIOSK_CEC_DEVICE", (cec / "cec0").string()},
                        {"CHISO_KIOSK_CEC_POLL", "1"},
                        {"CHISO_KIOSK_HEARTBEAT", "1"}});
    kiosk.start();
    const std::string device = (cec / "cec0").string();
    // In its hours (no schedule: always): configured, woken, asked.
    auto on = kiosk.wait_for(
        [](const auto& s) { return connection_of(s) == "Online" && s.at("displayPower") == "on"; }, scaled(30s));
    ASSERT_TRUE(on) << kiosk.log();
    std::vector<std::string> seen = calls(cec);
    ASSERT_GE(seen.size(), 3u);
    EXPECT_EQ(seen[0], "-d " + device + " --playback --osd-name chiso");
    EXPECT_EQ(seen[1], "-d " + device + " --to 0 --image-view-on");
    EXPECT_EQ(seen[2], "-d " + device + " --to 0 --give-device-power-status");

    // The schedule's end: IT gives the screen a schedule whose hours are on another day.
    const std::size_t before_end = calls(cec).size();
    ASSERT_EQ(syncd.send("PUT", "/api/v1/settings?device=hall-1", it,
                         schedule_outside_now())
                  .status,
              200);
    auto standby = kiosk.wait_for(
        [](const auto& s) { return !s.at("screenOn").as_bool() && s.at("displayPower") == "standby"; }, scaled(10s));
    ASSERT_TRUE(standby) << kiosk.log();
    EXPECT_EQ(command_after(calls(cec), before_end), "-d " + device + " --to 0 --standby");
    EXPECT_NE(kiosk.log().find("display power: standby over CEC"), std::string::npos);

    // syncd hears it; outside its hours a display in standby is no problem.
    auto status_of_hall = [&]() -> json::object {
        const json::value list = json::parse(syncd.get("/api/v1/devices", it).body);
        for (const json::value& d : list.at("devices").as_array())
            if (d.at("name") == "hall-1") return d.as_object();
        return {};
    };
    // The kiosk beats every second: two beats after it saw the display in standby, syncd has heard of it.
    const std::string beats = R"(chiso_http_requests_total{route="heartbeat",status="204"})";
    auto two_more_beats = [&] {
        const double now_beats = metric_in(syncd.get("/metrics", "").body, beats).value_or(0);
        return syncd.wait_for_metric(beats, now_beats + 2, scaled(10s));
    };
    ASSERT_TRUE(two_more_beats());
    EXPECT_EQ(status_of_hall()["display_power"], "standby");
    EXPECT_EQ(status_of_hall()["status"], "online");

    // The schedule's start: the schedule taken away, the display woken.
    const std::size_t before_start = calls(cec).size();
    ASSERT_EQ(syncd.send("PUT", "/api/v1/settings?device=hall-1", it, "{}").status, 200);
    auto woken = kiosk.wait_for(
        [](const auto& s) { return s.at("screenOn").as_bool() && s.at("displayPower") == "on"; }, scaled(10s));
    ASSERT_TRUE(woken) << kiosk.log();
    EXPECT_EQ(command_after(calls(cec), before_start), "-d " + device + " --to 0 --image-view-on");

    // Turned off by hand during its hours: the next query says so, and IT sees "display_off".
    std::ofstream(cec / "power") << "standby\n";
    ASSERT_TRUE(kiosk.wait_for([](const auto& s) { return s.at("displayPower") == "standby"; }, scaled(10s)));
    ASSERT_TRUE(two_more_beats());
    EXPECT_EQ(status_of_hall()["status"], "display_off");
    EXPECT_EQ(status_of_hall()["reason"], "the display is in standby during its hours (HDMI-CEC)");
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

}  // namespace
}  // namespace chiso::test
