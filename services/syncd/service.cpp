#include "syncd/service.hpp"

#include "domain/scope.hpp"
#include "importer/importer.hpp"
#include "kiosk/settings.hpp"
#include "store/store.hpp"
#include "syncd/reply_cache.hpp"
#include "syncd/screenshots.hpp"
#include "wire/scope_json.hpp"

#include <malloc.h>
#include <openssl/crypto.h>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <deque>
#include <list>
#include <map>
#include <shared_mutex>
#include <utility>

namespace chiso::syncd {
namespace json = boost::json;
using namespace chiso::domain;

namespace {

// Everything readers need at one revision. Replaced whole by each import, so readers never see half of one.
struct State {
    std::shared_ptr<const Dataset> data;
};

struct LoggedChange {
    std::int64_t revision;
    ChangedFigure figure;
};

constexpr std::size_t kChangeLogLimit = 2'000'000;  // older clients get a snapshot
constexpr std::size_t kLargestDelta = 50'000;       // past this many changes a snapshot is cheaper
constexpr int kMaxDepth = 8;
constexpr auto kTokenRecheck = std::chrono::milliseconds(250);
constexpr std::size_t kPreparedScopes = 64;  // the scopes asked for lately, kept to prepare for each new revision
constexpr auto kPrepareBudget = std::chrono::seconds(2);
constexpr std::size_t kMaxHeartbeatText = 64;  // a heartbeat's version and page, stored and shown

std::shared_ptr<State> make_state(Dataset data) {
    auto state = std::make_shared<State>();
    state->data = std::make_shared<const Dataset>(std::move(data));
    return state;
}

struct LocalMinute {
    int weekday = 0;  // 0 = Monday
    int minute = 0;   // after midnight
};

// Now on this server's clock, in its time zone: a fleet's screens are in the server's country.
LocalMinute local_minute() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    return {(tm.tm_wday + 6) % 7, tm.tm_hour * 60 + tm.tm_min};
}

// Whether the schedule of these (stored, checked) display settings has the screen on now.
bool in_hours(const std::string& settings_json, LocalMinute now) {
    try {
        const auto schedule = kiosk::parse_settings(settings_json).schedule;
        return !schedule || kiosk::screen_on(*schedule, now.weekday, now.minute);
    } catch (const std::invalid_argument&) {
        return true;
    }
}

std::int64_t seconds_since(const std::string& iso_utc) {
    std::tm tm{};
    if (!strptime(iso_utc.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return -1;
    return static_cast<std::int64_t>(std::time(nullptr) - timegm(&tm));
}

}  // namespace

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

    void log_changes(const ChangeSet& changes, std::int64_t revision, Day latest_day) {
        std::unique_lock lock(log_mutex);
        latest_day_at[revision] = latest_day;
        if (changes.values.size() + changes.targets.size() > kLargestDelta) {
            // No delta can span this revision: a client holding an earlier one gets a snapshot, so keep nothing
            // before it (a national month is a million changes, 32 MB of log that could never be sent).
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

Service::Service(const std::filesystem::path& database, ServiceOptions options)
    : impl_(std::make_unique<Impl>(database, options)) {
    // Long-polls look again at a change of settings, or a request for a screenshot, as at a new revision.
    auto wake = [impl = impl_.get()] {
        const std::int64_t revision = impl->current()->data->revision;
        std::lock_guard lock(impl->listeners_mutex);
        for (const auto& listener : impl->listeners) listener(revision);
    };
    impl_->settings.on_change(wake);
    impl_->screenshots.on_request(wake);
}

Screenshots& Service::screenshots() {
    return impl_->screenshots;
}

FleetSettings& Service::settings() {
    return impl_->settings;
}

const FleetSettings& Service::settings() const {
    return impl_->settings;
}
Service::~Service() = default;

std::optional<Principal> Service::authenticate(std::string_view bearer_token) const {
    if (bearer_token.empty()) return std::nullopt;
    // Tokens are looked up by their SHA-256: the clear token is never compared nor kept. That is what makes the
    // check constant-time where it matters: how long a lookup takes depends on the hash of the guess, and a guess
    // that shares a prefix of its hash with a stored one is no closer to that token (a preimage away).
    const std::string hash = store::sha256_hex(bearer_token);
    const auto now = std::chrono::steady_clock::now();
    {
        std::shared_lock lock(impl_->tokens_mutex);
        auto found = impl_->principals_by_hash.find(hash);
        if (found != impl_->principals_by_hash.end() && now - found->second.checked < kTokenRecheck)
            return found->second.principal;
    }
    std::optional<store::TokenRow> row;
    {
        std::lock_guard lock(impl_->read_mutex);
        row = impl_->reader.token_by_hash(hash);
    }
    std::unique_lock lock(impl_->tokens_mutex);
    if (!row || row->revoked_at) {
        impl_->principals_by_hash.erase(hash);
        return std::nullopt;
    }
    Principal principal{row->name, parse_role(row->role).value_or(Role::device), row->scope_org};
    impl_->principals_by_hash[hash] = {principal, now};
    return principal;
}

std::string Service::scope_etag(const Principal& who, const ScopeQuery& query) const {
    auto s = impl_->current();
    const ScopeRequest request = Impl::request_of(*s, impl_->scope_root(*s, who, query), query);
    impl_->remember({request, query.since.has_value(), s->data->revision});
    return impl_->etag_for(who, Impl::etag(*s, request));
}

ScopeReply Service::scope(const Principal& who, const ScopeQuery& query) const {
    auto s = impl_->current();
    ScopeRequest request = Impl::request_of(*s, impl_->scope_root(*s, who, query), query);
    impl_->remember({request, query.since.has_value(), s->data->revision});
    ScopeReply reply = *impl_->reply(s, request, query.since);
    reply.etag = impl_->etag_for(who, std::move(reply.etag));
    return reply;
}

ImportReply Service::import(const ImportRequest& request) {
    ImportReply reply;
    json::object body;
    auto kind = importer::parse_file_kind(request.kind);
    auto format = importer::parse_format(request.format, request.file_name);
    if (!kind) throw ServiceError(400, "kind must be catalogue, organisations, values or targets");
    if (!format) throw ServiceError(400, "format must be long, wide or json");

    std::int64_t revision = 0;
    bool applied = false;
    {
        std::lock_guard import_lock(impl_->import_mutex);
        const auto started = std::chrono::steady_clock::now();
        auto seconds = [last = started]() mutable {
            const auto now = std::chrono::steady_clock::now();
            return std::chrono::duration<double>(now - std::exchange(last, now)).count();
        };
        auto before = impl_->current();
        importer::Outcome outcome =
            importer::import_file(*before->data, *kind, *format, request.file_name, request.body);
        revision = before->data->revision;
        if (outcome.changes) {
            const double checked = seconds();
            {
                std::lock_guard write_lock(impl_->write_mutex);
                revision = impl_->store.commit(*outcome.changes, *before->data);
                // From here to publishing nothing may throw: memory must follow what the database holds.
                impl_->store_pending_heartbeats();
            }
            const double committed = seconds();
            auto next = make_state(before->data->apply(*outcome.changes, revision));
            impl_->log_changes(*outcome.changes, revision, next->data->latest_day);
            const double in_memory = seconds();
            impl_->prepare(next, before->data->revision);
            impl_->state.store(next);
            impl_->replies.drop_before(revision);  // every reply names the revision it was made at
            reply.rows = outcome.changes->rows;
            applied = true;
            spdlog::info("revision {}: {} rows of {} from '{}' (checked in {:.2f} s, written in {:.2f} s, in memory in "
                         "{:.2f} s, the scopes asked lately prepared in {:.2f} s)",
                         revision, reply.rows, request.kind, request.file_name, checked, committed, in_memory,
                         seconds());
        }
        json::array errors;
        for (const auto& problem : outcome.problems)
            errors.push_back(json::object{{"file", problem.file},
                                          {"line", problem.line},
                                          {"column", problem.column},
                                          {"reason", problem.reason}});
        body["errors"] = std::move(errors);
        if (outcome.problems_not_listed > 0) body["errors_not_listed"] = outcome.problems_not_listed;
    }
    reply.applied = applied;
    reply.revision = revision;
    body["applied"] = reply.applied;
    body["revision"] = revision;
    body["rows"] = reply.rows;
    reply.body = json::serialize(body);
    if (reply.applied) {
        std::lock_guard lock(impl_->listeners_mutex);
        for (const auto& listener : impl_->listeners) listener(revision);
    }
    malloc_trim(0);  // a large import's rows are freed by now: give their pages back rather than keep the peak
    return reply;
}

void Service::heartbeat(const Principal& device, std::string_view body) {
    boost::system::error_code error;
    json::value document = json::parse(body, error);
    if (error || !document.is_object()) throw ServiceError(400, "a heartbeat is a JSON object");
    const json::object& o = document.as_object();
    store::Heartbeat heartbeat;
    heartbeat.device = device.name;
    auto text = [&](std::string_view key) {
        const json::value* v = o.if_contains(key);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    auto number = [&](std::string_view key, std::int64_t fallback) {
        const json::value* v = o.if_contains(key);
        return v && v->is_int64() ? v->as_int64() : fallback;
    };
    heartbeat.version = text("version");
    heartbeat.page = text("page");
    heartbeat.settings_tag = text("settings");
    // All are stored and shown on the fleet page: a kiosk's are a few characters ("0.1.0", "membership").
    for (const auto& [field, value] : {std::pair{"version", &heartbeat.version}, std::pair{"page", &heartbeat.page},
                                       std::pair{"settings", &heartbeat.settings_tag}})
        if (value->size() > kMaxHeartbeatText)
            throw ServiceError(400, std::string(field) + " must be at most " + std::to_string(kMaxHeartbeatText) +
                                        " bytes");
    if (const json::value* display = o.if_contains("display"); display && display->is_object()) {
        const json::object& d = display->as_object();
        if (const json::value* connected = d.if_contains("connected"); connected && connected->is_bool())
            heartbeat.display_connected = connected->as_bool();
        if (const json::value* connector = d.if_contains("connector"); connector && connector->is_string())
            heartbeat.display_connector = std::string(connector->as_string());
        if (const json::value* power = d.if_contains("power"); power && power->is_string())
            heartbeat.display_power = std::string(power->as_string());
        for (const auto& [field, value] : {std::pair{"display.connector", &heartbeat.display_connector},
                                           std::pair{"display.power", &heartbeat.display_power}})
            if (value->size() > kMaxHeartbeatText)
                throw ServiceError(400, std::string(field) + " must be at most " + std::to_string(kMaxHeartbeatText) +
                                            " bytes");
    }
    heartbeat.revision = number("revision", 0);
    heartbeat.data_age_s = number("data_age_s", -1);
    const json::value* screen = o.if_contains("screen_on");
    heartbeat.screen_on = !screen || !screen->is_bool() || screen->as_bool();
    heartbeat.received_at = utc_now();
    // Never wait for an import's write: the heartbeat is kept and stored as soon as the writer is free.
    std::unique_lock lock(impl_->write_mutex, std::try_to_lock);
    if (!lock) {
        std::lock_guard pending(impl_->pending_mutex);
        impl_->pending_heartbeats[heartbeat.device] = std::move(heartbeat);
        return;
    }
    impl_->store_pending_heartbeats();
    impl_->store.record_heartbeat(heartbeat);
}

std::vector<DeviceState> Service::device_states(const FleetThresholds& limits) const {
    std::vector<store::TokenRow> tokens;
    std::map<std::string, store::Heartbeat> heartbeats;
    {
        std::lock_guard lock(impl_->read_mutex);
        tokens = impl_->reader.tokens();
        for (auto& h : impl_->reader.heartbeats()) heartbeats[h.device] = std::move(h);
    }
    {
        std::lock_guard lock(impl_->pending_mutex);
        for (const auto& [device, h] : impl_->pending_heartbeats) heartbeats[device] = h;
    }
    const LocalMinute now = local_minute();
    std::map<std::string, bool> in_hours_by_tag;  // devices share settings: each schedule is read once
    std::vector<DeviceState> states;
    for (const auto& token : tokens) {
        if (token.role != role_name(Role::device)) continue;
        DeviceState state{token.name, token.scope_org, {}, true, {}, std::nullopt};
        std::optional<LastHeartbeat> last;
        if (auto found = heartbeats.find(token.name); found != heartbeats.end()) {
            state.last = found->second;
            last = LastHeartbeat{seconds_since(state.last->received_at), state.last->data_age_s,
                                 state.last->display_connected,   state.last->display_connector,
                                 state.last->screen_on,           state.last->display_power};
        }
        state.verdict = judge_device(token.revoked_at.has_value(), last, limits);
        const EffectiveSettings settings = impl_->settings.effective(token.name);
        state.settings_tag = settings.tag;
        auto [hours, added] = in_hours_by_tag.try_emplace(settings.tag, true);
        if (added) hours->second = in_hours(settings.json, now);
        state.in_hours = hours->second;
        states.push_back(std::move(state));
    }
    // Worst first, so a client that shows the list as it comes shows the problems at the top of 200 screens.
    std::sort(states.begin(), states.end(), [](const DeviceState& a, const DeviceState& b) {
        return a.verdict.status != b.verdict.status ? a.verdict.status < b.verdict.status : a.name < b.name;
    });
    return states;
}

std::string Service::device_metrics_text(const FleetThresholds& limits) const {
    // /metrics needs no token: without this, a flood of it would read every token and heartbeat each time, under
    // the lock a token check needs.
    std::lock_guard lock(impl_->metrics_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (now - impl_->metrics_made >= std::chrono::seconds(1) || impl_->metrics_text.empty()) {
        impl_->metrics_text = device_metrics(device_states(limits));
        impl_->metrics_made = now;
    }
    return impl_->metrics_text;
}

std::string Service::devices_json(const FleetThresholds& limits) const {
    json::array devices;
    json::object counts;
    for (const DeviceStatus status : {DeviceStatus::silent, DeviceStatus::never_seen,
                                      DeviceStatus::display_disconnected, DeviceStatus::display_off,
                                      DeviceStatus::stale, DeviceStatus::online, DeviceStatus::revoked})
        counts[status_name(status)] = 0;
    for (const DeviceState& state : device_states(limits)) {
        json::object device{{"name", state.name},
                            {"scope", state.scope},
                            {"revoked", state.verdict.status == DeviceStatus::revoked}};
        if (const auto& h = state.last) {
            device["last_heartbeat"] = h->received_at;
            device["silent_s"] = seconds_since(h->received_at);
            device["version"] = h->version;
            device["revision"] = h->revision;
            device["data_age_s"] = h->data_age_s;
            device["page"] = h->page;
            device["screen_on"] = h->screen_on;
            device["settings_tag"] = h->settings_tag;
            // Whether the screen shows the settings IT set for it (false until its next heartbeat after a change).
            device["settings_current"] = h->settings_tag == state.settings_tag;
            if (h->display_connected) device["display_connected"] = *h->display_connected;
            if (!h->display_connector.empty()) device["display_connector"] = h->display_connector;
            if (!h->display_power.empty()) device["display_power"] = h->display_power;
        }
        device["in_hours"] = state.in_hours;
        device["status"] = status_name(state.verdict.status);
        device["reason"] = state.verdict.reason;
        counts[status_name(state.verdict.status)] = counts[status_name(state.verdict.status)].as_int64() + 1;
        devices.push_back(std::move(device));
    }
    return json::serialize(json::object{{"devices", std::move(devices)},
                                        {"counts", std::move(counts)},
                                        {"thresholds", json::object{{"silent_after_s", limits.silent_after_s},
                                                                    {"stale_after_s", limits.stale_after_s}}}});
}

std::string Service::health_json() const {
    auto s = impl_->current();
    return json::serialize(json::object{{"status", "ok"},
                                        {"version", CHISO_VERSION},
                                        {"revision", s->data->revision},
                                        {"organisations", s->data->tree->size()},
                                        {"indicators", s->data->catalogue->indicators.size()}});
}

std::int64_t Service::revision() const {
    return impl_->current()->data->revision;
}

ReplyCache::Stats Service::reply_cache_stats() const {
    return impl_->replies.stats();
}

void Service::on_change(std::function<void(std::int64_t)> listener) {
    std::lock_guard lock(impl_->listeners_mutex);
    impl_->listeners.push_back(std::move(listener));
}

std::string Service::add_token(const std::string& name, const std::string& scope_org, Role role) {
    if (name.empty()) throw ServiceError(400, "a token needs a name");
    const bool device = role == Role::device;
    if (device) {
        if (scope_org.empty()) throw ServiceError(400, "a device token needs a scope organisation");
        if (impl_->current()->data->tree->find(scope_org) < 0)
            throw ServiceError(404, "unknown organisation '" + scope_org + "'");
    }
    std::lock_guard lock(impl_->write_mutex);
    try {
        return impl_->store.add_token(name, device ? scope_org : std::string(), std::string(role_name(role)));
    } catch (const std::invalid_argument& e) {
        throw ServiceError(409, e.what());
    }
}

std::vector<TokenInfo> Service::tokens() const {
    std::lock_guard lock(impl_->write_mutex);
    std::vector<TokenInfo> out;
    for (const auto& row : impl_->store.tokens())
        out.push_back({row.name, row.scope_org, parse_role(row.role).value_or(Role::device), row.revoked_at.has_value(),
                       row.created_at});
    return out;
}

void Service::revoke_token(const std::string& name) {
    std::lock_guard lock(impl_->write_mutex);
    if (!impl_->store.revoke_token(name)) throw ServiceError(404, "no active token named '" + name + "'");
    std::unique_lock tokens_lock(impl_->tokens_mutex);
    impl_->principals_by_hash.clear();
}

}  // namespace chiso::syncd
