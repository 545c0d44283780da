// A small blocking HTTP/1.1 client for tests, on Boost.Beast: one request per connection unless a
// Connection is kept and reused.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace chiso::test {

struct HttpResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string header(const std::string& name) const {
        auto found = headers.find(name);
        return found == headers.end() ? std::string() : found->second;
    }
};

struct HttpRequest {
    std::string method = "GET";
    std::string target;
    std::string body;
    std::map<std::string, std::string> headers;
    std::chrono::milliseconds timeout = std::chrono::seconds(30);  // a limit: pass it through scaled()
};

HttpResponse http(int port, const HttpRequest& request);

}  // namespace chiso::test
