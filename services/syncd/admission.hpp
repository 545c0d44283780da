// How much one client may take of chiso-syncd: a token bucket per token, so that one runaway or hostile device
// cannot crowd out the rest of the fleet. A kiosk asks about twice a minute (a long-poll, a heartbeat), so the
// default rate is far above what a well-behaved screen uses; a flood gets 429 with Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chiso::syncd {

struct RateLimit {
    double per_second = 10;  // [server] requests_per_second: sustained rate per token
    double burst = 60;       // [server] request_burst: how many may come at once
};

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(RateLimit limit) : limit_(limit) {}

    // Takes one request from `key`'s bucket; false when it is empty. `first_refusal` is set true when this
    // refusal starts a run of them (after a minute without one), so that a flood is logged once, not per request.
    bool allow(std::string_view key, Clock::time_point now, bool* first_refusal = nullptr);

    // Seconds until `key` may send again (at least 1): the Retry-After of a 429.
    int retry_after(std::string_view key, Clock::time_point now) const;

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point filled;
        Clock::time_point last_refusal;
    };
    void refill(Bucket& bucket, Clock::time_point now) const;

    RateLimit limit_;
    mutable std::mutex mutex_;
    // One entry per token that has been seen, authenticated: bounded by the number of tokens, not by requests.
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace chiso::syncd
