// chiso-syncd at national scale, over HTTP, against the real binary: a year of monthly reports from every base
// organisation of the country (one national root, 34 provinces × 100 committees × 15 base organisations, 20 values
// each: 1,020,000 a month), or of one province (--size province: 40 committees × 25). Each month is sent first as a
// dry run (checked and previewed, nothing applied; every row counted new, changed or unchanged). After each import it
// times the first request since the import for scopes never asked before — an organisation of the level below the
// root, the root (as of the month before: never asked, so cold), a base organisation, all as a kiosk — the kiosk's
// root scope as it asks it after each import, and the root as a delta since the month before; it reads
// syncd's resident memory and the database's size. Then a second client revalidates a scope on a keep-alive
// connection during one more import (the last month corrected), and syncd is restarted on the year's database.
// Baseline, in the same run: each month's rows inserted into a bare SQLite table of the store's layout (one
// prepared statement, one transaction, WAL, synchronous=FULL), the least an import could cost.
// It reports and never fails on a slow machine; it exits 1 when an answer is wrong (status, revision, rows).
// Usage: national_bench [--size national|province] [--months N] [--seed S] [--timeout S] [--syncd PATH] (--help)
#include "support/http.hpp"
#include "support/national_data.hpp"
#include "support/notify_socket.hpp"
#include "support/syncd_process.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <CLI/CLI.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <thread>

namespace {
using namespace chiso::test::national;
namespace fs = std::filesystem;
namespace json = boost::json;
namespace beast = boost::beast;
using chiso::test::HttpResponse;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string size = "national";
    int months = 12;
    std::uint64_t seed = 2026;
    int timeout_s = 300;
    std::string syncd = CHISO_SYNCD_BIN;
    std::string work_dir = fs::temp_directory_path().string();
    bool keep = false;
    double max_rss_gib = 16;
    int interval_ms = 10;
};

// Something measured was wrong: the run stops there and prints no figure for it.
struct Wrong : std::runtime_error {
    using std::runtime_error::runtime_error;
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// ---- chiso-syncd, as a process --------------------------------------------------------------------------------

class Syncd {
public:
    Syncd(std::string binary, fs::path folder, int timeout_s)
        : binary_(std::move(binary)), folder_(std::move(folder)), timeout_(timeout_s) {
        // No per-token rate limit (a benchmark asks far faster than a kiosk), and room for a national import.
        std::ofstream(config()) << "[server]\nlisten = \"127.0.0.1\"\nport = " << port_
                                << "\nthreads = 2\nmax_body_mib = 512\nrequests_per_second = 1000000\n"
                                << "request_burst = 1000000\n\n[store]\ndatabase = \"" << database().string()
                                << "\"\n\n[log]\nlevel = \"info\"\n";
    }
    ~Syncd() {
        if (pid_ > 0) ::kill(pid_, SIGKILL), ::waitpid(pid_, nullptr, 0);
    }

    fs::path database() const { return folder_ / "chiso.db"; }
    fs::path config() const { return folder_ / "chiso-syncd.toml"; }
    fs::path log() const { return folder_ / "syncd.log"; }
    double database_mib() const {  // with its write-ahead log
        std::error_code no_wal;
        const auto wal = fs::file_size(database().string() + "-wal", no_wal);
        return static_cast<double>(fs::file_size(database()) + (no_wal ? 0 : wal)) / (1 << 20);
    }
    int port() const { return port_; }
    int pid() const { return pid_; }

    // `chiso-syncd ARGUMENTS --config F`; returns the last line it printed (a new token).
    std::string cli(std::vector<std::string> arguments) const {
        arguments.insert(arguments.begin(), binary_);
        arguments.insert(arguments.end(), {"--config", config().string()});
        int status = 0;
        std::istringstream lines(chiso::test::run_command(arguments, &status));
        if (status != 0) throw Wrong("chiso-syncd " + arguments[1] + " " + arguments[2] + " failed");
        std::string line, last;
        while (std::getline(lines, line))
            if (!line.empty()) last = line;
        return last;
    }

