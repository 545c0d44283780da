// A kiosk without a token enrols by code (syncd/enrolment.hpp): it opens a code, has it shown, and asks every few
// seconds what became of it until IT has entered it in the console; then it has its device token. A code that
// expired (or a syncd that restarted) gives a new code; a server away is tried again with a doubling pause.
// Runs on the sync client's thread, before its sync loop (client.cpp). Private to the sync client.
#pragma once

#include "syncclient/http_connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace chiso::syncclient {

struct Enrolled {
    std::string token;
    std::string name;  // the device's, as IT named it
};

struct EnrolmentSteps {
    HttpConnection& connection;
    const Url& url;
    std::string user_agent;
    std::chrono::seconds request_timeout;
    std::chrono::milliseconds poll_every;
    asio::steady_timer& timer;  // cancelled by stop()
    const bool& stopping;
    std::function<void(const std::string& code, std::int64_t expires_in)> code;  // a new code to show
    std::function<void(const std::string& detail)> failed;                       // one line for the log
};

// Until enrolled (its token) or stopped (nullopt). `steps` by reference, held by the caller: GCC 12 destroys a
// temporary argument of a co_await'ed coroutine twice.
asio::awaitable<std::optional<Enrolled>> enrol(EnrolmentSteps& steps);

}  // namespace chiso::syncclient
