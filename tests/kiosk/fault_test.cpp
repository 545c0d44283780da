// kiosk_fault_test: the real chiso-kiosk (offscreen) under every fault the network, the server and its own disk
// can throw at it. Against the fault server (a stand-in serving real documents recorded from the real chiso-syncd):
// a server killed mid-response, a truncated body, garbled JSON, an oversized answer, valid JSON of the wrong
// shape, a server that stalls, a revision that goes backwards and HTTP 500, each several times. Against the real
// chiso-syncd taking imports continuously: SIGKILL of the kiosk, again and again, while it applies them. On a
// small tmpfs: the cache's disk full while a new revision comes. After each fault the kiosk still shows the last
// good revision and figures, its cache passes PRAGMA integrity_check, and its log has exactly one new line naming
// the fault. The table of faults tried is printed at the end and written to CHISO_FAULT_REPORT.
#include "import_stream.hpp"
#include "kiosk_process.hpp"

#include "support/fault_server.hpp"
#include "support/time_scale.hpp"
#include "syncclient/answer.hpp"
#include "wire/scope_document.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;

constexpr int kRounds = 5;  // each fault of the fault server, this many times
constexpr int kKills = 20;  // SIGKILLs while the kiosk applies imports

// --- the report ---------------------------------------------------------------------------------------------------

struct Row {
    std::string fault;
    int tried = 0, kept = 0, intact = 0, logged = 0;
    std::string note;  // e.g. why it was skipped
};

std::vector<Row>& rows() {
    static std::vector<Row> table;
    return table;
}

Row& row(const std::string& fault) {
    for (Row& r : rows())
        if (r.fault == fault) return r;
    Row added;
    added.fault = fault;
    return rows().emplace_back(std::move(added));
}

void count(const std::string& fault, bool kept, bool intact, bool logged) {
    Row& r = row(fault);
    ++r.tried;
    r.kept += kept;
    r.intact += intact;
    r.logged += logged;
}

std::string report_text() {
    std::ostringstream out;
    out << "Faults at the kiosk: the real chiso-kiosk, offscreen\n";
    out << std::left << std::setw(24) << "fault" << std::right << std::setw(7) << "tried" << std::setw(18)
        << "last good kept" << std::setw(14) << "cache intact" << std::setw(9) << "logged"
        << "\n";
    int tried = 0, lost = 0;
    std::string not_tried;
    for (const Row& r : rows()) {
        out << std::left << std::setw(24) << r.fault << std::right << std::setw(7) << r.tried << std::setw(18) << r.kept
            << std::setw(14) << r.intact << std::setw(9) << r.logged;
        if (!r.note.empty()) out << "  " << r.note;
        out << "\n";
        tried += r.tried;
        lost += (r.tried - r.kept) + (r.tried - r.intact);
        if (r.tried == 0) not_tried += (not_tried.empty() ? "" : ", ") + r.fault;
    }
    out << tried << " faults tried; " << lost << (lost == 0 ? " times anything was lost\n" : " TIMES DATA WAS LOST\n");
    if (!not_tried.empty()) out << "NOT TRIED (skipped, see above): " << not_tried << "\n";
    return out.str();
}

// Prints the table once every test has run, and writes it where deploy/dev/test finds it.
class ReportPrinter : public ::testing::Environment {
public:
    void TearDown() override {
        const std::string text = report_text();
        std::cout << "\n" << text << std::flush;
        const std::filesystem::path file = CHISO_FAULT_REPORT;
        std::error_code error;
        std::filesystem::create_directories(file.parent_path(), error);
        std::ofstream out(file);
        out << text << std::flush;
        std::cout << (out ? "(written to " : "(COULD NOT BE WRITTEN to ") << file.string() << ")\n";
    }
};
[[maybe_unused]] const auto* const report_printer = ::testing::AddGlobalTestEnvironment(new ReportPrinter);

// --- what the kiosk holds -----------------------------------------------------------------------------------------

