#include "syncclient/client.hpp"

#include "syncclient/answer.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

namespace chiso::syncclient {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const char* connection_name(Connection connection) {
    switch (connection) {
        case Connection::connecting:
            return "connecting";
        case Connection::online:
            return "online";
        case Connection::offline:
            return "offline";
        case Connection::unauthorized:
            return "unauthorized";
    }
    return "unknown";
}

namespace {

constexpr std::uint64_t kBodyLimit = kAnswerLimit;  // answer.hpp says why

auto on_error(error_code& ec) {
    return asio::redirect_error(asio::use_awaitable, ec);
}

struct Url {
    bool tls = false;  // https://
    std::string host;
    std::string port = "80";  // 443 for https
    std::string authority;    // for the Host header
    std::string prefix;       // a path the server is mounted under, without a trailing '/'
};

Url parse_url(const std::string& server) {
    Url url;
    url.tls = server.starts_with("https://");
    const std::string_view scheme = url.tls ? "https://" : "http://";
    if (!server.starts_with(scheme))
        throw std::invalid_argument("the server must be an http:// or https:// URL: " + server);
    if (url.tls) url.port = "443";
    std::string_view rest = std::string_view(server).substr(scheme.size());
    const auto slash = rest.find('/');
    url.authority = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) url.prefix = std::string(rest.substr(slash));
    while (!url.prefix.empty() && url.prefix.back() == '/') url.prefix.pop_back();
    std::string_view authority = url.authority;
    std::string_view port_part;
    if (authority.starts_with('[')) {  // [IPv6]:port
        const auto close = authority.find(']');
        if (close == std::string_view::npos) throw std::invalid_argument("bad server address: " + server);
        url.host = std::string(authority.substr(1, close - 1));
        port_part = authority.substr(close + 1);
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_part = authority.substr(colon);
    }
    if (!port_part.empty()) {
        if (port_part[0] != ':' || port_part.size() < 2 ||
            !std::all_of(port_part.begin() + 1, port_part.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw std::invalid_argument("bad server port: " + server);
        url.port = std::string(port_part.substr(1));
    }
    if (url.host.empty()) throw std::invalid_argument("no host in the server URL: " + server);
    return url;
}

std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string describe(const error_code& ec) {
    if (ec == beast::error::timeout) return "no answer in time";
    if (ec == http::error::body_limit) return std::string("the answer is larger than ") + kAnswerLimitText;
    if (ec == http::error::partial_message) return "the answer broke off before its end";
    return ec.message();
}

struct Reply {
    unsigned status = 0;
    std::string body;
    std::string etag;
};

// Whether a host is written as an IP address, which is sent no SNI.
bool is_ip_address(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

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
        error_code ec = co_await attempt(request, reply, step_timeout, read_timeout);
        if (ec && reused && !stopped_ && ec != beast::error::timeout)
            ec = co_await attempt(request, reply, step_timeout, read_timeout);
        co_return ec;
    }

    // What an exchange's error means, for the log line: why TLS refused the server when it did.
    std::string failure(const error_code& ec) const { return tls_failure_.empty() ? describe(ec) : tls_failure_; }

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
        reply = {response.result_int(), std::move(response.body()), std::string(response[http::field::etag])};
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
};

}  // namespace

struct SyncClient::Impl {
    Impl(Cache& cache_, ClientOptions options_, ClientEvents events_)
        : cache(cache_),
          options(std::move(options_)),
          events(std::move(events_)),
          url(parse_url(options.server)),
          sync_connection(ioc, url, options.ca_file),
          heartbeat_connection(ioc, url, options.ca_file),
          backoff(options.backoff_first) {}

    Cache& cache;
    const ClientOptions options;
    const ClientEvents events;
    const Url url;
    asio::io_context ioc{1};
    HttpConnection sync_connection;
    HttpConnection heartbeat_connection;
    asio::steady_timer pause_timer{ioc};
    asio::steady_timer heartbeat_timer{ioc};
    std::thread thread;

    // Everything below is touched on the client's thread only.
    bool stopping = false;
    bool sync_requested = false;
    bool first_attempt_done = false;
    Connection connection = Connection::connecting;
    std::shared_ptr<const wire::ScopeDocument> document;  // shared with whoever `updated` hands it to
    SyncState state;
    bool want_snapshot = true;  // ask without since= and If-None-Match
    int early_answers = 0;      // long-polls answered 304 well before their wait, in a row
    milliseconds backoff;
    std::minstd_rand random{std::random_device{}()};

    // --- the sync loop -------------------------------------------------------------------------------------

