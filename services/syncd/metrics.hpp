// chiso-syncd's own counters, exposed at GET /metrics in Prometheus' text format.
// Every update is one relaxed atomic operation, so the request path can count without locking.
#pragma once

#include "syncd/reply_cache.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace chiso::syncd {

// The routes a request is counted under; anything else is "other", which keeps the label set bounded.
enum class Route {
    health, metrics, scope, import, imports, heartbeat, devices, fleet, settings, groups, screenshot, enrolment, other
};
inline constexpr std::size_t route_count = 13;
std::string_view route_name(Route route);

class Metrics {
public:
    void count_request(Route route, int status, std::chrono::steady_clock::duration took);
    void count_import(bool applied);
    void count_screenshot() { screenshots_.fetch_add(1, std::memory_order_relaxed); }
    void connection_opened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
    void connection_closed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
    void connection_refused() { connections_refused_.fetch_add(1, std::memory_order_relaxed); }
    void longpoll_started() { longpolls_waiting_.fetch_add(1, std::memory_order_relaxed); }
    void longpoll_ended() { longpolls_waiting_.fetch_sub(1, std::memory_order_relaxed); }

    std::int64_t connections_open() const { return connections_open_.load(std::memory_order_relaxed); }
    std::int64_t longpolls_waiting() const { return longpolls_waiting_.load(std::memory_order_relaxed); }

    // The exposition text (format 0.0.4); revision is the store's current one.
    std::string render(std::int64_t revision, const ReplyCache::Stats& replies) const;

private:
    static constexpr int first_status = 100;
    static constexpr int status_slots = 500;  // 100..599: exact status labels at a fixed, small cost

    using Counter = std::atomic<std::uint64_t>;
    std::array<std::array<Counter, status_slots>, route_count> requests_{};
    Counter duration_ns_sum_{0};
    Counter duration_count_{0};
    Counter imports_applied_{0};
    Counter imports_rejected_{0};
    Counter screenshots_{0};
    std::atomic<std::int64_t> connections_open_{0};
    Counter connections_refused_{0};
    std::atomic<std::int64_t> longpolls_waiting_{0};
};

}  // namespace chiso::syncd