struct CacheCheck {
    std::string integrity;
    std::optional<std::int64_t> revision;  // of the stored document; nullopt when there is none (or it does not parse)
};

// The cache read as a bystander beside the running kiosk (read-only), or after a kill as the next start reads it
// (read-write: SQLite recovers the file from its WAL).
CacheCheck check_cache(const std::filesystem::path& file, bool after_kill = false) {
    CacheCheck check;
    SQLite::Database db(file.string(), after_kill ? SQLite::OPEN_READWRITE : SQLite::OPEN_READONLY);
    check.integrity = db.execAndGet("PRAGMA integrity_check").getString();
    if (!db.tableExists("document")) return check;
    SQLite::Statement select(db, "SELECT json FROM document WHERE id = 1");
    if (!select.executeStep()) return check;
    if (auto document = wire::ScopeDocument::parse(select.getColumn(0).getString()))
        check.revision = document->revision();
    return check;
}

// The lines of `text` from `offset` on that contain `marker` (and, given `start`, begin with it).
int lines_with(const std::string& text, std::size_t offset, const std::string& marker, const std::string& start = "") {
    std::istringstream lines(text.substr(std::min(offset, text.size())));
    int found = 0;
    for (std::string line; std::getline(lines, line);)
        found += line.find(marker) != std::string::npos && line.starts_with(start);
    return found;
}

// Polls the kiosk's log until `count` lines after `offset` contain `marker` (and begin with `start`).
bool wait_for_line(const KioskProcess& kiosk, std::size_t offset, const std::string& marker,
                   std::chrono::milliseconds limit, int count = 1, const std::string& start = "") {
    for (auto deadline = Clock::now() + limit; Clock::now() < deadline; std::this_thread::sleep_for(10ms))
        if (lines_with(kiosk.log(), offset, marker, start) >= count) return true;
    return false;
}

RecordedAnswer record(const SyncdProcess& syncd, const std::string& token) {
    const HttpResponse response = syncd.get("/api/v1/scope?depth=1&org=HT", token);
    EXPECT_EQ(response.status, 200) << response.body;
    return {response.body, response.header("etag")};
}

std::int64_t revision_in(const RecordedAnswer& answer) {
    auto document = wire::ScopeDocument::parse(answer.body);
    return document ? document->revision() : -1;
}

// A change to one base organisation's November admissions: a new revision of HT's scope.
void import_change(const SyncdProcess& syncd, int value) {
    const std::string body = "org,indicator,period,value\nHT-KCQDN-00" + std::to_string(1 + value % 9) +
                             ",admissions,2026-11," + std::to_string(value % 7) + "\n";
    ASSERT_EQ(syncd.import("values", body, "change.csv").status, 200);
}

// The kiosk's request timeout and long-poll, shortened so that a stall costs seconds rather than a minute.
void short_waits() {
    ::setenv("CHISO_KIOSK_REQUEST_TIMEOUT", "2", 1);
    ::setenv("CHISO_KIOSK_LONG_POLL", "2", 1);
}

// A line of the kiosk's log that names each fault (what the sync client says of it).
std::string marker(Fault fault) {
    switch (fault) {
        case Fault::killed_mid_response:
        case Fault::truncated_body:
            return "the answer broke off";
        case Fault::garbled_json:
            return "garbled answer";
        case Fault::oversized:
            return std::string("larger than ") + syncclient::kAnswerLimitText;
        case Fault::wrong_schema:
            return "scope document";
        case Fault::stall:
            return "no answer in time";
        case Fault::revision_backwards:
            return "the server went back from revision";
        case Fault::http_500:
            return "HTTP 500";
    }
    return "?";
}

