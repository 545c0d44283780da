// chiso-syncd under faults and load, each against the real binary on a loopback port with its SQLite file on
// disk: SIGKILL in the middle of imports, imports at once, imports racing scope reads, 2,000 connections holding
// long-polls, slow-loris clients, oversized headers and bodies, and a flood from one token. After each: the server
// is up, other kiosks are still served, nothing is half-applied, and its memory stays under a stated bound.
// The test prints a report of every fault tried (and writes it to reports/faults-syncd.txt in the build tree).
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

namespace chiso::test {
namespace {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// syncd's resident peak must stay under this through every test here: the demo's data and rollups, an import of
// its 65,760 rows, and 2,000 connections each with its buffers.
constexpr long kMemoryBoundKiB = 384 * 1024;

// ------------------------------------------------------------------------------------------------------------
// The report

struct ReportRow {
    std::string fault;
    int tried = 0;
    std::string outcome;
};

class Report : public ::testing::Environment {
public:
    static void add(std::string fault, int tried, std::string outcome) {
        std::lock_guard lock(mutex());
        rows().push_back({std::move(fault), tried, std::move(outcome)});
    }
    // A server's resident peak, which the test that ran it has checked against the bound.
    static void add_peak(long kib) {
        std::lock_guard lock(mutex());
        peaks().push_back(kib);
    }
    void TearDown() override {
        if (!peaks().empty())
            add("memory bound " + std::to_string(kMemoryBoundKiB / 1024) + " MiB", static_cast<int>(peaks().size()),
                "highest resident peak of the servers above: " +
                    std::to_string(*std::max_element(peaks().begin(), peaks().end()) / 1024) + " MiB");
        std::ostringstream text;
        text << "chiso-syncd fault injection (" << (::testing::UnitTest::GetInstance()->Passed() ? "all passed" : "FAILED")
             << ")\n";
        text << "   tried  fault                                           outcome\n";
        for (const auto& row : rows()) {
            char line[512];
            std::snprintf(line, sizeof line, "  %6d  %-46s  %s\n", row.tried, row.fault.c_str(), row.outcome.c_str());
            text << line;
        }
        std::cout << '\n' << text.str() << std::flush;
        std::filesystem::create_directories(CHISO_REPORT_DIR);
        std::ofstream(std::filesystem::path(CHISO_REPORT_DIR) / "faults-syncd.txt") << text.str();
    }

private:
    static std::mutex& mutex() {
        static std::mutex m;
        return m;
    }
    static std::vector<ReportRow>& rows() {
        static std::vector<ReportRow> r;
        return r;
    }
    static std::vector<long>& peaks() {
        static std::vector<long> p;
        return p;
    }
};

const auto* const report_environment = ::testing::AddGlobalTestEnvironment(new Report);

// ------------------------------------------------------------------------------------------------------------
// Raw sockets: what a hostile or broken client sends is not what a well-behaved HTTP library would.

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

// Reads what arrives within `limit`: at least the status line of a response, or nothing if the peer closed.
int read_status(int fd, milliseconds limit) {
    std::string text;
    char buffer[4096];
    const auto deadline = Clock::now() + limit;
    while (text.find("\r\n") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return -1;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return 0;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text.starts_with("HTTP/1.1 ") ? std::atoi(text.c_str() + 9) : -2;
}

// Reads one whole response on a kept-alive connection (syncd always sends Content-Length); the status or -1.
int read_response(int fd, std::string& carry) {
    char buffer[16384];
    for (;;) {
        if (const auto end = carry.find("\r\n\r\n"); end != std::string::npos) {
            std::size_t length = 0;
            if (const auto at = carry.find("Content-Length: "); at != std::string::npos && at < end)
                length = std::stoul(carry.substr(at + 16));
            if (carry.size() >= end + 4 + length) {
                const int status = std::atoi(carry.c_str() + 9);
                carry.erase(0, end + 4 + length);
                return status;
            }
        }
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return -1;
        carry.append(buffer, static_cast<std::size_t>(n));
    }
}

std::string get_request(const std::string& target, const std::string& token, const std::string& extra = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n" + extra +
           "\r\n";
}

void raise_open_file_limit() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

long peak_rss_kib(int pid) { return process_status_kib(pid, "VmHWM:"); }
long rss_kib(int pid) { return process_status_kib(pid, "VmRSS:"); }

std::string with_values_scaled(const std::string& csv, int factor) {
    std::istringstream in(csv);
    std::string line, out;
    std::getline(in, line);
    out = line + "\n";
    while (std::getline(in, line)) {
        const auto comma = line.rfind(',');
        const std::string value = line.substr(comma + 1);
        out += line.substr(0, comma + 1) +
               (value.find('.') == std::string::npos ? std::to_string(std::stoll(value) * factor)
                                                     : std::to_string(std::stod(value) * factor)) +
               "\n";
    }
    return out;
}

// What a reader must see whole: the figures of a scope, without the revision that names them.
std::string figures_of(const std::string& body) {
    json::value doc = json::parse(body);
    auto& object = doc.as_object();
    return json::serialize(object.at("values")) + json::serialize(object.at("targets"));
}

// Opened as the restarted server would: a write-ahead log left by a kill is recovered first.
std::string integrity_of(const std::filesystem::path& database) {
    SQLite::Database db(database.string(), SQLite::OPEN_READWRITE);
    return db.execAndGet("PRAGMA integrity_check").getString();
}

// Pages a transaction wrote to the write-ahead log after its last commit: a transaction under way. The WAL is a
// 32-byte header, then frames of a 24-byte header and a page; a frame whose bytes 4-7 are not zero ends a
// transaction, and frames belong to the log's current generation while their salts are the header's
// (sqlite.org/fileformat2.html, "The Write-Ahead Log").
int uncommitted_wal_frames(const std::filesystem::path& database) {
    std::ifstream in(database.string() + "-wal", std::ios::binary);
    const std::string wal((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto word = [&](std::size_t at) {
        return std::uint32_t(std::uint8_t(wal[at])) << 24 | std::uint32_t(std::uint8_t(wal[at + 1])) << 16 |
               std::uint32_t(std::uint8_t(wal[at + 2])) << 8 | std::uint32_t(std::uint8_t(wal[at + 3]));
    };
    if (wal.size() < 32) return 0;
    const std::size_t frame = 24 + word(8);
    int since_commit = 0;
    for (std::size_t at = 32; at + frame <= wal.size(); at += frame) {
        if (word(at + 8) != word(16) || word(at + 12) != word(20)) break;  // an older generation's frames
        since_commit = word(at + 4) != 0 ? 0 : since_commit + 1;
    }
    return since_commit;
}

// ------------------------------------------------------------------------------------------------------------

class SyncdFaults : public ::testing::Test {
protected:
    static void SetUpTestSuite() { raise_open_file_limit(); }

    // Starts syncd on the demo data with [server] settings for this test; `kiosk` is a device token for HT.
    void start(const std::string& server_settings) {
        config = syncd.folder() / "chiso-syncd.toml";
        std::ofstream(config) << "[server]\n" << server_settings << "\n";
        syncd.start({"--config", config.string(), "--demo"});
        kiosk = read_file(syncd.folder() / "demo-kiosk.token");
        while (!kiosk.empty() && std::isspace(static_cast<unsigned char>(kiosk.back()))) kiosk.pop_back();
        other = syncd.add_device("other-kiosk", "HT");
        values = read_file(std::filesystem::path(CHISO_DEMO_DIR) / "values.csv");
    }
    // Every test holds its own server to the memory bound, whichever tests run and in whatever order.
    void TearDown() override {
        if (syncd.running()) {
            const long peak = peak_rss_kib(syncd.pid());
            EXPECT_LT(peak, scaled_memory(kMemoryBoundKiB)) << "syncd's resident peak";
            Report::add_peak(peak);
            syncd.stop();
        }
    }

    HttpResponse scope(const std::string& token, const std::string& query = "") const {
        return syncd.get("/api/v1/scope" + query, token);
    }
    std::int64_t revision() const { return json::parse(scope(kiosk).body).at("revision").as_int64(); }

    // Each file's figures, from an import of it left to finish; the store holds files[0] after.
    std::array<std::string, 2> figures_of_each(const std::array<std::string, 2>& files) const {
        std::array<std::string, 2> figures;
        for (int i : {1, 0}) {
            EXPECT_EQ(syncd.import("values", files[i], "values.csv").status, 200);
            figures[i] = figures_of(scope(kiosk).body);
        }
        return figures;
    }

    // A well-behaved kiosk's requests while `busy` is true, counted as they are answered: every one must be 200.
    struct Bystander {
        std::atomic<int> served{0}, failed{0};
        std::atomic<long> worst_ms{0};
        int asked() const { return served + failed; }
    };
    void watch(const std::string& token, const std::atomic<bool>& busy, Bystander& b) const {
        while (busy) {
            const auto sent = Clock::now();
            try {
                const int status = scope(token).status;
                (status == 200 ? b.served : b.failed)++;
            } catch (const std::exception&) {
                b.failed++;
            }
            b.worst_ms = std::max<long>(b.worst_ms, std::chrono::duration_cast<milliseconds>(Clock::now() - sent).count());
            // The kiosk's own pace, ten requests a second at most (the flood test's rate limit): its schedule, not
            // a wait for anything, so it does not stretch with scaled().
            std::this_thread::sleep_until(sent + milliseconds(100));
        }
    }

    SyncdProcess syncd;
    std::filesystem::path config;
    std::string kiosk, other, values;
};

TEST_F(SyncdFaults, sigkill_during_an_import_applies_all_of_it_or_none) {
    start("");
    const std::array<std::string, 2> files{values, with_values_scaled(values, 2)};
    const std::array<std::string, 2> figures = figures_of_each(files);
    ASSERT_NE(figures[0], figures[1]);
    const auto sent = Clock::now();
    ASSERT_EQ(syncd.import("values", files[1], "values.csv").status, 200);
    const long import_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - sent).count();
    ASSERT_EQ(syncd.import("values", files[0], "values.csv").status, 200);

    // Half the kills at a random moment from the upload to the commit; the other half as soon as the import's
    // transaction has written pages to the log. After each, the log says whether the kill fell inside a
    // transaction (pages written, no commit), which is the case this test is for.
    constexpr int kKills = 12;
    int whole_before = 0, whole_after = 0, half = 0, inside = 0;
    const unsigned seed = std::random_device{}();
    std::cout << "[ seed     ] " << seed << "\n";
    std::mt19937 random(seed);
    int current = 0;  // which file the store holds
    for (int k = 0; k < kKills; ++k) {
        const int next = 1 - current;
        const std::int64_t before = revision();
        std::atomic<bool> answered{false};
        std::thread importer([&] {
            try {
                syncd.import("values", files[next], "values.csv");
            } catch (const std::exception&) {  // the connection dies with the server: expected
            }
            answered = true;
        });
        if (k % 2 == 0)  // the moment is what is tested; it is drawn from this build's own import time, so not scaled
            std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<long>(0, import_ms * 3 / 2)(random)));
        else
            while (!answered && uncommitted_wal_frames(syncd.database()) == 0) std::this_thread::yield();
        syncd.kill();
        importer.join();
        inside += uncommitted_wal_frames(syncd.database()) > 0;
        ASSERT_EQ(integrity_of(syncd.database()), "ok") << "after kill " << k;
        syncd.restart_on_same_port({"--config", config.string()});
        const std::int64_t after = revision();
        const std::string seen = figures_of(scope(kiosk).body);
        if (after == before && seen == figures[current]) {
            whole_before++;
        } else if (after == before + 1 && seen == figures[next]) {
            whole_after++;
            current = next;
        } else {
            half++;
            ADD_FAILURE() << "kill " << k << ": revision " << before << " became " << after
                          << " with figures of neither file whole";
            break;
        }
    }
    EXPECT_GE(inside, 1) << "no kill fell inside a transaction";
    Report::add("SIGKILL during an import (65,760 rows)", kKills,
                std::to_string(inside) + " inside the transaction (pages written, no commit); " +
                    std::to_string(whole_before) + " none applied, " + std::to_string(whole_after) +
                    " all applied, " + std::to_string(half) + " half; integrity_check ok each time");
}

TEST_F(SyncdFaults, concurrent_imports_each_apply_whole_in_turn) {
    start("");
    const std::array<std::string, 2> files{values, with_values_scaled(values, 2)};
    const std::int64_t first = revision();
    constexpr int kThreads = 4, kEach = 3;
    std::mutex mutex;
    std::vector<std::int64_t> revisions;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                HttpResponse reply = syncd.import("values", files[(t + i) % 2], "values.csv");
                std::lock_guard lock(mutex);
                EXPECT_EQ(reply.status, 200) << reply.body;
                if (reply.status == 200) revisions.push_back(json::parse(reply.body).at("revision").as_int64());
            }
        });
    for (auto& thread : threads) thread.join();
    std::sort(revisions.begin(), revisions.end());
    ASSERT_EQ(revisions.size(), std::size_t{kThreads * kEach});
    for (std::size_t i = 0; i < revisions.size(); ++i) EXPECT_EQ(revisions[i], first + 1 + std::int64_t(i));
    EXPECT_EQ(revision(), first + kThreads * kEach);
    EXPECT_EQ(integrity_of(syncd.database()), "ok");
    Report::add("concurrent imports (4 clients x 3)", kThreads * kEach,
                "each applied whole, revisions " + std::to_string(first + 1) + ".." +
                    std::to_string(first + kThreads * kEach) + " without a gap");
}

