// Inside chiso-syncd's Service (service.hpp): its state, stores and caches, shared by the files that define its
// calls: service.cpp (scopes, heartbeats, tokens) and imports.cpp (imports, their preview, history and undo).
#pragma once

#include "syncd/service.hpp"

#include "domain/scope.hpp"
#include "store/store.hpp"
#include "syncd/reply_cache.hpp"
#include "syncd/screenshots.hpp"
#include "wire/scope_json.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <list>
#include <map>
#include <shared_mutex>

namespace chiso::syncd {
using namespace chiso::domain;


// Everything readers need at one revision. Replaced whole by each import, so readers never see half of one.
struct State {
    std::shared_ptr<const Dataset> data;
};

struct LoggedChange {
    std::int64_t revision;
    ChangedFigure figure;
};

inline constexpr std::size_t kChangeLogLimit = 2'000'000;  // older clients get a snapshot
inline constexpr std::size_t kLargestDelta = 50'000;       // past this many changes a snapshot is cheaper
inline constexpr int kMaxDepth = 8;
inline constexpr auto kTokenRecheck = std::chrono::milliseconds(250);
inline constexpr std::size_t kPreparedScopes = 64;  // the scopes asked for lately, kept to prepare for each new revision
inline constexpr auto kPrepareBudget = std::chrono::seconds(2);
inline constexpr std::size_t kMaxHeartbeatText = 64;  // a heartbeat's version and page, stored and shown

inline std::shared_ptr<State> make_state(Dataset data) {
    auto state = std::make_shared<State>();
    state->data = std::make_shared<const Dataset>(std::move(data));
    return state;
}

struct Service::Impl {
    Impl(const std::filesystem::path& database, const ServiceOptions& options)
        : store(database),
          reader(database),
          settings(database),
          screenshots(database),
          replies(options.reply_cache_bytes) {
        state = make_state(store.load());
        oldest_delta_base = state.load()->data->revision;
        latest_day_at[oldest_delta_base] = state.load()->data->latest_day;
    }

    std::shared_ptr<State> current() const { return state.load(); }

    // Which organisation a query shows, checked against the principal's rights.
    int scope_root(const State& s, const Principal& who, const ScopeQuery& query) const {
        std::string code = query.org.value_or(who.scope_org);
        if (code.empty()) throw ServiceError(400, "name the organisation: ?org=CODE");
        int org = s.data->tree->find(code);
        if (who.may(Right::read_any_scope)) {
            if (org < 0) throw ServiceError(404, "unknown organisation '" + code + "'");
            return org;
        }
        // Below the device's organisation at any time: walked up from the organisation asked for, not down the tree.
        // A code that exists nowhere gets the same answer as one outside the scope: a device learns no other codes.
        const int device_root = s.data->tree->find(who.scope_org);
        if (org >= 0 && org == device_root) return org;
        const std::vector<int> above = org >= 0 ? s.data->ancestors_ever(org) : std::vector<int>{};
        if (device_root >= 0 && std::find(above.begin(), above.end(), device_root) != above.end()) return org;
        throw ServiceError(403, "organisation '" + code + "' is outside this device's scope");
    }

    // A day at or past the latest data shows what no day at all shows: one request, one etag, one cached reply.
    static ScopeRequest request_of(const State& s, int root, const ScopeQuery& query) {
        if (query.depth < 0 || query.depth > kMaxDepth)
            throw ServiceError(400, "depth must be 0 to " + std::to_string(kMaxDepth));
        ScopeRequest request{root, query.depth, kForever, std::nullopt};
        if (query.at) {
            auto period = Period::parse(*query.at);
            if (!period) throw ServiceError(400, "bad period '" + *query.at + "' in at=");
            if (period->last_day() < s.data->latest_day) request.as_of = period->last_day();
        }
        if (query.review && !query.review->empty()) {
            if (query.at) throw ServiceError(400, "ask for a review= or an at=, not both");
            request.review = Period::parse(*query.review);
            if (!request.review)
                throw ServiceError(400, "bad period '" + *query.review + "' in review=: expected 2019-H1, 2019, a term "
                                        "2015-2020 or months 2015-09..2019-06");
            Period months = *request.review;
            if (request.review->kind == PeriodKind::term) {
                const std::vector<TermSpan> terms = s.data->terms_of(root);
                auto span = std::find_if(terms.begin(), terms.end(), [&](const TermSpan& t) { return t.term == months; });
                if (span == terms.end()) throw ServiceError(422, "the catalogue has no term " + *query.review);
                if (!span->dated)
                    throw ServiceError(422, "the term " + *query.review + " has no first and last day in the catalogue, "
                                            "which a review of it needs");
                months = span->months;
            }
            if (s.data->latest_day == 0 || months.first_day() > s.data->latest_day)
                throw ServiceError(422, "the review " + *query.review + " begins after the latest figures" +
                                            (s.data->latest_day ? " (" + format_day(s.data->latest_day) + ")" : ""));
            if (months.last_day() < s.data->latest_day) request.as_of = months.last_day();
        }
        return request;
    }

