// Display settings for the fleet, held by syncd: defaults, one layer per group and one per device, each checked by
// the kiosk's own rules (kiosk/settings.hpp) before it is stored. A device's effective settings are the defaults,
// then its groups' in the order it lists them, then its own, key by key; their tag (a hash) is what a kiosk holds
// and what its scope ETag includes, so a change of settings ends its long-poll as a change of figures does.
// Thread-safe; a change by another process (chiso-syncd settings set) is seen within a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::store {
class Store;
}

namespace chiso::syncd {

struct EffectiveSettings {
    std::string tag;   // 16 hex digits of the SHA-256 of json
    std::string json;  // a JSON object; "{}" when nothing is set
};

class FleetSettings {
public:
    explicit FleetSettings(const std::filesystem::path& database);
    ~FleetSettings();

    EffectiveSettings effective(const std::string& device) const;
    // For IT: {"defaults": {...}, "groups": {NAME: {"settings": {...}, "devices": [...]}},
    //          "devices": {NAME: {"groups": [...], "settings": {...}, "effective": {...}, "tag": "..."}}}
    std::string layers_json() const;

    // layer: "defaults", "group:NAME" or "device:NAME"; json: the layer's whole object ("{}" removes it).
    // Throws ServiceError: 400 for settings the kiosk would refuse, 404 for a group no device is in (unless
    // removing) or a device without a device token. Returns the layer as stored.
    std::string put(const std::string& layer, std::string_view json, const std::string& by);
    // Throws ServiceError 400 for a bad group name, 404 for an unknown device.
    void set_groups(const std::string& device, const std::vector<std::string>& groups);

    // Called after every change made through this object (not another process's), on the changing thread.
    void on_change(std::function<void()> listener);

private:
    struct Loaded;
    std::shared_ptr<const Loaded> current() const;  // reloaded when the store's fleet version moved
    std::shared_ptr<const Loaded> fresh() const;    // the same, looked at now: a change is checked against it
    void changed();

    mutable std::mutex mutex_;  // reading: every device request takes it, so it is never held over a write
    std::unique_ptr<store::Store> store_;
    std::mutex write_mutex_;  // writing, on a connection of its own: a write may wait seconds for an import
    std::unique_ptr<store::Store> writer_;
    mutable std::shared_ptr<const Loaded> loaded_;
    mutable std::chrono::steady_clock::time_point checked_;
    std::vector<std::function<void()>> listeners_;
};

// A group's name: 1 to 64 of a-z, 0-9, '-', '_', '.', starting with a letter or digit.
bool valid_group_name(std::string_view name);
// A device's groups: good names, none twice, 16 at most; throws ServiceError 400 naming what is wrong.
void check_groups(const std::vector<std::string>& groups);

}  // namespace chiso::syncd
