// A webhook receiver for tests: an HTTP/1.1 server on a free loopback port, on its own thread, that keeps every
// request body it is sent and answers 204 — or 503 to the first `fail_first` requests, to make the sender retry.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chiso::test {

class WebhookReceiver {
public:
    explicit WebhookReceiver(int fail_first = 0);
    ~WebhookReceiver();

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/chiso"; }

    std::vector<std::string> accepted() const;  // the bodies answered 204, in order
    int requests() const;                       // every request, the refused ones included
    // Waits (woken by each request) until `count` bodies were accepted; false when `limit` passes first.
    bool wait_for(std::size_t count, std::chrono::milliseconds limit) const;

private:
    void serve();

    struct Io;
    std::unique_ptr<Io> io_;
    int port_ = 0;
    int fail_first_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::string> accepted_;
    std::vector<std::string> paths_;
    int requests_ = 0;
    std::thread thread_;
};

}  // namespace chiso::test