TEST_F(SyncdFaults, readers_racing_imports_never_see_half_a_revision) {
    start("requests_per_second = 100000\nrequest_burst = 100000");
    const std::array<std::string, 2> files{values, with_values_scaled(values, 2)};
    const std::array<std::string, 2> figures = figures_of_each(files);
    std::atomic<bool> importing{true};
    std::atomic<int> reads{0}, torn{0}, of_second{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r)
        readers.emplace_back([&] {
            while (importing) {
                const std::string seen = figures_of(scope(kiosk).body);
                reads++;
                if (seen == figures[1])
                    of_second++;
                else if (seen != figures[0])
                    torn++;
            }
        });
    constexpr int kImports = 8;
    for (int i = 0; i < kImports; ++i) EXPECT_EQ(syncd.import("values", files[(i + 1) % 2], "values.csv").status, 200);
    importing = false;
    for (auto& reader : readers) reader.join();
    EXPECT_EQ(torn, 0);
    EXPECT_GT(reads, kImports);
    Report::add("scope reads racing imports", reads,
                std::to_string(kImports) + " imports; every read whole (" + std::to_string(of_second) + " of one file, " +
                    std::to_string(reads - of_second - torn) + " of the other), " + std::to_string(torn.load()) +
                    " torn");
}

TEST_F(SyncdFaults, two_thousand_connections_hold_long_polls_and_all_are_answered) {
    start("requests_per_second = 100000\nrequest_burst = 100000\nmax_connections = 4096\n"
          "max_connections_per_address = 4096\nmax_longpolls_per_token = 4096");
    HttpResponse first = scope(kiosk);
    const std::string etag = first.header("etag");
    const std::int64_t since = json::parse(first.body).at("revision").as_int64();
    constexpr int kConnections = 2000;
    const long rss_before = rss_kib(syncd.pid());
    std::vector<int> fds;
    for (int i = 0; i < kConnections; ++i) {
        const int fd = connect_to(syncd.port());
        ASSERT_GE(fd, 0) << "connection " << i << ": " << std::strerror(errno);
        ASSERT_TRUE(send_all(fd, get_request("/api/v1/scope?wait=60&since=" + std::to_string(since), kiosk,
                                             "If-None-Match: " + etag + "\r\n")));
        fds.push_back(fd);
    }
    // Every one is held: the server's gauge says so.
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", kConnections, scaled(std::chrono::seconds(30))))
        << syncd.metric("chiso_longpolls_waiting") << " held";
    const long held_peak = peak_rss_kib(syncd.pid());
    const long per_connection = (rss_kib(syncd.pid()) - rss_before) / kConnections;

    // Another kiosk is served while they wait, and an import wakes them all with the new revision.
    std::atomic<bool> busy{true};
    Bystander bystander;
    std::thread watcher([&] { watch(other, busy, bystander); });
    const auto imported = Clock::now();
    ASSERT_EQ(syncd.import("values", with_values_scaled(values, 2), "values.csv").status, 200);
    int answered = 0;
    for (const int fd : fds) {
        std::string carry;
        if (read_response(fd, carry) == 200) answered++;
        ::close(fd);
    }
    const long all_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - imported).count();
    busy = false;
    watcher.join();
    EXPECT_EQ(answered, kConnections);
    EXPECT_GT(bystander.served, 0);
    EXPECT_EQ(bystander.failed, 0);
    Report::add("2,000 connections holding long-polls", kConnections,
                std::to_string(answered) + " answered with the new revision " + std::to_string(all_ms) +
                    " ms after the import; " + std::to_string(per_connection) + " KiB each while held; peak RSS " +
                    std::to_string(held_peak / 1024) + " MiB held, " +
                    std::to_string(peak_rss_kib(syncd.pid()) / 1024) + " MiB after; another kiosk served " +
                    std::to_string(bystander.served) + "/" + std::to_string(bystander.asked()) +
                    ", worst " + std::to_string(bystander.worst_ms) + " ms");
}

