#include "syncclient/http_connection.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace chiso::syncclient {

Url parse_url(const std::string& server) {
    Url url;
    url.tls = server.starts_with("https://");
    const std::string_view scheme = url.tls ? "https://" : "http://";
    if (!server.starts_with(scheme))
        throw std::invalid_argument("the server must be an http:// or https:// URL: " + server);
    if (url.tls) url.port = "443";
    std::string_view rest = std::string_view(server).substr(scheme.size());
    const auto slash = rest.find('/');
    url.authority = std::string(rest.substr(0, slash));
    if (slash != std::string_view::npos) url.prefix = std::string(rest.substr(slash));
    while (!url.prefix.empty() && url.prefix.back() == '/') url.prefix.pop_back();
    std::string_view authority = url.authority;
    std::string_view port_part;
    if (authority.starts_with('[')) {  // [IPv6]:port
        const auto close = authority.find(']');
        if (close == std::string_view::npos) throw std::invalid_argument("bad server address: " + server);
        url.host = std::string(authority.substr(1, close - 1));
        port_part = authority.substr(close + 1);
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_part = authority.substr(colon);
    }
    if (!port_part.empty()) {
        if (port_part[0] != ':' || port_part.size() < 2 ||
            !std::all_of(port_part.begin() + 1, port_part.end(), [](char c) { return c >= '0' && c <= '9'; }))
            throw std::invalid_argument("bad server port: " + server);
        url.port = std::string(port_part.substr(1));
    }
    if (url.host.empty()) throw std::invalid_argument("no host in the server URL: " + server);
    return url;
}

std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string describe(const error_code& ec) {
    if (ec == beast::error::timeout) return "no answer in time";
    if (ec == http::error::body_limit) return std::string("the answer is larger than ") + kAnswerLimitText;
    if (ec == http::error::partial_message) return "the answer broke off before its end";
    return ec.message();
}

bool is_ip_address(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}


}  // namespace chiso::syncclient
