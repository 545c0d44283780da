// The kiosk's sync client: on its own thread (an Asio io_context), it pulls the configured scope from
// chiso-syncd — revalidating with ETag/If-None-Match, asking for deltas since the revision it holds, and
// long-polling when the server answers — and writes every change to the cache in one transaction before
// telling anyone. On failure it backs off exponentially with jitter to a cap, and tries again at once when the
// server answers. It sends a heartbeat at a fixed interval, and fetches the device's display settings when an
// answer names ones it does not hold. Callbacks run on the client's thread.
// A document held in the cache is revalidated (since=, If-None-Match) only if it came from the same server,
// organisation and depth; otherwise the first request asks for a fresh snapshot. Over https it verifies the
// server's certificate and host name (HttpConnection in client.cpp).
#pragma once

#include "syncclient/cache.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace chiso::syncclient {

struct ClientOptions {
    std::string server = "http://127.0.0.1:8470";  // http[s]://host[:port][/prefix]
    // https only: the CA certificates (PEM) the server's certificate must chain to, and no others; empty: the
    // system's trusted CAs. Read at every new connection, so a renewed file counts without a restart.
    std::string ca_file;
    std::string token;  // empty: enrol by code first (ClientEvents::enrolment, enrolled), if `enrol`
    bool enrol = true;  // false: an empty token is sent as it is, and refused
    std::string org;    // empty: the device's own scope
    int depth = 1;
    std::string review;  // a review period every page shows (empty: none); display settings from the server win
    std::chrono::seconds interval{30};         // between polls when the server does not long-poll
    std::chrono::seconds long_poll{25};        // wait= asked of the server (0: plain polling)
    std::chrono::seconds request_timeout{40};  // per step (connect, write, read), plus long_poll when long-polling
    std::chrono::seconds backoff_first{1};
    std::chrono::seconds backoff_cap{60};
    std::chrono::seconds heartbeat_interval{60};
    std::chrono::milliseconds enrolment_poll{2000};  // asking what became of the enrolment code
    std::string version = "dev";
};

enum class Connection { connecting, online, offline, unauthorized };
const char* connection_name(Connection connection);

// What the kiosk tells syncd in its heartbeat; read on the client's thread when a heartbeat is due.
struct HeartbeatInfo {
    std::string page;
    bool screen_on = true;
    std::optional<bool> display_connected;  // nullopt: the kiosk cannot tell
    std::string display_connector;          // "HDMI-A-1"
    std::string display_power;              // over HDMI-CEC: "on", "standby", "unknown"; empty: no CEC
};

struct ClientEvents {
    // A new document is in the cache (committed); the client keeps it too, and never changes it.
    std::function<void(std::shared_ptr<const wire::ScopeDocument>)> updated;
    // The connection state changed, a new document came, or an attempt failed (with when the next one is; detail:
    // one line for the log). A quiet 304 says nothing here...
    std::function<void(Connection, const std::string& detail)> connection;
    // ...but here: the server confirmed the cached document is current (unix seconds of the answer).
    std::function<void(std::int64_t synced_at)> revalidated;
    std::function<HeartbeatInfo()> heartbeat;  // called on the client's thread: must be safe to call from there
    // New display settings (kiosk/settings.hpp), checked by the kiosk's rules and stored in the cache: their tag
    // and JSON object. An answer naming a tag the kiosk does not hold makes it fetch them (GET /api/v1/settings).
    std::function<void(const std::string& tag, const std::string& json)> settings;
    // IT asked for a screenshot (request number, named by an answer): the kiosk takes one and hands it to
    // send_screenshot() with that number. Said once per request.
    std::function<void(std::int64_t request)> capture;
    // Without a token: a code to show until IT enters it (seconds it is valid for), then the device's token and
    // name — to be kept where the next start finds it — after which the client syncs as that device.
    std::function<void(const std::string& code, std::int64_t expires_in)> enrolment;
    std::function<void(const std::string& token, const std::string& name)> enrolled;
    // A heartbeat, settings or a screenshot failed: one line for the log; the connection's state is not changed.
    std::function<void(const std::string& detail)> note;
};

// An image of the screen for syncd (POST /api/v1/screenshot), with what it shows.
struct ScreenshotUpload {
    std::string png;
    std::int64_t revision = 0;
    std::string page;
    std::int64_t drawn_at = 0;  // unix seconds
    std::int64_t request = 0;   // the request it answers; 0: a periodic one
};

class SyncClient {
public:
    // Throws std::invalid_argument when options.server is not an http:// or https:// URL. A CA file that cannot be
    // read, or a server certificate that is refused, is a failed sync like any other, with the reason in `detail`.
    SyncClient(Cache& cache, ClientOptions options, ClientEvents events);
    ~SyncClient();  // stop()

    void start();     // starts the thread (once)
    void stop();      // ends any request in flight and joins the thread, within milliseconds
    void sync_now();  // skip the wait or backoff in progress
    // Sends it on the device loop; one waits at most (a newer one replaces it). Its outcome is said as a
    // connection detail line.
    void send_screenshot(ScreenshotUpload upload);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace chiso::syncclient
