// chiso-syncd over TLS with certificates made in the test: the real binary with [tls] on loopback and the
// kiosk's sync client over https. A client trusting the test CA syncs and long-polls; one trusting another CA,
// one asking for another host name and one shown an expired certificate are refused with the reason and commit
// nothing, keeping the document they had; plain HTTP to the HTTPS port gets a 400 saying so and the server stays
// up; bad [tls] files stop start-up with an error naming the file; a TLS server with connections in every state
// stops promptly.
#include "support/syncd_process.hpp"
#include "support/test_certs.hpp"
#include "support/time_scale.hpp"

#include "syncclient/client.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

namespace chiso::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http_ns = beast::http;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using syncclient::Cache;
using syncclient::Connection;
using syncclient::SyncClient;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// One blocking HTTPS request to 127.0.0.1:port, verifying the server against ca_file and `host` as a kiosk does.
HttpResponse https(int port, const std::string& host, const fs::path& ca_file, const HttpRequest& request) {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.load_verify_file(ca_file.string());
    context.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    stream.set_verify_callback(asio::ssl::host_name_verification(host));
    beast::get_lowest_layer(stream).expires_after(request.timeout);
    beast::get_lowest_layer(stream).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    stream.handshake(asio::ssl::stream_base::client);
    http_ns::request<http_ns::string_body> message{http_ns::string_to_verb(request.method), request.target, 11};
    message.set(http_ns::field::host, host);
    for (const auto& [name, value] : request.headers) message.set(name, value);
    message.body() = request.body;
    message.prepare_payload();
    http_ns::write(stream, message);
    beast::flat_buffer buffer;
    http_ns::response<http_ns::string_body> reply;
    http_ns::read(stream, buffer, reply);
    return {static_cast<int>(reply.result_int()), reply.body(), {}};
}

