#include "syncd/server.hpp"

#include "syncd/http/listener.hpp"
#include "syncd/http/session.hpp"
#include "syncd/http/shared.hpp"
#include "syncd/service.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace chiso::syncd {

// The threads and their event loops, the listener, and stopping. What a connection does is in syncd/http/.
struct Server::Impl {
    // Lets the Service's on_change listener, which lives as long as the Service, reach the Server only while it
    // exists.
    struct ChangeRelay {
        std::mutex mutex;
        Impl* target = nullptr;
    };

    Impl(Service& service, ServerOptions options)
        : shared(service, std::move(options)), loops(make_loops(shared.options.threads)), listener(shared, pointers(loops)) {
        shared.import_thread = &import_thread;
        for (auto& loop : loops) keep_running.push_back(asio::make_work_guard(*loop));
    }

    // One io_context per thread, each with its own connections, as nginx has one event loop per worker: a
    // connection's handlers all run on its thread, so no strand, lock or wake-up crosses between threads on the
    // request path. The listener hands new connections out in turn.
    static std::vector<std::unique_ptr<asio::io_context>> make_loops(int threads) {
        if (threads < 1) throw std::runtime_error("server threads must be at least 1");
        std::vector<std::unique_ptr<asio::io_context>> out;
        for (int i = 0; i < threads; ++i) out.push_back(std::make_unique<asio::io_context>(1));
        return out;
    }

    static std::vector<asio::io_context*> pointers(const std::vector<std::unique_ptr<asio::io_context>>& loops) {
        std::vector<asio::io_context*> out;
        for (const auto& loop : loops) out.push_back(loop.get());
        return out;
    }

    void run_thread(asio::io_context& loop) {
        for (;;) {
            try {
                loop.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("unexpected exception in the server loop: {}", e.what());
            }
        }
    }

    void stop() {
        std::lock_guard lock(stop_mutex);  // a second caller waits for the first to finish
        if (shared.stopping.exchange(true)) return join();
        listener.stop();
        stop_sessions(shared);
        if (!threads.empty() && !shared.sessions.wait_until_empty(shared.options.stop_grace))
            spdlog::warn("stopping with {} connection(s) still open", shared.metrics.connections_open());
        keep_running.clear();
        for (auto& loop : loops) loop->stop();
        join();
    }

    void join() {
        for (auto& thread : threads)
            if (thread.joinable()) thread.join();
    }

    // Declaration order is destruction order reversed: the loops (and the sessions their queued handlers still own)
    // go before the shared state those sessions unregister from.
    Shared shared;
    std::vector<std::unique_ptr<asio::io_context>> loops;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;  // until stop()
    // After the loops, so destroyed before them: an import still running finishes and posts its answer to a
    // session of a live (stopped) loop.
    asio::thread_pool import_thread{1};
    Listener listener;
    std::vector<std::thread> threads;
    std::mutex stop_mutex;
    std::shared_ptr<ChangeRelay> relay = std::make_shared<ChangeRelay>();
};

Server::Server(Service& service, ServerOptions options) : impl_(std::make_unique<Impl>(service, std::move(options))) {
    impl_->relay->target = impl_.get();
    service.on_change([relay = impl_->relay](std::int64_t revision) {
        std::lock_guard lock(relay->mutex);
        if (relay->target) wake_waiters(relay->target->shared, revision);
    });
}

Server::~Server() {
    {
        std::lock_guard lock(impl_->relay->mutex);
        impl_->relay->target = nullptr;
    }
    stop();
}

void Server::start() {
    if (!impl_->threads.empty() || impl_->shared.stopping) return;
    impl_->listener.start();
    impl_->threads.reserve(impl_->loops.size());
    for (auto& loop : impl_->loops)
        impl_->threads.emplace_back([impl = impl_.get(), &loop = *loop] { impl->run_thread(loop); });
}

void Server::stop() {
    impl_->stop();
}

std::uint16_t Server::port() const {
    return impl_->listener.endpoint().port();
}

std::string Server::endpoint() const {
    return endpoint_text(impl_->listener.endpoint());
}

}  // namespace chiso::syncd