    static std::string etag(const State& s, const ScopeRequest& request) {
        return "\"" + std::to_string(s.data->scope_revision(request.root)) + "-" + std::to_string(request.root) + "-" +
               std::to_string(request.depth) + "-" + std::to_string(request.as_of) +
               (request.review ? "-r" + request.review->code() : "") + "\"";
    }

    // A device's ETag also names its settings: a change of them ends its long-poll as a change of figures does.
    std::string etag_for(const Principal& who, std::string etag) const {
        if (who.role != Role::device) return etag;
        std::string device_part = "-s" + settings.effective(who.name).tag;
        if (const std::int64_t capture = screenshots.pending(who.name)) device_part += "-c" + std::to_string(capture);
        etag.insert(etag.size() - 1, device_part);
        return etag;
    }

    // Changes since `since` that a delta can carry, or nullopt when only a snapshot will do: the client's
    // revision is unknown or too old, the tree or catalogue changed, or the window of periods moved.
    std::optional<std::vector<ChangedFigure>> changes_since(const State& s, std::int64_t since,
                                                            const ScopeRequest& request) const {
        std::shared_lock lock(log_mutex);  // before oldest_delta_base: an import may be clearing the log
        if (since < oldest_delta_base || since < s.data->structure_revision || since > s.data->revision)
            return std::nullopt;
        auto then = latest_day_at.find(since);
        if (then == latest_day_at.end() ||
            std::min(request.as_of, then->second) != std::min(request.as_of, s.data->latest_day))
            return std::nullopt;
        std::vector<ChangedFigure> changes;
        auto first = std::lower_bound(log.begin(), log.end(), since + 1,
                                      [](const LoggedChange& c, std::int64_t r) { return c.revision < r; });
        for (auto it = first; it != log.end() && it->revision <= s.data->revision; ++it) {
            if (changes.size() >= kLargestDelta) return std::nullopt;
            changes.push_back(it->figure);
        }
        return changes;
    }

    // The reply to `request` at the state's revision, from the cache or made now: a delta when `since` allows one.
    std::shared_ptr<const ScopeReply> reply(const std::shared_ptr<State>& s, const ScopeRequest& request,
                                            std::optional<std::int64_t> since) const {
        const std::int64_t scope_revision = s->data->scope_revision(request.root);
        std::optional<std::vector<ChangedFigure>> changes;
        if (since) changes = changes_since(*s, *since, request);
        const std::string etag_now = etag(*s, request);
        const std::string key =
            std::to_string(s->data->revision) + " " + etag_now + (changes ? " since " + std::to_string(*since) : "");
        return replies.get(key, s->data->revision, [&] {
            Rollup rollup(s->data, request.root);  // the scope's subtree only, for this request only
            ScopeView view = build_scope(rollup, request, changes ? &*changes : nullptr);
            wire::ScopeHeader header{s->data->revision, scope_revision, changes ? since : std::nullopt};
            auto made = std::make_shared<ScopeReply>();
            made->etag = etag_now;
            made->scope_revision = scope_revision;
            made->delta = changes.has_value();
            made->body = wire::scope_json(*s->data, view, header);
            return made;
        });
    }

    // The scopes kiosks asked for lately, most recent first, each with the revision it was last asked at
    // (revalidations and long-polls included): what to prepare before the next revision is shown.
    struct Recipe {
        ScopeRequest request;
        bool since = false;  // asked as a delta since the revision the kiosk held
        std::int64_t asked_at = 0;
        bool same_scope(const Recipe& other) const {
            return request.root == other.request.root && request.depth == other.request.depth &&
                   request.as_of == other.request.as_of && request.review == other.request.review &&
                   since == other.since;
        }
    };
    void remember(const Recipe& recipe) const {
        std::lock_guard lock(recent_mutex);
        auto found = std::find_if(recent.begin(), recent.end(), [&](const Recipe& r) { return r.same_scope(recipe); });
        if (found != recent.end()) {
            found->asked_at = std::max(found->asked_at, recipe.asked_at);
            recent.splice(recent.begin(), recent, found);
            return;
        }
        recent.push_front(recipe);
        if (recent.size() > kPreparedScopes) recent.pop_back();
    }

