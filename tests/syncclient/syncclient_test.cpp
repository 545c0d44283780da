// The kiosk's sync client against the real chiso-syncd on loopback: the first sync fills the cache, imports
// arrive within seconds by long-poll as deltas, the cache keeps the last document while the server is away and
// the client finds it again when it comes back, a revoked token says so, and heartbeats reach the fleet view.
// Then, against a scripted stand-in for syncd, what the real one never does: errors, garbled answers, a delta
// that does not apply, long-polls not held — and the backoff between failures. Last, read_answer (answer.hpp) on
// its own: what each kind of answer does to the held document.
#include "syncclient/answer.hpp"
#include "syncclient/client.hpp"

#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

namespace chiso::test {
namespace json = boost::json;
using namespace std::chrono_literals;
using syncclient::Cache;
using syncclient::Connection;
using syncclient::SyncClient;
using Clock = std::chrono::steady_clock;

namespace {

// What the client told us, from its thread, for the test to wait on.
class Recorder {
public:
    explicit Recorder(Cache& cache) : cache_(cache) {}

    syncclient::ClientEvents events() {
        return {[this](std::shared_ptr<const wire::ScopeDocument> document) { on_updated(*document); },
                [this](Connection connection, const std::string& detail) { on_connection(connection, detail); },
                [this](std::int64_t synced_at) { on_revalidated(synced_at); },
                [] {
                    return syncclient::HeartbeatInfo{"overview", true, std::nullopt, {}, {}};
                },
                [this](const std::string& tag, const std::string& json) { on_settings(tag, json); },
                {},
                {},
                {},
                {}};
    }

    struct Settings {
        std::string tag, json;
        std::string cached_tag;  // what the cache held when `settings` was called
    };
    std::vector<Settings> settings() {
        std::lock_guard lock(mutex_);
        return settings_;
    }
    bool wait_for_settings(std::size_t count, Clock::duration timeout) {
        return wait_until([&] { return settings_.size() >= count; }, timeout);
    }

    // Every limit a test gives is stretched for slow builds (time_scale.hpp).
    template <class Condition>
    bool wait_until(Condition condition, Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, scaled(timeout), [&] { return condition(); });
    }
    bool wait_for_state(Connection state, Clock::duration timeout) {
        return wait_until([&] { return state_ == state; }, timeout);
    }
    bool wait_for_updates(std::size_t count, Clock::duration timeout) {
        return wait_until([&] { return updates_.size() >= count; }, timeout);
    }

    struct Update {
        std::int64_t revision;
        std::int64_t cached_revision;  // what the cache held when `updated` was called
        std::string json;
        std::string detail;  // the connection line reported with it
        Clock::time_point at;
    };
    Update update(std::size_t index) {
        std::lock_guard lock(mutex_);
        return updates_.at(index);
    }
    std::size_t update_count() {
        std::lock_guard lock(mutex_);
        return updates_.size();
    }
    Connection state() {
        std::lock_guard lock(mutex_);
        return state_;
    }
    std::string log() {
        std::lock_guard lock(mutex_);
        return log_;
    }
    bool wait_for_revalidation(Clock::duration timeout) {
        return wait_until([&] { return revalidated_at_ > 0; }, timeout);
    }
    // Attempts that failed since the client was last online (each reports offline with its reason).
    bool wait_for_failures(int count, Clock::duration timeout) {
        return wait_until([&] { return failures_ >= count; }, timeout);
    }
    std::int64_t revalidated_at() {
        std::lock_guard lock(mutex_);
        return revalidated_at_;
    }

private:
    void on_updated(const wire::ScopeDocument& document) {
        auto cached = cache_.document();  // the client's thread: the cache must already hold it
        std::lock_guard lock(mutex_);
        updates_.push_back(
            {document.revision(), cached ? cached->revision() : -1, document.to_json(), last_detail_, Clock::now()});
        changed_.notify_all();
    }
    void on_connection(Connection connection, const std::string& detail) {
        std::lock_guard lock(mutex_);
        state_ = connection;
        failures_ = connection == Connection::offline ? failures_ + 1 : 0;
        last_detail_ = detail;
        log_ += std::string(syncclient::connection_name(connection)) + ": " + detail + "\n";
        changed_.notify_all();
    }

    void on_settings(const std::string& tag, const std::string& json) {
        auto cached = cache_.settings();
        std::lock_guard lock(mutex_);
        settings_.push_back({tag, json, cached ? cached->tag : ""});
        changed_.notify_all();
    }