// Lines of syncd's log holding `text`.
std::size_t log_lines_with(const SyncdProcess& syncd, const std::string& text) {
    const std::string log = read_file(syncd.folder() / "syncd.log");
    std::size_t lines = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) lines++;
    return lines;
}

TEST_F(SyncdFaults, connections_beyond_the_cap_are_closed_and_the_rest_served) {
    start("max_connections = 100");
    std::vector<int> fds;
    for (int i = 0; i < 150; ++i) fds.push_back(connect_to(syncd.port()));
    // The fifty beyond the cap are closed at once; the hundred held say nothing and are kept (until the first
    // request's deadline, 5 s, which this waits well short of).
    std::vector<pollfd> polls;
    for (const int fd : fds) polls.push_back({fd, POLLIN, 0});
    std::vector<bool> is_closed(fds.size(), false);
    int closed = 0;
    for (const auto deadline = Clock::now() + scaled(milliseconds(2000)); closed < 50 && Clock::now() < deadline;) {
        if (::poll(polls.data(), polls.size(), 100) <= 0) continue;
        for (std::size_t i = 0; i < polls.size(); ++i) {
            char byte;
            if (!is_closed[i] && (polls[i].revents & (POLLIN | POLLHUP)) && ::recv(fds[i], &byte, 1, MSG_DONTWAIT) <= 0) {
                is_closed[i] = true;
                polls[i].fd = -1;  // poll() leaves it out; a closed one would report POLLHUP at once every time
                closed++;
            }
        }
    }
    EXPECT_EQ(closed, 50);
    for (const int fd : fds) ::close(fd);
    // Served again as soon as they went: once syncd counts no connection but the scrape that asks.
    ASSERT_TRUE(syncd.wait_for_metric("chiso_connections_open", 1, scaled(std::chrono::seconds(5))));
    EXPECT_EQ(scope(kiosk).status, 200);
    EXPECT_EQ(syncd.metric("chiso_connections_refused_total"), 50);
    const std::size_t logged = log_lines_with(syncd, "as many as [server] max_connections allows");
    EXPECT_EQ(logged, 1u);
    Report::add("connections beyond max_connections (100)", 150,
                std::to_string(closed) + " closed at once, logged " + std::to_string(logged) +
                    " time(s); served again as soon as they went");
}

