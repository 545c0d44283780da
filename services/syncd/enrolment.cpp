#include "syncd/enrolment.hpp"

#include "store/store.hpp"
#include "syncd/service.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cctype>

namespace chiso::syncd {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32: no 0/O, no 1/I
constexpr std::size_t kCodeLength = 8;

std::string random_code() {
    std::array<unsigned char, kCodeLength> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw ServiceError(503, "no randomness for a code");
    std::string code;
    for (const unsigned char byte : bytes) code += kAlphabet[byte % kAlphabet.size()];  // 256 = 8 × 32: even
    return code;
}

// Drops the times older than `window` from the front.
void trim(std::deque<Enrolment::Clock::time_point>& times, Enrolment::Clock::time_point now,
          std::chrono::seconds window) {
    while (!times.empty() && now - times.front() >= window) times.pop_front();
}

// The same for every key, forgetting the keys left with none: the map holds only who counts now.
void trim_all(std::map<std::string, std::deque<Enrolment::Clock::time_point>>& by_key, Enrolment::Clock::time_point now,
              std::chrono::seconds window) {
    for (auto it = by_key.begin(); it != by_key.end();) {
        trim(it->second, now, window);
        it = it->second.empty() ? by_key.erase(it) : std::next(it);
    }
}

std::chrono::seconds left(Enrolment::Clock::time_point expires, Enrolment::Clock::time_point now) {
    return std::chrono::ceil<std::chrono::seconds>(expires - now);
}

}  // namespace

Enrolment::Enrolment(EnrolmentLimits limits) : limits_(limits) {}

std::string Enrolment::normalise(const std::string& code) {
    std::string out;
    for (const char c : code) {
        if (c == '-' || c == ' ') continue;
        const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (kAlphabet.find(upper) == std::string_view::npos || out.size() == kCodeLength) return {};
        out += upper;
    }
    return out.size() == kCodeLength ? out : std::string();
}

void Enrolment::forget_expired(Clock::time_point now) {
    for (auto it = pending_.begin(); it != pending_.end();)
        it = now >= it->second.expires ? pending_.erase(it) : std::next(it);
}

EnrolmentCode Enrolment::open(const std::string& address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    forget_expired(now);
    trim_all(opens_, now, std::chrono::minutes(1));
    if (const auto found = opens_.find(address);
        found != opens_.end() && static_cast<int>(found->second.size()) >= limits_.opens_per_address_per_minute)
        throw ServiceError(429, "too many enrolment codes asked from this address; wait a minute");
    if (pending_.size() >= limits_.max_pending)
        throw ServiceError(503, "too many screens waiting to be enrolled; try again later");
    std::string code;
    do code = random_code();
    while (pending_.contains(code));
    const std::string key = store::random_token();
    pending_[code] = Pending{store::sha256_hex(key), now + limits_.lifetime, std::nullopt, {}};
    opens_[address].push_back(now);
    return {code.substr(0, 4) + "-" + code.substr(4), key, limits_.lifetime};
}

EnrolmentStatus Enrolment::poll(const std::string& code, const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto found = pending_.find(normalise(code));
    const std::string hash = store::sha256_hex(key);
    if (found == pending_.end() || hash.size() != found->second.key_hash.size() ||
        CRYPTO_memcmp(hash.data(), found->second.key_hash.data(), hash.size()) != 0)
        throw ServiceError(404, "no such enrolment code");
    Pending& entry = found->second;
    if (now >= entry.expires) {
        pending_.erase(found);
        throw ServiceError(410, "the enrolment code expired; ask for a new one");
    }
    // Given again to the key's holder until the entry expires: an answer lost on the way must not lose the token.
    if (entry.token) return {true, *entry.token, entry.name, {}};
    return {false, {}, {}, left(entry.expires, now)};
}

void Enrolment::claim(const std::string& code, const std::string& by, Clock::time_point now,
                      const std::string& name, const std::function<std::string()>& make_token) {
    std::lock_guard lock(mutex_);
    trim_all(wrong_, now, limits_.wrong_code_window);
    if (const auto found = wrong_.find(by);
        found != wrong_.end() && static_cast<int>(found->second.size()) >= limits_.wrong_codes_per_token)
        throw ServiceError(429, "too many wrong enrolment codes from this token; wait a few minutes");
    forget_expired(now);
    const auto found = pending_.find(normalise(code));
    if (found == pending_.end() || found->second.token) {
        wrong_[by].push_back(now);
        throw ServiceError(404, "no screen is waiting with this code (wrong, expired or already used)");
    }
    found->second.token = make_token();
    found->second.name = name;
    found->second.expires = now + limits_.lifetime;  // a whole lifetime for the kiosk to collect it
}

}  // namespace chiso::syncd
