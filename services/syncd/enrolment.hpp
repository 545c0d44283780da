// Enrolment by code: a kiosk that has a server but no token (one image for every screen) opens a code and shows
// it; IT enters that code in the console with the screen's name, scope and groups; the kiosk, asking with the key
// only it was given, receives its new device token (again, should an answer be lost, until the code expires). Held in memory: a code outlives nothing but its minutes,
// and a kiosk whose code is gone (expired, or syncd restarted) opens a new one.
//
// Codes are 8 letters and digits (no 0/O, 1/I), shown as ABCD-EFGH, random (2^40), single-use, and expire after
// `lifetime`. Opening is rate-limited per client address, wrong codes per IT token; the pending set is bounded.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace chiso::syncd {

struct EnrolmentCode {
    std::string code;  // "ABCD-EFGH"
    std::string key;   // 64 hex digits: what the kiosk asks with
    std::chrono::seconds expires_in;
};

struct EnrolmentStatus {
    bool enrolled = false;
    std::string token;  // when enrolled: the device's token, given this once
    std::string name;
    std::chrono::seconds expires_in{0};  // when waiting
};

struct EnrolmentLimits {
    std::chrono::seconds lifetime{15 * 60};
    std::size_t max_pending = 1000;
    int opens_per_address_per_minute = 5;
    int wrong_codes_per_token = 10;  // within wrong_code_window
    std::chrono::seconds wrong_code_window{10 * 60};
};

class Enrolment {
public:
    using Clock = std::chrono::steady_clock;
    explicit Enrolment(EnrolmentLimits limits = {});

    // Throws ServiceError 429 (this address opened too many lately) or 503 (too many codes waiting).
    EnrolmentCode open(const std::string& address, Clock::time_point now);
    // What became of a code: throws ServiceError 404 for an unknown code or a wrong key, 410 for an expired one.
    // An enrolled code is answered with its token until the code's (renewed) lifetime ends.
    EnrolmentStatus poll(const std::string& code, const std::string& key, Clock::time_point now);
    // IT's: `make_token` creates the device (and may throw a ServiceError, which leaves the code waiting) and
    // returns its clear token. Throws ServiceError 404 for a code not waiting (wrong, expired, already used),
    // 429 when `by` gave too many wrong codes lately.
    void claim(const std::string& code, const std::string& by, Clock::time_point now, const std::string& name,
               const std::function<std::string()>& make_token);

    // "abcd efgh", "ABCD-EFGH" → "ABCDEFGH"; empty when it cannot be a code.
    static std::string normalise(const std::string& code);

private:
    struct Pending {
        std::string key_hash;
        Clock::time_point expires;
        std::optional<std::string> token;
        std::string name;
    };
    void forget_expired(Clock::time_point now);

    EnrolmentLimits limits_;
    std::mutex mutex_;
    std::map<std::string, Pending> pending_;                        // by normalised code
    std::map<std::string, std::deque<Clock::time_point>> opens_;    // by address, within the last minute
    std::map<std::string, std::deque<Clock::time_point>> wrong_;    // by IT token name, within the window
};

}  // namespace chiso::syncd
