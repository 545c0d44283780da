#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace chiso::test {
namespace {

std::vector<char*> argv_of(std::vector<std::string>& arguments) {
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    return argv;
}

std::string last_line(const std::string& text) {
    std::istringstream lines(text);
    std::string line, last;
    while (std::getline(lines, line))
        if (!line.empty()) last = line;
    return last;
}

using Clock = std::chrono::steady_clock;

// Milliseconds left before `deadline`, as poll() takes them: 0 once it has passed.
int poll_timeout(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
}

// A descriptor that becomes readable when child process `pid` ends.
int open_pidfd(int pid) {
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) throw std::runtime_error(std::string("pidfd_open: ") + std::strerror(errno));
    return fd;
}

}  // namespace

int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("no free loopback port");
    ::close(fd);
    return ntohs(address.sin_port);
}

int connect_to(int port, const char* source) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in from{};
    from.sin_family = AF_INET;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((source && (::inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
                    ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)) ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

std::optional<int> wait_for_exit(int pid, std::chrono::milliseconds limit) {
    const int pidfd = open_pidfd(pid);
    pollfd ended{pidfd, POLLIN, 0};
    int ready = 0;
    for (const auto deadline = Clock::now() + limit;;) {
        ready = ::poll(&ended, 1, poll_timeout(deadline));
        if (ready >= 0 || errno != EINTR) break;
    }
    ::close(pidfd);
    if (ready <= 0) return std::nullopt;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

bool wait_for_text(const std::filesystem::path& path, const std::string& text, std::chrono::milliseconds limit,
                   int pid) {
    // The folder is watched, not the file, which may not be there yet; every change is a cue to read it again.
    const int changes = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (changes < 0 || ::inotify_add_watch(changes, path.parent_path().c_str(),
                                           IN_MODIFY | IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO) < 0)
        throw std::runtime_error("cannot watch " + path.parent_path().string() + ": " + std::strerror(errno));
    const int ended = pid > 0 ? open_pidfd(pid) : -1;
    const auto holds = [&] {
        std::error_code error;
        if (!std::filesystem::exists(path, error)) return false;
        try {
            return read_file(path).find(text) != std::string::npos;
        } catch (const std::exception&) {
            return false;
        }
    };
    bool found = false;
    for (const auto deadline = Clock::now() + limit;;) {
        if ((found = holds())) break;
        pollfd fds[2] = {{changes, POLLIN, 0}, {ended, POLLIN, 0}};
        const int ready = ::poll(fds, ended >= 0 ? 2 : 1, poll_timeout(deadline));
        if (ready == 0 || (ready < 0 && errno != EINTR)) break;
        if (ended >= 0 && (fds[1].revents & POLLIN)) {  // it ended: what it wrote before counts, nothing more comes
            found = holds();
            break;
        }
        char events[4096];
        while (::read(changes, events, sizeof events) > 0) {
        }
    }
    if (ended >= 0) ::close(ended);
    ::close(changes);
    return found;
}

int spawn(std::vector<std::string> arguments, const std::filesystem::path& log, bool truncate,
          const std::vector<std::pair<std::string, std::string>>& environment) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND), 0644);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execv(arguments[0].c_str(), argv_of(arguments).data());
        ::_exit(127);
    }
    return pid;
}

long process_status_kib(int pid, std::string_view field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with(field)) return std::stol(line.substr(field.size()));
    return -1;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string run_command(const std::vector<std::string>& arguments, int* status, bool and_stderr) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        if (and_stderr) ::dup2(pipe_fds[1], STDERR_FILENO);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        std::vector<std::string> copy = arguments;
        ::execv(copy[0].c_str(), argv_of(copy).data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    std::string output;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) output.append(buffer, n);
    ::close(pipe_fds[0]);
    int wait_status = 0;
    ::waitpid(pid, &wait_status, 0);
    if (status) *status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    return output;
}

