#include "syncd/http/session.hpp"

#include "syncd/http/routes.hpp"
#include "syncd/http/target.hpp"
#include "syncd/screenshots.hpp"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>
#include <utility>
#include <vector>

namespace chiso::syncd {

namespace {

// A parse error worth a 400; not the ends of a stream, which simply close the connection.
bool is_malformed(const error_code& ec) {
    return ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// One connection's bytes: plain TCP, or TLS over it when [tls] is set. Beast reads and writes HTTP through either
// alike; the timeouts are the TCP stream's in both. Only the start (handshake) and the end (close_notify) differ.
class ConnectionStream {
public:
    using executor_type = beast::tcp_stream::executor_type;

    ConnectionStream(tcp::socket&& socket, asio::ssl::context* tls) {
        if (tls)
            tls_.emplace(std::move(socket), *tls);
        else
            plain_.emplace(std::move(socket));
    }

    bool is_tls() const { return tls_.has_value(); }
    beast::ssl_stream<beast::tcp_stream>& tls() { return *tls_; }
    beast::tcp_stream& tcp_layer() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }
    tcp::socket& socket() { return tcp_layer().socket(); }
    executor_type get_executor() { return tcp_layer().get_executor(); }
    void expires_after(Clock::duration timeout) { tcp_layer().expires_after(timeout); }
    void cancel() { tcp_layer().cancel(); }

    template <class Buffers, class Handler>
    void async_read_some(const Buffers& buffers, Handler&& handler) {
        if (tls_)
            tls_->async_read_some(buffers, std::forward<Handler>(handler));
        else
            plain_->async_read_some(buffers, std::forward<Handler>(handler));
    }

    template <class Buffers, class Handler>
    void async_write_some(const Buffers& buffers, Handler&& handler) {
        if (tls_)
            tls_->async_write_some(buffers, std::forward<Handler>(handler));
        else
            plain_->async_write_some(buffers, std::forward<Handler>(handler));
    }

private:
    std::optional<beast::tcp_stream> plain_;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
};

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
public:
    // `address` is the client's, already counted in shared.connections_by_address; the session uncounts it.
    Session(tcp::socket&& socket, Shared& shared, std::string address, unsigned short port)
        : stream_(std::move(socket), shared.tls.get()),
          wait_timer_(stream_.get_executor()),
          shared_(shared),
          address_(std::move(address)),
          remote_(address_ + ":" + std::to_string(port)) {
        shared_.metrics.connection_opened();
    }

    ~Session() {
        if (wait_) finish_waiting();
        shared_.sessions.remove(this);
        shared_.connections_by_address.remove(address_);
        shared_.metrics.connection_closed();
    }

    void start() {
        // Register before looking at `stopping`, so stop() either sees this session or this session sees stop().
        shared_.sessions.add(shared_from_this());
        asio::dispatch(stream_.get_executor(),
                       beast::bind_front_handler(stream_.is_tls() ? &Session::handshake : &Session::read_header,
                                                 shared_from_this()));
    }

    auto executor() { return stream_.get_executor(); }

    // Posted by stop(): an idle or draining connection closes now; a long-poll answers 304; a busy one closes
    // after answering.
    void on_server_stop() {
        if (state_ == State::handshake || state_ == State::reading_header || state_ == State::closing)
            stream_.cancel();
        else if (state_ == State::waiting)
            wait_timer_.cancel();
    }

    // Posted by the change listener: look at the scope again.
    void wake() {
        if (state_ == State::waiting) wait_timer_.cancel();
    }

private:
    enum class State { handshake, reading_header, busy, waiting, closing };

    // --- TLS -------------------------------------------------------------------------------------------------