TEST_F(SyncdFaults, slow_loris_clients_are_cut_off_and_others_served) {
    start("");
    constexpr int kClients = 300;
    std::vector<int> fds;
    for (int i = 0; i < kClients; ++i) {
        const int fd = connect_to(syncd.port());
        ASSERT_GE(fd, 0);
        send_all(fd, "GET /api/v1/scope HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        fds.push_back(fd);
    }
    std::atomic<bool> busy{true};
    Bystander bystander;
    std::thread watcher([&] { watch(other, busy, bystander); });
    // A byte a second from each, never ending the header: the server's deadline for a first request's header (5 s)
    // must close them anyway. The second between bytes is the attack itself (slow, never silent), so it does not
    // stretch with scaled(); between bytes the test waits on the connections and counts each close as it comes.
    const auto start_time = Clock::now();
    std::vector<bool> open(kClients, true);
    int still_open = kClients;
    const auto limit = scaled(std::chrono::seconds(25));
    for (auto next_byte = start_time; still_open > 0 && Clock::now() - start_time < limit;) {
        if (Clock::now() >= next_byte) {
            for (int i = 0; i < kClients; ++i)
                if (open[i] && !send_all(fds[i], "a")) open[i] = false, still_open--;
            next_byte += std::chrono::seconds(1);
        }
        std::vector<pollfd> polls;
        for (int i = 0; i < kClients; ++i) polls.push_back({open[i] ? fds[i] : -1, POLLIN, 0});  // -1: not asked
        const auto until_next = std::chrono::duration_cast<milliseconds>(next_byte - Clock::now()).count();
        if (::poll(polls.data(), polls.size(), static_cast<int>(std::max<long>(until_next, 0))) <= 0) continue;
        for (int i = 0; i < kClients; ++i) {
            char buffer[4096];
            if (open[i] && (polls[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
                ::recv(fds[i], buffer, sizeof buffer, MSG_DONTWAIT) <= 0)
                open[i] = false, still_open--;
        }
    }
    const long cut_after = std::chrono::duration_cast<milliseconds>(Clock::now() - start_time).count();
    busy = false;
    watcher.join();
    for (const int fd : fds) ::close(fd);
    EXPECT_EQ(still_open, 0);
    EXPECT_EQ(bystander.failed, 0);
    // Answered at least every 200 ms on average while the attack lasted (it asks every 100 ms).
    EXPECT_GE(bystander.served, cut_after / scaled(milliseconds(200)).count()) << "in " << cut_after << " ms";
    Report::add("slow-loris clients (a header byte a second)", kClients,
                "all cut off within " + std::to_string(cut_after / 1000) + " s; another kiosk served " +
                    std::to_string(bystander.served) + "/" + std::to_string(bystander.asked()) +
                    ", worst " + std::to_string(bystander.worst_ms) + " ms");
}

TEST_F(SyncdFaults, oversized_headers_and_bodies_are_refused_and_nothing_changes) {
    start("max_body_mib = 1");
    const std::int64_t before = revision();
    int tried = 0;
    auto expect_status = [&](const std::string& request, int status, const std::string& what) {
        const int fd = connect_to(syncd.port());
        send_all(fd, request);
        EXPECT_EQ(read_status(fd, scaled(milliseconds(5000))), status) << what;
        ::close(fd);
        tried++;
    };
    const std::string admin = syncd.admin_token();
    for (int i = 0; i < 5; ++i) {
        // A 32 KiB header (the limit is 16 KiB), in one field and in many.
        expect_status(get_request("/api/v1/scope", kiosk, "X-Big: " + std::string(32 << 10, 'x') + "\r\n"), 431,
                      "one big header");
        std::string many;
        for (int f = 0; f < 2000; ++f) many += "X-F" + std::to_string(f) + ": yyyyyyyyyyyy\r\n";
        expect_status(get_request("/api/v1/scope", kiosk, many), 431, "many headers");
        // A heartbeat of 1 MiB (the limit is 64 KiB), announced and chunked.
        const std::string big(1 << 20, '{');
        expect_status("POST /api/v1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kiosk +
                          "\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big,
                      413, "announced body");
        std::string chunked = "POST /api/v1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kiosk +
                              "\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int c = 0; c < 32; ++c) chunked += "8000\r\n" + std::string(0x8000, 'z') + "\r\n";
        chunked += "0\r\n\r\n";
        expect_status(chunked, 413, "chunked body");
        // An import over max_body_mib.
        const std::string import = with_values_scaled(values, 5);
        expect_status("POST /api/v1/import?kind=values HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
                          "\r\nContent-Length: " + std::to_string(import.size()) + "\r\n\r\n" + import,
                      413, "import over the limit");
        // A request line of 64 KiB.
        expect_status("GET /api/v1/scope?x=" + std::string(64 << 10, 'q') + " HTTP/1.1\r\nHost: x\r\n\r\n", 431,
                      "long request line");
    }
    EXPECT_EQ(revision(), before);
    EXPECT_EQ(scope(other).status, 200);
    Report::add("oversized headers, request lines, bodies", tried,
                "431 or 413 each time, revision unchanged, the server answered on");
}

TEST_F(SyncdFaults, a_flood_from_one_token_is_slowed_and_other_kiosks_are_served) {
    start("requests_per_second = 10\nrequest_burst = 60");
    const auto flood_start = Clock::now();
    std::atomic<bool> busy{true};
    std::atomic<int> ok{0}, limited{0}, other_status{0};
    Bystander bystander;
    std::thread watcher([&] { watch(other, busy, bystander); });
    std::vector<std::thread> flooders;
    for (int t = 0; t < 8; ++t)
        flooders.emplace_back([&] {
            const int fd = connect_to(syncd.port());
            std::string carry;
            while (busy) {
                if (!send_all(fd, get_request("/api/v1/scope?since=1", kiosk))) break;
                const int status = read_response(fd, carry);
                if (status == 200)
                    ok++;
                else if (status == 429)
                    limited++;
                else
                    other_status++;
            }
            ::close(fd);
        });
    // The flood lasts until it is being refused and another kiosk has been served more than twenty times during it.
    const auto limit = scaled(std::chrono::seconds(20));
    while ((limited == 0 || bystander.served <= 20 || bystander.failed > 0) && Clock::now() - flood_start < limit)
        std::this_thread::sleep_for(milliseconds(10));
    busy = false;
    for (auto& flooder : flooders) flooder.join();
    const double flood_s = std::chrono::duration<double>(Clock::now() - flood_start).count();
    watcher.join();
    const int total = ok + limited + other_status;
    EXPECT_GT(limited, 0);
    // The burst and ten a second for as long as it lasted, with five more for the moments at either end.
    EXPECT_LE(ok, 60 + 10 * flood_s + 5) << "in " << flood_s << " s";
    EXPECT_EQ(other_status, 0);
    EXPECT_EQ(bystander.failed, 0);
    EXPECT_GT(bystander.served, 20);
    // Logged once, not once per refusal.
    const std::size_t lines = log_lines_with(syncd, "answering 429");
    EXPECT_EQ(lines, 1u);
    char lasted[32];
    std::snprintf(lasted, sizeof lasted, "%.1f s", flood_s);
    Report::add(std::string("flood from one token (8 connections, ") + lasted + ")", total,
                std::to_string(ok.load()) + " served, " + std::to_string(limited.load()) + " refused 429, logged " +
                    std::to_string(lines) + " time(s); another kiosk served " + std::to_string(bystander.served) + "/" +
                    std::to_string(bystander.asked()) + ", worst " +
                    std::to_string(bystander.worst_ms) + " ms");
}

}  // namespace
}  // namespace chiso::test
