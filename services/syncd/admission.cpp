#include "syncd/admission.hpp"

#include <algorithm>
#include <cmath>

namespace chiso::syncd {

void RateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
    const double elapsed = std::chrono::duration<double>(now - bucket.filled).count();
    if (elapsed > 0) {
        bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.per_second);
        bucket.filled = now;
    }
}

bool RateLimiter::allow(std::string_view key, Clock::time_point now, bool* first_refusal) {
    std::lock_guard lock(mutex_);
    auto [found, inserted] = buckets_.try_emplace(std::string(key));
    Bucket& bucket = found->second;
    if (inserted) bucket = {limit_.burst, now, {}};
    refill(bucket, now);
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
    }
    if (first_refusal) *first_refusal = now - bucket.last_refusal >= std::chrono::minutes{1};
    bucket.last_refusal = now;
    return false;
}

int RateLimiter::retry_after(std::string_view key, Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto found = buckets_.find(std::string(key));
    if (found == buckets_.end()) return 1;
    Bucket bucket = found->second;
    refill(bucket, now);
    const double missing = std::max(0.0, 1 - bucket.tokens);
    return std::max(1, static_cast<int>(std::ceil(missing / limit_.per_second)));
}

}  // namespace chiso::syncd