// Whether a TLS 1.2 handshake offering only `cipher` (OpenSSL's name) succeeds; the certificate is not checked.
bool tls12_handshake_offering(int port, const char* cipher) {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    SSL_CTX_set_max_proto_version(context.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_security_level(context.native_handle(), 0);  // this client may offer what the server must refuse
    EXPECT_EQ(SSL_CTX_set_cipher_list(context.native_handle(), cipher), 1) << cipher;
    context.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    beast::get_lowest_layer(stream).expires_after(scaled(10s));
    beast::get_lowest_layer(stream).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    beast::error_code ec;
    stream.handshake(asio::ssl::stream_base::client, ec);
    return !ec;
}

// The client's events, for the test to wait on (they come on the client's thread).
class Recorder {
public:
    syncclient::ClientEvents events() {
        return {[this](std::shared_ptr<const wire::ScopeDocument> document) {
                    std::lock_guard lock(mutex_);
                    revisions_.push_back(document->revision());
                    changed_.notify_all();
                },
                [this](Connection connection, const std::string& detail) {
                    std::lock_guard lock(mutex_);
                    state_ = connection;
                    details_.push_back(detail);
                    changed_.notify_all();
                },
                {},
                [] {
                    return syncclient::HeartbeatInfo{"overview", true, std::nullopt, {}, {}};
                },
                {},
                {},
                {},
                {},
                {}};
    }
    // Every limit a test gives is stretched for slow builds (time_scale.hpp).
    template <class Condition>
    bool wait_until(Condition condition, Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, scaled(timeout), [&] { return condition(); });
    }
    bool wait_for_updates(std::size_t count, Clock::duration timeout) {
        return wait_until([&] { return revisions_.size() >= count; }, timeout);
    }
    // Waits for a failure report holding `text`; returns that line.
    std::optional<std::string> wait_for_detail(const std::string& text, Clock::duration timeout) {
        std::optional<std::string> found;
        wait_until(
            [&] {
                for (const auto& detail : details_)
                    if (detail.find(text) != std::string::npos) found = detail;
                return found.has_value();
            },
            timeout);
        return found;
    }
    // Waits until `count` reports hold `text` (a first failure and its retries, say).
    bool wait_for_details(const std::string& text, std::size_t count, Clock::duration timeout) {
        return wait_until(
            [&] {
                return static_cast<std::size_t>(std::count_if(details_.begin(), details_.end(), [&](const auto& d) {
                           return d.find(text) != std::string::npos;
                       })) >= count;
            },
            timeout);
    }
    std::vector<std::int64_t> revisions() {
        std::lock_guard lock(mutex_);
        return revisions_;
    }
    Connection state() {
        std::lock_guard lock(mutex_);
        return state_;
    }
    std::string log() {
        std::lock_guard lock(mutex_);
        std::string text;
        for (const auto& detail : details_) text += detail + "\n";
        return text;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::int64_t> revisions_;
    std::vector<std::string> details_;
    Connection state_ = Connection::connecting;
};

// chiso-syncd serve with a configuration file. SyncdProcess waits for a plain HTTP health check; this one waits for
// the log line that says it listens, so that it also starts a server no client trusts.
class TlsSyncd {
public:
    TlsSyncd(fs::path folder, fs::path database, fs::path ca_file)
        : folder_(std::move(folder)), database_(std::move(database)), ca_file_(std::move(ca_file)) {}
    ~TlsSyncd() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    // Writes the configuration ([tls] as given, relative to the folder) and runs serve; returns its exit status
    // if it ends without listening, nullopt once its log says it listens (within 10 s, scaled).
    std::optional<int> start(const std::string& tls_section) {
        port_ = free_loopback_port();
        const fs::path config = folder_ / "chiso-syncd.toml";
        write_text_file(config, "[server]\nlisten = \"127.0.0.1\"\nport = " + std::to_string(port_) +
                                    "\n\n[store]\ndatabase = \"" + database_.string() + "\"\n\n" + tls_section);
        std::vector<std::string> arguments{CHISO_SYNCD_BIN, "serve", "--config", config.string()};
        fs::remove(log_file());  // so that the wait below cannot read a line of the start before
        pid_ = spawn(arguments, log_file(), true);
        if (wait_for_text(log_file(), "listening on", scaled(10s), pid_)) return std::nullopt;
        if (const auto status = wait_for_exit(pid_, 0ms)) {
            pid_ = -1;
            return WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
        }
        throw std::runtime_error("chiso-syncd neither listened nor ended; its log:\n" + log_text());
    }

    // SIGTERM; the milliseconds it took to end cleanly, or a failure.
    double stop() {
        const auto start = Clock::now();
        ::kill(pid_, SIGTERM);
        const auto limit = scaled(10s);
        if (const auto status = wait_for_exit(pid_, limit)) {
            pid_ = -1;
            EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << log_text();
            return ms_since(start);
        }
        ADD_FAILURE() << "chiso-syncd did not stop within " << limit.count() << " ms of SIGTERM";
        return ms_since(start);
    }

    // Asks /metrics again as each answer comes until `done` holds of it (a long-poll held, a heartbeat answered);
    // false when it does not within `limit`.
    bool wait_for_metrics(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds limit) const {
        for (const auto deadline = Clock::now() + limit; Clock::now() < deadline;)
            if (done(get("/metrics", "").body)) return true;
        return false;
    }
    bool wait_for_metric(const std::string& name, double value, std::chrono::milliseconds limit) const {
        return wait_for_metrics([&](const std::string& metrics) { return metric_in(metrics, name) == value; }, limit);
    }
    HttpResponse get(const std::string& target, const std::string& token) const {
        HttpRequest request{"GET", target, {}, {}, scaled(5s)};
        if (!token.empty()) request.headers["Authorization"] = "Bearer " + token;
        return https(port_, "localhost", ca_file_, request);
    }
    HttpResponse post(const std::string& target, const std::string& token, const std::string& body) const {
        return https(port_, "localhost", ca_file_,
                     {"POST", target, body, {{"Authorization", "Bearer " + token}}, scaled(10s)});
    }
    std::int64_t revision() const {
        return boost::json::parse(get("/api/v1/health", "").body).at("revision").as_int64();
    }

    int port() const { return port_; }
    fs::path log_file() const { return folder_ / "syncd-tls.log"; }
    std::string log_text() const { return fs::exists(log_file()) ? read_file(log_file()) : std::string(); }

private:
    fs::path folder_, database_, ca_file_;
    int port_ = 0;
    pid_t pid_ = -1;
};

class TlsTest : public ::testing::Test {
protected:
    void SetUp() override {
        // The data goes in over plain HTTP; then the same database is served over HTTPS only.
        plain.start();
        import_test_data(plain);
        admin = plain.admin_token();
        token = plain.add_device("room-a", "U1");
        plain.stop();

        ca = make_test_ca("chiso test CA");
        // localhost only: 127.0.0.1, where the server listens, is a name the certificate does not hold.
        const TestCertificate server = make_server_certificate(ca, {"chiso-syncd", {"DNS:localhost"}});
        write_text_file(tls() / "ca.pem", ca.certificate_pem);
        write_text_file(tls() / "server.crt", server.certificate_pem);
        write_text_file(tls() / "server.key", server.key_pem);
        write_text_file(tls() / "other-ca.pem", make_test_ca("another CA").certificate_pem);
        syncd.emplace(plain.folder(), plain.database(), tls() / "ca.pem");
    }
    void TearDown() override {
        if (client) client->stop();
        if (HasFailure()) {
            if (recorder) std::cout << "client's log:\n" << recorder->log();
            std::cout << "syncd's log:\n" << syncd->log_text();
        }
    }

    fs::path tls() const { return plain.folder() / "tls"; }
    // Relative paths: from the configuration file's folder.
    static std::string tls_section(const std::string& certificate = "tls/server.crt",
                                   const std::string& key = "tls/server.key") {
        return "[tls]\ncertificate = \"" + certificate + "\"\nprivate_key = \"" + key + "\"\n";
    }
    void start_syncd() {
        const auto started = syncd->start(tls_section());
        ASSERT_FALSE(started.has_value()) << "chiso-syncd ended with status " << *started << ":\n" << syncd->log_text();
    }

    syncclient::ClientOptions options(const std::string& host, const fs::path& ca_file) const {
        syncclient::ClientOptions o;
        o.server = "https://" + host + ":" + std::to_string(syncd->port());
        o.ca_file = ca_file.string();
        o.token = token;
        o.backoff_first = 1s;
        o.backoff_cap = 2s;
        o.heartbeat_interval = 1s;
        o.version = "tls-test";
        return o;
    }
    void start_client(syncclient::ClientOptions o) {
        if (client) client->stop();
        client.reset();
        recorder.reset();
        if (!cache) cache.emplace(plain.folder() / "kiosk" / "cache.db");
        recorder.emplace();
        client.emplace(*cache, std::move(o), recorder->events());
        client->start();
    }
    std::int64_t cached_revision() {
        const auto document = cache->document();
        return document ? document->revision() : -1;
    }
    void import_admissions(int value) {
        const HttpResponse applied =
            syncd->post("/api/v1/import?kind=values&name=tls.csv", admin,
                        "org,indicator,period,value\nB2,admissions,2026-10," + std::to_string(value) + "\n");
        ASSERT_EQ(applied.status, 200) << applied.body;
    }

    SyncdProcess plain;
    TestCertificate ca;
    std::optional<TlsSyncd> syncd;
    std::string admin, token;
    std::optional<Cache> cache;
    std::optional<Recorder> recorder;
    std::optional<SyncClient> client;
};

TEST_F(TlsTest, a_client_trusting_the_test_ca_syncs_long_polls_and_beats_over_https) {
    start_syncd();
    EXPECT_NE(syncd->log_text().find("listening on https://127.0.0.1:" + std::to_string(syncd->port()) + " (TLS only"),
              std::string::npos)
        << syncd->log_text();

    const auto started = Clock::now();
    start_client(options("localhost", tls() / "ca.pem"));
    ASSERT_TRUE(recorder->wait_for_updates(1, 20s));
    const double first_ms = ms_since(started);
    EXPECT_EQ(cached_revision(), syncd->revision());

    // A change reaches the client by its long-poll, held over TLS.
    ASSERT_TRUE(syncd->wait_for_metric("chiso_longpolls_waiting", 1, scaled(5s)));
    const auto imported = Clock::now();
    import_admissions(7);
    ASSERT_TRUE(recorder->wait_for_updates(2, 10s));
    const double change_ms = ms_since(imported);
    EXPECT_EQ(recorder->revisions().back(), syncd->revision());
    EXPECT_EQ(cached_revision(), syncd->revision());

    // The heartbeat goes over its own TLS connection: once syncd has answered one, the device list shows it.
    const std::string heartbeats_answered = R"(chiso_http_requests_total{route="heartbeat",status="204"})";
    ASSERT_TRUE(syncd->wait_for_metrics(
        [&](const std::string& metrics) { return metric_in(metrics, heartbeats_answered).has_value(); }, scaled(5s)))
        << "no heartbeat answered; the client's log:\n"
        << recorder->log();
    const std::string devices = syncd->get("/api/v1/devices", admin).body;
    EXPECT_NE(devices.find(R"("version":"tls-test")"), std::string::npos) << devices;
    EXPECT_EQ(recorder->log().find("failed"), std::string::npos) << recorder->log();
    std::cout << "https: first document in " << first_ms << " ms; an import reached the client in " << change_ms
              << " ms\n";
    client->stop();
    std::cout << "stopped in " << syncd->stop() << " ms\n";
}

TEST_F(TlsTest, a_client_trusting_another_ca_refuses_the_server_and_keeps_its_last_good_data) {
    start_syncd();
    start_client(options("localhost", tls() / "ca.pem"));
    ASSERT_TRUE(recorder->wait_for_updates(1, 20s));
    const std::int64_t good = cached_revision();
    ASSERT_GT(good, 0);

    start_client(options("localhost", tls() / "other-ca.pem"));
    import_admissions(9);  // something new that the client must not take from a server it does not trust
    const auto refused = recorder->wait_for_detail("not trusted", 10s);
    ASSERT_TRUE(refused) << recorder->log();
    EXPECT_NE(refused->find("unable to get local issuer certificate"), std::string::npos) << *refused;
    EXPECT_NE(refused->find("CN=chiso-syncd"), std::string::npos) << *refused;
    EXPECT_EQ(recorder->state(), Connection::offline);
    ASSERT_TRUE(recorder->wait_for_detail("next try", 5s));
    ASSERT_TRUE(recorder->wait_for_details("not trusted", 3, 10s)) << recorder->log();  // two retries
    EXPECT_TRUE(recorder->revisions().empty());
    EXPECT_EQ(cached_revision(), good);
    EXPECT_GT(syncd->revision(), good);
    std::cout << "refused: " << *refused << "\n";
}

TEST_F(TlsTest, a_certificate_for_another_host_name_is_refused) {
    start_syncd();
    start_client(options("127.0.0.1", tls() / "ca.pem"));
    const auto refused = recorder->wait_for_detail("not for 127.0.0.1", 10s);
    ASSERT_TRUE(refused) << recorder->log();
    EXPECT_EQ(recorder->state(), Connection::offline);
    EXPECT_TRUE(recorder->revisions().empty());
    EXPECT_EQ(cached_revision(), -1);
    std::cout << "refused: " << *refused << "\n";
}

TEST_F(TlsTest, an_expired_certificate_is_refused) {
    // Signed by the CA the client trusts, for the right name, but its validity ended yesterday.
    const TestCertificate expired = make_server_certificate(ca, {"chiso-syncd", {"DNS:localhost"}, -48h, -24h});
    write_text_file(tls() / "expired.crt", expired.certificate_pem);
    write_text_file(tls() / "expired.key", expired.key_pem);
    // The server starts with it: it is for the clients to judge.
    ASSERT_FALSE(syncd->start(tls_section("tls/expired.crt", "tls/expired.key")).has_value()) << syncd->log_text();
    start_client(options("localhost", tls() / "ca.pem"));
    const auto refused = recorder->wait_for_detail("certificate has expired", 10s);
    ASSERT_TRUE(refused) << recorder->log();
    EXPECT_TRUE(recorder->revisions().empty());
    EXPECT_EQ(cached_revision(), -1);
    std::cout << "refused: " << *refused << "\n";
}

TEST_F(TlsTest, plain_http_to_the_https_port_gets_a_clear_400_and_the_server_stays_up) {
    start_syncd();
    const HttpResponse plain_answer = http(syncd->port(), {"GET", "/api/v1/health", {}, {}, scaled(5s)});
    EXPECT_EQ(plain_answer.status, 400);
    EXPECT_NE(plain_answer.body.find("HTTPS only"), std::string::npos) << plain_answer.body;

    // A kiosk configured with http:// says why in its log line, and commits nothing.
    syncclient::ClientOptions o = options("localhost", tls() / "ca.pem");
    o.server = "http://127.0.0.1:" + std::to_string(syncd->port());
    start_client(o);
    const auto refused = recorder->wait_for_detail("HTTPS only", 10s);
    ASSERT_TRUE(refused) << recorder->log();
    EXPECT_EQ(cached_revision(), -1);

    // Bytes that are neither TLS nor HTTP: closed, and the server carries on.
    {
        asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(scaled(5s));
        stream.connect(
            asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(syncd->port())));
        const std::string garbage(300, '\x01');
        asio::write(stream, asio::buffer(garbage));
        char byte = 0;
        beast::error_code ec;
        stream.read_some(asio::buffer(&byte, 1), ec);
        EXPECT_TRUE(ec) << "the server answered garbage instead of closing";
    }
    EXPECT_EQ(syncd->get("/api/v1/health", "").status, 200);
    std::cout << "plain HTTP: " << plain_answer.status << " " << plain_answer.body << "; kiosk: " << *refused << "\n";
    std::cout << "stopped in " << syncd->stop() << " ms\n";
}

