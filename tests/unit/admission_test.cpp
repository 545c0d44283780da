// The per-token rate limit: a burst is allowed at once, then the sustained rate; tokens do not share a bucket;
// a run of refusals is reported as new once, and Retry-After says when the next request will pass.
#include "syncd/admission.hpp"

#include <gtest/gtest.h>

namespace chiso::syncd {
namespace {
using namespace std::chrono_literals;

TEST(RateLimiter, allows_the_burst_then_the_rate) {
    RateLimiter limiter({.per_second = 2, .burst = 5});
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.allow("a", t0)) << i;
    EXPECT_FALSE(limiter.allow("a", t0));
    EXPECT_FALSE(limiter.allow("a", t0 + 400ms));
    EXPECT_TRUE(limiter.allow("a", t0 + 500ms));   // one more after half a second at 2/s
    EXPECT_FALSE(limiter.allow("a", t0 + 600ms));
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.allow("a", t0 + 1h)) << "refilled to the burst, no more";
    EXPECT_FALSE(limiter.allow("a", t0 + 1h));
}

TEST(RateLimiter, each_token_has_its_own_bucket) {
    RateLimiter limiter({.per_second = 1, .burst = 1});
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.allow("flood", t0));
    EXPECT_FALSE(limiter.allow("flood", t0));
    EXPECT_TRUE(limiter.allow("quiet", t0));
}

TEST(RateLimiter, a_run_of_refusals_is_new_once_and_retry_after_is_honest) {
    RateLimiter limiter({.per_second = 0.5, .burst = 1});
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    bool first = false;
    EXPECT_TRUE(limiter.allow("a", t0, &first));
    EXPECT_FALSE(limiter.allow("a", t0, &first));
    EXPECT_TRUE(first);
    EXPECT_EQ(limiter.retry_after("a", t0), 2);  // a whole token missing at 0.5/s
    EXPECT_FALSE(limiter.allow("a", t0 + 1s, &first));
    EXPECT_FALSE(first) << "the same run of refusals";
    EXPECT_EQ(limiter.retry_after("a", t0 + 1s), 1);  // half a token missing
    EXPECT_EQ(limiter.retry_after("never-seen", t0), 1);
    EXPECT_TRUE(limiter.allow("a", t0 + 3min));
    EXPECT_FALSE(limiter.allow("a", t0 + 3min, &first));
    EXPECT_TRUE(first) << "a new run, minutes after the last";
}

}  // namespace
}  // namespace chiso::syncd