    void on_revalidated(std::int64_t synced_at) {
        std::lock_guard lock(mutex_);
        revalidated_at_ = synced_at;
        changed_.notify_all();
    }

    Cache& cache_;
    std::int64_t revalidated_at_ = 0;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Update> updates_;
    std::vector<Settings> settings_;
    Connection state_ = Connection::connecting;
    int failures_ = 0;
    std::string last_detail_;
    std::string log_;
};

class SyncClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
        token = syncd.add_device("room-a", "U1");
    }
    void TearDown() override {
        if (client) client->stop();
        if (HasFailure() && recorder) std::cout << "client's log:\n" << recorder->log();
        syncd.stop();
    }

    syncclient::ClientOptions options() const {
        syncclient::ClientOptions o;
        o.server = "http://127.0.0.1:" + std::to_string(syncd.port());
        o.token = token;
        o.backoff_first = 1s;
        o.backoff_cap = 2s;
        o.heartbeat_interval = 1s;
        o.version = "test";
        return o;
    }

    void start_client(syncclient::ClientOptions o) {
        cache.emplace(syncd.folder() / "kiosk" / "cache.db");
        recorder.emplace(*cache);
        client.emplace(*cache, std::move(o), recorder->events());
        client->start();
    }
    void start_client() { start_client(options()); }

    std::string import_admissions(int value) {
        HttpResponse applied =
            syncd.import("values", "org,indicator,period,value\nB2,admissions,2026-10," + std::to_string(value) + "\n");
        EXPECT_EQ(applied.status, 200) << applied.body;
        return applied.body;
    }

    SyncdProcess syncd;
    std::string token;
    std::optional<Cache> cache;
    std::optional<Recorder> recorder;
    std::optional<SyncClient> client;
};

std::int64_t server_revision(const SyncdProcess& syncd) {
    return json::parse(syncd.get("/api/v1/health", "").body).at("revision").as_int64();
}

TEST_F(SyncClientTest, the_first_sync_stores_a_snapshot_in_the_cache_and_then_says_updated) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    EXPECT_TRUE(recorder->wait_for_state(Connection::online, 1s));
    auto update = recorder->update(0);
    EXPECT_EQ(update.revision, server_revision(syncd));
    EXPECT_EQ(update.cached_revision, update.revision) << "updated was called before the cache held the document";
    EXPECT_NE(update.detail.find("snapshot"), std::string::npos) << update.detail;

    auto held = cache->document();
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(held->org(), "U1");
    EXPECT_EQ(json::parse(held->to_json()), json::parse(syncd.get("/api/v1/scope", token).body));
    auto state = cache->state();
    EXPECT_EQ(state.server, options().server);
    EXPECT_FALSE(state.etag.empty());
    EXPECT_NEAR(static_cast<double>(state.synced_at), static_cast<double>(std::time(nullptr)), 5.0);
}

TEST_F(SyncClientTest, an_import_at_the_server_reaches_the_client_within_two_seconds_as_a_delta) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(5s)));  // the client holds a long-poll
    for (int round = 1; round <= 3; ++round) {
        const auto imported_at = Clock::now();  // syncd wakes long-polls before it answers the import
        import_admissions(10 + round);
        ASSERT_TRUE(recorder->wait_for_updates(1 + round, 2s)) << "round " << round;
        auto update = recorder->update(round);
        const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(update.at - imported_at);
        std::cout << "[ latency  ] import sent → client updated (cache committed): " << latency.count() << " ms\n";
        EXPECT_LT(latency, scaled(2s));
        EXPECT_NE(update.detail.find("delta"), std::string::npos) << update.detail;
        EXPECT_EQ(update.revision, server_revision(syncd));

        // Brought up to date by deltas, the document says what a fresh snapshot says.
        json::value held = json::parse(update.json), fresh = json::parse(syncd.get("/api/v1/scope", token).body);
        EXPECT_EQ(held.at("values"), fresh.at("values"));
        EXPECT_EQ(held.at("targets"), fresh.at("targets"));
        EXPECT_EQ(held.at("by_type"), fresh.at("by_type"));
        // B2's October is in its committee's month (members show years and halves only).
        json::value before = json::parse(recorder->update(round - 1).json);
        boost::system::error_code absent;
        const json::value* october = held.find_pointer("/values/U1/admissions/2026-10", absent);
        const json::value* was = before.find_pointer("/values/U1/admissions/2026-10", absent);
        ASSERT_NE(october, nullptr);
        EXPECT_TRUE(!was || *was != *october) << "October's admissions did not change";
    }
}