    asio::awaitable<void> sync_loop() {
        load_cache();
        report(Connection::connecting, "trying " + options.server);
        while (!stopping) {
            milliseconds delay{0};
            try {
                delay = co_await sync_once();
            } catch (const std::exception& e) {  // the cache failed, say: try again later rather than stop syncing
                delay = retry_later(connection, std::string("sync failed: ") + e.what());
            }
            kick_first_heartbeat();
            co_await pause(delay);
        }
    }

    void load_cache() {
        if (auto cached = cache.document()) document = std::make_shared<const wire::ScopeDocument>(std::move(*cached));
        state = cache.state();
        // A document of another server or scope cannot be brought up to date with deltas.
        want_snapshot = !document || state.server != options.server || document->depth() != options.depth ||
                        (!options.org.empty() && document->org() != options.org);
    }

    bool revalidating() const { return document && !want_snapshot; }
    // Not before the server has answered once: a held long-poll would keep "online" unsaid for its whole wait.
    bool long_polling() const {
        return revalidating() && connection == Connection::online && !state.etag.empty() &&
               options.long_poll.count() > 0;
    }

    // One request for the scope; returns how long to wait before the next.
    asio::awaitable<milliseconds> sync_once() {
        const bool revalidate = revalidating();
        const bool long_poll = long_polling();
        const auto read_timeout = options.request_timeout + (long_poll ? options.long_poll : std::chrono::seconds{0});
        const auto request = scope_request();
        Reply reply;
        const auto sent = Clock::now();
        error_code ec = co_await sync_connection.exchange(request, reply, options.request_timeout, read_timeout);
        if (stopping) co_return milliseconds{0};
        if (ec) co_return retry_later(Connection::offline, options.server + ": " + sync_connection.failure(ec));
        Answer answer = read_answer(reply.status, reply.body, reply.etag, held_from_server(), revalidate);
        switch (answer.verdict) {
            case Verdict::updated:
                co_return on_document(std::move(answer));
            case Verdict::not_modified:
                co_return on_not_modified(long_poll, Clock::now() - sent);
            case Verdict::snapshot:
                want_snapshot = true;
                report(connection, answer.line);
                co_return milliseconds{0};
            case Verdict::unauthorized:
                co_return retry_later(Connection::unauthorized, answer.line);
            case Verdict::retry:
                break;
        }
        co_return retry_later(Connection::offline, answer.line);
    }

    // The held document, when an answer of this server may replace it (and must not take it back).
    const wire::ScopeDocument* held_from_server() const {
        return document && state.server == options.server ? &*document : nullptr;
    }

    http::request<http::string_body> scope_request() const {
        std::string target = url.prefix + "/api/v1/scope?depth=" + std::to_string(options.depth);
        if (!options.org.empty()) target += "&org=" + percent_encode(options.org);
        if (revalidating()) target += "&since=" + std::to_string(document->revision());
        if (long_polling()) target += "&wait=" + std::to_string(options.long_poll.count());
        http::request<http::string_body> request = base_request(http::verb::get, target);
        if (revalidating() && !state.etag.empty()) request.set(http::field::if_none_match, state.etag);
        return request;
    }

    http::request<http::string_body> base_request(http::verb verb, const std::string& target) const {
        http::request<http::string_body> request{verb, target, 11};
        request.set(http::field::host, url.authority);
        request.set(http::field::user_agent, "chiso-kiosk/" + options.version);
        request.set(http::field::authorization, "Bearer " + options.token);
        request.keep_alive(true);
        return request;
    }

    milliseconds on_document(Answer answer) {
        commit(std::move(*answer.document), answer.etag);
        report(Connection::online, answer.line);
        if (events.updated) events.updated(document);
        // At once, as the next request long-polls; a server sending no ETag cannot hold one, so wait then.
        return answer.etag.empty() || options.long_poll.count() == 0 ? milliseconds(options.interval) : milliseconds{0};
    }

    // The cache first: `updated` only ever announces what a power cut would not take back.
    void commit(wire::ScopeDocument next, const std::string& etag) {
        SyncState next_state{options.server, etag, unix_now()};
        cache.store(next, next_state);
        document = std::make_shared<const wire::ScopeDocument>(std::move(next));
        state = std::move(next_state);
        want_snapshot = false;
        backoff = options.backoff_first;
    }

    milliseconds on_not_modified(bool long_poll, Clock::duration waited) {
        state.synced_at = unix_now();
        cache.touch(state.synced_at);
        if (events.revalidated) events.revalidated(state.synced_at);
        backoff = options.backoff_first;
        if (connection != Connection::online) report(Connection::online, "revalidated (304)");
        if (options.long_poll.count() == 0) return options.interval;
        if (!long_poll) return milliseconds{0};  // the first answer after a failure: now hold a long-poll
        // A long-poll answered early once is a server stopping (it answers 304 as it goes): ask again at once.
        // Twice running, the server does not hold long-polls: poll at the interval.
        early_answers = waited >= milliseconds(options.long_poll) / 2 ? 0 : early_answers + 1;
        return early_answers < 2 ? milliseconds{0} : milliseconds(options.interval);
    }

