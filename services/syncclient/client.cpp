#include "syncclient/client.hpp"

#include "syncclient/answer.hpp"
#include "syncclient/enrolment.hpp"
#include "syncclient/http_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include "kiosk/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

namespace chiso::syncclient {
namespace json = boost::json;
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


struct SyncClient::Impl {
    Impl(Cache& cache_, ClientOptions options_, ClientEvents events_)
        : cache(cache_),
          options(std::move(options_)),
          events(std::move(events_)),
          token(options.token),
          url(parse_url(options.server)),
          sync_connection(ioc, url, options.ca_file),
          device_connection(ioc, url, options.ca_file),
          backoff(options.backoff_first) {}

    Cache& cache;
    const ClientOptions options;
    const ClientEvents events;
    std::string token;  // the options', or the one enrolment gave
    const Url url;
    asio::io_context ioc{1};
    HttpConnection sync_connection;
    HttpConnection device_connection;  // heartbeats and settings, one at a time
    asio::steady_timer pause_timer{ioc};
    asio::steady_timer device_timer{ioc};  // the next heartbeat; cancelled for settings to fetch now
    std::thread thread;

    // Everything below is touched on the client's thread only.
    bool stopping = false;
    bool sync_requested = false;
    bool first_attempt_done = false;
    std::string settings_tag;  // of the display settings held (from the cache at start)
    std::string review;        // the review asked for: the display settings', else the options'
    bool sync_in_flight = false;
    bool review_changed = false;  // the request in flight asked for another review: ended on purpose
    std::string wanted_tag;    // named by an answer and not held yet: fetch them
    std::string refused_tag;   // fetched and refused by the kiosk's rules: not asked again
    std::int64_t capture_said = 0;               // the last screenshot request told to the kiosk
    std::optional<ScreenshotUpload> screenshot;  // waiting to be sent
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
        if (token.empty() && options.enrol && !co_await enrol_by_code()) co_return;
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
        review = options.review;
        if (auto settings = cache.settings(); settings && settings->server == options.server) {
            settings_tag = settings->tag;
            review = review_of(settings->json);
        }
        // A document of another server, scope or review cannot be brought up to date with deltas.
        want_snapshot = !document || state.server != options.server || document->depth() != options.depth ||
                        (!options.org.empty() && document->org() != options.org) || !holds_review(*document);
    }

    // The review display settings name ("" for none), else the one of the options.
    std::string review_of(const std::string& settings_json) const {
        try {
            return kiosk::parse_settings(settings_json).review.value_or(options.review);
        } catch (const std::invalid_argument&) {
            return options.review;
        }
    }
    bool holds_review(const wire::ScopeDocument& held) const {
        return held.review() ? held.review()->code() == review : review.empty();
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
        const std::string asked_review = review;
        sync_in_flight = true;
        error_code ec = co_await sync_connection.exchange(request, reply, options.request_timeout, read_timeout);
        sync_in_flight = false;
        if (stopping) co_return milliseconds{0};
        // The review changed while this request was out: whatever came back (an error from the interruption, or
        // an answer that won the race with it) is for the review before; ask again for the new one.
        if (std::exchange(review_changed, false) || asked_review != review) co_return milliseconds{0};
        if (ec) co_return retry_later(Connection::offline, options.server + ": " + sync_connection.failure(ec));
        Answer answer = read_answer(reply.status, reply.body, reply.etag, held_from_server(), revalidate);
        if (reply.status == 200 || reply.status == 304) note_device_headers(reply);
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
        // The server answered but cannot show what this screen asks for (a review outside its figures): it is not
        // away, so neither offline nor backing off; asked again at the usual pace, the reason on the screen.
        if (reply.status == 422) {
            report(Connection::online, answer.line);
            co_return std::chrono::duration_cast<milliseconds>(options.interval);
        }
        co_return retry_later(Connection::offline, answer.line);
    }

    // Until IT enters the code this screen shows; false when stopped first.
    asio::awaitable<bool> enrol_by_code() {
        EnrolmentSteps steps{
            sync_connection, url, "chiso-kiosk/" + options.version, options.request_timeout, options.enrolment_poll,
            pause_timer, stopping,
            [this](const std::string& code, std::int64_t expires_in) {
                report(Connection::connecting, "enrolment code " + code + " shown, valid " +
                                                   std::to_string(expires_in / 60) + " min");
                if (events.enrolment) events.enrolment(code, expires_in);
            },
            [this](const std::string& detail) { report(Connection::connecting, detail); }};
        const std::optional<Enrolled> enrolled = co_await enrol(steps);
        if (!enrolled) co_return false;
        token = enrolled->token;
        if (events.enrolled) events.enrolled(enrolled->token, enrolled->name);
        report(Connection::connecting, "enrolled as " + enrolled->name + "; trying " + options.server);
        co_return true;
    }

