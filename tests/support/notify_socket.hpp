// Plays systemd for a test or a benchmark: a datagram socket to name in NOTIFY_SOCKET, on which a service under
// test says READY=1, WATCHDOG=1 and STOPPING=1 (sd_notify), so a caller waits for the signal itself.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace chiso::test {

class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // Every message that arrives within `limit`, in order.
    std::vector<std::string> receive_for(std::chrono::milliseconds limit);
    // Every message already received, without waiting for more.
    std::vector<std::string> pending();
    // Waits up to `limit` for a message holding `line`, returning as soon as it comes; everything received on the
    // way, that message included, is kept in `seen`.
    bool wait_for(const std::string& line, std::chrono::milliseconds limit, std::vector<std::string>& seen);

private:
    // The next message, waiting until `deadline` at most; nothing when none came.
    std::optional<std::string> receive_one(std::chrono::steady_clock::time_point deadline);

    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace chiso::test