    // Makes the replies of the scopes still being asked for (at the revision being replaced) at the next revision
    // before it is published, so that the kiosks that wake to it are answered at once, rather than the first of
    // them waiting for a cold rollup. A scope nobody asked for since the last import is left to be asked.
    void prepare(const std::shared_ptr<State>& next, std::int64_t previous) const noexcept {
        try {
            prepare_recipes(next, previous);
        } catch (const std::exception& e) {  // the revision is committed: it is published all the same
            spdlog::warn("revision {}: the scopes asked lately were not prepared: {}", next->data->revision, e.what());
        }
    }
    void prepare_recipes(const std::shared_ptr<State>& next, std::int64_t previous) const {
        std::vector<Recipe> recipes;
        {
            std::lock_guard lock(recent_mutex);
            for (const Recipe& recipe : recent)
                if (recipe.asked_at >= previous) recipes.push_back(recipe);
        }
        const auto deadline = std::chrono::steady_clock::now() + kPrepareBudget;
        for (const Recipe& recipe : recipes) {
            if (std::chrono::steady_clock::now() > deadline) break;
            reply(next, recipe.request, recipe.since ? std::optional<std::int64_t>(previous) : std::nullopt);
        }
    }

    // With import_mutex held: commits `changes` as the next revision, then publishes it (imports.cpp); `checked_s`,
    // how long the file's check took, is logged with the other phases.
    std::int64_t apply(const ChangeSet& changes, const store::CommitInfo& info, double checked_s = 0);
    void tell_listeners(std::int64_t revision);

    void log_changes(const ChangeSet& changes, std::int64_t revision, Day latest_day) {
        std::unique_lock lock(log_mutex);
        latest_day_at[revision] = latest_day;
        auto removes = [](const std::vector<FigureChange>& list) {
            return std::any_of(list.begin(), list.end(), [](const FigureChange& c) { return c.value == kMissing; });
        };
        if (changes.values.size() + changes.targets.size() > kLargestDelta || removes(changes.values) ||
            removes(changes.targets)) {
            // No delta can span this revision: a client holding an earlier one gets a snapshot, so keep nothing
            // before it (a national month is a million changes, 32 MB of log that could never be sent; an undo
            // that removes figures is told whole, as a delta only carries figures that are there).
            log.clear();
            oldest_delta_base = revision;
            return;
        }
        for (const auto* list : {&changes.values, &changes.targets})
            for (const FigureChange& change : *list)
                log.push_back(
                    {revision, {change.org, change.key.indicator, change.key.period, list == &changes.targets}});
        while (log.size() > kChangeLogLimit) {
            oldest_delta_base = log.front().revision;
            log.pop_front();
        }
    }

    std::mutex import_mutex;         // imports one at a time, each checked against the revision it applies to
    mutable std::mutex write_mutex;  // the store's writing connection
    store::Store store;
    // A second connection for tokens and the fleet: WAL lets it read while an import writes, so a request's
    // token check never waits for an import.
    mutable std::mutex read_mutex;
    mutable store::Store reader;
    FleetSettings settings;
    Screenshots screenshots;
    std::atomic<std::shared_ptr<State>> state;
    mutable ReplyCache replies;
    mutable std::mutex recent_mutex;
    mutable std::list<Recipe> recent;

    // Heartbeats that came while an import was writing, latest per device: stored when the writer is free.
    mutable std::mutex pending_mutex;
    std::map<std::string, store::Heartbeat> pending_heartbeats;
    // With write_mutex held. A heartbeat that cannot be written now is logged and dropped (the next one comes in a
    // minute); it never fails what called this, an import among them.
    void store_pending_heartbeats() noexcept {
        try {
            std::map<std::string, store::Heartbeat> pending;
            {
                std::lock_guard lock(pending_mutex);
                pending.swap(pending_heartbeats);
            }
            for (const auto& [device, heartbeat] : pending) store.record_heartbeat(heartbeat);
        } catch (const std::exception& e) {
            spdlog::warn("heartbeats received during an import were not stored: {}", e.what());
        }
    }
    ~Impl() {
        std::lock_guard lock(write_mutex);
        store_pending_heartbeats();
    }

    mutable std::shared_mutex log_mutex;
    std::deque<LoggedChange> log;
    std::int64_t oldest_delta_base = 0;
    std::map<std::int64_t, Day> latest_day_at;  // by revision: the last day holding data then

    // Recently confirmed tokens by hash; rechecked against the store (which the CLI may change) when old.
    struct CachedPrincipal {
        Principal principal;
        std::chrono::steady_clock::time_point checked;
    };
    mutable std::shared_mutex tokens_mutex;
    mutable std::map<std::string, CachedPrincipal> principals_by_hash;

    std::mutex listeners_mutex;
    std::vector<std::function<void(std::int64_t)>> listeners;

    mutable std::mutex metrics_mutex;
    mutable std::string metrics_text;
    mutable std::chrono::steady_clock::time_point metrics_made;
};

}  // namespace chiso::syncd
