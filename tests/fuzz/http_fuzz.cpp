// Fuzzes chiso-syncd's HTTP request handling end to end: a real syncd::Server on 127.0.0.1 (any free port) over a
// Service whose SQLite database, in /dev/shm, holds the tests' small dataset (tests/data: province R, blocs U1 and
// U2; small, so that each scope is quick to compute), with an admin and a device token for R. Each input is
// sent raw over a fresh TCP connection, which is then half-closed; the server must answer with HTTP (or close),
// never with a 500, never crash, and close the connection once the client has said everything.
// The first byte chooses a token (modulo 3: none, the admin's, the device's) sent as an Authorization header
// after the request line, so that inputs reach the authenticated routes; the rest is the bytes sent.
// CHISO_FUZZ_SHOW=1 prints each answer's status line, to see what the seeds reach.
#include "syncd/server.hpp"
#include "syncd/service.hpp"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>

namespace {

using namespace chiso;
namespace fs = std::filesystem;

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The tests' dataset and tokens, and the server over them; all removed at exit.
struct Syncd {
    fs::path folder;
    std::unique_ptr<syncd::Service> service;
    std::unique_ptr<syncd::Server> server;
    std::string tokens[3];  // none, admin, device

    Syncd() {
        spdlog::set_level(spdlog::level::off);
        // One folder per process; a crash leaves its folder behind, which the next run removes.
        const fs::path shm = "/dev/shm";
        for (const fs::directory_entry& entry : fs::directory_iterator(shm)) {
            const std::string name = entry.path().filename().string();
            if (name.starts_with("chiso-http-fuzz-") && !fs::exists("/proc/" + name.substr(16))) fs::remove_all(entry);
        }
        folder = shm / ("chiso-http-fuzz-" + std::to_string(::getpid()));
        fs::remove_all(folder);
        fs::create_directory(folder);
        service = std::make_unique<syncd::Service>(folder / "chiso.db");
        const fs::path data = CHISO_TEST_DATA;
        for (const auto& [name, kind, format] :
             {std::tuple{"catalogue.json", "catalogue", "json"}, std::tuple{"tree.csv", "organisations", ""},
              std::tuple{"values.csv", "values", "long"}, std::tuple{"targets.csv", "targets", ""}})
            if (!service->import({kind, format, name, read(data / name), "fuzz", false}).applied) std::abort();
        tokens[1] = service->add_token("fuzz-admin", "", chiso::syncd::Role::admin);
        tokens[2] = service->add_token("fuzz-kiosk", "R", chiso::syncd::Role::device);

        syncd::ServerOptions options;
        options.port = 0;
        options.import_body_limit = std::size_t{1} << 20;
        options.read_timeout = options.write_timeout = options.idle_timeout = std::chrono::seconds{2};
        options.max_wait = std::chrono::seconds{0};  // a long-poll answers at once
        options.stop_grace = std::chrono::milliseconds{500};
        server = std::make_unique<syncd::Server>(*service, options);
        server->start();
    }
    ~Syncd() {
        server.reset();
        service.reset();
        std::error_code ignored;
        fs::remove_all(folder, ignored);
    }
};

// Sends `request`, half-closes, and returns everything the server sent until it closed. Aborts when the server
// keeps the connection open for 10 s after the request ended.
std::string exchange(std::uint16_t port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) std::abort();
    const timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Over a thousand connections a second can briefly leave no local port free: that is this harness's
    // limit, not the server's, so wait for one rather than report it.
    for (int attempt = 0; ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0; ++attempt) {
        if (attempt == 100 || (errno != EADDRNOTAVAIL && errno != EAGAIN && errno != EINTR)) {
            std::fprintf(stderr, "cannot connect to the server: %s\n", std::strerror(errno));
            std::abort();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // The server may answer and close before it has read everything (a refused header): then sending stops.
    for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
    std::string response;
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            response.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno == ECONNRESET) {
            break;
        } else if (errno != EINTR) {
            __builtin_trap();  // the server neither answered nor closed
        }
    }
    // The server has closed: end without TIME_WAIT, which would otherwise hold a local port per input.
    const linger abort_on_close{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    ::close(fd);
    return response;
}

Syncd& the_syncd() {
    static Syncd syncd;
    return syncd;
}

}  // namespace

// Before the first input, so that setting up is not counted against it (libFuzzer, and replay_main.cpp).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)the_syncd();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Syncd& syncd = the_syncd();
    if (size == 0) return 0;
    std::string request(reinterpret_cast<const char*>(data + 1), size - 1);
    if (const std::string& token = syncd.tokens[data[0] % 3]; !token.empty()) {
        const std::size_t line_end = request.find("\r\n");
        const std::string header = "Authorization: Bearer " + token + "\r\n";
        if (line_end != std::string::npos) request.insert(line_end + 2, header);
    }
    const std::string response = exchange(syncd.server->port(), request);
    static const bool show = std::getenv("CHISO_FUZZ_SHOW") != nullptr;  // to check what seeds reach
    if (show) std::fprintf(stderr, "%s\n", response.substr(0, response.find('\r')).c_str());
    if (response.empty()) return 0;
    // "HTTP/1.1 200 OK" (or 1.0, answering a 1.0 request)
    if (!response.starts_with("HTTP/1.") || response.size() < 12 || response[8] != ' ') __builtin_trap();
    if (response.compare(9, 3, "500") == 0) __builtin_trap();  // an unexpected exception: bad input gets a 4xx
    return 0;
}
