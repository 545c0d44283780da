// What every connection of one server shares: the service, the options, the counters, the limits, and the sets of
// open connections and waiting long-polls that stop() and a change must reach. Also the Asio and Beast names the
// files of syncd/http/ use. Internal to the server: only server.cpp and syncd/http/ include it.
#pragma once

#include "syncd/admission.hpp"
#include "syncd/enrolment.hpp"
#include "syncd/http/tls.hpp"
#include "syncd/metrics.hpp"
#include "syncd/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace chiso::syncd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using error_code = beast::error_code;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

class Service;
class Session;  // syncd/http/session.cpp

// The sessions stop() must reach and the long-polls a change must wake; weak so the set never keeps one alive.
class SessionSet {
public:
    void add(const std::shared_ptr<Session>& session) {
        std::lock_guard lock(mutex_);
        items_.emplace(session.get(), session);
    }
    void remove(const Session* session) {
        std::lock_guard lock(mutex_);
        items_.erase(session);
        if (items_.empty()) emptied_.notify_all();
    }
    std::vector<std::shared_ptr<Session>> snapshot() const {
        std::lock_guard lock(mutex_);
        std::vector<std::shared_ptr<Session>> out;
        out.reserve(items_.size());
        for (const auto& [key, weak] : items_)
            if (auto session = weak.lock()) out.push_back(std::move(session));
        return out;
    }
    bool wait_until_empty(std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex_);
        return emptied_.wait_for(lock, limit, [this] { return items_.empty(); });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable emptied_;
    std::unordered_map<const Session*, std::weak_ptr<Session>> items_;
};

// How many of something each key holds against a cap: connections per client address, long-polls per token.
class CountsByKey {
public:
    bool try_add(const std::string& key, std::size_t cap) {
        std::lock_guard lock(mutex_);
        auto [it, added] = counts_.try_emplace(key, 0);
        if (it->second >= cap) return false;  // never the case for a key just added: a cap is at least 1
        ++it->second;
        return true;
    }
    void remove(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto found = counts_.find(key);
        if (found != counts_.end() && --found->second == 0) counts_.erase(found);
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> counts_;
};
struct Shared {
    Shared(Service& s, ServerOptions o) : service(s), options(std::move(o)), tls(make_tls_context(options)) {}

    Service& service;
    ServerOptions options;
    std::unique_ptr<asio::ssl::context> tls;  // [tls] set: every connection speaks TLS
    Metrics metrics;
    SessionSet sessions;  // every open connection
    SessionSet waiters;   // connections holding a long-poll
    mutable CountsByKey connections_by_address;
    mutable CountsByKey longpolls_by_token;
    mutable RateLimiter limiter{options.rate};
    Enrolment enrolment;  // codes of kiosks waiting for a token
    std::atomic<bool> stopping{false};
    asio::thread_pool* import_thread = nullptr;  // imports run here, one at a time, never on the I/O threads
};

}  // namespace chiso::syncd
