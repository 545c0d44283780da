#include "support/notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace chiso::test {
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

NotifySocket::NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.string().copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0)
        throw std::runtime_error("cannot bind " + path.string());
}

NotifySocket::~NotifySocket() {
    ::close(fd_);
    std::filesystem::remove(path_);
}

std::optional<std::string> NotifySocket::receive_one(Clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd ready{fd_, POLLIN, 0};
        const int polled = ::poll(&ready, 1, static_cast<int>(std::max<long>(left.count(), 0)));
        if (polled > 0) {
            char buffer[4096];
            const ssize_t size = ::recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
            if (size > 0) return std::string(buffer, static_cast<std::size_t>(size));
        }
        if (Clock::now() >= deadline) return std::nullopt;
    }
}

std::vector<std::string> NotifySocket::receive_for(std::chrono::milliseconds limit) {
    std::vector<std::string> messages;
    for (const auto deadline = Clock::now() + limit; auto message = receive_one(deadline);)
        messages.push_back(std::move(*message));
    return messages;
}

std::vector<std::string> NotifySocket::pending() {
    return receive_for(0ms);
}

bool NotifySocket::wait_for(const std::string& line, std::chrono::milliseconds limit, std::vector<std::string>& seen) {
    for (const auto deadline = Clock::now() + limit; auto message = receive_one(deadline);) {
        seen.push_back(std::move(*message));
        if (seen.back().find(line) != std::string::npos) return true;
    }
    return false;
}

}  // namespace chiso::test