SyncdProcess::SyncdProcess() {
    std::string pattern = (std::filesystem::temp_directory_path() / "chiso-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    folder_ = pattern;
    admin_token_ = last_line(cli({"device", "add", "test-admin", "--admin"}));
}

SyncdProcess::~SyncdProcess() {
    if (running()) kill();
    std::error_code ignored;
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(folder_, ignored);
}

void SyncdProcess::start(const std::vector<std::string>& extra_arguments) {
    port_ = free_loopback_port();
    launch(extra_arguments);
}

void SyncdProcess::restart_on_same_port(const std::vector<std::string>& extra_arguments) {
    if (running()) throw std::logic_error("restart_on_same_port: chiso-syncd is still running");
    if (port_ == 0) port_ = free_loopback_port();
    launch(extra_arguments);
}

void SyncdProcess::launch(const std::vector<std::string>& extra_arguments) {
    std::vector<std::string> arguments{CHISO_SYNCD_BIN, "serve",     "--db",   database().string(),
                                       "--listen",      "127.0.0.1", "--port", std::to_string(port_)};
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    const std::filesystem::path log = folder_ / "syncd.log";
    pid_ = spawn(arguments, log);
    const auto deadline = Clock::now() + scaled(std::chrono::seconds(60));
    while (Clock::now() < deadline) {
        try {
            if (http(port_, {"GET", "/api/v1/health", {}, {}, scaled(std::chrono::seconds(2))}).status == 200) return;
        } catch (const std::exception&) {
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("chiso-syncd exited at start; its log:\n" + read_file(log));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("chiso-syncd did not answer its health check in time");
}

void SyncdProcess::stop() {
    if (!running()) return;
    ::kill(pid_, SIGTERM);
    const auto limit = scaled(std::chrono::seconds(10));
    if (const auto status = wait_for_exit(pid_, limit)) {
        pid_ = -1;
        EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "chiso-syncd did not stop cleanly";
        return;
    }
    ADD_FAILURE() << "chiso-syncd did not stop within " << limit.count() << " ms of SIGTERM";
    kill();
}

void SyncdProcess::kill() {
    if (!running()) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

std::string SyncdProcess::cli(std::vector<std::string> arguments, int* status) const {
    arguments.insert(arguments.begin(), CHISO_SYNCD_BIN);
    arguments.insert(arguments.end(), {"--db", database().string()});
    int exit_status = 0;
    std::string output = run_command(arguments, &exit_status);
    if (status)
        *status = exit_status;
    else if (exit_status != 0)
        throw std::runtime_error("chiso-syncd " + arguments[1] + " failed");
    return output;
}

std::string SyncdProcess::add_device(const std::string& name, const std::string& scope) const {
    return last_line(cli({"device", "add", name, "--scope", scope}));
}

std::string SyncdProcess::add_person(const std::string& name, const std::string& role) const {
    return last_line(cli({"device", "add", name, "--role", role}));
}

HttpResponse SyncdProcess::get(const std::string& target, const std::string& token,
                               std::map<std::string, std::string> headers) const {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http(port_, {"GET", target, {}, headers});
}

HttpResponse SyncdProcess::post(const std::string& target, const std::string& token, const std::string& body) const {
    return send("POST", target, token, body);
}

HttpResponse SyncdProcess::send(const std::string& method, const std::string& target, const std::string& token,
                                const std::string& body) const {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http(port_, {method, target, body, headers});
}

HttpResponse SyncdProcess::import(const std::string& kind, const std::string& body, const std::string& name,
                                  const std::string& format) const {
    std::string encoded;  // the name as a browser sends it: UTF-8, every byte but letters and digits as %XX
    for (unsigned char c : name) {
        static constexpr char hex[] = "0123456789ABCDEF";
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_')
            encoded += static_cast<char>(c);
        else
            encoded += {'%', hex[c >> 4], hex[c & 15]};
    }
    std::string target = "/api/v1/import?kind=" + kind + "&name=" + encoded;
    if (!format.empty()) target += "&format=" + format;
    return post(target, admin_token_, body);
}

boost::json::value SyncdProcess::scope(const std::string& org, const std::string& query) const {
    HttpResponse response = get("/api/v1/scope?org=" + org + (query.empty() ? "" : "&" + query), admin_token_);
    EXPECT_EQ(response.status, 200) << response.body;
    return boost::json::parse(response.body);
}

bool SyncdProcess::wait_until_refused(const std::string& token, std::chrono::milliseconds limit) const {
    // The scope route checks the token. Asked every 20 ms, no more, so that the device's request budget (a burst
    // of 60) is not spent: the same device's new token is asked for next in some tests.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (get("/api/v1/scope", token).status != 401) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

std::optional<double> metric_in(const std::string& metrics, const std::string& name) {
    std::istringstream lines(metrics);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
    return std::nullopt;
}

double SyncdProcess::metric(const std::string& name) const {
    if (const auto value = metric_in(get("/metrics", "").body, name)) return *value;
    ADD_FAILURE() << "no metric " << name;
    return -1;
}

bool SyncdProcess::wait_for_metric(const std::string& name, double value, std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (metric(name) != value)
        if (std::chrono::steady_clock::now() >= deadline) return false;
    return true;
}

std::string test_data(const std::string& file_name) {
    return read_file(std::filesystem::path(CHISO_TEST_DATA) / file_name);
}

void import_test_data(const SyncdProcess& syncd) {
    for (auto [kind, file] : {std::pair{"catalogue", "catalogue.json"},
                              {"organisations", "tree.csv"},
                              {"values", "values.csv"},
                              {"targets", "targets.csv"}}) {
        HttpResponse response = syncd.import(kind, test_data(file), file);
        ASSERT_EQ(response.status, 200) << file << ": " << response.body;
    }
}

}  // namespace chiso::test
