#include "support/webhook_receiver.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

namespace chiso::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct WebhookReceiver::Io {
    asio::io_context context;
    tcp::acceptor acceptor{context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
};

WebhookReceiver::WebhookReceiver(int fail_first) : io_(std::make_unique<Io>()), fail_first_(fail_first) {
    port_ = io_->acceptor.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
}

WebhookReceiver::~WebhookReceiver() {
    // Shutting the listening socket down ends the blocking accept (closing it from another thread would not).
    ::shutdown(io_->acceptor.native_handle(), SHUT_RDWR);
    thread_.join();
}

void WebhookReceiver::serve() {
    for (;;) {
        beast::error_code error;
        tcp::socket socket(io_->context);
        io_->acceptor.accept(socket, error);
        if (error) return;
        beast::flat_buffer buffer;
        http::request<http::string_body> request;
        http::read(socket, buffer, request, error);
        if (error) continue;
        bool accept = false;
        {
            std::lock_guard lock(mutex_);
            accept = ++requests_ > fail_first_;
            if (accept) accepted_.push_back(request.body());
            changed_.notify_all();
        }
        http::response<http::string_body> response{accept ? http::status::no_content : http::status::service_unavailable,
                                                   11};
        response.keep_alive(false);
        response.prepare_payload();
        http::write(socket, response, error);
        socket.shutdown(tcp::socket::shutdown_both, error);
    }
}

std::vector<std::string> WebhookReceiver::accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
}

int WebhookReceiver::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

bool WebhookReceiver::wait_for(std::size_t count, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return accepted_.size() >= count; });
}

}  // namespace chiso::test
