#include "syncd/service.hpp"

#include "syncd/service_impl.hpp"

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
