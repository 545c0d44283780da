#include "syncd/fleet_settings.hpp"

#include "kiosk/settings.hpp"
#include "store/store.hpp"
#include "syncd/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace chiso::syncd {
namespace json = boost::json;

namespace {

constexpr auto kRecheck = std::chrono::seconds(1);  // how soon another process's change is seen
constexpr std::size_t kMaxGroupsPerDevice = 16;

json::value parsed(const std::string& text) {
    return json::parse(text);
}

}  // namespace

bool valid_group_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lower_or_digit(name.front())) return false;
    return std::all_of(name.begin(), name.end(),
                       [&](char c) { return lower_or_digit(c) || c == '-' || c == '_' || c == '.'; });
}

// Everything read at one fleet version.
struct FleetSettings::Loaded {
    std::int64_t version = -1;
    std::map<std::string, std::string> layers;             // layer → JSON object
    std::map<std::string, std::vector<std::string>> groups;  // device → its groups in order
    std::set<std::string> devices;                         // device tokens (revoked ones too: their rows stay)
    std::map<std::string, EffectiveSettings> effective;    // per device with any layer of its own or a group
    EffectiveSettings defaults;

    std::string layer(const std::string& name) const {
        auto found = layers.find(name);
        return found == layers.end() ? "{}" : found->second;
    }

    EffectiveSettings merge(const std::string& device) const {
        std::vector<std::string> stack{layer("defaults")};
        if (auto g = groups.find(device); g != groups.end())
            for (const std::string& group : g->second) stack.push_back(layer("group:" + group));
        stack.push_back(layer("device:" + device));
        EffectiveSettings out;
        out.json = kiosk::merge_settings(stack);
        out.tag = store::sha256_hex(out.json).substr(0, 16);
        return out;
    }

    bool has_group(const std::string& group) const {
        return std::any_of(groups.begin(), groups.end(), [&](const auto& entry) {
            return std::find(entry.second.begin(), entry.second.end(), group) != entry.second.end();
        });
    }
};

FleetSettings::FleetSettings(const std::filesystem::path& database)
    : store_(std::make_unique<store::Store>(database)), writer_(std::make_unique<store::Store>(database)) {}

FleetSettings::~FleetSettings() = default;

std::shared_ptr<const FleetSettings::Loaded> FleetSettings::current() const {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (loaded_ && now - checked_ < kRecheck) return loaded_;
    checked_ = now;
    const std::int64_t version = store_->fleet_version();
    if (loaded_ && loaded_->version == version) return loaded_;
    auto next = std::make_shared<Loaded>();
    next->version = version;
    for (const auto& row : store_->settings()) next->layers[row.layer] = row.json;
    for (const auto& row : store_->device_groups()) next->groups[row.device].push_back(row.group);
    for (const auto& token : store_->tokens())
        if (token.role == "device") next->devices.insert(token.name);
    next->defaults = next->merge("");
    for (const std::string& device : next->devices) next->effective[device] = next->merge(device);
    loaded_ = std::move(next);
    return loaded_;
}

std::shared_ptr<const FleetSettings::Loaded> FleetSettings::fresh() const {
    {
        std::lock_guard lock(mutex_);
        checked_ = {};
    }
    return current();
}

EffectiveSettings FleetSettings::effective(const std::string& device) const {
    auto loaded = current();
    auto found = loaded->effective.find(device);
    return found == loaded->effective.end() ? loaded->defaults : found->second;
}

std::string FleetSettings::layers_json() const {
    auto loaded = fresh();  // a person reads it: as it is now, whoever changed it
    json::object groups;
    for (const auto& [device, names] : loaded->groups)
        for (const std::string& group : names) {
            json::value& entry = groups[group];
            if (!entry.is_object())
                entry = json::object{{"settings", parsed(loaded->layer("group:" + group))}, {"devices", json::array{}}};
            entry.as_object()["devices"].as_array().push_back(json::value(device));
        }
    json::object devices;
    for (const std::string& device : loaded->devices) {
        json::array names;
        if (auto g = loaded->groups.find(device); g != loaded->groups.end())
            for (const std::string& group : g->second) names.push_back(json::value(group));
        const EffectiveSettings& effective = loaded->effective.at(device);
        devices[device] = json::object{{"groups", std::move(names)},
                                       {"settings", parsed(loaded->layer("device:" + device))},
                                       {"effective", parsed(effective.json)},
                                       {"tag", effective.tag}};
    }
    return json::serialize(json::object{{"defaults", parsed(loaded->layer("defaults"))},
                                        {"groups", std::move(groups)},
                                        {"devices", std::move(devices)}});
}

std::string FleetSettings::put(const std::string& layer, std::string_view text, const std::string& by) {
    try {
        kiosk::parse_settings(text);
    } catch (const std::invalid_argument& e) {
        throw ServiceError(400, e.what());
    }
    const std::string stored = json::serialize(json::parse(text));
    auto loaded = fresh();
    if (layer.starts_with("group:")) {
        const std::string group = layer.substr(6);
        if (!valid_group_name(group)) throw ServiceError(400, "bad group name '" + group + "'");
        if (stored != "{}" && !loaded->has_group(group))
            throw ServiceError(404, "unknown group '" + group + "': no device is in it");
    } else if (layer.starts_with("device:")) {
        if (!loaded->devices.contains(layer.substr(7)))
            throw ServiceError(404, "unknown device '" + layer.substr(7) + "'");
    } else if (layer != "defaults") {
        throw ServiceError(400, "a settings layer is defaults, group:NAME or device:NAME");
    }
    {
        std::lock_guard lock(write_mutex_);
        writer_->put_settings(layer, stored, by);
    }
    {
        std::lock_guard lock(mutex_);
        checked_ = {};  // read again at the next look
    }
    changed();
    return stored;
}

void check_groups(const std::vector<std::string>& groups) {
    if (groups.size() > kMaxGroupsPerDevice)
        throw ServiceError(400, "a device is in at most " + std::to_string(kMaxGroupsPerDevice) + " groups");
    std::set<std::string> seen;
    for (const std::string& group : groups) {
        if (!valid_group_name(group))
            throw ServiceError(400, "bad group name '" + group +
                                        "': 1 to 64 of a-z, 0-9, '-', '_' and '.', starting with a letter or digit");
        if (!seen.insert(group).second) throw ServiceError(400, "group '" + group + "' is listed twice");
    }
}

void FleetSettings::set_groups(const std::string& device, const std::vector<std::string>& groups) {
    check_groups(groups);
    if (!fresh()->devices.contains(device)) throw ServiceError(404, "unknown device '" + device + "'");
    {
        std::lock_guard lock(write_mutex_);
        writer_->set_device_groups(device, groups);
    }
    {
        std::lock_guard lock(mutex_);
        checked_ = {};
    }
    changed();
}

void FleetSettings::on_change(std::function<void()> listener) {
    std::lock_guard lock(mutex_);
    listeners_.push_back(std::move(listener));
}

void FleetSettings::changed() {
    std::vector<std::function<void()>> listeners;
    {
        std::lock_guard lock(mutex_);
        listeners = listeners_;
    }
    for (const auto& listener : listeners) listener();
}

}  // namespace chiso::syncd