TEST_F(SyncClientTest, with_the_server_stopped_the_client_is_offline_and_the_cache_keeps_the_last_document) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    const std::string last = recorder->update(0).json;
    const auto stopped_at = Clock::now();
    syncd.stop();
    ASSERT_TRUE(recorder->wait_for_state(Connection::offline, 3s));
    std::cout << "[ offline  ] server stopped → offline in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - stopped_at).count() << " ms\n";
    auto held = cache->document();
    ASSERT_TRUE(held.has_value());
    EXPECT_EQ(held->to_json(), last);
    syncd.restart_on_same_port();  // for TearDown's clean stop
}

TEST_F(SyncClientTest, the_server_back_on_the_same_port_finds_the_client_online_again_with_what_changed) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    syncd.stop();
    ASSERT_TRUE(recorder->wait_for_state(Connection::offline, 3s));
    // An import while the server is down, by the command line, then the server comes back.
    std::ofstream(syncd.folder() / "late.csv") << "org,indicator,period,value\nB2,admissions,2026-10,42\n";
    syncd.cli({"import", "--kind", "values", (syncd.folder() / "late.csv").string()});
    ASSERT_TRUE(recorder->wait_for_failures(2, 10s)) << recorder->log();  // the client is backing off
    syncd.restart_on_same_port();
    const auto restarted_at = Clock::now();
    ASSERT_TRUE(recorder->wait_for_updates(2, 5s));
    EXPECT_EQ(recorder->state(), Connection::online);
    std::cout << "[ back     ] server answering → client online with the new revision in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(recorder->update(1).at - restarted_at).count()
              << " ms (backoff 1 s → 2 s cap, ±20 %)\n";
    json::value held = json::parse(recorder->update(1).json),
                fresh = json::parse(syncd.get("/api/v1/scope", token).body);
    EXPECT_EQ(held.at("revision"), fresh.at("revision"));
    EXPECT_EQ(held.at("values"), fresh.at("values"));
    EXPECT_NE(held.at("values"), json::parse(recorder->update(0).json).at("values"));
}

TEST_F(SyncClientTest, sync_now_skips_the_backoff) {
    auto o = options();
    o.backoff_first = 30s;
    o.backoff_cap = 60s;
    start_client(o);
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    syncd.stop();
    ASSERT_TRUE(recorder->wait_for_state(Connection::offline, 3s));
    syncd.restart_on_same_port();
    client->sync_now();
    EXPECT_TRUE(recorder->wait_for_state(Connection::online, 2s)) << "still waiting out a 30 s backoff";
}

TEST_F(SyncClientTest, a_revoked_token_is_reported_as_unauthorized_and_the_document_stays) {
    auto o = options();
    o.long_poll = 1s;  // the long-poll in flight ends soon, and the next request meets the revocation
    start_client(o);
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    syncd.cli({"device", "revoke", "room-a"});
    EXPECT_TRUE(recorder->wait_for_state(Connection::unauthorized, 4s));
    EXPECT_TRUE(cache->document().has_value());
}

TEST_F(SyncClientTest, a_wrong_token_from_the_start_is_unauthorized) {
    auto o = options();
    o.token = "not-a-token";
    start_client(o);
    EXPECT_TRUE(recorder->wait_for_state(Connection::unauthorized, 3s));
    EXPECT_EQ(recorder->update_count(), 0u);
}

TEST_F(SyncClientTest, heartbeats_appear_in_the_device_list) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    const std::int64_t revision = recorder->update(0).revision;
    json::value room;
    auto beat_seen = [&] {
        json::value devices = json::parse(syncd.get("/api/v1/devices", syncd.admin_token()).body);
        for (const json::value& device : devices.at("devices").as_array())
            if (device.at("name") == "room-a" && device.as_object().contains("last_heartbeat") &&
                device.at("revision").as_int64() == revision) {
                room = device;
                return true;
            }
        return false;
    };
    // Asked every 100 ms, within the admin token's request budget, until the list shows the beat.
    const auto deadline = Clock::now() + scaled(3s);
    while (!beat_seen() && Clock::now() < deadline) std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(room.is_object()) << "no heartbeat with revision " << revision;
    EXPECT_EQ(room.at("status").as_string(), "online");
    EXPECT_EQ(room.at("page").as_string(), "overview");
    EXPECT_EQ(room.at("version").as_string(), "test");
    EXPECT_EQ(room.at("screen_on").as_bool(), true);
    EXPECT_GE(room.at("data_age_s").as_int64(), 0);
    EXPECT_LE(room.at("data_age_s").as_int64(), 3);
}

