// One keep-alive HTTP/1.1 connection from the kiosk to syncd (plain or TLS), with a deadline on every step, and the
// small pieces around it: the server URL taken apart, percent-encoding, one line for a failure. Private to the
// sync client (client.cpp): its sync loop holds one connection, its device loop (heartbeats, settings) another.
#pragma once

#include "syncclient/answer.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace chiso::syncclient {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

inline constexpr std::uint64_t kBodyLimit = kAnswerLimit;  // answer.hpp says why

inline auto on_error(error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
}

struct Url {
    bool tls = false;  // https://
    std::string host;
    std::string port = "80";  // 443 for https
    std::string authority;    // for the Host header
    std::string prefix;       // a path the server is mounted under, without a trailing '/'
};

// Throws std::invalid_argument for anything but an http:// or https:// URL with a host.
Url parse_url(const std::string& server);
std::string percent_encode(std::string_view text);
// One line for the log: "no answer in time", "the answer broke off before its end", ...
std::string describe(const error_code& ec);
// Whether a host is written as an IP address, which is sent no SNI.
bool is_ip_address(const std::string& host);

struct Reply {
    unsigned status = 0;
    std::string body;
    std::string etag;
    std::string settings_tag;  // the Chiso-Settings header: the tag of the device's display settings
    std::string capture;       // the Chiso-Capture header: IT's request for a screenshot, by number
};

// One keep-alive HTTP/1.1 connection to syncd, reopened when it fails. Every step has its own deadline. Over https,
// each new connection verifies the server's certificate chain against the CA file alone when one is given, else
// against the system's trusted CAs, and that the certificate names the URL's host (sent as SNI). A refusal is a
// failed attempt like any other; failure() gives the reason.
class HttpConnection {
public:
    HttpConnection(asio::io_context& ioc, Url url, std::string ca_file)
        : resolver_(ioc), plain_(ioc), url_(std::move(url)), ca_file_(std::move(ca_file)) {}

    // Sends the request and reads the answer. A connection kept alive may have been closed by the server while
    // idle, so a failure on one is tried once more on a fresh connection.
    asio::awaitable<error_code> exchange(const http::request<http::string_body>& request, Reply& reply,
                                         Clock::duration step_timeout, Clock::duration read_timeout) {
        const bool reused = open_;
        interrupted_ = false;
        error_code ec = co_await attempt(request, reply, step_timeout, read_timeout);
        if (ec && reused && !stopped_ && !interrupted_ && ec != beast::error::timeout)
            ec = co_await attempt(request, reply, step_timeout, read_timeout);
        co_return ec;
    }

    // What an exchange's error means, for the log line: why TLS refused the server when it did.
    std::string failure(const error_code& ec) const { return tls_failure_.empty() ? describe(ec) : tls_failure_; }

    // Ends what is in flight (it completes with an error, not tried again); the next exchange connects anew.
    void interrupt() {
        interrupted_ = true;
        resolver_.cancel();
        tcp_layer().close();
        open_ = false;
    }

    // Ends what is in flight (it completes with operation_aborted) and refuses anything after.
    void stop() {
        stopped_ = true;
        resolver_.cancel();
        tcp_layer().close();
    }

private:
    beast::tcp_stream& tcp_layer() { return tls_ ? beast::get_lowest_layer(*tls_) : plain_; }

    asio::awaitable<error_code> attempt(const http::request<http::string_body>& request, Reply& reply,
                                        Clock::duration step_timeout, Clock::duration read_timeout) {
        tls_failure_.clear();
        error_code ec;
        if (!open_) ec = co_await connect(step_timeout);
        if (!ec) ec = co_await round_trip(request, reply, step_timeout, read_timeout);
        if (ec) close();
        co_return ec;
    }

    asio::awaitable<error_code> connect(Clock::duration timeout) {
        if (stopped_) co_return asio::error::operation_aborted;
        error_code ec;
        // getaddrinfo cannot be interrupted; a numeric address or /etc/hosts answers at once.
        auto endpoints = co_await resolver_.async_resolve(url_.host, url_.port, on_error(ec));
        if (ec || stopped_) co_return ec ? ec : asio::error::operation_aborted;
        if (url_.tls)
            if (ec = new_tls_stream(); ec) co_return ec;
        tcp_layer().expires_after(timeout);
        co_await tcp_layer().async_connect(endpoints, on_error(ec));
        if (!ec && tls_) {
            tcp_layer().expires_after(timeout);
            co_await tls_->async_handshake(asio::ssl::stream_base::client, on_error(ec));
            if (ec && tls_failure_.empty() && ec != beast::error::timeout)
                tls_failure_ = "TLS handshake failed: " + ec.message();
        }
        if (!ec) open_ = true;
        co_return ec;
    }

