// What one answer from chiso-syncd does to the scope document a kiosk holds, decided apart from the network
// code: a pure function of the answer (status, body, ETag), the held document and whether the request
// revalidated it (since=, If-None-Match). It either gives the next document to commit or says why not, in one
// line for the log. It refuses, keeping the held document:
//   - a body over kAnswerLimit, one that is not JSON, not a scope document or of another format (wrong schema);
//   - a delta that does not apply, or an answer for another scope when revalidating: asks for a fresh snapshot;
//   - a revision lower than the one held, of the same scope: "the server went back from revision N to M;
//     keeping N". A server restored from an older backup, or a lagging replica behind the same name, must not
//     put older figures on a wall screen; the kiosk keeps showing N, retries with backoff, and turns stale in
//     time, while the fleet view shows the kiosk ahead of the server. An operator who rolls the server back on
//     purpose clears the kiosks' caches (or reprovisions them). An equal revision is accepted.
// A document held from another server is not "held" here (its revisions count apart): pass none. One of another
// scope (the configuration changed, or the token moved) is replaced by the snapshot asked without since=.
#pragma once

#include "wire/scope_document.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chiso::syncclient {

// The largest answer read. The demo's largest scope (HT at every depth: 354 organisations, ten years of periods)
// is 0.4 MB as JSON, about 1.2 KB an organisation; 16 MiB holds some 14,000 organisations at that density — a
// whole province down to its branches — while a Raspberry Pi can still hold the body, its parsed JSON and the held
// copy at once (64 MiB, as before, would have let one answer take a few hundred MiB). A whole country at every
// depth would not fit — nor would a screen show it; the log then says the answer is too large.
inline constexpr std::uint64_t kAnswerLimit = 16ull << 20;
inline constexpr const char* kAnswerLimitText = "16 MiB";

enum class Verdict {
    updated,       // `document` is the next document: commit it
    not_modified,  // 304: the held document is current
    retry,         // keep the held document and try again after a backoff
    snapshot,      // keep the held document and ask at once for a whole snapshot (no since=)
    unauthorized,  // 401/403: the server refuses this device
};
const char* verdict_name(Verdict verdict);

struct Answer {
    Verdict verdict = Verdict::retry;
    std::optional<wire::ScopeDocument> document;  // set when updated
    std::string etag;                             // when updated: the ETag to revalidate it with
    std::string line;  // one line for the log: "revision 7 (delta)", or what was wrong with the answer
};

// `held`: the document this answer would replace, when it came from the same server (else nullptr).
// `revalidated`: the request carried since= (and If-None-Match) for `held`.
Answer read_answer(unsigned status, std::string_view body, std::string_view etag, const wire::ScopeDocument* held,
                   bool revalidated);

// The server's {"error": "..."} when there is one, else the start of the body; always one printable line.
std::string error_text(std::string_view body);

}  // namespace chiso::syncclient
