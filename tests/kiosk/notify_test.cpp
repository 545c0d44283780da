// kiosk_notify_test: the real chiso-kiosk speaks systemd's notify protocol the way chiso-kiosk.service
// (Type=notify, WatchdogSec=) relies on: READY=1 only once its first frame is drawn, WATCHDOG=1 pings at half
// the watchdog period while its GUI thread runs — none while it is frozen — and STOPPING=1 on SIGTERM. The test
// plays systemd: a datagram socket named in NOTIFY_SOCKET, WATCHDOG_USEC in the environment.
#include "kiosk_process.hpp"
#include "support/notify_socket.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;

long count_of(const std::vector<std::string>& messages, const std::string& line) {
    return std::count_if(messages.begin(), messages.end(),
                         [&](const std::string& m) { return m.find(line) != std::string::npos; });
}

TEST(KioskNotify, ready_after_the_first_frame_then_watchdog_pings_while_the_gui_runs_and_stopping_at_the_end) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    const auto token_file = syncd.folder() / "room.token";
    std::ofstream(token_file) << syncd.add_device("room", "HT") << "\n";
    NotifySocket systemd(syncd.folder() / "notify.sock");

    ::setenv("NOTIFY_SOCKET", (syncd.folder() / "notify.sock").c_str(), 1);
    ::setenv("WATCHDOG_USEC", "400000", 1);  // 0.4 s: a ping every 0.2 s
    ::unsetenv("WATCHDOG_PID");
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
                        token_file.string(), "--org", "HT", "--cache", (syncd.folder() / "cache.db").string()});
    kiosk.start();
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");

    std::vector<std::string> seen;
    ASSERT_TRUE(systemd.wait_for("READY=1", 30s, seen)) << kiosk.log();
    // READY comes with the first frame, so the state file (written as the kiosk starts) is already there.
    EXPECT_TRUE(kiosk.state()) << "READY=1 before the kiosk was up";
    EXPECT_EQ(count_of(seen, "READY=1"), 1);

    const auto running = systemd.receive_for(2000ms);
    const long pings = count_of(running, "WATCHDOG=1");
    EXPECT_GE(pings, 6) << "a ping every 0.2 s for 2 s";
    EXPECT_LE(pings, 14);

    // A frozen kiosk (as a hung GUI thread would be) sends nothing, so systemd would restart it.
    ::kill(kiosk.pid(), SIGSTOP);
    systemd.receive_for(300ms);  // what was already on its way
    EXPECT_EQ(count_of(systemd.receive_for(1000ms), "WATCHDOG=1"), 0);
    ::kill(kiosk.pid(), SIGCONT);
    EXPECT_GE(count_of(systemd.receive_for(1000ms), "WATCHDOG=1"), 2);

    ::kill(kiosk.pid(), SIGTERM);
    std::vector<std::string> end;
    EXPECT_TRUE(systemd.wait_for("STOPPING=1", 10s, end)) << kiosk.log();
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

TEST(KioskNotify, outside_systemd_it_says_nothing_and_runs_as_ever) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    ::unsetenv("NOTIFY_SOCKET");
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:1", "--cache", (syncd.folder() / "cache.db").string()});
    kiosk.start();
    EXPECT_TRUE(kiosk.wait_for([](const auto&) { return true; }, 30s)) << kiosk.log();
    EXPECT_EQ(kiosk.log().find("watchdog"), std::string::npos) << kiosk.log();
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

}  // namespace
}  // namespace chiso::test
