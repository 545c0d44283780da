// The HTTP/1.1 front of chiso-syncd (Boost.Beast): accepts connections, reads bounded requests with a timeout on
// every step, maps each onto Service (health, metrics, scope with ETag and long-poll, import, heartbeat, devices),
// serves the fleet page, and stops gracefully. Plain HTTP, or HTTPS only when [tls] names a certificate and key.
// All Asio, Beast and OpenSSL types stay behind this header: server.cpp runs the threads, syncd/http/ the rest.
#pragma once

#include "syncd/admission.hpp"
#include "syncd/fleet.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace chiso::syncd {

class Service;

struct ServerOptions {
    std::string address = "127.0.0.1";                      // a numeric IPv4 or IPv6 address
    std::uint16_t port = 8470;                              // 0: any free port; port() tells which
    int threads = 2;                                        // threads running the io_context
    std::size_t import_body_limit = std::size_t{64} << 20;  // POST /api/v1/import
    std::size_t body_limit = std::size_t{64} << 10;         // every other route
    std::size_t header_limit = std::size_t{16} << 10;
    std::chrono::seconds read_timeout{15};  // header, then body
    std::chrono::seconds write_timeout{15};
    std::chrono::seconds idle_timeout{30};       // between keep-alive requests
    std::chrono::seconds max_wait{60};           // cap on a long-poll's wait=S
    std::chrono::milliseconds stop_grace{3000};  // how long stop() lets requests in flight finish
    std::size_t max_connections = 4096;          // beyond this, a new connection is closed at once
    std::size_t max_connections_per_address = 512;  // from one client address (a building behind one NAT)
    std::size_t max_longpolls_per_token = 4;     // held at once; beyond, a long-poll is answered at once
    std::chrono::seconds first_request_timeout{5};  // a new connection's handshake and first request header
    RateLimit rate;                              // per token: beyond it, 429 with Retry-After
    FleetThresholds fleet;                       // [fleet]: how GET /api/v1/devices judges each device
    // [tls]: both set, the port speaks HTTPS only (TLS 1.2 or later); both empty, plain HTTP.
    std::filesystem::path tls_certificate;  // PEM: the server's certificate, then any intermediates
    std::filesystem::path tls_private_key;  // PEM, not encrypted; it must belong to the certificate
};

class Server {
public:
    // Binds and listens at once, so port() is known before start(); throws std::runtime_error when it cannot, or
    // when the TLS certificate or key cannot be read or do not belong together.
    // Registers one Service::on_change listener, which outlives the Server harmlessly.
    Server(Service& service, ServerOptions options);
    ~Server();  // stop()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Starts accepting and runs the io_context on options.threads threads; returns at once.
    void start();

    // Stops accepting, answers waiting long-polls with 304, closes idle connections, lets requests in flight
    // finish within stop_grace, then joins the threads. Idempotent; call from outside the server's threads.
    void stop();

    std::uint16_t port() const;
    std::string endpoint() const;  // "127.0.0.1:8470", "[::1]:8470"

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace chiso::syncd
