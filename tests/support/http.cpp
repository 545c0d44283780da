#include "support/http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>

namespace chiso::test {
namespace beast = boost::beast;
namespace http_ns = boost::beast::http;
namespace asio = boost::asio;

HttpResponse http(int port, const HttpRequest& request) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(request.timeout);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    http_ns::request<http_ns::string_body> message{http_ns::string_to_verb(request.method), request.target, 11};
    message.set(http_ns::field::host, "127.0.0.1");
    for (const auto& [name, value] : request.headers) message.set(name, value);
    message.body() = request.body;
    message.prepare_payload();
    http_ns::write(stream, message);
    beast::flat_buffer buffer;
    http_ns::response_parser<http_ns::string_body> parser;
    parser.body_limit(1u << 30);
    http_ns::read(stream, buffer, parser);
    auto& reply = parser.get();
    HttpResponse response;
    response.status = static_cast<int>(reply.result_int());
    response.body = reply.body();
    for (const auto& field : reply) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        response.headers[name] = std::string(field.value());
    }
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return response;
}

}  // namespace chiso::test
