#include "syncd/server.hpp"

#include "syncd/metrics.hpp"
#include "syncd/service.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#ifndef CHISO_VERSION
#define CHISO_VERSION "dev"
#endif

namespace chiso::syncd {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using error_code = beast::error_code;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

class Session;

// ---------------------------------------------------------------------------------------------------------------
// Shared state

// The sessions stop() must reach and the long-polls a change must wake; weak so the set never keeps one alive.
class SessionSet {
public:
    void add(const std::shared_ptr<Session>& session) {
        std::lock_guard lock(mutex_);
        items_.emplace(session.get(), session);
    }
    void remove(const Session* session) {
        std::lock_guard lock(mutex_);
        items_.erase(session);
        if (items_.empty()) emptied_.notify_all();
    }
    std::vector<std::shared_ptr<Session>> snapshot() const {
        std::lock_guard lock(mutex_);
        std::vector<std::shared_ptr<Session>> out;
        out.reserve(items_.size());
        for (const auto& [key, weak] : items_)
            if (auto session = weak.lock()) out.push_back(std::move(session));
        return out;
    }
    bool wait_until_empty(std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex_);
        return emptied_.wait_for(lock, limit, [this] { return items_.empty(); });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable emptied_;
    std::unordered_map<const Session*, std::weak_ptr<Session>> items_;
};

// How many of something each key holds against a cap: connections per client address, long-polls per token.
class CountsByKey {
public:
    bool try_add(const std::string& key, std::size_t cap) {
        std::lock_guard lock(mutex_);
        auto [it, added] = counts_.try_emplace(key, 0);
        if (it->second >= cap) return false;  // never the case for a key just added: a cap is at least 1
        ++it->second;
        return true;
    }
    void remove(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto found = counts_.find(key);
        if (found != counts_.end() && --found->second == 0) counts_.erase(found);
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> counts_;
};

// The [tls] files as a server context: TLS 1.2 (AEAD suites) or later; nullptr for plain HTTP. Throws
// std::runtime_error naming the file for one that cannot be read, holds no PEM certificate or key, or a key that
// does not belong to the certificate.
std::unique_ptr<asio::ssl::context> make_tls_context(const ServerOptions& options) {
    const auto& certificate = options.tls_certificate;
    const auto& key = options.tls_private_key;
    if (certificate.empty() && key.empty()) return nullptr;
    if (certificate.empty() || key.empty()) throw std::runtime_error("TLS needs both a certificate and a private key");
    for (const auto* file : {&certificate, &key})
        if (std::ifstream probe(*file); !probe)
            throw std::runtime_error("cannot read the TLS file " + file->string() + ": " + std::strerror(errno));
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    // TLS 1.2: forward-secret AEAD suites only, no CBC and no SHA-1 MAC. TLS 1.3's suites are all of that kind.
    if (SSL_CTX_set_cipher_list(context->native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20") != 1)
        throw std::runtime_error("OpenSSL offers none of the TLS 1.2 cipher suites chiso-syncd uses");
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression);
    // OpenSSL would ask for the pass phrase of an encrypted key on the terminal; a service cannot answer.
    context->set_password_callback([](std::size_t, asio::ssl::context::password_purpose) { return std::string(); });
    const auto mismatch = [&] {
        return std::runtime_error("the TLS private key " + key.string() + " does not belong to the certificate " +
                                  certificate.string());
    };
    error_code ec;
    if (context->use_certificate_chain_file(certificate.string(), ec); ec)
        throw std::runtime_error("the TLS certificate file " + certificate.string() +
                                 " holds no usable PEM certificate: " + ec.message());
    if (context->use_private_key_file(key.string(), asio::ssl::context::pem, ec); ec) {
        if (ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) throw mismatch();
        throw std::runtime_error("the TLS private key file " + key.string() +
                                 " holds no usable PEM private key (or it is encrypted): " + ec.message());
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) throw mismatch();
    return context;
}

struct Shared {
    Shared(Service& s, ServerOptions o) : service(s), options(std::move(o)), tls(make_tls_context(options)) {}

    Service& service;
    ServerOptions options;
    std::unique_ptr<asio::ssl::context> tls;  // [tls] set: every connection speaks TLS
    Metrics metrics;
    SessionSet sessions;  // every open connection
    SessionSet waiters;   // connections holding a long-poll
    mutable CountsByKey connections_by_address;
    mutable CountsByKey longpolls_by_token;
    mutable RateLimiter limiter{options.rate};
    std::atomic<bool> stopping{false};
    asio::thread_pool* import_thread = nullptr;  // imports run here, one at a time, never on the I/O threads
};

// ---------------------------------------------------------------------------------------------------------------
// Responses

Response make_response(http::status status, std::string body = {}, std::string_view content_type = {}) {
    Response res{status, 11};
    res.set(http::field::server, "chiso-syncd/" CHISO_VERSION);
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    return res;
}

Response json_response(http::status status, std::string body) {
    return make_response(status, std::move(body), "application/json");
}

Response error_response(int status, std::string_view reason) {
    if (status < 400 || status > 599) status = 500;
    auto res = json_response(http::int_to_status(static_cast<unsigned>(status)),
                             boost::json::serialize(boost::json::object{{"error", reason}}));
    if (status == 401) res.set(http::field::www_authenticate, "Bearer realm=\"chiso\"");
    return res;
}

Response not_modified(const std::string& etag) {
    auto res = make_response(http::status::not_modified);
    res.set(http::field::etag, etag);
    res.set(http::field::cache_control, "no-cache");
    return res;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing the request line and headers

struct Target {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;

    std::optional<std::string> get(std::string_view name) const {
        for (const auto& [key, value] : query)
            if (key == name) return value;
        return std::nullopt;
    }
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// application/x-www-form-urlencoded decoding; a malformed escape is kept as written.
std::string percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%' && i + 2 < in.size() && hex_digit(in[i + 1]) >= 0 && hex_digit(in[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(in[i + 1]) * 16 + hex_digit(in[i + 2]));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

Target parse_target(std::string_view target) {
    Target out;
    const auto question = target.find('?');
    out.path = percent_decode(target.substr(0, question));
    if (question == std::string_view::npos) return out;
    std::string_view rest = target.substr(question + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        out.query.emplace_back(percent_decode(pair.substr(0, eq)),
                               eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1)));
    }
    return out;
}

std::optional<std::int64_t> integer_param(const Target& target, std::string_view name) {
    const auto text = target.get(name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size())
        throw ServiceError(400, std::string(name) + " must be a whole number");
    return value;
}

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// If-None-Match is a list of entity tags, maybe weak (W/"x"), or "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    while (!if_none_match.empty()) {
        const auto comma = if_none_match.find(',');
        std::string_view candidate = trim(if_none_match.substr(0, comma));
        if_none_match = comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
        if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
        if (candidate == "*" || candidate == etag) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

struct RouteSpec {
    std::string_view path;
    http::verb method;
    Route route;
};

constexpr std::array<RouteSpec, 7> route_table{{
    {"/api/v1/health", http::verb::get, Route::health},
    {"/metrics", http::verb::get, Route::metrics},
    {"/api/v1/scope", http::verb::get, Route::scope},
    {"/api/v1/import", http::verb::post, Route::import},
    {"/api/v1/heartbeat", http::verb::post, Route::heartbeat},
    {"/api/v1/devices", http::verb::get, Route::devices},
    {"/fleet", http::verb::get, Route::fleet},
}};

const RouteSpec* find_route(std::string_view path) {
    for (const auto& spec : route_table)
        if (spec.path == path) return &spec;
    return nullptr;
}

// A scope request that waits for a change; the session holds it until the etag moves or the deadline passes.
struct LongPoll {
    Principal who;
    std::string token;  // checked again before a change is answered: it may be revoked while it waits
    ScopeQuery query;
    std::string if_none_match;
    Clock::time_point deadline;
};

struct Outcome {
    Route route = Route::other;
    std::string principal;  // for the log line; never the token
    Response response;
    std::optional<LongPoll> wait;
};

// The token of an Authorization: Bearer header; throws ServiceError 401 for none or a malformed one.
std::string_view bearer_token(const http::fields& fields) {
    const std::string_view header = fields[http::field::authorization];
    const auto space = header.find(' ');
    const std::string_view token = space == std::string_view::npos ? std::string_view{} : trim(header.substr(space));
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "Bearer") || token.empty() ||
        token.find(' ') != std::string_view::npos)
        throw ServiceError(401, "missing or malformed Authorization: Bearer header");
    return token;
}

// Whose token the request bears; throws ServiceError 401 for none or one unknown or revoked.
Principal bearer(const Shared& shared, const http::fields& fields) {
    auto who = shared.service.authenticate(bearer_token(fields));
    if (!who) throw ServiceError(401, "unknown or revoked token");
    return std::move(*who);
}

Principal require_principal(const Shared& shared, const Request& req, Outcome& out) {
    std::optional<Principal> who = bearer(shared, req);
    out.principal = who->name;
    bool first_refusal = false;
    if (!shared.limiter.allow(who->name, Clock::now(), &first_refusal)) {
        if (first_refusal)
            spdlog::warn("token '{}' sends more than {} requests/s (burst {}); answering 429 while it does", who->name,
                         shared.options.rate.per_second, shared.options.rate.burst);
        throw ServiceError(429, "too many requests for this token; slow down");
    }
    return std::move(*who);
}

Principal require_admin(const Shared& shared, const Request& req, Outcome& out) {
    auto who = require_principal(shared, req, out);
    if (!who.admin) throw ServiceError(403, "this route needs an admin token");
    return who;
}

// The page holds no data, only the code that asks for it with the admin token the user types, so anyone may load
// it. The policy lets it reach nothing but this server: no fonts, scripts or images from elsewhere, no framing.
Response fleet_page_response() {
    auto res = make_response(http::status::ok, std::string(fleet_page_html()), "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-cache");
    res.set("Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    return res;
}

Response scope_response(const Shared& shared, const Principal& who, const ScopeQuery& query) {
    ScopeReply reply = shared.service.scope(who, query);
    auto res = json_response(http::status::ok, std::move(reply.body));
    res.set(http::field::etag, reply.etag);
    res.set(http::field::cache_control, "no-cache");
    return res;
}

ScopeQuery scope_query(const Target& target) {
    ScopeQuery query;
    query.org = target.get("org");
    if (const auto depth = integer_param(target, "depth")) {
        if (*depth < 0 || *depth > 100) throw ServiceError(400, "depth must be between 0 and 100");
        query.depth = static_cast<int>(*depth);
    }
    query.since = integer_param(target, "since");
    query.at = target.get("at");
    return query;
}

void serve_scope(const Shared& shared, const Request& req, const Target& target, Outcome& out) {
    Principal who = require_principal(shared, req, out);
    const ScopeQuery query = scope_query(target);
    const auto wait = integer_param(target, "wait").value_or(0);
    if (wait < 0) throw ServiceError(400, "wait must not be negative");
    const std::string if_none_match{req[http::field::if_none_match]};
    // A token holds a few long-polls at most (a kiosk holds one); past that it is answered at once, not held.
    if (!if_none_match.empty() && wait > 0 &&
        shared.longpolls_by_token.try_add(who.name, shared.options.max_longpolls_per_token)) {
        // The session checks the etag itself after registering as a waiter, so no change slips between.
        const auto seconds = std::min(std::chrono::seconds{wait}, shared.options.max_wait);
        out.wait = LongPoll{std::move(who), std::string(bearer_token(req)), query, if_none_match, Clock::now() + seconds};
        return;
    }
    if (!if_none_match.empty()) {
        const std::string etag = shared.service.scope_etag(who, query);
        if (etag_matches(if_none_match, etag)) {
            out.response = not_modified(etag);
            return;
        }
    }
    out.response = scope_response(shared, who, query);
}

void serve_import(Shared& shared, Request& req, const Target& target, Outcome& out) {
    require_admin(shared, req, out);
    static constexpr std::array<std::string_view, 4> kinds{"values", "targets", "organisations", "catalogue"};
    static constexpr std::array<std::string_view, 3> formats{"long", "wide", "json"};
    ImportRequest request;
    request.kind = target.get("kind").value_or("");
    request.format = target.get("format").value_or("");
    request.file_name = target.get("name").value_or("upload");
    if (std::find(kinds.begin(), kinds.end(), request.kind) == kinds.end())
        throw ServiceError(400, "kind must be values, targets, organisations or catalogue");
    if (!request.format.empty() && std::find(formats.begin(), formats.end(), request.format) == formats.end())
        throw ServiceError(400, "format must be long, wide or json");
    request.body = std::move(req.body());  // up to the import limit: move, never copy
    ImportReply reply = shared.service.import(request);
    shared.metrics.count_import(reply.applied);
    out.response =
        json_response(reply.applied ? http::status::ok : http::status::unprocessable_entity, std::move(reply.body));
}

void route_request(Shared& shared, Request& req, const Target& target, Outcome& out) {
    switch (out.route) {
        case Route::health:
            out.response = json_response(http::status::ok, shared.service.health_json());
            break;
        case Route::metrics:
            out.response = make_response(http::status::ok, shared.metrics.render(shared.service.revision(), shared.service.reply_cache_stats()),
                                         "text/plain; version=0.0.4; charset=utf-8");
            break;
        case Route::scope:
            serve_scope(shared, req, target, out);
            break;
        case Route::import:
            serve_import(shared, req, target, out);
            break;
        case Route::heartbeat:
            shared.service.heartbeat(require_principal(shared, req, out), req.body());
            out.response = make_response(http::status::no_content);
            break;
        case Route::devices:
            require_admin(shared, req, out);
            out.response = json_response(http::status::ok, shared.service.devices_json(shared.options.fleet));
            break;
        case Route::fleet:
            out.response = fleet_page_response();
            break;
        case Route::other:
            break;
    }
}

// Runs fn; a ServiceError becomes its status, anything else a logged 500. Nothing escapes to the I/O path.
template <class Fn>
auto guarded(std::string_view what, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const ServiceError& e) {
        return error_response(e.status, e.what());
    } catch (const std::exception& e) {
        spdlog::warn("{}: {}", what, e.what());
    } catch (...) {
        spdlog::warn("{}: unknown exception", what);
    }
    return error_response(500, "internal error");
}

// Maps one complete request onto Service: a response, or a long-poll for the session to hold.
Outcome handle_request(Shared& shared, Request& req) {
    Outcome out;
    const Target target = parse_target(req.target());
    const RouteSpec* spec = find_route(target.path);
    if (!spec) {
        out.response = error_response(404, "no such route");
        return out;
    }
    out.route = spec->route;
    if (req.method() != spec->method) {
        out.response = error_response(405, "method not allowed");
        out.response.set(http::field::allow, http::to_string(spec->method));
        return out;
    }
    const std::string what = std::string(req.method_string()) + " " + target.path;
    out.response = guarded(what, [&] {
        route_request(shared, req, target, out);
        return std::move(out.response);
    });
    if (out.response.result() == http::status::too_many_requests)
        out.response.set(http::field::retry_after, std::to_string(shared.limiter.retry_after(out.principal, Clock::now())));
    return out;
}

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

// OpenSSL's reason for a failed handshake, e.g. "http request" for plain HTTP sent to the HTTPS port.
bool is_tls_reason(const error_code& ec, int reason) {
    return ec.category() == asio::error::get_ssl_category() &&
           ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == reason;
}

// ---------------------------------------------------------------------------------------------------------------
// One connection: (over TLS, a handshake first) read a request, answer it (maybe after a long-poll), repeat while
// keep-alive.

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
        const RouteSpec* spec = find_route(parse_target(target_).path);
        route_ = spec ? spec->route : Route::other;
        body_limit_ = route_ == Route::import ? shared_.options.import_body_limit : shared_.options.body_limit;
        if (const auto length = header_parser_->content_length(); length && *length > body_limit_)
            return reject_unread(413, "request body larger than " + std::to_string(body_limit_) + " bytes");
        // An import's body may be tens of megabytes: its token is checked before a byte of it is read.
        if (route_ == Route::import && header.method() == http::verb::post) {
            try {
                if (!bearer(shared_, header).admin) throw ServiceError(403, "this route needs an admin token");
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
        answer(handle_request(shared_, req));
    }

    // An import takes seconds: it runs on the import thread, and this session answers when it is done, so the
    // server's threads go on serving every other request meanwhile.
    void handle_on_import_thread(Request req) {
        auto request = std::make_shared<Request>(std::move(req));
        asio::post(*shared_.import_thread, [self = shared_from_this(), request] {
            auto outcome = std::make_shared<Outcome>(handle_request(self->shared_, *request));
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
            if (shared_.stopping || Clock::now() >= wait_->deadline) return not_modified(etag);
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

tcp::endpoint parse_endpoint(const ServerOptions& options) {
    error_code ec;
    const auto address = asio::ip::make_address(options.address, ec);
    if (ec) throw std::runtime_error("listen address '" + options.address + "' is not a numeric IPv4 or IPv6 address");
    return {address, options.port};
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address().to_string();
    const auto host = endpoint.address().is_v6() ? "[" + address + "]" : address;
    return host + ":" + std::to_string(endpoint.port());
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Server

struct Server::Impl {
    // Lets the Service's on_change listener, which lives as long as the Service, reach the Server only while it
    // exists.
    struct ChangeRelay {
        std::mutex mutex;
        Impl* target = nullptr;
    };

    Impl(Service& service, ServerOptions options)
        : shared(service, std::move(options)),
          contexts(make_contexts(shared.options.threads)),
          acceptor(*contexts.front()),
          retry_timer(acceptor.get_executor()) {
        shared.import_thread = &import_thread;
        for (auto& context : contexts) keep_running.push_back(asio::make_work_guard(*context));
        listen(parse_endpoint(shared.options));
    }

    // One io_context per thread, each with its own connections, as nginx has one event loop per worker: a
    // connection's handlers all run on its thread, so no strand, lock or wake-up crosses between threads on the
    // request path. The acceptor hands new connections out in turn.
    static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int threads) {
        if (threads < 1) throw std::runtime_error("server threads must be at least 1");
        std::vector<std::unique_ptr<asio::io_context>> out;
        for (int i = 0; i < threads; ++i) out.push_back(std::make_unique<asio::io_context>(1));
        return out;
    }

    asio::io_context& next_context() {
        next_connection_context = (next_connection_context + 1) % contexts.size();
        return *contexts[next_connection_context];
    }

    void listen(const tcp::endpoint& endpoint) {
        error_code ec;
        const auto fail = [&](const char* step) {
            throw std::runtime_error("cannot listen on " + endpoint_text(endpoint) + ": " + step + ": " + ec.message());
        };
        if (acceptor.open(endpoint.protocol(), ec); ec) fail("open");
        if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) fail("set_option");
        if (acceptor.bind(endpoint, ec); ec) fail("bind");
        if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) fail("listen");
        bound = acceptor.local_endpoint(ec);
    }

    void accept() {
        acceptor.async_accept(next_context(), [this](error_code ec, tcp::socket socket) {
            if (shared.stopping || ec == asio::error::operation_aborted) return;
            if (ec) {
                // Usually out of file descriptors: wait a little instead of spinning on the error.
                spdlog::warn("accept failed: {}", ec.message());
                retry_timer.expires_after(std::chrono::milliseconds{100});
                retry_timer.async_wait([this](error_code timer_ec) {
                    if (!timer_ec) accept();
                });
                return;
            }
            error_code remote_ec;
            const auto remote = socket.remote_endpoint(remote_ec);
            std::string address = remote_ec ? std::string("?") : remote.address().to_string();
            if (shared.metrics.connections_open() >= static_cast<std::int64_t>(shared.options.max_connections))
                refuse(std::move(socket), "[server] max_connections");
            else if (!shared.connections_by_address.try_add(address, shared.options.max_connections_per_address))
                refuse(std::move(socket), "[server] max_connections_per_address from " + address);
            else
                std::make_shared<Session>(std::move(socket), shared, std::move(address), remote.port())->start();
            accept();
        });
    }

    // Over [server] max_connections, or max_connections_per_address from one client: closed before a byte is
    // read, so that no number of clients can take more than a bounded amount of memory, and no one client every
    // slot. Logged once a minute at most.
    void refuse(tcp::socket socket, const std::string& limit) {
        shared.metrics.connection_refused();
        error_code ignored;
        socket.close(ignored);
        if (const auto now = Clock::now(); now - last_refusal_logged >= std::chrono::minutes{1}) {
            last_refusal_logged = now;
            spdlog::warn("{} connections open, as many as {} allows; closing new ones",
                         shared.metrics.connections_open(), limit);
        }
    }

    void wake_waiters(std::int64_t revision) {
        const auto waiters = shared.waiters.snapshot();
        spdlog::debug("revision {}: waking {} long-poll(s)", revision, waiters.size());
        for (const auto& session : waiters) asio::post(session->executor(), [session] { session->wake(); });
    }

    void run_thread(asio::io_context& context) {
        for (;;) {
            try {
                context.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("unexpected exception in the server loop: {}", e.what());
            }
        }
    }

    void stop() {
        std::lock_guard lock(stop_mutex);  // a second caller waits for the first to finish
        if (shared.stopping.exchange(true)) return join();
        asio::post(acceptor.get_executor(), [this] {
            error_code ec;
            acceptor.close(ec);
            retry_timer.cancel();
        });
        for (const auto& session : shared.sessions.snapshot())
            asio::post(session->executor(), [session] { session->on_server_stop(); });
        if (!threads.empty() && !shared.sessions.wait_until_empty(shared.options.stop_grace))
            spdlog::warn("stopping with {} connection(s) still open", shared.metrics.connections_open());
        keep_running.clear();
        for (auto& context : contexts) context->stop();
        join();
    }

    void join() {
        for (auto& thread : threads)
            if (thread.joinable()) thread.join();
    }

    // Declaration order is destruction order reversed: the io_contexts (and the sessions their queued handlers
    // still own) go before the shared state those sessions unregister from.
    Shared shared;
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;  // until stop()
    std::size_t next_connection_context = 0;  // on the acceptor's thread only
    // After the io_contexts, so destroyed before them: an import still running finishes and posts its answer to a
    // session of a live (stopped) io_context.
    asio::thread_pool import_thread{1};
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;
    tcp::endpoint bound;
    Clock::time_point last_refusal_logged{};  // on the acceptor's thread only
    std::vector<std::thread> threads;
    std::mutex stop_mutex;
    std::shared_ptr<ChangeRelay> relay = std::make_shared<ChangeRelay>();
};

Server::Server(Service& service, ServerOptions options) : impl_(std::make_unique<Impl>(service, std::move(options))) {
    impl_->relay->target = impl_.get();
    service.on_change([relay = impl_->relay](std::int64_t revision) {
        std::lock_guard lock(relay->mutex);
        if (relay->target) relay->target->wake_waiters(revision);
    });
}

Server::~Server() {
    {
        std::lock_guard lock(impl_->relay->mutex);
        impl_->relay->target = nullptr;
    }
    stop();
}

void Server::start() {
    if (!impl_->threads.empty() || impl_->shared.stopping) return;
    asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] { impl->accept(); });
    impl_->threads.reserve(impl_->contexts.size());
    for (auto& context : impl_->contexts)
        impl_->threads.emplace_back([impl = impl_.get(), &context = *context] { impl->run_thread(context); });
}

void Server::stop() {
    impl_->stop();
}

std::uint16_t Server::port() const {
    return impl_->bound.port();
}

std::string Server::endpoint() const {
    return endpoint_text(impl_->bound);
}

}  // namespace chiso::syncd