TEST_F(SyncClientTest, display_settings_an_answer_names_are_fetched_checked_stored_then_told_and_kept_over_a_restart) {
    const std::string it = syncd.add_person("it-staff", "it");
    auto put = [&](const std::string& target, const std::string& body) {
        return syncd.send("PUT", target, it, body).status;
    };
    ASSERT_EQ(put("/api/v1/groups?device=room-a", R"(["hall"])"), 204);
    ASSERT_EQ(put("/api/v1/settings?group=hall", R"({"dwell_seconds": 30})"), 200);
    start_client();
    ASSERT_TRUE(recorder->wait_for_settings(1, 5s)) << "the settings were not fetched";
    auto told = recorder->settings();
    EXPECT_EQ(json::parse(told[0].json), json::parse(R"({"dwell_seconds": 30})"));
    EXPECT_EQ(told[0].cached_tag, told[0].tag) << "settings told before the cache held them";
    ASSERT_TRUE(recorder->wait_for_state(Connection::online, 5s));

    // A change while the client long-polls reaches it within seconds.
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(10s)));
    const auto changed_at = Clock::now();
    ASSERT_EQ(put("/api/v1/settings?group=hall", R"({"dwell_seconds": 45, "theme": "light"})"), 200);
    ASSERT_TRUE(recorder->wait_for_settings(2, 5s));
    EXPECT_LT(Clock::now() - changed_at, scaled(5s));
    told = recorder->settings();
    EXPECT_EQ(json::parse(told[1].json), json::parse(R"({"dwell_seconds": 45, "theme": "light"})"));
    EXPECT_NE(told[1].tag, told[0].tag);

    // Started again, the client holds them: its first heartbeat (which would follow any fetch) names them, and
    // nothing was fetched.
    const std::string fetched = R"(chiso_http_requests_total{route="settings",status="200"})";
    const std::string beats = R"(chiso_http_requests_total{route="heartbeat",status="204"})";
    client.reset();
    const double fetched_before = metric_in(syncd.get("/metrics", "").body, fetched).value_or(0);
    const double beats_before = metric_in(syncd.get("/metrics", "").body, beats).value_or(0);
    start_client();
    ASSERT_TRUE(syncd.wait_for_metric(beats, beats_before + 1, scaled(10s)));
    EXPECT_TRUE(recorder->settings().empty());
    EXPECT_EQ(metric_in(syncd.get("/metrics", "").body, fetched).value_or(0), fetched_before);
    EXPECT_EQ(cache->settings()->tag, told[1].tag);
    const json::value devices = json::parse(syncd.get("/api/v1/devices", it).body);
    EXPECT_EQ(devices.at("devices").at(0).at("settings_tag").as_string(), told[1].tag);
    EXPECT_TRUE(devices.at("devices").at(0).at("settings_current").as_bool());
}

TEST_F(SyncClientTest, a_client_started_again_revalidates_its_cached_document_without_downloading_it) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    client.reset();
    recorder.reset();
    cache.reset();

    start_client();
    ASSERT_TRUE(recorder->wait_for_state(Connection::online, 3s));
    // The 304 is told at once, so the screen's "last sync" moves on without waiting for a heartbeat.
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    // Its first exchange ends in a 304, told as a revalidation: nothing was downloaded in it.
    ASSERT_TRUE(recorder->wait_for_revalidation(2s));
    EXPECT_EQ(recorder->update_count(), 0u) << "the cached document was downloaded again";
    EXPECT_NEAR(static_cast<double>(recorder->revalidated_at()), static_cast<double>(now), 2.0);
    EXPECT_EQ(cache->state().synced_at, recorder->revalidated_at());
    import_admissions(7);
    EXPECT_TRUE(recorder->wait_for_updates(1, 2s));
    EXPECT_NE(recorder->update(0).detail.find("delta"), std::string::npos) << recorder->update(0).detail;
}

TEST_F(SyncClientTest, stop_ends_a_long_poll_in_flight_at_once) {
    start_client();
    ASSERT_TRUE(recorder->wait_for_updates(1, 5s));
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(5s)));  // holding a 25 s long-poll
    const auto asked = Clock::now();
    client->stop();
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - asked);
    std::cout << "[ stop     ] stop() with a long-poll in flight took " << took.count() << " µs\n";
    EXPECT_LT(took, scaled(100ms));
}