    // Reports the failure and says how long to wait: the cap when refused, else the exponential backoff.
    milliseconds retry_later(Connection now, const std::string& detail) {
        milliseconds base = now == Connection::unauthorized ? milliseconds(options.backoff_cap) : backoff;
        if (now != Connection::unauthorized) backoff = std::min(backoff * 2, milliseconds(options.backoff_cap));
        // ±20 % so that a fleet cut off together does not come back in step.
        const auto delay = milliseconds(static_cast<std::int64_t>(
            static_cast<double>(base.count()) * std::uniform_real_distribution<double>(0.8, 1.2)(random)));
        report(now, detail + "; next try in " + std::to_string(delay.count()) + " ms");
        return delay;
    }

    void report(Connection now, const std::string& detail) {
        connection = now;
        if (events.connection) events.connection(now, detail);
    }

    asio::awaitable<void> pause(milliseconds delay) {
        if (delay.count() > 0 && !sync_requested && !stopping) {
            pause_timer.expires_after(delay);
            error_code ec;  // cancelled by sync_now() or stop()
            co_await pause_timer.async_wait(on_error(ec));
        }
        sync_requested = false;
    }

    // --- heartbeats ----------------------------------------------------------------------------------------

    // The first heartbeat follows the first sync attempt, so that it carries what that attempt learnt.
    void kick_first_heartbeat() {
        if (std::exchange(first_attempt_done, true)) return;
        heartbeat_timer.cancel();
    }

    asio::awaitable<void> heartbeat_loop() {
        while (!stopping) {
            heartbeat_timer.expires_after(first_attempt_done ? options.heartbeat_interval : options.request_timeout);
            error_code ec;
            co_await heartbeat_timer.async_wait(on_error(ec));
            if (stopping) break;
            try {
                co_await send_heartbeat();
            } catch (const std::exception& e) {
                report(connection, std::string("heartbeat failed: ") + e.what());
            }
        }
    }

    asio::awaitable<void> send_heartbeat() {
        const HeartbeatInfo info = events.heartbeat ? events.heartbeat() : HeartbeatInfo{};
        json::object body{{"version", options.version},
                          {"revision", document ? document->revision() : 0},
                          {"data_age_s", state.synced_at > 0 ? unix_now() - state.synced_at : -1},
                          {"page", info.page},
                          {"screen_on", info.screen_on}};
        auto request = base_request(http::verb::post, url.prefix + "/api/v1/heartbeat");
        request.keep_alive(false);  // one a minute: not worth holding a connection the server would close anyway
        request.set(http::field::content_type, "application/json");
        request.body() = json::serialize(body);
        request.prepare_payload();
        Reply reply;
        error_code ec =
            co_await heartbeat_connection.exchange(request, reply, options.request_timeout, options.request_timeout);
        if (stopping) co_return;
        if (ec)
            report(connection, "heartbeat failed: " + heartbeat_connection.failure(ec));
        else if (reply.status != 204 && reply.status != 200)
            report(connection,
                   "heartbeat refused: HTTP " + std::to_string(reply.status) + ": " + error_text(reply.body));
    }

    // --- lifetime ------------------------------------------------------------------------------------------

    void run() {
        auto ended = [this](const char* what) {
            return [this, what](std::exception_ptr failure) {
                if (!failure || !events.connection) return;
                try {
                    std::rethrow_exception(failure);
                } catch (const std::exception& e) {
                    events.connection(connection, std::string(what) + " ended: " + e.what());
                }
            };
        };
        asio::co_spawn(ioc, sync_loop(), ended("the sync loop"));
        asio::co_spawn(ioc, heartbeat_loop(), ended("the heartbeat loop"));
        ioc.run();
    }

    void stop() {
        asio::post(ioc, [this] {
            stopping = true;
            pause_timer.cancel();
            heartbeat_timer.cancel();
            sync_connection.stop();
            heartbeat_connection.stop();
        });
    }
};

SyncClient::SyncClient(Cache& cache, ClientOptions options, ClientEvents events)
    : impl_(std::make_unique<Impl>(cache, std::move(options), std::move(events))) {}

SyncClient::~SyncClient() {
    stop();
}

void SyncClient::start() {
    if (impl_->thread.joinable() || impl_->ioc.stopped()) return;
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void SyncClient::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->stop();
    impl_->thread.join();
}

void SyncClient::sync_now() {
    asio::post(impl_->ioc, [impl = impl_.get()] {
        impl->sync_requested = true;
        impl->pause_timer.cancel();
    });
}

}  // namespace chiso::syncclient
