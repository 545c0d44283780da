#include "syncd/reply_cache.hpp"

#include "syncd/service.hpp"

namespace chiso::syncd {

std::shared_ptr<const ScopeReply> ReplyCache::get(const std::string& key, std::int64_t revision,
                                                  const std::function<std::shared_ptr<const ScopeReply>()>& compute) {
    std::promise<std::shared_ptr<const ScopeReply>> promise;
    {
        std::unique_lock lock(mutex_);
        if (auto found = entries_.find(key); found != entries_.end()) {
            ++hits_;
            recent_.splice(recent_.begin(), recent_, found->second.recent);
            Future reply = found->second.reply;
            lock.unlock();
            return reply.get();  // at once, or when the request computing it has it
        }
        ++misses_;
        recent_.push_front(key);
        entries_.emplace(key, Entry{promise.get_future().share(), revision, 0, recent_.begin()});
    }
    std::shared_ptr<const ScopeReply> reply;
    try {
        reply = compute();
    } catch (...) {
        promise.set_exception(std::current_exception());
        std::lock_guard lock(mutex_);
        if (auto found = entries_.find(key); found != entries_.end() && found->second.bytes == 0) {
            recent_.erase(found->second.recent);
            entries_.erase(found);
        }
        throw;
    }
    promise.set_value(reply);
    std::lock_guard lock(mutex_);
    if (auto found = entries_.find(key); found != entries_.end() && found->second.bytes == 0) {
        found->second.bytes = key.size() + reply->etag.size() + reply->body.size() + sizeof(ScopeReply);
        bytes_ += found->second.bytes;
        evict_beyond_limit();
    }
    return reply;
}

void ReplyCache::evict_beyond_limit() {
    // From the least recently used; a reply still being computed is not counted yet and stays.
    for (auto it = recent_.end(); bytes_ > limit_ && it != recent_.begin();) {
        --it;
        auto found = entries_.find(*it);
        if (found->second.bytes == 0) continue;
        bytes_ -= found->second.bytes;
        ++evictions_;
        entries_.erase(found);
        it = recent_.erase(it);
    }
}

void ReplyCache::drop_before(std::int64_t revision) {
    std::lock_guard lock(mutex_);
    for (auto it = recent_.begin(); it != recent_.end();) {
        auto found = entries_.find(*it);
        if (found->second.bytes == 0 || found->second.revision >= revision) {
            ++it;
            continue;
        }
        bytes_ -= found->second.bytes;
        entries_.erase(found);
        it = recent_.erase(it);
    }
}

ReplyCache::Stats ReplyCache::stats() const {
    std::lock_guard lock(mutex_);
    return {bytes_, entries_.size(), limit_, hits_, misses_, evictions_};
}

}  // namespace chiso::syncd
