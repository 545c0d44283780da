// Alerts without a dashboard open: every few seconds syncd judges each device (Service::device_states) and, when a
// device enters or leaves a problem state (silent, no display, display off, stale) and two checks in a row agree,
// POSTs one JSON notice to the webhook of [alerts] — once per change, in the order the changes happened, retried
// with a doubling pause when the receiver fails while the checks go on. A change outside the device's schedule
// (its display settings from syncd) is not announced: when the hours begin, the device is judged again and only a
// problem still there is. What was delivered is kept in the database, so a restart of syncd announces nothing
// twice and what it could not deliver, or what changed while it was down, is judged again.
//
//   {"device": "hall-1", "scope": "HT", "status": "silent", "previous": "online", "problem": true,
//    "reason": "no heartbeat for 4 min (silent after 3 min)", "at": "2026-12-03T08:12:40Z"}
#pragma once

#include "syncd/fleet.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace chiso::syncd {

class Service;

// [alerts] in chiso-syncd.toml.
struct AlertOptions {
    std::string webhook_url;  // http:// or https:// (the system's CAs); empty: no webhook
    std::chrono::seconds check_every{15};
    int attempts = 5;                       // per notice, the first included
    std::chrono::seconds first_retry{2};    // doubled after each failure
    std::chrono::seconds request_timeout{10};
};

class FleetWatch {
public:
    // Throws std::invalid_argument for a webhook URL that is not http:// or https://.
    FleetWatch(Service& service, const std::filesystem::path& database, FleetThresholds limits, AlertOptions options);
    ~FleetWatch();  // stop()

    void start();  // its own thread; does nothing without a webhook URL
    void stop();   // a notice in flight is abandoned (it is sent again after a restart)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace chiso::syncd