    // Starts `serve`; returns the seconds until it says READY=1 to systemd (here, to us), after which its health
    // must answer 200 with `revision`.
    double start(std::int64_t revision) {
        const auto started = Clock::now();
        chiso::test::NotifySocket systemd(folder_ / "notify.sock");
        pid_ = chiso::test::spawn({binary_, "serve", "--config", config().string()}, log(), false,
                                  {{"NOTIFY_SOCKET", systemd.path().string()}});
        std::vector<std::string> said;
        while (!systemd.wait_for("READY=1", std::chrono::milliseconds(200), said)) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                throw Wrong("chiso-syncd exited at start; its log is " + log().string());
            }
            if (seconds_since(started) > timeout_) throw Wrong("chiso-syncd was not ready within --timeout");
        }
        const double seconds = seconds_since(started);
        const HttpResponse health = request("GET", "/api/v1/health", "", {}, 2);
        const auto answered = health.status == 200 ? json::parse(health.body).at("revision").to_number<std::int64_t>() : -1;
        if (answered != revision)
            throw Wrong("health: HTTP " + std::to_string(health.status) + ", revision " + std::to_string(answered) +
                        ", expected " + std::to_string(revision));
        return seconds;
    }

    // SIGTERM; returns the seconds until it has exited.
    double stop() {
        const auto started = Clock::now();
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Wrong("chiso-syncd did not stop cleanly");
        return seconds_since(started);
    }

    HttpResponse request(const char* method, const std::string& target, const std::string& token, std::string body = {},
                         int timeout_s = 0) const {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return chiso::test::http(port_, {method, target, std::move(body), headers,
                                         std::chrono::seconds(timeout_s > 0 ? timeout_s : timeout_)});
    }

private:
    std::string binary_;
    fs::path folder_;
    int timeout_;
    int port_ = chiso::test::free_loopback_port();
    std::atomic<int> pid_ = -1;
};

struct Memory {
    double hwm_mib = 0, rss_mib = 0;
};

Memory memory_of(int pid) {
    return {static_cast<double>(chiso::test::process_status_kib(pid, "VmHWM:")) / 1024,
            static_cast<double>(chiso::test::process_status_kib(pid, "VmRSS:")) / 1024};
}

// ---- requests -------------------------------------------------------------------------------------------------

struct Imported {
    double seconds = 0;
    std::int64_t revision = 0, rows = 0;
};

// One import, timed; anything but a 200 with as many rows applied as were sent stops the run.
Imported import(const Syncd& syncd, const std::string& admin, const std::string& query, std::string body,
                std::int64_t rows_sent) {
    const auto started = Clock::now();
    const HttpResponse reply = syncd.request("POST", "/api/v1/import?" + query, admin, std::move(body));
    const double seconds = seconds_since(started);
    if (reply.status != 200)
        throw Wrong("import " + query + ": HTTP " + std::to_string(reply.status) + " " + reply.body.substr(0, 500));
    const json::object answer = json::parse(reply.body).as_object();
    const Imported imported{seconds, answer.at("revision").to_number<std::int64_t>(),
                            answer.at("rows").to_number<std::int64_t>()};
    if (rows_sent >= 0 && imported.rows != rows_sent)
        throw Wrong("import " + query + ": " + std::to_string(imported.rows) + " rows applied of " +
                    std::to_string(rows_sent) + " sent");
    return imported;
}

// A dry run of an import, timed: anything but a 200 that applied nothing, left the revision as it was and counted
// every row sent as a figure new, changed or unchanged stops the run.
double dry_run(const Syncd& syncd, const std::string& admin, const std::string& query, std::string body,
               std::int64_t rows_sent, std::int64_t revision) {
    const auto started = Clock::now();
    const HttpResponse reply = syncd.request("POST", "/api/v1/import?" + query + "&dry_run=1", admin, std::move(body));
    const double seconds = seconds_since(started);
    if (reply.status != 200)
        throw Wrong("dry run " + query + ": HTTP " + std::to_string(reply.status) + " " + reply.body.substr(0, 500));
    const json::object answer = json::parse(reply.body).as_object();
    const json::object& preview = answer.at("preview").as_object();
    const std::int64_t counted = preview.at("new").to_number<std::int64_t>() +
                                 preview.at("changed").to_number<std::int64_t>() +
                                 preview.at("unchanged").to_number<std::int64_t>();
    if (answer.at("applied").as_bool() || answer.at("revision").to_number<std::int64_t>() != revision ||
        counted != rows_sent || preview.at("organisations").as_array().empty())
        throw Wrong("dry run " + query + ": " + reply.body.substr(0, 500));
    return seconds;
}

