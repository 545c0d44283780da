// The listening socket: accepts connections and hands each to the server's event loops in turn, or refuses it
// (closes it before reading a byte) beyond [server] max_connections or max_connections_per_address.
#pragma once

#include "syncd/http/shared.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <string>
#include <vector>

namespace chiso::syncd {

class Listener {
public:
    // Binds and listens at once on shared.options' address and port; throws std::runtime_error when it cannot.
    // The acceptor runs on the first loop; `loops` outlive the Listener.
    Listener(Shared& shared, std::vector<asio::io_context*> loops);

    void start();  // accepts from now on
    void stop();   // closes the listening socket; returns at once
    const tcp::endpoint& endpoint() const { return bound_; }

private:
    void accept();
    asio::io_context& next_loop();
    void refuse(tcp::socket socket, const std::string& limit);

    Shared& shared_;
    std::vector<asio::io_context*> loops_;
    std::size_t next_ = 0;  // the loop the next connection goes to
    tcp::acceptor acceptor_;
    asio::steady_timer retry_timer_;
    tcp::endpoint bound_;
    Clock::time_point last_refusal_logged_{};  // on the acceptor's loop only
};

// "127.0.0.1:8470", "[::1]:8470"
std::string endpoint_text(const tcp::endpoint& endpoint);

}  // namespace chiso::syncd
