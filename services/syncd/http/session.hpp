// One connection: (over TLS, a handshake first) read a request with a deadline on every step, answer it through
// handle_request() (maybe after holding a long-poll), repeat while keep-alive; close cleanly. Each session runs on
// the event loop of its socket, so its handlers never run at once.
#pragma once

#include "syncd/http/shared.hpp"

#include <cstdint>
#include <string>

namespace chiso::syncd {

// Starts serving an accepted connection. `address` is the client's, already counted in
// shared.connections_by_address; the session uncounts it when it ends.
void open_session(tcp::socket&& socket, Shared& shared, std::string address, unsigned short port);

// For stop(): an idle or draining connection closes now, a long-poll answers 304, a busy one closes after
// answering. Posted to each session's loop; returns at once.
void stop_sessions(Shared& shared);

// After a change: each waiting long-poll looks at its scope again. Posted to each session's loop.
void wake_waiters(Shared& shared, std::int64_t revision);

}  // namespace chiso::syncd