// TLS 1.2 with forward-secret AEAD suites only: no CBC, no SHA-1 MAC (TLS 1.3's suites are all AEAD).
TEST_F(TlsTest, tls_1_2_is_spoken_with_aead_suites_only) {
    start_syncd();
    EXPECT_TRUE(tls12_handshake_offering(syncd->port(), "ECDHE-ECDSA-AES128-GCM-SHA256"));
    EXPECT_TRUE(tls12_handshake_offering(syncd->port(), "ECDHE-ECDSA-CHACHA20-POLY1305"));
    EXPECT_FALSE(tls12_handshake_offering(syncd->port(), "ECDHE-ECDSA-AES128-SHA"));
    EXPECT_FALSE(tls12_handshake_offering(syncd->port(), "ECDHE-ECDSA-AES256-SHA384"));
    EXPECT_EQ(syncd->get("/api/v1/health", "").status, 200);
}

TEST_F(TlsTest, bad_tls_files_stop_start_up_with_an_error_naming_the_file) {
    const TestCertificate stranger = make_server_certificate(ca, {"another server", {"DNS:localhost"}});
    write_text_file(tls() / "stranger.key", stranger.key_pem);
    write_text_file(tls() / "garbage.crt", "not a certificate\n");
    const struct {
        std::string tls, expected;
    } cases[] = {
        {tls_section("tls/server.crt", "tls/missing.key"),
         "cannot read the TLS file " + (tls() / "missing.key").string()},
        {tls_section("tls/server.crt", "tls/stranger.key"), "the TLS private key " + (tls() / "stranger.key").string() +
                                                                " does not belong to the certificate " +
                                                                (tls() / "server.crt").string()},
        {tls_section("tls/garbage.crt", "tls/server.key"),
         "the TLS certificate file " + (tls() / "garbage.crt").string() + " holds no usable PEM certificate"},
        {tls_section("tls/server.key", "tls/server.key"), "holds no usable PEM certificate"},
        {tls_section("tls/server.crt", "tls/garbage.crt"),
         "the TLS private key file " + (tls() / "garbage.crt").string() + " holds no usable PEM private key"},
        {"[tls]\ncertificate = \"tls/server.crt\"\n", "[tls] needs both 'certificate' and 'private_key'"},
    };
    for (const auto& c : cases) {
        const auto status = syncd->start(c.tls);
        ASSERT_TRUE(status.has_value()) << c.tls << " started; its log:\n" << syncd->log_text();
        EXPECT_EQ(*status, 1);
        const std::string log = syncd->log_text();
        EXPECT_NE(log.find(c.expected), std::string::npos) << log;
        EXPECT_EQ(log.find("listening"), std::string::npos) << log;
        std::cout << "refused to start: " << log.substr(0, log.find('\n')) << "\n";
    }
}