// syncd's own account of how an import's time went, from the line it logs for the revision:
// "checked in 2.41 s, written in 1.62 s, in memory in 0.03 s, the scopes asked lately prepared in 0.21 s".
std::string import_phases(const Syncd& syncd, std::int64_t revision) {
    std::ifstream log(syncd.log());
    const std::string wanted = "revision " + std::to_string(revision) + ": ";
    for (std::string line; std::getline(log, line);)
        if (const auto at = line.find(wanted); at != std::string::npos) {
            const auto open = line.find('(', at), close = line.rfind(')');
            if (open != std::string::npos && close != std::string::npos && close > open)
                return line.substr(open + 1, close - open - 1);
        }
    return "(not in syncd's log)";
}

struct ScopeAnswer {
    double seconds = 0;
    std::string etag, kind;
};

// One scope request, timed; anything but a 200 of `revision` stops the run.
ScopeAnswer scope(const Syncd& syncd, const std::string& token, const std::string& query, std::int64_t revision) {
    const auto started = Clock::now();
    const HttpResponse reply = syncd.request("GET", "/api/v1/scope?" + query, token);
    const double seconds = seconds_since(started);
    if (reply.status != 200)
        throw Wrong("scope " + query + ": HTTP " + std::to_string(reply.status) + " " + reply.body.substr(0, 300));
    const json::object document = json::parse(reply.body).as_object();
    if (const auto answered = document.at("revision").to_number<std::int64_t>(); answered != revision)
        throw Wrong("scope " + query + ": revision " + std::to_string(answered) + ", expected " +
                    std::to_string(revision));
    return {seconds, reply.header("etag"), std::string(document.at("kind").as_string())};
}

struct Revalidations {
    std::vector<double> seconds;  // each from when it was due
    int not_modified = 0;
    std::vector<std::int64_t> changed_revisions;  // of each 200
};

// If-None-Match with `etag` on one keep-alive connection, one request due every interval, until the first due
// after `until`. Each latency counts from when the request was due, so a stall counts in every request it held up,
// as a fleet of kiosks asking at that rate would see it, not only in the one request that met it.
Revalidations revalidate(const Syncd& syncd, const std::string& token, const std::string& query,
                         const std::string& etag, const Options& options, const std::atomic<Clock::time_point>& until,
                         std::atomic<int>& answered) {
    namespace http = beast::http;
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(syncd.port())});
    http::request<http::empty_body> request{http::verb::get, "/api/v1/scope?" + query, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, "Bearer " + token);
    request.set(http::field::if_none_match, etag);
    request.keep_alive(true);
    beast::flat_buffer buffer;
    Revalidations out;
    const auto first = Clock::now();
    for (int k = 0;; ++k) {
        const auto due = first + k * std::chrono::milliseconds(options.interval_ms);
        if (due > until.load()) return out;
        std::this_thread::sleep_until(due);  // the client's schedule, not a wait for syncd
        stream.expires_after(std::chrono::seconds(options.timeout_s));
        http::write(stream, request);
        http::response_parser<http::string_body> parser;
        parser.body_limit(1u << 30);
        http::read(stream, buffer, parser);
        out.seconds.push_back(seconds_since(due));
        const auto& reply = parser.get();
        if (reply.result_int() != 200 && reply.result_int() != 304)
            throw Wrong("revalidation: HTTP " + std::to_string(reply.result_int()));
        if (!reply.keep_alive()) throw Wrong("revalidation: syncd closed the keep-alive connection");
        if (reply.result_int() == 304) ++out.not_modified;
        if (reply.result_int() == 200)
            out.changed_revisions.push_back(json::parse(reply.body()).at("revision").to_number<std::int64_t>());
        ++answered;
    }
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// ---- the baseline ---------------------------------------------------------------------------------------------

class Baseline {
public:
    explicit Baseline(const fs::path& file) : db_(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
        db_.exec(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
            "CREATE TABLE figures (org TEXT, indicator TEXT, category TEXT, period TEXT, value INTEGER,"
            " revision INTEGER, PRIMARY KEY (period, indicator, category, org)) WITHOUT ROWID");
    }

