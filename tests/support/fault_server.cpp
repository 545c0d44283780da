// The misbehaving stand-in for chiso-syncd (fault_server.hpp).
#include "support/fault_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace chiso::test {

const char* fault_name(Fault fault) {
    switch (fault) {
        case Fault::killed_mid_response:
            return "killed mid-response";
        case Fault::truncated_body:
            return "truncated body";
        case Fault::garbled_json:
            return "garbled JSON";
        case Fault::oversized:
            return "oversized answer";
        case Fault::wrong_schema:
            return "wrong schema";
        case Fault::stall:
            return "server stalls";
        case Fault::revision_backwards:
            return "revision backwards";
        case Fault::http_500:
            return "HTTP 500";
    }
    return "?";
}

namespace {

std::string ok_response(const RecordedAnswer& answer, std::size_t declared_length) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(declared_length) +
           "\r\nETag: " + answer.etag + "\r\nConnection: close\r\n\r\n";
}

// wait=N in a request target, in seconds; 0 when absent.
int wait_seconds(std::string_view target) {
    for (std::string_view key : {"?wait=", "&wait="})
        if (const auto at = target.find(key); at != std::string_view::npos) {
            int seconds = 0;
            for (auto i = at + key.size(); i < target.size() && target[i] >= '0' && target[i] <= '9'; ++i)
                seconds = seconds * 10 + (target[i] - '0');
            return seconds;
        }
    return 0;
}

}  // namespace

FaultServer::FaultServer(std::uint64_t oversized_limit) : oversized_limit_(oversized_limit) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("cannot listen on a loopback port");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultServer::~FaultServer() {
    stopping_ = true;
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    changed_.notify_all();
    acceptor_.join();
    ::close(listen_fd_);
    std::vector<std::thread> connections;
    {
        std::lock_guard lock(mutex_);
        connections.swap(connections_);
    }
    for (auto& connection : connections) connection.join();
}

void FaultServer::serve(RecordedAnswer current) {
    std::lock_guard lock(mutex_);
    current_ = std::move(current);
    changed_.notify_all();
}

void FaultServer::set_older(RecordedAnswer older) {
    std::lock_guard lock(mutex_);
    older_ = std::move(older);
}

void FaultServer::arm(Fault fault) {
    std::lock_guard lock(mutex_);
    armed_ = fault;
    sent_ = false;
    changed_.notify_all();
}

bool FaultServer::wait_sent(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return sent_; });
}

void FaultServer::accept_loop() {
    while (!stopping_) {
        pollfd listening{listen_fd_, POLLIN, 0};
        if (::poll(&listening, 1, 50) <= 0) continue;
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        std::lock_guard lock(mutex_);
        if (stopping_) {
            ::close(fd);
            break;
        }
        open_fds_.push_back(fd);
        connections_.emplace_back([this, fd] { handle(fd); });
    }
}

void FaultServer::handle(int fd) {
    if (auto request = read_request(fd)) {
        if (request->method == "POST" && request->target.ends_with("/api/v1/heartbeat"))
            send_all(fd, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        else if (request->method == "GET" && request->target.find("/api/v1/scope") != std::string::npos)
            answer_scope(fd, *request);
        else
            send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }
    {
        std::lock_guard lock(mutex_);
        open_fds_.erase(std::find(open_fds_.begin(), open_fds_.end(), fd));
    }
    ::close(fd);
}

std::optional<FaultServer::Request> FaultServer::read_request(int fd) {
    std::string bytes;
    char buffer[4096];
    std::size_t header_end = std::string::npos;
    std::size_t body_length = 0;
    for (;;) {
        if (header_end != std::string::npos && bytes.size() >= header_end + 4 + body_length) break;
        pollfd readable{fd, POLLIN, 0};
        if (stopping_) return std::nullopt;
        if (::poll(&readable, 1, 50) <= 0) continue;
        const auto received = ::recv(fd, buffer, sizeof buffer, 0);
        if (received <= 0) return std::nullopt;
        bytes.append(buffer, static_cast<std::size_t>(received));
        if (header_end == std::string::npos && (header_end = bytes.find("\r\n\r\n")) != std::string::npos) {
            std::string lower = bytes.substr(0, header_end);
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos)
                body_length = std::stoul(lower.substr(at + 17));
        }
    }
    Request request;
    const auto line_end = bytes.find("\r\n");
    const std::string line = bytes.substr(0, line_end);
    const auto first_space = line.find(' ');
    const auto second_space = line.find(' ', first_space + 1);
    request.method = line.substr(0, first_space);
    request.target = line.substr(first_space + 1, second_space - first_space - 1);
    std::string lower = bytes.substr(0, header_end);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (const auto at = lower.find("\r\nif-none-match:"); at != std::string::npos) {
        auto start = at + 16;
        while (start < header_end && bytes[start] == ' ') ++start;
        request.if_none_match = bytes.substr(start, bytes.find("\r\n", start) - start);
    }
    return request;
}

