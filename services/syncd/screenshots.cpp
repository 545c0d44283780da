#include "syncd/screenshots.hpp"

#include "syncd/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace chiso::syncd {
namespace json = boost::json;

namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::uint32_t big_endian(std::string_view bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

bool valid_page_name(std::string_view page) {
    return !page.empty() && page.size() <= 32 &&
           std::all_of(page.begin(), page.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

}  // namespace

std::optional<std::pair<int, int>> png_size(std::string_view bytes) {
    // The signature, then the IHDR chunk (length 13) with the width and height first.
    static constexpr std::string_view signature{"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16};
    if (bytes.size() < 33 || bytes.substr(0, signature.size()) != signature) return std::nullopt;
    const std::uint32_t width = big_endian(bytes, 16), height = big_endian(bytes, 20);
    if (width > 1u << 30 || height > 1u << 30) return std::nullopt;
    return std::pair{static_cast<int>(width), static_cast<int>(height)};
}

Screenshots::Screenshots(const std::filesystem::path& database) : file_(store::screenshot_file_for(database)) {}

store::ScreenshotStore& Screenshots::store() {
    if (!store_) store_.emplace(file_);
    return *store_;
}

std::int64_t Screenshots::accept(const std::string& device, const ScreenshotMeta& meta, std::string_view png) {
    if (png.size() > kMaxBytes)
        throw ServiceError(413, "a screenshot is at most " + std::to_string(kMaxBytes) + " bytes");
    const auto size = png_size(png);
    if (!size) throw ServiceError(400, "a screenshot must be a PNG image");
    if (size->first < 1 || size->second < 1 || size->first > kMaxSide || size->second > kMaxSide)
        throw ServiceError(400, "a screenshot is at most " + std::to_string(kMaxSide) + " pixels a side");
    if (meta.revision < 0) throw ServiceError(400, "revision must not be negative");
    if (!valid_page_name(meta.page)) throw ServiceError(400, "page must be a page's name (a-z and _)");
    if (meta.drawn_at <= 0) throw ServiceError(400, "drawn_at must be the unix time it was drawn");

    const auto now = std::chrono::steady_clock::now();
    bool answers = false;
    {
        std::lock_guard lock(mutex_);
        const auto asked = requested_.find(device);
        answers = asked != requested_.end() && meta.request >= asked->second;
        if (const auto last = last_accepted_.find(device);
            !answers && last != last_accepted_.end() && now - last->second < kMinGap)
            throw ServiceError(429, "one screenshot every " + std::to_string(kMinGap.count()) +
                                        " s at most, unless IT asked for it");
        last_accepted_[device] = now;  // taken now, so that two sent at once are not both written
    }
    store::ScreenshotRow row;
    row.device = device;
    row.received_at = unix_now();
    row.drawn_at = meta.drawn_at;
    row.revision = meta.revision;
    row.page = meta.page;
    row.width = size->first;
    row.height = size->second;
    row.requested = answers;
    row.png = std::string(png);
    std::int64_t id = 0;
    {
        std::lock_guard lock(store_mutex_);
        id = store().add(row, kKeep);
    }
    if (answers) {
        std::lock_guard lock(mutex_);
        if (const auto asked = requested_.find(device); asked != requested_.end() && meta.request >= asked->second)
            requested_.erase(asked);
    }
    return id;
}

void Screenshots::check_not_too_soon(const std::string& device) const {
    std::lock_guard lock(mutex_);
    if (requested_.contains(device)) return;
    if (const auto last = last_accepted_.find(device);
        last != last_accepted_.end() && std::chrono::steady_clock::now() - last->second < kMinGap)
        throw ServiceError(429, "one screenshot every " + std::to_string(kMinGap.count()) +
                                    " s at most, unless IT asked for it");
}

std::string Screenshots::list_json() {
    std::vector<store::ScreenshotRow> latest;
    {
        std::lock_guard lock(store_mutex_);
        latest = store().latest_per_device();
    }
    json::array shots;
    for (const auto& row : latest)
        shots.push_back(json::object{{"device", row.device},
                                     {"id", row.id},
                                     {"drawn_at", row.drawn_at},
                                     {"received_at", row.received_at},
                                     {"revision", row.revision},
                                     {"page", row.page},
                                     {"width", row.width},
                                     {"height", row.height},
                                     {"requested", row.requested}});
    json::array pending;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [device, request] : requested_) pending.push_back(json::string(device));
    }
    return json::serialize(json::object{{"screenshots", std::move(shots)}, {"pending", std::move(pending)}});
}

std::optional<store::ScreenshotRow> Screenshots::image(std::int64_t id) {
    std::lock_guard lock(store_mutex_);
    return store().find(id);
}

std::int64_t Screenshots::request(const std::string& device) {
    std::int64_t number = 0;
    std::vector<std::function<void()>> listeners;
    {
        std::lock_guard lock(mutex_);
        number = ++last_request_;
        requested_[device] = number;
        listeners = listeners_;
    }
    for (const auto& listener : listeners) listener();
    return number;
}

std::int64_t Screenshots::pending(const std::string& device) const {
    std::lock_guard lock(mutex_);
    const auto found = requested_.find(device);
    return found == requested_.end() ? 0 : found->second;
}

void Screenshots::on_request(std::function<void()> listener) {
    std::lock_guard lock(mutex_);
    listeners_.push_back(std::move(listener));
}

}  // namespace chiso::syncd