    double insert(const Tree& tree, const Month& month, std::int64_t revision) {
        const auto started = Clock::now();
        SQLite::Transaction transaction(db_);
        SQLite::Statement insert(db_, "INSERT OR REPLACE INTO figures VALUES (?,?,?,?,?,?)");
        std::size_t next = 0;
        for (const std::string& base : tree.bases)
            for (const Column& column : kColumns) {
                insert.bind(1, base), insert.bind(2, column.indicator), insert.bind(3, column.category);
                insert.bind(4, month.period), insert.bind(5, month.values[next++]), insert.bind(6, revision);
                insert.exec(), insert.reset();
            }
        transaction.commit();
        return seconds_since(started);
    }

private:
    SQLite::Database db_;
};

// ---- the run --------------------------------------------------------------------------------------------------

struct MonthFigures {
    std::string period;
    std::int64_t rows = 0;
    double dry_run_s = 0, import_s = 0, baseline_s = 0, middle_s = 0, root_s = 0, kiosk_root_s = 0, base_s = 0, delta_s = 0,
           db_mib = 0;
    bool delta_was_snapshot = false;
    Memory memory;
    std::string phases;
};

void print_target(const char* what, bool met, const std::string& figure) {
    std::printf("  %-44s %-8s %s\n", what, met ? "met" : "NOT met", figure.c_str());
}