void FaultServer::answer_scope(int fd, const Request& request) {
    ++scope_requests_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds(request.target));
    std::unique_lock lock(mutex_);
    for (;;) {
        if (armed_) {
            const Fault fault = *armed_;
            armed_.reset();
            const RecordedAnswer current = current_, older = older_;
            if (fault == Fault::stall) {
                sent_ = true;
                changed_.notify_all();
                lock.unlock();
                wait_closed(fd);
                return;
            }
            lock.unlock();
            send_fault(fd, fault, current, older);
            lock.lock();
            sent_ = true;
            changed_.notify_all();
            return;
        }
        if (request.if_none_match.empty() || request.if_none_match != current_.etag) {
            const RecordedAnswer current = current_;
            lock.unlock();
            send_all(fd, ok_response(current, current.body.size()) + current.body);
            return;
        }
        if (stopping_ || std::chrono::steady_clock::now() >= deadline) {
            const std::string etag = current_.etag;
            lock.unlock();
            send_all(fd, "HTTP/1.1 304 Not Modified\r\nETag: " + etag + "\r\nConnection: close\r\n\r\n");
            return;
        }
        changed_.wait_until(lock, deadline);
    }
}

void FaultServer::send_fault(int fd, Fault fault, const RecordedAnswer& current, const RecordedAnswer& older) {
    switch (fault) {
        case Fault::killed_mid_response: {
            const std::string whole = ok_response(current, current.body.size()) + current.body;
            send_all(fd, std::string_view(whole).substr(0, whole.size() / 2));
            return;
        }
        case Fault::truncated_body:
            send_all(fd, ok_response(current, current.body.size() + current.body.size() / 2) + current.body);
            return;
        case Fault::garbled_json: {
            std::string body = current.body;  // the real document with its middle overwritten
            const std::string_view noise = "\x01}]{\"\xff\xfe garbled \\u12";
            body.replace(body.size() / 2, noise.size(), noise);
            send_all(fd, ok_response(current, body.size()) + body);
            return;
        }
        case Fault::oversized: {
            if (!send_all(fd,
                          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                          "Connection: close\r\n\r\n"))
                return;
            std::string chunk(64 << 10, ' ');
            chunk[0] = '[';
            const std::string framed = "10000\r\n" + chunk + "\r\n";
            for (std::uint64_t sent = 0; sent <= oversized_limit_ + (1 << 20) && !stopping_; sent += chunk.size())
                if (!send_all(fd, framed)) return;  // the client gave up, as it should
            send_all(fd, "0\r\n\r\n");
            return;
        }
        case Fault::wrong_schema: {
            // Valid JSON of three wrong shapes in turn: another format, an array, a snapshot missing its parts.
            static const std::string shapes[] = {
                R"({"format":2,"kind":"snapshot","revision":999999,"scope":{"org":"HT","depth":1}})",
                R"([{"org":"HT","revision":999999}])",
                R"({"format":1,"kind":"snapshot","revision":999999,"scope":"HT","values":[]})"};
            const std::string& body = shapes[wrong_shapes_++ % 3];
            send_all(fd, ok_response(current, body.size()) + body);
            return;
        }
        case Fault::revision_backwards:
            send_all(fd, ok_response(older, older.body.size()) + older.body);
            return;
        case Fault::http_500: {
            const std::string body = R"({"error":"internal error: the database is locked"})";
            send_all(fd, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            return;
        }
        case Fault::stall:
            return;  // answer_scope holds it
    }
}

bool FaultServer::send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

void FaultServer::wait_closed(int fd) {
    char buffer[512];
    while (!stopping_) {
        pollfd readable{fd, POLLIN, 0};
        if (::poll(&readable, 1, 50) <= 0) continue;
        if (::recv(fd, buffer, sizeof buffer, 0) <= 0) return;
    }
}

}  // namespace chiso::test