    // The held document, when an answer of this server may replace it (and must not take it back).
    const wire::ScopeDocument* held_from_server() const {
        return document && state.server == options.server ? &*document : nullptr;
    }

    http::request<http::string_body> scope_request() const {
        std::string target = url.prefix + "/api/v1/scope?depth=" + std::to_string(options.depth);
        if (!options.org.empty()) target += "&org=" + percent_encode(options.org);
        if (!review.empty()) target += "&review=" + percent_encode(review);
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
        request.set(http::field::authorization, "Bearer " + token);
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
        want_snapshot = !holds_review(*document);
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

    // What the device loop has to say (a heartbeat, settings or a screenshot that failed): a line for the log that
    // leaves the connection's state, and the sync's own lines, alone.
    void note(const std::string& detail) {
        if (events.note) events.note(detail);
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

    // --- the device loop: heartbeats, and display settings when an answer names ones not held ----------------

    // The first heartbeat follows the first sync attempt, so that it carries what that attempt learnt.
    void kick_first_heartbeat() {
        if (std::exchange(first_attempt_done, true)) return;
        device_timer.cancel();
    }

    void note_device_headers(const Reply& reply) {
        note_settings_tag(reply.settings_tag);
        std::int64_t request = 0;
        const auto [end, error] =
            std::from_chars(reply.capture.data(), reply.capture.data() + reply.capture.size(), request);
        if (reply.capture.empty() || error != std::errc{} || end != reply.capture.data() + reply.capture.size() ||
            request <= 0 || request == capture_said)
            return;
        capture_said = request;
        if (events.capture) events.capture(request);
    }

    void note_settings_tag(const std::string& tag) {
        if (tag.empty() || tag == settings_tag || tag == refused_tag || tag == wanted_tag) return;
        wanted_tag = tag;
        device_timer.cancel();
    }

    asio::awaitable<void> device_loop() {
        while (!stopping && !first_attempt_done) {  // enrolling, or the first sync: nothing to say yet
            device_timer.expires_after(std::chrono::hours(1));
            error_code ec;  // cancelled by kick_first_heartbeat() or stop()
            co_await device_timer.async_wait(on_error(ec));
        }
        auto next_heartbeat = Clock::now();  // the first heartbeat follows the first sync attempt
        while (!stopping) {
            try {
                if (!wanted_tag.empty()) {
                    co_await fetch_settings();
                    continue;
                }
                if (screenshot) {
                    co_await send_screenshot();
                    continue;
                }
                if (Clock::now() >= next_heartbeat) {
                    co_await send_heartbeat();
                    next_heartbeat = Clock::now() + options.heartbeat_interval;
                    continue;
                }
            } catch (const std::exception& e) {
                note(std::string("heartbeat or settings failed: ") + e.what());
                next_heartbeat = Clock::now() + options.heartbeat_interval;
                wanted_tag.clear();
            }
            device_timer.expires_at(next_heartbeat);
            error_code ec;  // cancelled by kick_first_heartbeat(), note_settings_tag() or stop()
            co_await device_timer.async_wait(on_error(ec));
        }
    }

    asio::awaitable<void> send_heartbeat() {
        const HeartbeatInfo info = events.heartbeat ? events.heartbeat() : HeartbeatInfo{};
        json::object body{{"version", options.version},
                          {"revision", document ? document->revision() : 0},
                          {"data_age_s", state.synced_at > 0 ? unix_now() - state.synced_at : -1},
                          {"page", info.page},
                          {"screen_on", info.screen_on},
                          {"settings", settings_tag}};
        json::object display;
        if (info.display_connected) display["connected"] = *info.display_connected;
        if (!info.display_connector.empty()) display["connector"] = info.display_connector;
        if (!info.display_power.empty()) display["power"] = info.display_power;
        if (!display.empty()) body["display"] = std::move(display);
        const std::string target = "/api/v1/heartbeat";
        std::string text = json::serialize(body);
        co_await post_from_device(target, "application/json", text, "heartbeat");
    }

    asio::awaitable<void> send_screenshot() {
        ScreenshotUpload upload = std::move(*screenshot);
        screenshot.reset();
        std::string target = "/api/v1/screenshot?revision=" + std::to_string(upload.revision) +
                             "&page=" + percent_encode(upload.page) + "&drawn_at=" + std::to_string(upload.drawn_at);
        if (upload.request > 0) target += "&request=" + std::to_string(upload.request);
        const bool sent = co_await post_from_device(target, "image/png", upload.png, "screenshot");
        // A request not answered is said again by the next answer that names it.
        if (!sent && upload.request == capture_said) capture_said = 0;
    }

    // A POST of the device loop: the headers of its answer noted (settings, a screenshot asked for), a failure said
    // as one line naming `what`. Its strings are the caller's named ones (moved from: `body`): GCC 12 destroys a
    // temporary argument of a co_await'ed coroutine twice.
    asio::awaitable<bool> post_from_device(const std::string& target, std::string_view content_type, std::string& body,
                                           std::string_view what) {
        auto request = base_request(http::verb::post, url.prefix + target);
        request.keep_alive(false);  // a minute apart or more: not worth holding a connection the server would close
        request.set(http::field::content_type, content_type);
        request.body() = std::move(body);
        request.prepare_payload();
        Reply reply;
        error_code ec =
            co_await device_connection.exchange(request, reply, options.request_timeout, options.request_timeout);
        if (stopping) co_return false;
        if (ec) {
            note(std::string(what) + " not sent: " + device_connection.failure(ec));
            co_return false;
        }
        if (reply.status < 200 || reply.status > 299) {
            note(std::string(what) + " refused: HTTP " + std::to_string(reply.status) + ": " + error_text(reply.body));
            co_return false;
        }
        note_device_headers(reply);
        co_return true;
    }

    // Fetches the device's settings, checks them by the kiosk's rules, stores them, then tells. A failure is said
    // and left for the next answer that names the tag (a heartbeat's, within a minute); a refusal is not asked again.
    asio::awaitable<void> fetch_settings() {
        const std::string asked = std::exchange(wanted_tag, std::string());
        auto request = base_request(http::verb::get, url.prefix + "/api/v1/settings");
        Reply reply;
        error_code ec =
            co_await device_connection.exchange(request, reply, options.request_timeout, options.request_timeout);
        if (stopping) co_return;
        if (ec || reply.status != 200) {
            note("settings not fetched: " +
                                   (ec ? device_connection.failure(ec)
                                       : "HTTP " + std::to_string(reply.status) + ": " + error_text(reply.body)));
            co_return;
        }
        boost::system::error_code parse_error;
        const json::value answer = json::parse(reply.body, parse_error);
        const json::object* object = parse_error ? nullptr : answer.if_object();
        const json::value* tag = object ? object->if_contains("tag") : nullptr;
        const json::value* settings = object ? object->if_contains("settings") : nullptr;
        if (!tag || !tag->is_string() || !settings || !settings->is_object()) {
            refused_tag = asked;
            note("settings refused: not {\"tag\": ..., \"settings\": {...}}");
            co_return;
        }
        const std::string text = json::serialize(*settings);
        try {
            kiosk::parse_settings(text);
        } catch (const std::invalid_argument& e) {
            refused_tag = std::string(tag->as_string());
            note(std::string("settings refused, the last ones kept: ") + e.what());
            co_return;
        }
        settings_tag = std::string(tag->as_string());
        cache.store_settings({options.server, settings_tag, text});
        if (events.settings) events.settings(settings_tag, text);
        // Another review is another document: ask for it now, ending a long-poll held for the one before.
        if (std::string next = review_of(text); next != review) {
            review = std::move(next);
            want_snapshot = true;
            if (sync_in_flight) {
                review_changed = true;
                sync_connection.interrupt();
            }
            sync_requested = true;
            pause_timer.cancel();
        }
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
        asio::co_spawn(ioc, device_loop(), ended("the device loop"));
        ioc.run();
    }

    void stop() {
        asio::post(ioc, [this] {
            stopping = true;
            pause_timer.cancel();
            device_timer.cancel();
            sync_connection.stop();
            device_connection.stop();
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

void SyncClient::send_screenshot(ScreenshotUpload upload) {
    asio::post(impl_->ioc, [impl = impl_.get(), upload = std::move(upload)]() mutable {
        impl->screenshot = std::move(upload);
        impl->device_timer.cancel();
    });
}

void SyncClient::sync_now() {
    asio::post(impl_->ioc, [impl = impl_.get()] {
        impl->sync_requested = true;
        impl->pause_timer.cancel();
    });
}

}  // namespace chiso::syncclient