void run(const Options& options, const fs::path& folder) {
    const Tree tree = make_tree(options.size == "national");
    const std::string root_query = "org=" + tree.root + "&depth=1";
    std::printf("%s: %lld organisations, %zu base, %zu values a month; seed %llu\nsyncd %s\nfolder %s\n\n",
                options.size.c_str(), static_cast<long long>(tree.rows), tree.bases.size(),
                tree.bases.size() * kColumns.size(), static_cast<unsigned long long>(options.seed),
                options.syncd.c_str(), folder.c_str());
    Syncd syncd(options.syncd, folder, options.timeout_s);
    const std::string admin = syncd.cli({"device", "add", "bench-admin", "--admin"});
    syncd.start(0);
    std::atomic<bool> runaway = false;
    // A runaway syncd must not take the machine with it: its memory is sampled ten times a second.
    std::jthread watchdog([&](std::stop_token stop) {
        for (; !stop.stop_requested(); std::this_thread::sleep_for(std::chrono::milliseconds(100)))
            if (const int pid = syncd.pid(); pid > 0 && memory_of(pid).rss_mib > options.max_rss_gib * 1024)
                runaway = true, ::kill(pid, SIGKILL);
    });
    try {
        import(syncd, admin, "kind=catalogue&format=json&name=catalogue.json", kCatalogue, -1);
        std::int64_t revision = import(syncd, admin, "kind=organisations&name=tree.csv", tree.csv, tree.rows).revision;
        const std::string kiosk = syncd.cli({"device", "add", "bench-kiosk", "--scope", tree.root});
        const std::string watcher = syncd.cli({"device", "add", "bench-revalidator", "--scope", tree.root});
        Baseline baseline(folder / "baseline.db");
        std::mt19937_64 random(options.seed);

        std::vector<MonthFigures> months;
        std::printf("%-8s %9s %9s %9s %10s %6s %17s %11s %11s %11s %13s %9s %9s %8s\n", "month", "rows", "dry run s",
                    "import s",
                    "baseline s", "ratio", ("cold " + tree.middle_level + " s").c_str(), "cold root s", "kiosk root s",
                    "cold base s", "root delta s", "VmHWM MiB", "VmRSS MiB", "db MiB");
        for (int m = 0; m < options.months; ++m) {
            const Month month = make_month(tree, period_of(m), random);
            MonthFigures f;
            f.period = month.period;
            const std::string query = "kind=values&format=long&name=" + month.period + ".csv";
            f.dry_run_s = dry_run(syncd, admin, query, month.csv, static_cast<std::int64_t>(month.values.size()),
                                  revision);
            const Imported imported = import(syncd, admin, query, month.csv, static_cast<std::int64_t>(month.values.size()));
            f.rows = imported.rows, f.import_s = imported.seconds;
            f.phases = import_phases(syncd, imported.revision);
            const std::string& middle = tree.middles[m % tree.middles.size()];
            const std::string& base = tree.bases[(static_cast<std::size_t>(m) * 7919 + 4242) % tree.bases.size()];
            f.middle_s = scope(syncd, kiosk, "org=" + middle + "&depth=1", imported.revision).seconds;
            // syncd prepares the scopes kiosks asked for lately before it shows a new revision, so the kiosk's own
            // root scope is ready after the first month; the root as of the month before was never asked: cold.
            f.kiosk_root_s = scope(syncd, kiosk, root_query, imported.revision).seconds;
            f.root_s = m == 0 ? f.kiosk_root_s
                              : scope(syncd, kiosk, root_query + "&at=" + period_of(m - 1), imported.revision).seconds;
            f.base_s = scope(syncd, kiosk, "org=" + base + "&depth=0", imported.revision).seconds;
            const auto delta =
                scope(syncd, kiosk, root_query + "&since=" + std::to_string(revision), imported.revision);
            f.delta_s = delta.seconds, f.delta_was_snapshot = delta.kind != "delta";
            f.memory = memory_of(syncd.pid());
            f.db_mib = syncd.database_mib();
            f.baseline_s = baseline.insert(tree, month, imported.revision);
            revision = imported.revision;
            std::printf("%-8s %9lld %9.2f %9.2f %10.2f %6.1f %17.3f %11.3f %12.3f %11.3f %12.3f%s %9.0f %9.0f %8.0f\n",
                        f.period.c_str(), static_cast<long long>(f.rows), f.dry_run_s, f.import_s, f.baseline_s,
                        f.import_s / f.baseline_s, f.middle_s, f.root_s, f.kiosk_root_s, f.base_s, f.delta_s,
                        f.delta_was_snapshot ? "*" : " ", f.memory.hwm_mib, f.memory.rss_mib, f.db_mib);
            std::fflush(stdout);
            months.push_back(f);
        }
        if (std::any_of(months.begin(), months.end(), [](const MonthFigures& f) { return f.delta_was_snapshot; }))
            std::printf("* answered with a whole snapshot, not a delta\n");
        std::printf("\neach import as syncd's log tells it:\n");
        for (const MonthFigures& f : months) std::printf("  %-8s %s\n", f.period.c_str(), f.phases.c_str());

        // A second client revalidates the root scope while the last month is imported again, corrected: one import
        // more rather than a monthly one, since a 200 it gets would warm the rollups those months time cold.
        const Month correction = make_month(tree, period_of(options.months - 1), random);
        const std::string etag = scope(syncd, watcher, root_query, revision).etag;
        std::atomic<Clock::time_point> until = Clock::time_point::max();
        std::atomic<int> answered = 0;
        auto client = std::async(
            std::launch::async, [&] { return revalidate(syncd, watcher, root_query, etag, options, until, answered); });
        while (answered == 0 && client.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready) continue;
        Imported corrected;
        try {
            corrected = import(syncd, admin, "kind=values&format=long&name=" + correction.period + "-corrected.csv",
                               correction.csv, static_cast<std::int64_t>(correction.values.size()));
        } catch (...) {
            until = Clock::now();  // the client's last request ends before `client` does
            throw;
        }
        until = Clock::now();
        const Revalidations revalidations = client.get();
        for (const std::int64_t changed : revalidations.changed_revisions)
            if (changed != corrected.revision)
                throw Wrong("revalidation: a 200 of revision " + std::to_string(changed) + ", expected " +
                            std::to_string(corrected.revision));
        const double p99 = percentile(revalidations.seconds, 0.99);

        // Start-up on the year's database.
        const double db_mib = syncd.database_mib();
        const double stop_s = syncd.stop();
        const double start_s = syncd.start(corrected.revision);
        const double restarted_root_s = scope(syncd, kiosk, root_query, corrected.revision).seconds;
        const Memory restarted = memory_of(syncd.pid());
        syncd.stop();

        std::printf("\nstart-up on the year's database (%.0f MiB):\n", db_mib);
        std::printf("  stop: SIGTERM until it exited              %8.2f s\n", stop_s);
        std::printf("  start until ready, at revision %-11lld %8.2f s\n",
                    static_cast<long long>(corrected.revision), start_s);
        std::printf("  then one cold root scope                   %8.3f s\n", restarted_root_s);
        std::printf("  resident memory then: VmHWM %.0f MiB, VmRSS %.0f MiB\n", restarted.hwm_mib, restarted.rss_mib);
        std::printf(
            "\nrevalidations of the root scope during an import of %lld rows (%.2f s), one due every %d ms, "
            "each timed from when it was due:\n  %zu requests: %d answered 304, %zu answered 200\n"
            "  p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
            static_cast<long long>(corrected.rows), corrected.seconds, options.interval_ms,
            revalidations.seconds.size(), revalidations.not_modified, revalidations.changed_revisions.size(),
            percentile(revalidations.seconds, 0.5) * 1000, p99 * 1000, percentile(revalidations.seconds, 1) * 1000);

        double peak = restarted.hwm_mib, slowest_scope = restarted_root_s, slowest_import = corrected.seconds,
               slowest_dry_run = 0;
        double worst_ratio = 0;
        for (const MonthFigures& f : months) {
            peak = std::max(peak, f.memory.hwm_mib);
            slowest_scope = std::max({slowest_scope, f.middle_s, f.root_s, f.kiosk_root_s, f.base_s});
            slowest_import = std::max(slowest_import, f.import_s);
            slowest_dry_run = std::max(slowest_dry_run, f.dry_run_s);
            worst_ratio = std::max(worst_ratio, f.import_s / f.baseline_s);
        }
        std::printf("\ntargets:\n");
        print_target("peak resident memory <= 2 GiB", peak <= 2048, format("%.0f MiB", peak));
        print_target("every cold scope <= 1 s", slowest_scope <= 1, format("slowest %.3f s", slowest_scope));
        print_target("each import <= 15 s", slowest_import <= 15, format("slowest %.2f s", slowest_import));
        print_target("each dry run (checked, previewed) <= 15 s", slowest_dry_run <= 15,
                     format("slowest %.2f s", slowest_dry_run));
        print_target("each import <= 3x the bare SQLite insert", worst_ratio <= 3, format("worst %.1fx", worst_ratio));
        print_target("start-up <= 30 s", start_s <= 30, format("%.2f s", start_s));
        print_target("revalidation p99 during an import <= 50 ms", p99 <= 0.05, format("%.1f ms", p99 * 1000));
    } catch (const std::exception&) {
        if (runaway)
            throw Wrong("chiso-syncd's resident memory passed --max-rss-gib " + format("%g", options.max_rss_gib) +
                        ": killed it");
        throw;
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"chiso-syncd at national scale, over HTTP, beside a bare SQLite insert"};
    app.add_option("--size", options.size, "national (51,000 base organisations) or province (1,000)")
        ->check(CLI::IsMember({"national", "province"}));
    app.add_option("--months", options.months, "monthly imports, from 2026-01")->check(CLI::Range(1, 120));
    app.add_option("--seed", options.seed, "seed of the values (default 2026)");
    app.add_option("--timeout", options.timeout_s, "seconds any one request may take")->check(CLI::Range(1, 86400));
    app.add_option("--syncd", options.syncd, "the chiso-syncd binary")->check(CLI::ExistingFile);
    app.add_option("--work-dir", options.work_dir, "where the run's folder is made")->check(CLI::ExistingDirectory);
    app.add_flag("--keep", options.keep, "keep the run's folder (databases, syncd's log)");
    app.add_option("--max-rss-gib", options.max_rss_gib, "kill syncd and stop when its resident memory passes this");
    app.add_option("--revalidate-every-ms", options.interval_ms, "one revalidation is due every this many ms")
        ->check(CLI::Range(1, 10000));
    CLI11_PARSE(app, argc, argv);

    std::string pattern = (fs::path(options.work_dir) / "national-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path folder = pattern;
    try {
        run(options, folder);
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "\nFAILED: %s\n(kept the run's folder, with syncd's log: %s)\n", e.what(), folder.c_str());
        return 1;
    }
    if (!options.keep) fs::remove_all(folder);
    return 0;
}