    // A fresh context and stream for every TLS connection, so that a CA file replaced on disk counts from the next.
    error_code new_tls_stream() {
        tls_.reset();
        context_.emplace(asio::ssl::context::tls_client);
        SSL_CTX_set_min_proto_version(context_->native_handle(), TLS1_2_VERSION);
        error_code ec;
        if (ca_file_.empty())
            context_->set_default_verify_paths(ec);
        else
            context_->load_verify_file(ca_file_, ec);
        if (ec) {
            tls_failure_ = ca_file_.empty() ? "cannot load the system's trusted CAs: " + ec.message()
                                            : "cannot read the CA file " + ca_file_ + ": " + ec.message();
            return ec;
        }
        context_->set_verify_mode(asio::ssl::verify_peer);
        tls_.emplace(resolver_.get_executor(), *context_);
        if (!is_ip_address(url_.host)) SSL_set_tlsext_host_name(tls_->native_handle(), url_.host.c_str());
        tls_->set_verify_callback([this, check_host = asio::ssl::host_name_verification(url_.host)](
                                      bool preverified, asio::ssl::verify_context& context) {
            return verify(preverified, context, check_host);
        });
        return {};
    }

    // Called for each certificate of the chain, the CA's first; notes the first reason to refuse.
    bool verify(bool preverified, asio::ssl::verify_context& context,
                const asio::ssl::host_name_verification& check_host) {
        X509_STORE_CTX* store = context.native_handle();
        std::string subject = "?";
        if (X509* certificate = X509_STORE_CTX_get_current_cert(store)) {
            char name[256];
            subject = X509_NAME_oneline(X509_get_subject_name(certificate), name, sizeof name);
        }
        if (!preverified) {
            if (tls_failure_.empty())
                tls_failure_ = std::string("the server's certificate is not trusted: ") +
                               X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)) + " (" + subject + ")";
            return false;
        }
        if (check_host(true, context)) return true;
        tls_failure_ = "the server's certificate is not for " + url_.host + " (" + subject + ")";
        return false;
    }

    asio::awaitable<error_code> round_trip(const http::request<http::string_body>& request, Reply& reply,
                                           Clock::duration step_timeout, Clock::duration read_timeout) {
        if (stopped_) co_return asio::error::operation_aborted;
        if (tls_) co_return co_await round_trip_on(*tls_, request, reply, step_timeout, read_timeout);
        co_return co_await round_trip_on(plain_, request, reply, step_timeout, read_timeout);
    }

    template <class Stream>
    asio::awaitable<error_code> round_trip_on(Stream& stream, const http::request<http::string_body>& request,
                                              Reply& reply, Clock::duration step_timeout,
                                              Clock::duration read_timeout) {
        error_code ec;
        tcp_layer().expires_after(step_timeout);
        co_await http::async_write(stream, request, on_error(ec));
        if (ec) co_return ec;
        http::response_parser<http::string_body> parser;
        parser.body_limit(kBodyLimit);
        tcp_layer().expires_after(read_timeout);
        co_await http::async_read(stream, buffer_, parser, on_error(ec));
        if (ec) co_return ec;
        tcp_layer().expires_never();
        http::response<http::string_body> response = parser.release();
        reply = {response.result_int(), std::move(response.body()), std::string(response[http::field::etag]),
                 std::string(response["Chiso-Settings"]), std::string(response["Chiso-Capture"])};
        if (!response.keep_alive()) close();
        co_return error_code{};
    }

    // Over TLS without close_notify: the server takes the end of a connection it answered in full as an end.
    void close() {
        tcp_layer().close();
        buffer_.clear();
        open_ = false;
    }

    tcp::resolver resolver_;
    beast::tcp_stream plain_;                                  // http://
    std::optional<asio::ssl::context> context_;                // https://: this connection's trusted CAs
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;  // https://: over its own TCP stream
    beast::flat_buffer buffer_;
    Url url_;
    std::string ca_file_;
    std::string tls_failure_;  // why the last attempt's TLS refused the server; empty when it did not
    bool open_ = false;
    bool stopped_ = false;
    bool interrupted_ = false;
};


}  // namespace chiso::syncclient
