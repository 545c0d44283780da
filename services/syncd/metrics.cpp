#include "syncd/metrics.hpp"

#include <fmt/format.h>

namespace chiso::syncd {

namespace {

constexpr std::array<std::string_view, route_count> route_names{
    "health",   "metrics",  "scope",  "import",     "imports",   "heartbeat", "devices",
    "fleet",    "settings", "groups", "screenshot", "enrolment", "other"};

void append_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string_view route_name(Route route) {
    return route_names[static_cast<std::size_t>(route)];
}

void Metrics::count_request(Route route, int status, std::chrono::steady_clock::duration took) {
    if (status >= first_status && status < first_status + status_slots)
        requests_[static_cast<std::size_t>(route)][static_cast<std::size_t>(status - first_status)].fetch_add(
            1, std::memory_order_relaxed);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(took).count();
    duration_ns_sum_.fetch_add(static_cast<std::uint64_t>(ns > 0 ? ns : 0), std::memory_order_relaxed);
    duration_count_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_import(bool applied) {
    (applied ? imports_applied_ : imports_rejected_).fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(std::int64_t revision, const ReplyCache::Stats& replies) const {
    constexpr auto relaxed = std::memory_order_relaxed;
    std::string out;
    out.reserve(2048);

    append_header(out, "chiso_revision", "gauge", "The store's current revision.");
    out += fmt::format("chiso_revision {}\n", revision);

    append_header(out, "chiso_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (std::size_t r = 0; r < route_count; ++r)
        for (std::size_t s = 0; s < status_slots; ++s)
            if (const auto n = requests_[r][s].load(relaxed))
                out += fmt::format("chiso_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", route_names[r],
                                   static_cast<int>(s) + first_status, n);

    append_header(out, "chiso_http_request_duration_seconds", "summary",
                  "Time from a complete request to its response (long-polls include their wait).");
    out += fmt::format("chiso_http_request_duration_seconds_sum {:.6f}\n",
                       static_cast<double>(duration_ns_sum_.load(relaxed)) / 1e9);
    out += fmt::format("chiso_http_request_duration_seconds_count {}\n", duration_count_.load(relaxed));

    append_header(out, "chiso_reply_cache_bytes", "gauge", "Bytes of rendered scope replies kept.");
    out += fmt::format("chiso_reply_cache_bytes {}\n", replies.bytes);
    append_header(out, "chiso_reply_cache_limit_bytes", "gauge", "The most the reply cache keeps ([store] reply_cache_mib).");
    out += fmt::format("chiso_reply_cache_limit_bytes {}\n", replies.byte_limit);
    append_header(out, "chiso_reply_cache_entries", "gauge", "Rendered scope replies kept.");
    out += fmt::format("chiso_reply_cache_entries {}\n", replies.entries);
    append_header(out, "chiso_reply_cache_requests_total", "counter", "Scope replies asked of the cache, by result.");
    out += fmt::format("chiso_reply_cache_requests_total{{result=\"hit\"}} {}\n", replies.hits);
    out += fmt::format("chiso_reply_cache_requests_total{{result=\"miss\"}} {}\n", replies.misses);
    append_header(out, "chiso_reply_cache_evictions_total", "counter", "Replies dropped to stay within the limit.");
    out += fmt::format("chiso_reply_cache_evictions_total {}\n", replies.evictions);

    append_header(out, "chiso_longpolls_waiting", "gauge", "Scope requests waiting for a change.");
    out += fmt::format("chiso_longpolls_waiting {}\n", longpolls_waiting());

    append_header(out, "chiso_imports_total", "counter", "Imports, by result.");
    out += fmt::format("chiso_imports_total{{result=\"applied\"}} {}\n", imports_applied_.load(relaxed));
    out += fmt::format("chiso_imports_total{{result=\"rejected\"}} {}\n", imports_rejected_.load(relaxed));
    append_header(out, "chiso_screenshots_total", "counter", "Screenshots of their screens that kiosks sent, taken.");
    out += fmt::format("chiso_screenshots_total {}\n", screenshots_.load(relaxed));

    append_header(out, "chiso_connections_open", "gauge", "Open HTTP connections.");
    out += fmt::format("chiso_connections_open {}\n", connections_open());
    append_header(out, "chiso_connections_refused_total", "counter",
                  "Connections closed at once because max_connections were open.");
    out += fmt::format("chiso_connections_refused_total {}\n", connections_refused_.load(relaxed));
    return out;
}

}  // namespace chiso::syncd
