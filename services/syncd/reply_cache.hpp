// Rendered scope replies, bounded by their bytes: past the limit the least recently used go first. Two requests
// for the same reply compute it once; the second waits for the first's answer. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace chiso::syncd {

struct ScopeReply;

class ReplyCache {
public:
    explicit ReplyCache(std::size_t byte_limit) : limit_(byte_limit) {}

    // The cached reply for `key`, else compute()'s, kept for the next asker. An exception from compute() reaches
    // every caller waiting for that key, and nothing is kept.
    // `revision`: the dataset revision the reply is made at.
    std::shared_ptr<const ScopeReply> get(const std::string& key, std::int64_t revision,
                                          const std::function<std::shared_ptr<const ScopeReply>()>& compute);
    // Drops every reply made at a revision before `revision`.
    void drop_before(std::int64_t revision);

    struct Stats {
        std::size_t bytes = 0;
        std::size_t entries = 0;
        std::size_t byte_limit = 0;
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
        std::uint64_t evictions = 0;
    };
    Stats stats() const;

private:
    using Future = std::shared_future<std::shared_ptr<const ScopeReply>>;
    struct Entry {
        Future reply;
        std::int64_t revision = 0;
        std::size_t bytes = 0;  // 0 while being computed
        std::list<std::string>::iterator recent;
    };
    void evict_beyond_limit();  // with mutex_ held

    const std::size_t limit_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> recent_;  // most recently used first
    std::size_t bytes_ = 0;
    std::uint64_t hits_ = 0, misses_ = 0, evictions_ = 0;
};

}  // namespace chiso::syncd
