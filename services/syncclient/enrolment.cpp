#include "syncclient/enrolment.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace chiso::syncclient {
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

http::request<http::string_body> post(const EnrolmentSteps& steps, const std::string& path, std::string body) {
    http::request<http::string_body> request{http::verb::post, steps.url.prefix + path, 11};
    request.set(http::field::host, steps.url.authority);
    request.set(http::field::user_agent, steps.user_agent);
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
}

// The answer's JSON object, or nullptr.
const json::object* object_of(const json::value& value) {
    return value.is_object() ? &value.as_object() : nullptr;
}

std::string string_at(const json::object* object, std::string_view key) {
    const json::value* value = object ? object->if_contains(key) : nullptr;
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// What the server may hand over: a code as syncd makes them (shown on the screen), a token as it makes them (sent
// back in a header and written to a file). Anything else is refused.
bool valid_code(const std::string& code) {
    if (code.size() != 9 || code[4] != '-') return false;
    for (std::size_t i = 0; i < code.size(); ++i)
        if (i != 4 && !((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '2' && code[i] <= '9'))) return false;
    return true;
}

bool valid_secret(const std::string& text) {
    return !text.empty() && text.size() <= 256 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

asio::awaitable<void> wait(EnrolmentSteps& steps, milliseconds delay) {
    if (steps.stopping) co_return;
    steps.timer.expires_after(delay);
    error_code ec;
    co_await steps.timer.async_wait(on_error(ec));
}

}  // namespace

asio::awaitable<std::optional<Enrolled>> enrol(EnrolmentSteps& steps) {
    milliseconds backoff{1000};
    const milliseconds cap{60000};
    std::string code, key;
    while (!steps.stopping) {
        const bool opening = code.empty();
        auto request = opening ? post(steps, "/api/v1/enrolment", "")
                               : post(steps, "/api/v1/enrolment/poll",
                                      json::serialize(json::object{{"code", code}, {"key", key}}));
        Reply reply;
        const error_code ec =
            co_await steps.connection.exchange(request, reply, steps.request_timeout, steps.request_timeout);
        if (steps.stopping) break;
        boost::system::error_code parse_error;
        const json::value answer = ec ? json::value() : json::parse(reply.body, parse_error);
        const json::object* object = parse_error ? nullptr : object_of(answer);
        const bool gone = !opening && (reply.status == 404 || reply.status == 410);
        if (ec || (opening ? reply.status != 201 : reply.status != 200 && !gone)) {
            steps.failed(ec ? steps.connection.failure(ec)
                            : "enrolment: HTTP " + std::to_string(reply.status) + ": " + error_text(reply.body));
            co_await wait(steps, backoff);
            backoff = std::min(backoff * 2, cap);
            continue;
        }
        backoff = milliseconds{1000};
        if (gone) {  // expired, or syncd restarted: open another at once
            steps.failed("enrolment code " + code + ": " + error_text(reply.body));
            code.clear();
            continue;
        }
        if (opening) {
            code = string_at(object, "code");
            key = string_at(object, "key");
            const json::value* expires = object ? object->if_contains("expires_in") : nullptr;
            if (!valid_code(code) || !valid_secret(key) || !expires || !expires->is_int64()) {
                steps.failed("enrolment: the server's answer has no code");
                code.clear();
                co_await wait(steps, cap);
                continue;
            }
            steps.code(code, expires->as_int64());
        } else if (string_at(object, "status") == "enrolled") {
            Enrolled enrolled{string_at(object, "token"), string_at(object, "name")};
            if (valid_secret(enrolled.token)) co_return enrolled;
            steps.failed("enrolment: the server's answer has no token, or one that is not a token");
            code.clear();
            continue;
        }
        co_await wait(steps, steps.poll_every);
    }
    co_return std::nullopt;
}

}  // namespace chiso::syncclient