// A kiosk syncing HT from the fault server, which serves real documents recorded from a real chiso-syncd.
class KioskFaults : public ::testing::Test {
protected:
    void SetUp() override {
        short_waits();
        syncd.start({"--demo"});
        const std::string token = syncd.add_device("room", "HT");
        std::ofstream(token_file()) << token << "\n";
        older = record(syncd, token);
        import_change(syncd, 1);
        good = record(syncd, token);
        import_change(syncd, 2);
        newer = record(syncd, token);
        ASSERT_LT(revision_in(older), revision_in(good));
        ASSERT_LT(revision_in(good), revision_in(newer));
        syncd.stop();  // the rest is the fault server's
    }

    std::filesystem::path token_file() const { return syncd.folder() / "room.token"; }
    std::vector<std::string> arguments(const FaultServer& server, const std::filesystem::path& cache) const {
        return {"--server", server.url(), "--token-file", token_file().string(),
                "--org",    "HT",         "--cache",      cache.string()};
    }
    // Waits until the kiosk shows `revision`, online; returns what it shows.
    boost::json::object showing(KioskProcess& kiosk, std::int64_t revision) {
        auto state = kiosk.wait_for(
            [&](const auto& s) {
                return s.at("hasDocument").as_bool() && revision_of(s) == revision && connection_of(s) == "Online";
            },
            scaled(20s));
        EXPECT_TRUE(state) << "revision " << revision << " never shown online; the kiosk's log:\n" << kiosk.log();
        return state ? *state : boost::json::object{};
    }

    SyncdProcess syncd;
    RecordedAnswer older, good, newer;
};

