// kiosk_notify_test: the real chiso-kiosk speaks systemd's notify protocol the way chiso-kiosk.service
// (Type=notify, WatchdogSec=) relies on: READY=1 only once its first frame is drawn, WATCHDOG=1 pings at half
// the watchdog period while its GUI thread runs — none while it is frozen — and STOPPING=1 on SIGTERM. The test
// plays systemd: a datagram socket named in NOTIFY_SOCKET, WATCHDOG_USEC in the environment.
#include "kiosk_process.hpp"
#include "support/notify_socket.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;

// What Qt's software renderer (the tests draw with it) logs as it draws a frame, before the frame is shown, when
// its debug category is on: a frame has been drawn once this is in the kiosk's log.
constexpr const char* kFrameDrawnRule = "qt.scenegraph.softwarecontext.renderer.debug=true";
constexpr const char* kFrameDrawn = "qt.scenegraph.softwarecontext.renderer: render";

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
    ::setenv("QT_LOGGING_RULES", kFrameDrawnRule, 1);
    ::unsetenv("WATCHDOG_PID");
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
                        token_file.string(), "--org", "HT", "--cache", (syncd.folder() / "cache.db").string()});
    kiosk.start();
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("QT_LOGGING_RULES");

    std::vector<std::string> seen;
    ASSERT_TRUE(systemd.wait_for("READY=1", scaled(30s), seen)) << kiosk.log();
    // The log as READY=1 arrives: the renderer has logged a frame drawn by then. (The state file is no sign of
    // it: the kiosk writes it before its window is shown.)
    const std::string log_at_ready = kiosk.log();
    EXPECT_TRUE(log_at_ready.find(kFrameDrawn) != std::string::npos)
        << (wait_for_text(kiosk.log_file(), kFrameDrawn, scaled(10s))
                ? "READY=1 came before the first frame was drawn"
                : "no frame drawn was ever logged: has the debug line of Qt's software renderer changed?")
        << "; the log as READY=1 came:\n"
        << log_at_ready;
    EXPECT_EQ(count_of(seen, "READY=1"), 1);

    // As many pings as the period allows: at least 6 (a ping every 0.2 s in 2 s or more), never more than one
    // per 0.14 s.
    const auto window = scaled(2000ms);
    const long pings = count_of(systemd.receive_for(window), "WATCHDOG=1");
    EXPECT_GE(pings, 6) << "in " << window.count() << " ms";
    EXPECT_LE(pings, window / 140ms) << "in " << window.count() << " ms";

    // A frozen kiosk (as a hung GUI thread would be) sends nothing, so systemd would restart it. Once it has
    // stopped, what it sent before is all here; then a second of silence (scaled: the silence is what is tested,
    // and a longer one is the stricter test).
    ::kill(kiosk.pid(), SIGSTOP);
    int status = 0;
    ASSERT_EQ(::waitpid(kiosk.pid(), &status, WUNTRACED), kiosk.pid());
    ASSERT_TRUE(WIFSTOPPED(status)) << "the kiosk ended instead of stopping:\n" << kiosk.log();
    systemd.pending();
    EXPECT_EQ(count_of(systemd.receive_for(scaled(1000ms)), "WATCHDOG=1"), 0);
    ::kill(kiosk.pid(), SIGCONT);
    EXPECT_GE(count_of(systemd.receive_for(scaled(1000ms)), "WATCHDOG=1"), 2);

    ::kill(kiosk.pid(), SIGTERM);
    std::vector<std::string> end;
    EXPECT_TRUE(systemd.wait_for("STOPPING=1", scaled(10s), end)) << kiosk.log();
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

TEST(KioskNotify, outside_systemd_it_says_nothing_and_runs_as_ever) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    ::unsetenv("NOTIFY_SOCKET");
    KioskProcess kiosk(syncd.folder(),
                       {"--server", "http://127.0.0.1:1", "--cache", (syncd.folder() / "cache.db").string()});
    kiosk.start();
    EXPECT_TRUE(kiosk.wait_for([](const auto&) { return true; }, scaled(30s))) << kiosk.log();
    EXPECT_EQ(kiosk.log().find("watchdog"), std::string::npos) << kiosk.log();
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

}  // namespace
}  // namespace chiso::test
