// The kiosk's reading of one answer from chiso-syncd (answer.hpp): no I/O, so tests and the fuzzer call it as is.
#include "syncclient/answer.hpp"

#include "wire/scope_json.hpp"

#include <boost/json.hpp>

#include <exception>

namespace chiso::syncclient {
namespace json = boost::json;

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::updated:
            return "updated";
        case Verdict::not_modified:
            return "not modified";
        case Verdict::retry:
            return "retry";
        case Verdict::snapshot:
            return "snapshot";
        case Verdict::unauthorized:
            return "unauthorized";
    }
    return "unknown";
}

namespace {

// At most `limit` bytes of `text` on one line: control characters become spaces, and a cut never splits a
// UTF-8 character.
std::string one_line(std::string_view text, std::size_t limit = 120) {
    if (text.size() > limit) {
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text = text.substr(0, cut);
    }
    std::string line(text);
    for (char& c : line)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    return line;
}

Answer refuse(Verdict verdict, std::string line) {
    Answer answer;
    answer.verdict = verdict;
    answer.line = std::move(line);
    return answer;
}

std::string scope_name(const std::string& org, int depth) {
    return (org.empty() ? std::string("?") : one_line(org, 40)) + " depth " + std::to_string(depth);
}

// A 200's body: a snapshot, or a delta on the held document.
Answer read_document(std::string_view body, std::string_view etag, const wire::ScopeDocument* held, bool revalidated) {
    if (body.size() > kAnswerLimit)
        return refuse(Verdict::retry, std::string("the answer is larger than ") + kAnswerLimitText);
    json::error_code parse_error;
    const json::value value = json::parse(body, parse_error);
    if (parse_error) return refuse(Verdict::retry, "garbled answer, not JSON: " + parse_error.message());
    const json::object* root = value.if_object();
    const json::value* format = root ? root->if_contains("format") : nullptr;
    if (!format || !format->is_int64() || format->as_int64() != wire::kFormat)
        return refuse(Verdict::retry, "the answer is not a scope document of format " + std::to_string(wire::kFormat));
    const json::value* kind_value = root->if_contains("kind");
    const std::string_view kind =
        kind_value && kind_value->is_string() ? std::string_view(kind_value->as_string()) : std::string_view();
    const bool delta = kind == "delta";

    std::string error;
    std::optional<wire::ScopeDocument> next;
    if (kind == "snapshot") {
        next = wire::ScopeDocument::parse(body, &error);
        if (!next) return refuse(Verdict::retry, "the answer is not a valid scope document: " + one_line(error));
    } else if (delta) {
        if (!held || !revalidated)
            return refuse(Verdict::retry, "a delta came, but no document was offered to apply it to");
        const json::value* since = root->if_contains("since");
        if (!since || !since->is_int64() || since->as_int64() != held->revision())
            return refuse(Verdict::snapshot, "the update did not apply (a delta since another revision than " +
                                                 std::to_string(held->revision()) + "); asking for a whole snapshot");
        next = *held;  // a copy: the held document stays as it is until the cache has the new one
        if (!next->apply(body, &error)) return refuse(Verdict::retry, "the delta is not valid: " + one_line(error));
    } else {
        return refuse(Verdict::retry, "the answer is neither a snapshot nor a delta");
    }

    if (held && (next->org() != held->org() || next->depth() != held->depth())) {
        // A token moved to another organisation: start afresh from a snapshot, which is then taken as it comes.
        if (revalidated)
            return refuse(Verdict::snapshot,
                          "the answer is for another scope (" + scope_name(next->org(), next->depth()) + ", not " +
                              scope_name(held->org(), held->depth()) + "); asking for a whole snapshot");
    } else if (held && next->revision() < held->revision()) {
        return refuse(Verdict::retry, "the server went back from revision " + std::to_string(held->revision()) +
                                          " to " + std::to_string(next->revision()) + "; keeping " +
                                          std::to_string(held->revision()));
    }
    Answer answer;
    answer.verdict = Verdict::updated;
    answer.line = "revision " + std::to_string(next->revision()) + (delta ? " (delta)" : " (snapshot)");
    answer.document = std::move(next);
    answer.etag = std::string(etag);
    return answer;
}

}  // namespace

std::string error_text(std::string_view body) {
    json::error_code ec;
    const json::value value = json::parse(body.substr(0, 4096), ec);
    if (!ec && value.is_object())
        if (const json::value* error = value.as_object().if_contains("error"); error && error->is_string())
            return one_line(error->as_string());
    return one_line(body);
}

Answer read_answer(unsigned status, std::string_view body, std::string_view etag, const wire::ScopeDocument* held,
                   bool revalidated) {
    switch (status) {
        case 200:
            try {
                return read_document(body, etag, held, revalidated);
            } catch (const std::exception& e) {  // the document's reader may throw on a shape it does not expect
                return refuse(Verdict::retry, "the answer is not a valid scope document: " + one_line(e.what()));
            }
        case 304:
            if (!held || !revalidated)
                return refuse(Verdict::retry, "HTTP 304, but no document was offered to revalidate");
            return refuse(Verdict::not_modified, "revalidated (304)");
        case 401:
        case 403:
            return refuse(Verdict::unauthorized, "HTTP " + std::to_string(status) + ": " + error_text(body));
        default:
            return refuse(Verdict::retry, "HTTP " + std::to_string(status) + ": " + error_text(body));
    }
}

}  // namespace chiso::syncclient