// stop() reaches a long-poll held over TLS, a TLS connection idle between requests and one that connected but
// never began its handshake.
TEST_F(TlsTest, a_tls_server_with_connections_in_every_state_stops_promptly) {
    start_syncd();
    start_client(options("localhost", tls() / "ca.pem"));
    ASSERT_TRUE(recorder->wait_for_updates(1, 20s));

    asio::io_context io;
    beast::tcp_stream silent(io);
    silent.connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(syncd->port())));
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.load_verify_file((tls() / "ca.pem").string());
    context.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> idle(io, context);
    SSL_set_tlsext_host_name(idle.native_handle(), "localhost");
    beast::get_lowest_layer(idle).connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(syncd->port())));
    idle.handshake(asio::ssl::stream_base::client);
    ASSERT_TRUE(syncd->wait_for_metric("chiso_longpolls_waiting", 1, scaled(5s)));  // the client's long-poll

    const double stop_ms = syncd->stop();
    // The idle connection's close_notify is waited for 250 ms at most.
    EXPECT_LT(stop_ms, scaled(std::chrono::seconds(1)).count());
    char byte = 0;
    beast::error_code ec;
    idle.read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) << ec.message();
    std::cout << "stopped with a TLS long-poll, an idle TLS connection and a silent one open, in " << stop_ms
              << " ms; the idle one ended with: " << ec.message() << "\n";
}

}  // namespace
}  // namespace chiso::test
