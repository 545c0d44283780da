#include "syncd/http/listener.hpp"

#include "syncd/http/session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <stdexcept>
#include <utility>

namespace chiso::syncd {

namespace {

tcp::endpoint parse_endpoint(const ServerOptions& options) {
    error_code ec;
    const auto address = asio::ip::make_address(options.address, ec);
    if (ec) throw std::runtime_error("listen address '" + options.address + "' is not a numeric IPv4 or IPv6 address");
    return {address, options.port};
}

}  // namespace

std::string endpoint_text(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address().to_string();
    const auto host = endpoint.address().is_v6() ? "[" + address + "]" : address;
    return host + ":" + std::to_string(endpoint.port());
}

Listener::Listener(Shared& shared, std::vector<asio::io_context*> loops)
    : shared_(shared), loops_(std::move(loops)), acceptor_(*loops_.front()), retry_timer_(*loops_.front()) {
    const tcp::endpoint endpoint = parse_endpoint(shared_.options);
    error_code ec;
    const auto fail = [&](const char* step) {
        throw std::runtime_error("cannot listen on " + endpoint_text(endpoint) + ": " + step + ": " + ec.message());
    };
    if (acceptor_.open(endpoint.protocol(), ec); ec) fail("open");
    if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) fail("set_option");
    if (acceptor_.bind(endpoint, ec); ec) fail("bind");
    if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) fail("listen");
    bound_ = acceptor_.local_endpoint(ec);
}

void Listener::start() {
    asio::post(acceptor_.get_executor(), [this] { accept(); });
}

void Listener::stop() {
    asio::post(acceptor_.get_executor(), [this] {
        error_code ec;
        acceptor_.close(ec);
        retry_timer_.cancel();
    });
}

asio::io_context& Listener::next_loop() {
    next_ = (next_ + 1) % loops_.size();
    return *loops_[next_];
}

void Listener::accept() {
    acceptor_.async_accept(next_loop(), [this](error_code ec, tcp::socket socket) {
        if (shared_.stopping || ec == asio::error::operation_aborted) return;
        if (ec) {
            // Usually out of file descriptors: wait a little instead of spinning on the error.
            spdlog::warn("accept failed: {}", ec.message());
            retry_timer_.expires_after(std::chrono::milliseconds{100});
            retry_timer_.async_wait([this](error_code timer_ec) {
                if (!timer_ec) accept();
            });
            return;
        }
        error_code remote_ec;
        const auto remote = socket.remote_endpoint(remote_ec);
        std::string address = remote_ec ? std::string("?") : remote.address().to_string();
        if (shared_.metrics.connections_open() >= static_cast<std::int64_t>(shared_.options.max_connections))
            refuse(std::move(socket), "[server] max_connections");
        else if (!shared_.connections_by_address.try_add(address, shared_.options.max_connections_per_address))
            refuse(std::move(socket), "[server] max_connections_per_address from " + address);
        else
            open_session(std::move(socket), shared_, std::move(address), remote.port());
        accept();
    });
}

// Closed before a byte is read, so that no number of clients can take more than a bounded amount of memory, and no
// one client every slot. Logged once a minute at most.
void Listener::refuse(tcp::socket socket, const std::string& limit) {
    shared_.metrics.connection_refused();
    error_code ignored;
    socket.close(ignored);
    if (const auto now = Clock::now(); now - last_refusal_logged_ >= std::chrono::minutes{1}) {
        last_refusal_logged_ = now;
        spdlog::warn("{} connections open, as many as {} allows; closing new ones", shared_.metrics.connections_open(),
                     limit);
    }
}

}  // namespace chiso::syncd
