// Proof of render: the images kiosks send of what they show, with the revision, page and time each was drawn, and
// IT's requests for a new one. A request is held in memory until the device answers it; the device learns of it
// from any answer (kChisoCapture, and its scope ETag, so its long-poll ends at once). Thread-safe.
//
// Bounds: a PNG of at most kMaxBytes, at most kMaxSide pixels a side (read from its header, never decoded here);
// one every kMinGap from a device unless it answers a request; the latest kKeep per device are kept.
#pragma once

#include "store/screenshot_store.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::syncd {

struct ScreenshotMeta {
    std::int64_t revision = 0;
    std::string page;
    std::int64_t drawn_at = 0;  // unix seconds
    std::int64_t request = 0;   // the request it answers; 0: a periodic one
};

class Screenshots {
public:
    static constexpr std::size_t kMaxBytes = std::size_t{1} << 20;
    static constexpr int kMaxSide = 3840;
    static constexpr std::chrono::seconds kMinGap{10};
    static constexpr int kKeep = 3;

    // `database` is the store's; the images go beside it, in a file opened at the first image asked or sent (so
    // the command line, run as another user, never creates it).
    explicit Screenshots(const std::filesystem::path& database);

    // A device's image. Throws ServiceError: 400 not a PNG or out of bounds, 413 too large, 429 too soon.
    std::int64_t accept(const std::string& device, const ScreenshotMeta& meta, std::string_view png);
    // Before the body is read: throws ServiceError 429 when the device could not send one now (too soon, and no
    // request of IT's to answer), so a stolen token cannot make syncd read a megabyte only to refuse it.
    void check_not_too_soon(const std::string& device) const;
    // {"screenshots": [{"device","id","drawn_at","received_at","revision","page","width","height","requested"}],
    //  "pending": ["device", ...]}: the latest of each device, and the requests not answered yet.
    std::string list_json();
    std::optional<store::ScreenshotRow> image(std::int64_t id);

    // IT asks `device` for a new image now; returns the request's number. Listeners are told (after the lock).
    std::int64_t request(const std::string& device);
    std::int64_t pending(const std::string& device) const;  // 0: none
    void on_request(std::function<void()> listener);

private:
    store::ScreenshotStore& store();  // with store_mutex_ held

    // The images: a write takes milliseconds, so the requests, which every device request looks at, have their own.
    std::mutex store_mutex_;
    std::filesystem::path file_;
    std::optional<store::ScreenshotStore> store_;

    mutable std::mutex mutex_;
    std::int64_t last_request_ = 0;
    std::map<std::string, std::int64_t> requested_;  // by device: the latest request not answered yet
    std::map<std::string, std::chrono::steady_clock::time_point> last_accepted_;
    std::vector<std::function<void()>> listeners_;
};

// The width and height a PNG's header declares; nullopt when `bytes` does not start as a PNG does.
std::optional<std::pair<int, int>> png_size(std::string_view bytes);

}  // namespace chiso::syncd