    // A client that connects and says nothing is closed after first_request_timeout (see read_header).
    void handshake() {
        if (shared_.stopping) return close();
        state_ = State::handshake;
        stream_.expires_after(shared_.options.first_request_timeout);
        stream_.tls().async_handshake(asio::ssl::stream_base::server,
                                      beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
    }

    void on_handshake(error_code ec) {
        if (is_tls_reason(ec, SSL_R_HTTP_REQUEST)) return refuse_plain_http();
        if (ec) {
            // Every client that does not trust the certificate ends here; debug, as a scanner would flood the log.
            spdlog::debug("{}: TLS handshake failed: {}", remote_, ec.message());
            return close();
        }
        tls_established_ = true;
        read_header();
    }

    // Plain HTTP to the HTTPS port: a plain answer saying so (OpenSSL sends no alert for it), then close.
    void refuse_plain_http() {
        state_ = State::closing;
        spdlog::debug("{}: plain HTTP on the HTTPS port; answered 400", remote_);
        Response res = error_response(400, "this port speaks HTTPS only: use an https:// URL");
        res.keep_alive(false);
        res.prepare_payload();
        response_ = std::move(res);
        stream_.expires_after(shared_.options.write_timeout);
        http::async_write(stream_.tcp_layer(), *response_, [self = shared_from_this()](error_code ec, std::size_t) {
            if (!ec) self->drain();  // the rest of the request is still on the wire
        });
    }

    void read_header() {
        if (shared_.stopping) return close();
        state_ = State::reading_header;
        route_ = Route::other;
        method_ = target_ = "-";
        principal_.clear();
        header_parser_.emplace();
        header_parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
        header_parser_->body_limit(boost::none);  // the route decides, in on_header(); Beast's default is 1 MiB
        // A new connection has a few seconds for its first request's header (its handshake included): a client
        // that connects and says nothing holds a slot that long at most. Later requests may be an idle while apart.
        if (first_request_) {
            if (!tls_established_) stream_.expires_after(shared_.options.first_request_timeout);
        } else {
            stream_.expires_after(shared_.options.idle_timeout);
        }
        first_request_ = false;
        http::async_read_header(stream_, buffer_, *header_parser_,
                                beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    void on_header(error_code ec, std::size_t) {
        if (ec == http::error::header_limit) return reject_unread(431, "request header too large");
        if (is_malformed(ec)) return reject_unread(400, "malformed HTTP request");
        if (ec) return close();  // end of stream, idle timeout, stop(), a reset: nothing to answer
        state_ = State::busy;
        started_ = Clock::now();
        const auto& header = header_parser_->get();
        keep_alive_ = header.keep_alive();
        version_ = header.version();
        method_ = std::string(header.method_string());
        target_ = std::string(header.target());
        const RouteSpec* spec = find_route(parse_target(target_).path, header.method());
        route_ = spec ? spec->route : Route::other;
        const bool upload = header.method() == http::verb::post &&
                            (route_ == Route::import || (route_ == Route::screenshot && spec->path == "/api/v1/screenshot"));
        body_limit_ = route_ == Route::import ? shared_.options.import_body_limit
                      : upload                ? Screenshots::kMaxBytes
                                              : shared_.options.body_limit;
        if (const auto length = header_parser_->content_length(); length && *length > body_limit_)
            return reject_unread(413, "request body larger than " + std::to_string(body_limit_) + " bytes");
        // An import's body may be tens of megabytes, a screenshot's one: the token is checked before a byte of it
        // is read.
        if (upload) {
            try {
                const Principal who = bearer(shared_, header);
                if (route_ == Route::import && !who.may(Right::import_figures))
                    throw ServiceError(403, std::string(who_may(Right::import_figures)));
                if (route_ == Route::screenshot && who.role != Role::device)
                    throw ServiceError(403, "only a device sends screenshots");
                if (route_ == Route::screenshot) shared_.service.screenshots().check_not_too_soon(who.name);
            } catch (const ServiceError& e) {
                return reject_unread(e.status, e.what());
            }
        }
        body_parser_.emplace(std::move(*header_parser_));
        body_parser_->body_limit(body_limit_);
        if (iequals(body_parser_->get()[http::field::expect], "100-continue")) return send_continue();
        read_body();
    }

    // curl sends "Expect: 100-continue" before a large upload and would otherwise pause a second.
    void send_continue() {
        interim_.emplace(http::status::continue_, version_);
        stream_.expires_after(shared_.options.write_timeout);
        http::async_write(stream_, *interim_, [self = shared_from_this()](error_code ec, std::size_t) {
            if (ec) return self->close();
            self->read_body();
        });
    }

    void read_body() {
        // Beast reads at most what the buffer holds already (64 KiB at most): an import's megabytes come 64 KiB a
        // read, not the header's few KiB a read.
        if (route_ == Route::import) buffer_.reserve(64 * 1024);
        stream_.expires_after(shared_.options.read_timeout);
        http::async_read(stream_, buffer_, *body_parser_,
                         beast::bind_front_handler(&Session::on_body, shared_from_this()));
    }

    void on_body(error_code ec, std::size_t) {
        if (ec == http::error::body_limit)
            return reject_unread(413, "request body larger than " + std::to_string(body_limit_) + " bytes");
        if (is_malformed(ec)) return reject_unread(400, "malformed HTTP request");
        if (ec) return close();
        Request req = body_parser_->release();
        body_parser_.reset();
        if (route_ == Route::import && shared_.import_thread) return handle_on_import_thread(std::move(req));
        answer(handle_request(shared_, req, address_));
    }

    // An import takes seconds: it runs on the import thread, and this session answers when it is done, so the
    // server's threads go on serving every other request meanwhile.
    void handle_on_import_thread(Request req) {
        auto request = std::make_shared<Request>(std::move(req));
        asio::post(*shared_.import_thread, [self = shared_from_this(), request] {
            auto outcome = std::make_shared<Outcome>(handle_request(self->shared_, *request, self->address_));
            asio::post(self->executor(), [self, outcome] { self->answer(std::move(*outcome)); });
        });
    }

    void answer(Outcome outcome) {
        route_ = outcome.route;
        principal_ = std::move(outcome.principal);
        if (outcome.wait) return start_waiting(std::move(*outcome.wait));
        send(std::move(outcome.response));
    }

    // An error before the body was read: answer, then close, since the rest of the request is still on the wire.
    void reject_unread(int status, std::string_view reason) {
        state_ = State::busy;
        if (started_ == Clock::time_point{}) started_ = Clock::now();
        keep_alive_ = false;
        drain_after_write_ = true;
        send(error_response(status, reason));
    }

    // --- long-poll -------------------------------------------------------------------------------------------

    void start_waiting(LongPoll poll) {
        state_ = State::waiting;
        wait_ = std::move(poll);
        shared_.waiters.add(shared_from_this());
        shared_.metrics.longpoll_started();
        check_scope();
    }

    // Answers when the etag moved (200), the wait ran out or the server stops (304); otherwise waits again.
    void check_scope() {
        std::optional<Response> answer = guarded("long-poll " + target_, [&]() -> std::optional<Response> {
            const std::string etag = shared_.service.scope_etag(wait_->who, wait_->query);
            if (!etag_matches(wait_->if_none_match, etag)) {
                if (!shared_.service.authenticate(wait_->token)) throw ServiceError(401, "unknown or revoked token");
                return scope_response(shared_, wait_->who, wait_->query);
            }
            if (shared_.stopping || Clock::now() >= wait_->deadline) {
                Response unchanged = not_modified(etag);
                tell_device(shared_, wait_->who, unchanged);
                return unchanged;
            }
            return std::nullopt;  // still the same: keep waiting
        });
        if (!answer) return arm_wait_timer();
        finish_waiting();
        send(std::move(*answer));
    }

    void arm_wait_timer() {
        wait_timer_.expires_at(wait_->deadline);
        // Fired by the deadline, or cancelled by wake() or stop(): either way, look again.
        wait_timer_.async_wait([self = shared_from_this()](error_code) { self->check_scope(); });
    }

    void finish_waiting() {
        shared_.waiters.remove(this);
        shared_.longpolls_by_token.remove(wait_->who.name);
        shared_.metrics.longpoll_ended();
        wait_.reset();
    }

    // --- writing and closing ---------------------------------------------------------------------------------

    void send(Response res) {
        state_ = State::busy;
        const auto took = Clock::now() - started_;
        shared_.metrics.count_request(route_, res.result_int(), took);
        log_request(res.result_int(), took);
        res.version(version_);
        res.keep_alive(keep_alive_ && !shared_.stopping);
        res.prepare_payload();
        if (res.result() == http::status::no_content || res.result() == http::status::not_modified)
            res.erase(http::field::content_length);  // RFC 9110: no Content-Length on a 204, none needed on a 304
        response_ = std::move(res);
        stream_.expires_after(shared_.options.write_timeout);
        http::async_write(stream_, *response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
    }

    void on_write(error_code ec, std::size_t) {
        const bool keep = response_->keep_alive();
        response_.reset();
        started_ = {};
        if (ec) return close();
        if (drain_after_write_) return drain();
        if (!keep || shared_.stopping) return close();
        read_header();
    }

    // Reads and discards what the client still sends for a short while, so it sees our answer, not a reset. Over TLS
    // the records are discarded undecrypted, with no close_notify: the answer said Connection: close.
    void drain() {
        tls_established_ = false;
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        state_ = State::closing;
        drain_buffer_.resize(16 * 1024);
        stream_.expires_after(std::chrono::seconds{2});
        read_and_discard();
    }

    void read_and_discard() {
        stream_.tcp_layer().async_read_some(asio::buffer(drain_buffer_),
                                            [self = shared_from_this()](error_code ec, std::size_t) {
                                                if (!ec) self->read_and_discard();
                                            });
    }

    void close() {
        state_ = State::closing;
        if (tls_established_) return close_tls();
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    // Sends close_notify and waits a moment for the client's, so that it can tell an end from a cut connection.
    // After a broken stream or a timeout this fails at once; a client that neither answers nor closes is let go
    // after 2 s, or 250 ms when the server stops (stop() waits for every session).
    void close_tls() {
        tls_established_ = false;
        if (shared_.stopping)
            stream_.expires_after(std::chrono::milliseconds{250});
        else
            stream_.expires_after(std::chrono::seconds{2});
        stream_.tls().async_shutdown([self = shared_from_this()](error_code) {
            error_code ignored;
            self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
    }

    void log_request(int status, Clock::duration took) const {
        const double ms = std::chrono::duration<double, std::milli>(took).count();
        spdlog::debug("{} {} {} {} -> {} in {:.1f} ms", remote_, principal_.empty() ? "-" : principal_, method_,
                      target_, status, ms);
    }

    ConnectionStream stream_;
    beast::flat_buffer buffer_;
    asio::steady_timer wait_timer_;
    Shared& shared_;
    std::string address_;  // the client's address, as counted against max_connections_per_address
    std::string remote_;   // address:port, for the log

    State state_ = State::reading_header;
    bool tls_established_ = false;  // the handshake succeeded and no close_notify was sent yet
    bool first_request_ = true;
    bool keep_alive_ = false;
    bool drain_after_write_ = false;
    unsigned version_ = 11;
    std::size_t body_limit_ = 0;
    Clock::time_point started_{};
    Route route_ = Route::other;
    std::string method_, target_, principal_;

    std::optional<http::request_parser<http::empty_body>> header_parser_;
    std::optional<http::request_parser<http::string_body>> body_parser_;
    std::optional<http::response<http::empty_body>> interim_;
    std::optional<Response> response_;
    std::optional<LongPoll> wait_;
    std::vector<char> drain_buffer_;
};

void open_session(tcp::socket&& socket, Shared& shared, std::string address, unsigned short port) {
    std::make_shared<Session>(std::move(socket), shared, std::move(address), port)->start();
}

void stop_sessions(Shared& shared) {
    for (const auto& session : shared.sessions.snapshot())
        asio::post(session->executor(), [session] { session->on_server_stop(); });
}

void wake_waiters(Shared& shared, std::int64_t revision) {
    const auto waiters = shared.waiters.snapshot();
    spdlog::debug("revision {}: waking {} long-poll(s)", revision, waiters.size());
    for (const auto& session : waiters) asio::post(session->executor(), [session] { session->wake(); });
}

}  // namespace chiso::syncd
