#include "syncd/fleet_watch.hpp"

#include "store/store.hpp"
#include "syncclient/http_connection.hpp"
#include "syncd/service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <map>
#include <thread>

namespace chiso::syncd {
namespace json = boost::json;
using syncclient::on_error;
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t kQueueLimit = 10'000;  // notices waiting for a receiver that is down

struct Notice {
    std::string device;
    std::string status;  // what is announced, and kept once it is
    std::string body;
};

}  // namespace

struct FleetWatch::Impl {
    Impl(Service& service_, const std::filesystem::path& database, FleetThresholds limits_, AlertOptions options_)
        : service(service_),
          store(database),
          limits(limits_),
          options(std::move(options_)),
          url(syncclient::parse_url(options.webhook_url.empty() ? "http://unused" : options.webhook_url)),
          connection(ioc, url, "") {
        announced = store.alert_states();
    }

    Service& service;
    store::Store store;  // the watch's own connection: device_alerts
    const FleetThresholds limits;
    const AlertOptions options;
    const syncclient::Url url;
    asio::io_context ioc{1};
    syncclient::HttpConnection connection;
    asio::steady_timer timer{ioc};
    std::thread thread;
    bool stopping = false;
    std::map<std::string, std::string> announced;  // device → the status last announced (or queued)
    std::deque<Notice> queue;

    // The status a device is announced by: a problem by its name, anything else as "ok" (so that a device going
    // from silent to stale is a change, and from online to never seen is not).
    static std::string announced_status(DeviceStatus status) {
        return is_problem(status) ? std::string(status_name(status)) : "ok";
    }

    std::int64_t checks = 0;
    std::map<std::string, std::string> seen;  // device → the status the last check found (changes need two)

    // A change is announced when two checks in a row find it, so that a status held for a moment (a display
    // that answers "standby" while it wakes) is not.
    void check() {
        const std::vector<DeviceState> devices = service.device_states(limits);
        spdlog::debug("alert watch: check {}: {} devices", ++checks, devices.size());
        for (const DeviceState& device : devices) {
            if (device.verdict.status == DeviceStatus::revoked || device.verdict.status == DeviceStatus::never_seen)
                continue;
            const std::string now = announced_status(device.verdict.status);
            const std::string before = std::exchange(seen[device.name], now);
            auto [known, added] = announced.try_emplace(device.name, "ok");
            if (known->second == now || before != now) continue;
            if (!device.in_hours) continue;  // muted: judged again when its hours begin
            json::object body{{"device", device.name},
                              {"scope", device.scope},
                              {"status", status_name(device.verdict.status)},
                              {"previous", known->second},
                              {"problem", is_problem(device.verdict.status)},
                              {"reason", device.verdict.reason},
                              {"at", utc_now()}};
            known->second = now;
            if (queue.size() >= kQueueLimit) {
                spdlog::error("alert webhook: {} notices wait already; the one of {} ({}) is dropped", kQueueLimit,
                              device.name, now);
                continue;
            }
            queue.push_back({device.name, now, json::serialize(body)});
            spdlog::info("alert: device {} is {} ({})", device.name, status_name(device.verdict.status),
                         device.verdict.reason);
        }
    }

    // One attempt to send `notice`; true when the receiver took it (2xx).
    asio::awaitable<bool> send(const Notice& notice) {
        http::request<http::string_body> request{http::verb::post, url.prefix.empty() ? "/" : url.prefix, 11};
        request.set(http::field::host, url.authority);
        request.set(http::field::user_agent, "chiso-syncd/" CHISO_VERSION);
        request.set(http::field::content_type, "application/json");
        request.keep_alive(false);
        request.body() = notice.body;
        request.prepare_payload();
        syncclient::Reply reply;
        const auto ec =
            co_await connection.exchange(request, reply, options.request_timeout, options.request_timeout);
        if (!ec && reply.status >= 200 && reply.status < 300) co_return true;
        spdlog::warn("alert webhook: attempt {} of {} for {} failed: {}", attempts + 1, options.attempts,
                     notice.device, ec ? connection.failure(ec) : "HTTP " + std::to_string(reply.status));
        co_return false;
    }

    // Sends what waits, in order, until an attempt fails; the failed notice is tried again after a pause that
    // doubles, while the fleet goes on being checked. Only a notice delivered is kept as announced: after a
    // restart, one given up on is judged again.
    asio::awaitable<void> deliver() {
        while (!queue.empty() && !stopping && std::chrono::steady_clock::now() >= retry_at) {
            const Notice notice = queue.front();
            if (co_await send(notice)) {
                store.set_alert_state(notice.device, notice.status);
                queue.pop_front();
                attempts = 0;
                pause = options.first_retry;
                continue;
            }
            if (stopping) co_return;
            if (++attempts >= options.attempts) {
                spdlog::error("alert webhook: gave up on the notice of {} ({}) after {} attempts", notice.device,
                              notice.status, options.attempts);
                queue.pop_front();
                attempts = 0;
                pause = options.first_retry;
                continue;
            }
            retry_at = std::chrono::steady_clock::now() + pause;
            pause *= 2;
        }
    }

    asio::awaitable<void> loop() {
        while (!stopping) {
            try {
                check();
                co_await deliver();
            } catch (const std::exception& e) {
                spdlog::warn("alert watch: {}", e.what());
            }
            if (stopping) break;
            // The next check, or the next retry if it comes first.
            auto wake = std::chrono::steady_clock::now() + options.check_every;
            if (!queue.empty()) wake = std::min(wake, std::max(retry_at, std::chrono::steady_clock::now()));
            timer.expires_at(wake);
            boost::system::error_code waited;
            co_await timer.async_wait(on_error(waited));
        }
    }

    int attempts = 0;  // failed attempts of the notice at the head of the queue
    std::chrono::seconds pause = options.first_retry;
    std::chrono::steady_clock::time_point retry_at{};
};

FleetWatch::FleetWatch(Service& service, const std::filesystem::path& database, FleetThresholds limits,
                       AlertOptions options)
    : impl_(std::make_unique<Impl>(service, database, limits, std::move(options))) {}

FleetWatch::~FleetWatch() {
    stop();
}

void FleetWatch::start() {
    if (impl_->options.webhook_url.empty() || impl_->thread.joinable()) return;
    asio::co_spawn(impl_->ioc, impl_->loop(), asio::detached);
    impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
    spdlog::info("alerts: device problems are POSTed to {} (checked every {} s)", impl_->options.webhook_url,
                 impl_->options.check_every.count());
}

void FleetWatch::stop() {
    if (!impl_->thread.joinable()) return;
    asio::post(impl_->ioc, [impl = impl_.get()] {
        impl->stopping = true;
        impl->timer.cancel();
        impl->connection.stop();
    });
    impl_->thread.join();
}

}  // namespace chiso::syncd