TEST_F(KioskFaults, EveryFaultOfTheServerLeavesTheLastGoodDataOnScreenAndTheCacheIntactAndSaysSoInOneLine) {
    FaultServer server(syncclient::kAnswerLimit);
    server.serve(good);
    server.set_older(older);
    const std::filesystem::path cache = syncd.folder() / "kiosk-cache.db";
    KioskProcess kiosk(syncd.folder(), arguments(server, cache));
    kiosk.start();
    const boost::json::object before = showing(kiosk, revision_in(good));
    ASSERT_FALSE(before.empty());
    const boost::json::value pages = before.at("pages");
    ASSERT_FALSE(tile_value(before, "overview", "members_total").empty());

    for (int round = 0; round < kRounds; ++round) {
        for (Fault fault : kAllFaults) {
            SCOPED_TRACE(std::string(fault_name(fault)) + ", round " + std::to_string(round + 1));
            const std::size_t offset = kiosk.log().size();
            server.arm(fault);
            ASSERT_TRUE(server.wait_sent(scaled(10s))) << "the kiosk asked nothing";
            const bool said = wait_for_line(kiosk, offset, marker(fault), scaled(15s));
            // Then it finds the server again: the next request is answered 304.
            EXPECT_TRUE(wait_for_line(kiosk, offset, "revalidated (304)", scaled(15s))) << kiosk.log().substr(offset);
            const auto after = kiosk.wait_for([](const auto& s) { return connection_of(s) == "Online"; }, scaled(10s));
            ASSERT_TRUE(after) << kiosk.log().substr(offset);
            const CacheCheck check = check_cache(cache);
            const bool kept = revision_of(*after) == revision_in(good) && after->at("pages") == pages;
            const bool intact = check.integrity == "ok" && check.revision == revision_in(good);
            const int lines = lines_with(kiosk.log(), offset, marker(fault));
            count(fault_name(fault), kept, intact, said && lines == 1);
            EXPECT_TRUE(kept) << "revision " << revision_of(*after) << " shown";
            EXPECT_EQ(check.integrity, "ok");
            EXPECT_EQ(check.revision, revision_in(good));
            EXPECT_EQ(lines, 1) << "lines naming the fault (\"" << marker(fault) << "\"):\n"
                                << kiosk.log().substr(offset);
        }
    }
    std::cout << "[ faults   ] " << server.scope_requests() << " scope requests answered; the kiosk's last lines:\n"
              << kiosk.log().substr(kiosk.log().size() > 600 ? kiosk.log().size() - 600 : 0);
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

// The cache on a 2 MiB tmpfs, filled up while a new revision comes: the kiosk keeps the revision it has and says
// why; once there is room, the new revision arrives.
TEST_F(KioskFaults, TheCachesDiskFullKeepsTheLastGoodDataAndTheNewRevisionComesWhenThereIsRoom) {
    if (::geteuid() != 0) {
        row("disk full (tmpfs)").note = "skipped: mounting a tmpfs needs root (CI runs as root)";
        GTEST_SKIP() << "mounting a small tmpfs for the cache needs root; CI runs as root";
    }
    const std::filesystem::path small = syncd.folder() / "small-disk";
    std::filesystem::create_directories(small);
    if (::mount("tmpfs", small.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=2m") != 0) {
        row("disk full (tmpfs)").note = std::string("skipped: cannot mount a tmpfs: ") + std::strerror(errno);
        GTEST_SKIP() << "cannot mount a tmpfs: " << std::strerror(errno);
    }
    struct Unmount {
        std::filesystem::path path;
        ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount{small};

    FaultServer server(syncclient::kAnswerLimit);
    server.serve(good);
    const std::filesystem::path cache = small / "kiosk-cache.db";
    KioskProcess kiosk(syncd.folder(), arguments(server, cache));
    // A failure said again is logged once; chiso.sync.debug logs every attempt, and the pattern marks those lines,
    // so the test can see the retries that the log proper leaves out.
    ::setenv("QT_LOGGING_RULES", "chiso.sync.debug=true", 1);
    ::setenv("QT_MESSAGE_PATTERN", "%{if-debug}debug %{endif}%{if-category}%{category}: %{endif}%{message}", 1);
    kiosk.start();
    ::unsetenv("QT_LOGGING_RULES");
    ::unsetenv("QT_MESSAGE_PATTERN");
    const boost::json::object before = showing(kiosk, revision_in(good));
    ASSERT_FALSE(before.empty());

    // Fill the disk to the last byte.
    const std::filesystem::path filler = small / "filler";
    {
        std::FILE* file = std::fopen(filler.c_str(), "wb");
        ASSERT_NE(file, nullptr);
        const std::string block(4096, 'x');
        while (std::fwrite(block.data(), 1, block.size(), file) == block.size() && std::fflush(file) == 0) {
        }
        std::fclose(file);
    }
    const std::size_t offset = kiosk.log().size();
    server.serve(newer);
    const bool said = wait_for_line(kiosk, offset, "disk is full", scaled(15s));
    EXPECT_TRUE(said) << kiosk.log().substr(offset);
    // Two retries (after about 1 s and 2 s), on the full disk still.
    EXPECT_TRUE(wait_for_line(kiosk, offset, "disk is full", scaled(15s), 2, "debug chiso.sync: "))
        << "two retries were never logged at debug level:\n"
        << kiosk.log().substr(offset);
    const auto during = kiosk.state();
    ASSERT_TRUE(during);
    const CacheCheck full = check_cache(cache);
    const bool kept = revision_of(*during) == revision_in(good) && during->at("pages") == before.at("pages");
    const bool intact = full.integrity == "ok" && full.revision == revision_in(good);
    const int lines = lines_with(kiosk.log(), offset, "disk is full", "chiso.sync: ");
    EXPECT_TRUE(kept) << "revision " << revision_of(*during) << " shown while the disk is full";
    EXPECT_EQ(full.integrity, "ok");
    EXPECT_EQ(full.revision, revision_in(good));
    EXPECT_EQ(lines, 1) << "a failure repeated is logged once:\n" << kiosk.log().substr(offset);

    std::filesystem::remove(filler);
    const auto freed = Clock::now();
    const boost::json::object after = showing(kiosk, revision_in(newer));
    const double seconds = std::chrono::duration<double>(Clock::now() - freed).count();
    const CacheCheck later = check_cache(cache);
    EXPECT_EQ(later.integrity, "ok");
    EXPECT_EQ(later.revision, revision_in(newer));
    count("disk full (tmpfs)", kept, intact, said && lines == 1);
    std::ostringstream note;
    note << "revision " << revision_in(newer) << " arrived " << std::fixed << std::setprecision(1) << seconds
         << " s after space was freed";
    row("disk full (tmpfs)").note = note.str();
    std::cout << "[ disk     ] " << row("disk full (tmpfs)").note << "\n";
    EXPECT_TRUE(kiosk.stop()) << kiosk.log();
}

// SIGKILL while the kiosk applies a stream of imports from the real chiso-syncd; every next start shows the
// revision the cache held at the kill, says so in one line, and the cache passes its integrity check each time.
TEST(KioskFaultsKill, SigkillDuringApplyLosesNothing) {
    short_waits();
    SyncdProcess syncd;
    syncd.start({"--demo"});
    const std::filesystem::path token_file = syncd.folder() / "room.token";
    std::ofstream(token_file) << syncd.add_device("room", "HT") << "\n";
    const std::filesystem::path cache = syncd.folder() / "kiosk-cache.db";
    const std::vector<std::string> arguments{"--server",     "http://127.0.0.1:" + std::to_string(syncd.port()),
                                             "--token-file", token_file.string(),
                                             "--org",        "HT",
                                             "--cache",      cache.string()};
    ImportStream stream(syncd);

    const unsigned seed = std::random_device{}();
    std::cout << "[ seed     ] " << seed << "\n";
    std::mt19937 random(seed);
    std::uniform_int_distribution<long long> moment_ms(0, scaled(std::chrono::milliseconds(900)).count());
    std::optional<CacheCheck> at_kill;  // the cache as the last kill left it
    int after_a_write = 0;              // kills after the kiosk had stored a newer revision than at the kill before
    for (int kill = 0; kill <= kKills; ++kill) {
        SCOPED_TRACE("start " + std::to_string(kill + 1));
        KioskProcess kiosk(syncd.folder(), arguments);
        kiosk.start();
        auto shown = kiosk.wait_for([](const auto& s) { return s.at("hasDocument").as_bool(); }, scaled(20s));
        ASSERT_TRUE(shown) << kiosk.log();
        if (at_kill) {  // the start after a kill: the cache's revision is on screen at once, said in one line
            const std::string line = "showing the cached document of HT revision " + std::to_string(*at_kill->revision);
            const bool kept = revision_of(*shown) >= *at_kill->revision;
            const bool logged = lines_with(kiosk.log(), 0, line) == 1;
            count("SIGKILL during apply", kept, at_kill->integrity == "ok", logged);
            EXPECT_TRUE(kept) << "revision " << revision_of(*shown) << " shown after a kill at " << *at_kill->revision;
            EXPECT_TRUE(logged) << kiosk.log();
        }
        if (kill == kKills) break;
        // Once it has synced, so that the kill falls among its writes.
        ASSERT_TRUE(kiosk.wait_for([](const auto& s) { return connection_of(s) == "Online"; }, scaled(20s))) << kiosk.log();
        std::this_thread::sleep_for(std::chrono::milliseconds(moment_ms(random)));
        kiosk.kill();
        const std::int64_t before = at_kill ? *at_kill->revision : 0;
        at_kill = check_cache(cache, true);
        ASSERT_EQ(at_kill->integrity, "ok");
        ASSERT_TRUE(at_kill->revision) << "the cache holds no document after the kill";
        EXPECT_GE(*at_kill->revision, before) << "the cache went back to an older revision";
        after_a_write += *at_kill->revision > before;
    }
    const int imports = stream.stop();
    row("SIGKILL during apply").note = std::to_string(after_a_write) +
                                       " after the kiosk had stored a newer revision; " + std::to_string(imports) +
                                       " imports meanwhile";
    std::cout << "[ kills    ] " << kKills << " SIGKILLs, " << row("SIGKILL during apply").note << "\n";
    EXPECT_GE(after_a_write, kKills / 2) << "the kills did not fall among the kiosk's writes";
}

}  // namespace
}  // namespace chiso::test
