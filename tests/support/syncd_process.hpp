// The real chiso-syncd binary for a test: its own folder with a SQLite file, a free loopback port, an admin
// token, and helpers to import files and ask for scopes over HTTP.
#pragma once

#include "support/http.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chiso::test {

// One sample in a /metrics text: a name ("chiso_longpolls_waiting" → 1), or a name with its labels as syncd writes
// them ("chiso_http_requests_total{route=\"heartbeat\",status=\"204\"}"); nothing when absent.
std::optional<double> metric_in(const std::string& metrics, const std::string& name);

// Runs a command and returns what it printed on stdout (and stderr too, with `and_stderr`); `status` gets the exit
// status.
std::string run_command(const std::vector<std::string>& arguments, int* status = nullptr, bool and_stderr = false);

// Starts `arguments` (the program first) in the background with stdout and stderr going to `log` — appended, or
// a new file with `truncate` — and `environment` set; returns its process id.
int spawn(std::vector<std::string> arguments, const std::filesystem::path& log, bool truncate = false,
          const std::vector<std::pair<std::string, std::string>>& environment = {});

// A field of /proc/PID/status in KiB ("VmHWM:", the peak resident memory; "VmRSS:", the current); -1 when absent.
long process_status_kib(int pid, std::string_view field);

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_loopback_port();

// A TCP connection to 127.0.0.1:port, made from `source` when given (another loopback address: all of 127/8 is this
// host, so a client can look like another machine); -1 with errno set when it cannot be made.
int connect_to(int port, const char* source = nullptr);

// Waits up to `limit` for child process `pid` to end, woken by its exit itself (a pidfd), and reaps it: its wait
// status as waitpid gives it, or nothing while it still runs.
std::optional<int> wait_for_exit(int pid, std::chrono::milliseconds limit);

// Waits up to `limit` for `text` to be in the file at `path` (a process's log), woken by each write to the file's
// folder (inotify); gives up early when child process `pid` (if given) ends, leaving it for the caller to reap.
bool wait_for_text(const std::filesystem::path& path, const std::string& text, std::chrono::milliseconds limit,
                   int pid = -1);

class SyncdProcess {
public:
    SyncdProcess();  // a new empty folder and database; not started
    ~SyncdProcess();

    void start(const std::vector<std::string>& extra_arguments = {});  // on a new free port
    // Starts again on the port it had before (a server coming back, for clients that keep its address).
    void restart_on_same_port(const std::vector<std::string>& extra_arguments = {});
    void stop();  // SIGTERM, then waits; fails the test if it does not end cleanly within 10 s (scaled)
    void kill();  // SIGKILL
    bool running() const { return pid_ > 0; }

    // `chiso-syncd <arguments> --db <this database>`; returns stdout.
    std::string cli(std::vector<std::string> arguments, int* status = nullptr) const;
    std::string add_device(const std::string& name, const std::string& scope) const;
    std::string add_person(const std::string& name, const std::string& role) const;  // admin, it or statistician

    HttpResponse get(const std::string& target, const std::string& token,
                     std::map<std::string, std::string> headers = {}) const;
    HttpResponse post(const std::string& target, const std::string& token, const std::string& body) const;
    HttpResponse send(const std::string& method, const std::string& target, const std::string& token,
                      const std::string& body = {}) const;
    HttpResponse import(const std::string& kind, const std::string& body, const std::string& name = "test.csv",
                        const std::string& format = "") const;
    // GET a scope as the admin and parse it; fails the test on anything but 200.
    boost::json::value scope(const std::string& org, const std::string& query = "") const;
    // Asks with `token` until it is refused (401): syncd checks a token it has seen again within 250 ms, so a
    // revoked one is refused soon after. False when it is still accepted after `limit`.
    bool wait_until_refused(const std::string& token, std::chrono::milliseconds limit) const;
    // One sample of /metrics without labels ("chiso_longpolls_waiting" → 1); fails the test and gives -1 when absent.
    double metric(const std::string& name) const;
    // Asks /metrics again as each answer comes until `name` reads `value`: the signal that syncd is where a test
    // needs it (a long-poll held, say). False when it does not within `limit`.
    bool wait_for_metric(const std::string& name, double value, std::chrono::milliseconds limit) const;

    int port() const { return port_; }
    int pid() const { return pid_; }
    const std::filesystem::path& folder() const { return folder_; }
    std::filesystem::path database() const { return folder_ / "chiso.db"; }
    const std::string& admin_token() const { return admin_token_; }

private:
    void launch(const std::vector<std::string>& extra_arguments);

    std::filesystem::path folder_;
    int port_ = 0;
    int pid_ = -1;
    std::string admin_token_;
};

// Imports the test catalogue and four-level tree of tests/data (catalogue, tree, values, targets) and fails
// the test if any is refused.
void import_test_data(const SyncdProcess& syncd);
std::string test_data(const std::string& file_name);

std::string read_file(const std::filesystem::path& path);

}  // namespace chiso::test
