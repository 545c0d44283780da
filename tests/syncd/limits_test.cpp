// What one client may hold of the server: connections from one address, a new connection that says nothing, and
// long-polls of one token. Each limit leaves everyone else served. A client that must look like another machine
// connects from another loopback address (127.0.0.2: all of 127/8 is this host).
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <vector>

namespace chiso::test {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Whether the server closed the connection within `limit`: a read that ends (0 bytes) or fails.
bool closed_within(int fd, std::chrono::milliseconds limit) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) != 1) return false;
    char byte;
    return ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0;
}

class SyncdLimits : public ::testing::Test {
protected:
    void start(const std::string& server_settings) {
        const auto config = syncd.folder() / "chiso-syncd.toml";
        std::ofstream(config) << "[server]\n" << server_settings << "\n";
        syncd.start({"--config", config.string()});
        import_test_data(syncd);
        device = syncd.add_device("room-b", "U2");
    }
    void TearDown() override {
        for (const int fd : fds) ::close(fd);
        syncd.stop();
    }
    SyncdProcess syncd;
    std::string device;
    std::vector<int> fds;
};

TEST_F(SyncdLimits, one_address_cannot_take_every_connection) {
    start("max_connections = 64\nmax_connections_per_address = 16");
    for (int i = 0; i < 16; ++i) {
        fds.push_back(connect_to(syncd.port(), "127.0.0.2"));
        ASSERT_GE(fds.back(), 0) << i;
    }
    // The sixteen are held; the seventeenth from the same address is closed at once, unread.
    // Sixteen held, and the scrape that counts them.
    ASSERT_TRUE(syncd.wait_for_metric("chiso_connections_open", 17, scaled(5s)));
    const int seventeenth = connect_to(syncd.port(), "127.0.0.2");
    ASSERT_GE(seventeenth, 0);
    fds.push_back(seventeenth);
    EXPECT_TRUE(closed_within(seventeenth, scaled(5000ms)));
    // Another address is served meanwhile.
    EXPECT_EQ(syncd.get("/api/v1/health", "").status, 200);
    EXPECT_EQ(syncd.get("/api/v1/scope", device).status, 200);
    EXPECT_GE(syncd.metric("chiso_connections_refused_total"), 1);
    EXPECT_NE(read_file(syncd.folder() / "syncd.log").find("max_connections_per_address from 127.0.0.2"),
              std::string::npos);
}

TEST_F(SyncdLimits, a_connection_that_says_nothing_is_closed_after_five_seconds) {
    start("");
    const auto connected = Clock::now();
    const int fd = connect_to(syncd.port(), "127.0.0.2");
    ASSERT_GE(fd, 0);
    fds.push_back(fd);
    ASSERT_TRUE(closed_within(fd, scaled(10000ms))) << "still open 10 s later";
    const auto after = Clock::now() - connected;
    EXPECT_GE(after, 4900ms);  // the first request's deadline, 5 s, and not the 15 s a request may take to read
    EXPECT_LT(after, scaled(std::chrono::milliseconds(8000)));
    EXPECT_EQ(syncd.get("/api/v1/health", "").status, 200);
}

TEST_F(SyncdLimits, a_token_holds_a_few_long_polls_and_the_next_is_answered_at_once) {
    start("max_longpolls_per_token = 2");
    const HttpResponse first = syncd.get("/api/v1/scope", device);
    ASSERT_EQ(first.status, 200);
    const std::map<std::string, std::string> revalidate{{"If-None-Match", first.header("etag")}};
    std::vector<std::future<HttpResponse>> held;
    for (int i = 0; i < 2; ++i)
        held.push_back(std::async(std::launch::async, [&] { return syncd.get("/api/v1/scope?wait=60", device, revalidate); }));
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 2, scaled(10s)));
    const auto asked = Clock::now();
    const HttpResponse third = syncd.get("/api/v1/scope?wait=60", device, revalidate);
    EXPECT_EQ(third.status, 304);
    EXPECT_LT(Clock::now() - asked, scaled(std::chrono::milliseconds(5000)));  // not held for its 60 s
    EXPECT_EQ(syncd.metric("chiso_longpolls_waiting"), 2);
    // Another token still holds its own.
    const std::string other = syncd.add_device("room-c", "U2");
    auto theirs = std::async(std::launch::async, [&] { return syncd.get("/api/v1/scope?wait=60", other, revalidate); });
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 3, scaled(10s)));
    // A change answers all three held, with the new revision.
    ASSERT_EQ(syncd.import("values", "org,indicator,period,value\nB3,admissions,2026-10,78\n").status, 200);
    for (auto& poll : held) EXPECT_EQ(poll.get().status, 200);
    EXPECT_EQ(theirs.get().status, 200);
    EXPECT_EQ(syncd.metric("chiso_longpolls_waiting"), 0);
}

}  // namespace
}  // namespace chiso::test
