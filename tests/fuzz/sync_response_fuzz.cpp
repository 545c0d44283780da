// Fuzzes what the kiosk makes of an answer from the network: the bytes are parsed as an HTTP response by Beast's
// response_parser (as the sync client does, with its body limit), and the response — or the bytes taken as a
// body — goes to read_answer against the demo's document held. A refusal must leave no document and one line;
// a document given must be a whole one, of the held scope and not behind it.
#include "syncclient/answer.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace {

namespace http = boost::beast::http;
using chiso::syncclient::Answer;
using chiso::syncclient::Verdict;

const chiso::wire::ScopeDocument& held() {
    static const auto document = [] {
        std::ifstream in(CHISO_SCOPE_FIXTURE, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        auto parsed = chiso::wire::ScopeDocument::parse(text.str());
        if (!parsed) __builtin_trap();
        return *parsed;
    }();
    return document;
}

// The bytes as a whole response, the connection closing after them; nullopt when they are not one.
std::optional<http::response<http::string_body>> parse_response(const std::uint8_t* data, std::size_t size) {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(chiso::syncclient::kAnswerLimit);
    boost::beast::error_code ec;
    boost::asio::const_buffer rest(data, size);
    while (!parser.is_done()) {
        const std::size_t used = parser.put(rest, ec);
        rest += used;
        if (ec == http::error::need_more) {
            ec = {};
            if (used > 0 && rest.size() > 0) continue;
            if (!parser.got_some()) return std::nullopt;  // nothing came: http::read says end_of_stream
            parser.put_eof(ec);                           // no more bytes: the server closed the connection here
            break;
        }
        if (ec || used == 0) break;
    }
    if (ec || !parser.is_done()) return std::nullopt;
    return parser.release();
}

void check(const Answer& answer, const chiso::wire::ScopeDocument* base) {
    if (answer.line.empty() || answer.line.find('\n') != std::string::npos) __builtin_trap();
    if ((answer.verdict == Verdict::updated) != answer.document.has_value()) __builtin_trap();
    if (!answer.document) return;
    const auto& document = *answer.document;
    if (!chiso::wire::ScopeDocument::parse(document.to_json())) __builtin_trap();  // whole, readable again
    if (base && document.org() == base->org() && document.depth() == base->depth() &&
        document.revision() < base->revision())
        __builtin_trap();  // went back
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const chiso::wire::ScopeDocument& base = held();
    if (auto response = parse_response(data, size)) {
        const std::string etag(response->base()[http::field::etag]);
        check(chiso::syncclient::read_answer(response->result_int(), response->body(), etag, &base, true), &base);
        check(chiso::syncclient::read_answer(response->result_int(), response->body(), etag, nullptr, false), nullptr);
    }
    // The bytes as the body of a 200, so that the JSON paths are explored without an HTTP head first.
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    check(chiso::syncclient::read_answer(200, body, "\"f\"", &base, true), &base);
    return 0;
}