TEST_F(SyncClientTest, a_server_that_is_not_there_at_start_gives_offline_and_no_document) {
    auto o = options();
    syncd.stop();
    start_client(o);
    EXPECT_TRUE(recorder->wait_for_state(Connection::offline, 3s));
    EXPECT_FALSE(cache->document().has_value());
    const auto asked = Clock::now();
    client->stop();  // in the middle of a backoff
    EXPECT_LT(Clock::now() - asked, scaled(100ms));
    syncd.restart_on_same_port();
}

// --- against a scripted server ------------------------------------------------------------------------------

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Answers scope requests with the next reply of a script (heartbeats with 204), keeping each request and when
// it came; on loopback, on its own thread.
class ScriptedServer {
public:
    explicit ScriptedServer(std::vector<std::function<Response(const Request&)>> script) : script_(std::move(script)) {
        acceptor_.open(asio::ip::tcp::v4());
        acceptor_.bind({asio::ip::address_v4::loopback(), 0});
        acceptor_.listen();
        asio::co_spawn(ioc_, accept(), asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~ScriptedServer() {
        ioc_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

    struct Seen {
        std::string target;
        std::string if_none_match;
        Clock::time_point at;
    };
    bool wait_for_requests(std::size_t count, Clock::duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, scaled(timeout), [&] { return seen_.size() >= count; });
    }
    Seen seen(std::size_t index) {
        std::lock_guard lock(mutex_);
        return seen_.at(index);
    }

private:
    asio::awaitable<void> accept() {
        for (;;) {
            asio::ip::tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
            asio::co_spawn(ioc_, serve(std::move(socket)), asio::detached);
        }
    }
    asio::awaitable<void> serve(asio::ip::tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        for (;;) {
            Request request;
            co_await http::async_read(socket, buffer, request, asio::use_awaitable);
            Response response = answer(request);
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            co_await http::async_write(socket, response, asio::use_awaitable);
            if (!response.keep_alive()) co_return;
        }
    }
    Response answer(const Request& request) {
        if (request.target() == "/api/v1/heartbeat") return Response{http::status::no_content, 11};
        std::lock_guard lock(mutex_);
        const std::size_t index = seen_.size();
        seen_.push_back(
            {std::string(request.target()), std::string(request[http::field::if_none_match]), Clock::now()});
        changed_.notify_all();
        if (index < script_.size()) return script_[index](request);
        return Response{http::status::service_unavailable, 11};  // the script is over
    }

    std::vector<std::function<Response(const Request&)>> script_;
    asio::io_context ioc_;
    asio::ip::tcp::acceptor acceptor_{ioc_};
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Seen> seen_;
};

std::string snapshot_json(std::int64_t revision, std::int64_t members) {
    return json::serialize(json::object{
        {"format", 1},
        {"kind", "snapshot"},
        {"revision", revision},
        {"scope_revision", revision},
        {"scope", {{"org", "U1"}, {"depth", 1}, {"as_of", "2026-10-31"}, {"periods", json::object{}}}},
        {"catalogue", {{"levels", json::array{}}, {"org_types", json::array{}}, {"indicators", json::array{}}}},
        {"organisations", json::array{json::object{{"code", "U1"}, {"name", "Đảng ủy Khối A"}, {"level", "upper"}}}},
        {"values", {{"U1", {{"members_total", {{"2026-H1", members}}}}}}},
        {"targets", json::object{}},
        {"by_type", json::object{}}});
}

std::function<Response(const Request&)> reply(http::status status, std::string body = {}, std::string etag = {}) {
    return [=](const Request&) {
        Response response{status, 11};
        response.body() = body;
        if (!etag.empty()) response.set(http::field::etag, etag);
        return response;
    };
}

// A 304 after `delay` (a server holding a long-poll for that long).
std::function<Response(const Request&)> not_modified_after(Clock::duration delay) {
    return [=](const Request&) {
        std::this_thread::sleep_for(delay);
        return reply(http::status::not_modified)({});
    };
}

// "At once": within 0.2 s, stretched for slow builds.
double at_once() {
    return std::chrono::duration<double>(scaled(std::chrono::milliseconds(200))).count();
}

// A wait the client chose, `nominal` ±20 % (its jitter): never shorter, and longer only by a slow machine's slack.
void expect_backoff(double seconds, double nominal) {
    EXPECT_GE(seconds, nominal * 0.8 - 0.05);
    EXPECT_LE(seconds, nominal * 1.2 + at_once());
}

double seconds_between(const ScriptedServer::Seen& earlier, const ScriptedServer::Seen& later) {
    return std::chrono::duration<double>(later.at - earlier.at).count();
}

class SyncClientScripted : public ::testing::Test {
protected:
    void TearDown() override {
        if (client) client->stop();
        if (HasFailure() && recorder) std::cout << "client's log:\n" << recorder->log();
        if (!HasFailure()) std::filesystem::remove_all(folder);
    }
    void start_client(const std::string& url, std::chrono::seconds long_poll = 25s) {
        std::string pattern = (std::filesystem::temp_directory_path() / "chiso-scripted-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        folder = pattern;
        cache.emplace(folder / "cache.db");
        recorder.emplace(*cache);
        syncclient::ClientOptions o;
        o.server = url;
        o.token = "t";
        o.backoff_first = 1s;
        o.backoff_cap = 2s;
        o.interval = 1s;
        o.long_poll = long_poll;
        client.emplace(*cache, o, recorder->events());
        client->start();
    }

    std::filesystem::path folder;
    std::optional<Cache> cache;
    std::optional<Recorder> recorder;
    std::optional<SyncClient> client;
};

TEST_F(SyncClientScripted, errors_and_garbled_answers_back_off_doubling_to_the_cap_then_online_at_once) {
    ScriptedServer server({reply(http::status::internal_server_error, R"({"error":"disk full"})"),
                           reply(http::status::ok, "{not json", "\"e1\""), reply(http::status::bad_gateway),
                           reply(http::status::ok, snapshot_json(1, 100), "\"e1\""),
                           // The long-poll that follows is held, so the script does not end (a 503) before the
                           // state is read.
                           not_modified_after(2s)});
    start_client(server.url());
    ASSERT_TRUE(recorder->wait_for_updates(1, 10s));
    EXPECT_EQ(recorder->state(), Connection::online);
    const std::string log = recorder->log();
    EXPECT_NE(log.find("offline: HTTP 500: disk full"), std::string::npos) << log;
    EXPECT_NE(log.find("offline: garbled answer, not JSON"), std::string::npos) << log;
    // 1 s, then 2 s, then 2 s (the cap), each ±20 %.
    const double gaps[] = {seconds_between(server.seen(0), server.seen(1)),
                           seconds_between(server.seen(1), server.seen(2)),
                           seconds_between(server.seen(2), server.seen(3))};
    std::cout << "[ backoff  ] " << gaps[0] << " s, " << gaps[1] << " s, " << gaps[2] << " s\n";
    expect_backoff(gaps[0], 1.0);
    expect_backoff(gaps[1], 2.0);
    expect_backoff(gaps[2], 2.0);
    EXPECT_EQ(recorder->update(0).cached_revision, 1);
}

TEST_F(SyncClientScripted, a_delta_that_does_not_apply_is_followed_at_once_by_a_request_for_a_snapshot) {
    const std::string wrong_delta = R"({"format":1,"kind":"delta","revision":3,"scope_revision":3,"since":2,)"
                                    R"("scope":{"org":"U1","depth":1},"values":{},"targets":{},"by_type":{}})";
    ScriptedServer server({reply(http::status::ok, snapshot_json(1, 100), "\"e1\""),
                           reply(http::status::ok, wrong_delta, "\"e3\""),
                           reply(http::status::ok, snapshot_json(3, 120), "\"e3\"")});
    start_client(server.url());
    ASSERT_TRUE(recorder->wait_for_updates(2, 5s));
    EXPECT_EQ(server.seen(1).target, "/api/v1/scope?depth=1&since=1&wait=25");
    EXPECT_EQ(server.seen(1).if_none_match, "\"e1\"");
    EXPECT_EQ(server.seen(2).target, "/api/v1/scope?depth=1") << "the snapshot was asked with since=";
    EXPECT_TRUE(server.seen(2).if_none_match.empty());
    EXPECT_LT(seconds_between(server.seen(1), server.seen(2)), at_once());
    EXPECT_EQ(recorder->update(1).revision, 3);
    EXPECT_EQ(cache->document()->figure("U1", "members_total", *domain::Period::parse("2026-H1"))->value, 120);
}

TEST_F(SyncClientScripted, a_long_poll_answered_early_is_asked_again_at_once_and_twice_running_waits_the_interval) {
    // Once is a syncd stopping (it answers its long-polls with 304 as it goes); twice running, a server that does
    // not hold long-polls, polled at the interval (1 s here) rather than in a tight loop.
    ScriptedServer server({reply(http::status::ok, snapshot_json(1, 100), "\"e1\""),
                           reply(http::status::not_modified),  // early
                           not_modified_after(700ms),          // held (wait=1): counts start again
                           reply(http::status::not_modified),  // early
                           reply(http::status::not_modified),  // early, twice running
                           reply(http::status::not_modified)});
    start_client(server.url(), 1s);
    ASSERT_TRUE(server.wait_for_requests(6, 5s));
    EXPECT_EQ(server.seen(1).target, "/api/v1/scope?depth=1&since=1&wait=1");
    EXPECT_LT(seconds_between(server.seen(1), server.seen(2)), at_once());
    EXPECT_LT(seconds_between(server.seen(2), server.seen(3)) - 0.7, at_once());  // held 0.7 s, then at once
    EXPECT_LT(seconds_between(server.seen(3), server.seen(4)), at_once());
    expect_backoff(seconds_between(server.seen(4), server.seen(5)), 1.0);
}

TEST_F(SyncClientScripted, an_answer_larger_than_the_limit_is_refused) {
    ScriptedServer server({[](const Request&) {
        Response response{http::status::ok, 11};
        response.body().assign(syncclient::kAnswerLimit + 1, ' ');
        return response;
    }});
    start_client(server.url());
    ASSERT_TRUE(recorder->wait_for_state(Connection::offline, 5s));
    EXPECT_NE(recorder->log().find(std::string("larger than ") + syncclient::kAnswerLimitText), std::string::npos)
        << recorder->log();
    EXPECT_FALSE(cache->document().has_value());
}

// --- read_answer: what an answer does to the held document, on its own --------------------------------------

std::string snapshot_of(const std::string& org, std::int64_t revision, std::int64_t members) {
    json::value document = json::parse(snapshot_json(revision, members));
    document.as_object()["scope"].as_object()["org"] = org;
    return json::serialize(document);
}

std::string delta_json(std::int64_t since, std::int64_t revision, std::int64_t members) {
    return json::serialize(json::object{{"format", 1},
                                        {"kind", "delta"},
                                        {"since", since},
                                        {"revision", revision},
                                        {"scope_revision", revision},
                                        {"scope", {{"org", "U1"}, {"depth", 1}, {"as_of", "2026-11-30"}}},
                                        {"values", {{"U1", {{"members_total", {{"2026-H1", members}}}}}}},
                                        {"targets", json::object{}},
                                        {"by_type", json::object{}}});
}

wire::ScopeDocument held_document(std::int64_t revision) {
    return *wire::ScopeDocument::parse(snapshot_json(revision, 100));
}

std::int64_t members_in(const wire::ScopeDocument& document) {
    return document.figure("U1", "members_total", *domain::Period::parse("2026-H1"))->value;
}

using syncclient::read_answer;
using syncclient::Verdict;

TEST(ReadAnswer, a_snapshot_is_taken_when_nothing_is_held_and_a_delta_applies_to_a_copy_of_the_held_document) {
    auto first = read_answer(200, snapshot_json(4, 100), "\"e4\"", nullptr, false);
    ASSERT_EQ(first.verdict, Verdict::updated) << first.line;
    EXPECT_EQ(first.document->revision(), 4);
    EXPECT_EQ(first.etag, "\"e4\"");
    EXPECT_EQ(first.line, "revision 4 (snapshot)");

    const auto held = held_document(4);
    auto next = read_answer(200, delta_json(4, 5, 130), "\"e5\"", &held, true);
    ASSERT_EQ(next.verdict, Verdict::updated) << next.line;
    EXPECT_EQ(next.line, "revision 5 (delta)");
    EXPECT_EQ(members_in(*next.document), 130);
    EXPECT_EQ(members_in(held), 100) << "the held document changed";
}

TEST(ReadAnswer, a_revision_lower_than_the_one_held_is_refused_and_the_held_one_kept) {
    const auto held = held_document(7);
    for (bool revalidated : {true, false}) {
        auto answer = read_answer(200, snapshot_json(5, 90), "\"e5\"", &held, revalidated);
        EXPECT_EQ(answer.verdict, Verdict::retry);
        EXPECT_FALSE(answer.document);
        EXPECT_EQ(answer.line, "the server went back from revision 7 to 5; keeping 7");
    }
    // A delta that applies but takes the revision back is refused the same way.
    auto delta = read_answer(200, delta_json(7, 6, 90), "\"e6\"", &held, true);
    EXPECT_EQ(delta.verdict, Verdict::retry);
    EXPECT_EQ(delta.line, "the server went back from revision 7 to 6; keeping 7");
    // The same revision again is fine (a fresh snapshot of what is held).
    EXPECT_EQ(read_answer(200, snapshot_json(7, 100), "\"e7\"", &held, false).verdict, Verdict::updated);
    // A document of another server (held: none) starts its own numbering.
    EXPECT_EQ(read_answer(200, snapshot_json(2, 100), "\"x\"", nullptr, false).verdict, Verdict::updated);
}

TEST(ReadAnswer, an_answer_for_another_scope_asks_for_a_snapshot_which_is_then_taken) {
    const auto held = held_document(3);
    auto revalidating = read_answer(200, snapshot_of("U2", 9, 10), "\"e9\"", &held, true);
    EXPECT_EQ(revalidating.verdict, Verdict::snapshot);
    EXPECT_EQ(revalidating.line,
              "the answer is for another scope (U2 depth 1, not U1 depth 1); asking for a whole snapshot");
    auto fresh = read_answer(200, snapshot_of("U2", 9, 10), "\"e9\"", &held, false);
    ASSERT_EQ(fresh.verdict, Verdict::updated) << fresh.line;
    EXPECT_EQ(fresh.document->org(), "U2");
}

TEST(ReadAnswer, garbled_wrong_schema_and_oversized_answers_are_refused_in_one_line) {
    const auto held = held_document(3);
    struct Case {
        std::string body;
        std::string line_starts;
    };
    const Case cases[] = {
        {"{not json", "garbled answer, not JSON: "},
        {"", "garbled answer, not JSON: "},
        {R"([{"org":"U1"}])", "the answer is not a scope document of format 1"},
        {R"({"format":2,"kind":"snapshot","revision":99})", "the answer is not a scope document of format 1"},
        {R"({"format":1,"kind":"patch","revision":99})", "the answer is neither a snapshot nor a delta"},
        {R"({"format":1,"kind":"snapshot","revision":99,"scope":"U1"})",
         "the answer is not a valid scope document: missing 'scope'"},
        {R"({"format":1,"kind":"delta","since":3,"revision":4,"scope":{},"values":[]})",
         "the delta is not valid: missing 'values'"},
        // A delta without its scope_revision (found by tests/fuzz: the reader once threw on it).
        {R"({"format":1,"kind":"delta","since":3,"revision":4,"scope":{},"values":{},"targets":{},"by_type":{}})",
         "the delta is not valid: missing 'scope_revision'"},
        {std::string(syncclient::kAnswerLimit + 1, ' '),
         std::string("the answer is larger than ") + syncclient::kAnswerLimitText},
    };
    for (const Case& c : cases) {
        auto answer = read_answer(200, c.body, "\"e\"", &held, true);
        EXPECT_EQ(answer.verdict, Verdict::retry) << c.line_starts;
        EXPECT_FALSE(answer.document);
        EXPECT_TRUE(answer.line.starts_with(c.line_starts)) << answer.line;
        EXPECT_EQ(answer.line.find('\n'), std::string::npos) << answer.line;
    }
}

TEST(ReadAnswer, a_delta_since_another_revision_asks_for_a_snapshot_and_a_delta_with_nothing_held_waits) {
    const auto held = held_document(3);
    auto other = read_answer(200, delta_json(2, 4, 1), "\"e4\"", &held, true);
    EXPECT_EQ(other.verdict, Verdict::snapshot);
    EXPECT_EQ(other.line,
              "the update did not apply (a delta since another revision than 3); asking for a whole snapshot");
    EXPECT_EQ(read_answer(200, delta_json(3, 4, 1), "\"e4\"", nullptr, false).verdict, Verdict::retry);
    EXPECT_EQ(read_answer(200, delta_json(3, 4, 1), "\"e4\"", &held, false).verdict, Verdict::retry)
        << "a delta to a request for a snapshot";
}

TEST(ReadAnswer, statuses_not_modified_refused_and_errors) {
    const auto held = held_document(3);
    EXPECT_EQ(read_answer(304, "", "\"e3\"", &held, true).verdict, Verdict::not_modified);
    EXPECT_EQ(read_answer(304, "", "", nullptr, false).verdict, Verdict::retry);
    auto refused = read_answer(401, R"({"error":"unknown token"})", "", &held, true);
    EXPECT_EQ(refused.verdict, Verdict::unauthorized);
    EXPECT_EQ(refused.line, "HTTP 401: unknown token");
    EXPECT_EQ(read_answer(403, "", "", &held, true).verdict, Verdict::unauthorized);
    auto failed = read_answer(500, "<html>\r\nBad\x01 gateway\n</html>", "", &held, true);
    EXPECT_EQ(failed.verdict, Verdict::retry);
    EXPECT_EQ(failed.line, "HTTP 500: <html>  Bad  gateway </html>");
}

}  // namespace
}  // namespace chiso::test
