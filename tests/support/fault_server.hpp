// A stand-in for chiso-syncd that misbehaves on cue, for the kiosk's fault tests. A loopback TCP server on its own
// thread (POSIX sockets, a thread per connection) answers GET /api/v1/scope with a real scope document recorded
// from the real chiso-syncd — 304 when the client's If-None-Match is current, holding a long-poll (wait=) until
// the document changes, a fault is armed or the wait ends — and POST /api/v1/heartbeat with 204. An armed fault
// is sent to the next scope request, or at once to a long-poll being held. Every answer closes its connection,
// so that a client's retry on a kept-alive connection cannot hide a fault.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chiso::test {

enum class Fault {
    killed_mid_response,  // the connection closes after half the answer's bytes
    truncated_body,       // Content-Length larger than what is sent, then close
    garbled_json,         // 200 with a body that is not JSON
    oversized,            // 200, chunked, streamed past `oversized_limit` until the client gives up
    wrong_schema,         // 200 with valid JSON of the wrong shape
    stall,                // the request is read and never answered
    revision_backwards,   // 200 with an older real document (`set_older`)
    http_500,             // 500 with syncd's {"error": ...}
};
const char* fault_name(Fault fault);
inline constexpr Fault kAllFaults[] = {Fault::killed_mid_response, Fault::truncated_body, Fault::garbled_json,
                                       Fault::oversized,           Fault::wrong_schema,   Fault::stall,
                                       Fault::revision_backwards,  Fault::http_500};

// A scope answer as the real chiso-syncd gave it.
struct RecordedAnswer {
    std::string body;
    std::string etag;
};

class FaultServer {
public:
    // Listens on a free loopback port. `oversized_limit`: how many body bytes an oversized answer goes past.
    explicit FaultServer(std::uint64_t oversized_limit);
    ~FaultServer();  // closes everything, held and stalled connections too, and joins the threads
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    void serve(RecordedAnswer current);    // the good answer from now on; wakes held long-polls
    void set_older(RecordedAnswer older);  // what revision_backwards sends
    void arm(Fault fault);                 // the next scope request gets it
    // Waits until an armed fault has been sent (for a stall: the request read); false after `timeout`.
    bool wait_sent(std::chrono::milliseconds timeout);
    int scope_requests() const { return scope_requests_; }

private:
    struct Request {
        std::string method;
        std::string target;
        std::string if_none_match;
    };
    void accept_loop();
    void handle(int fd);
    void answer_scope(int fd, const Request& request);
    void send_fault(int fd, Fault fault, const RecordedAnswer& current, const RecordedAnswer& older);
    bool send_all(int fd, std::string_view bytes);
    std::optional<Request> read_request(int fd);
    void wait_closed(int fd);  // a stall: until the client or the server gives up

    std::uint64_t oversized_limit_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> scope_requests_{0};
    std::atomic<int> wrong_shapes_{0};
    std::thread acceptor_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::thread> connections_;
    std::vector<int> open_fds_;
    RecordedAnswer current_, older_;
    std::optional<Fault> armed_;
    bool sent_ = false;
};

}  // namespace chiso::test
