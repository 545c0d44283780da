// The kiosk's configuration: built-in defaults, then a TOML file (deploy/config/chiso-kiosk.toml documents every
// key), then command-line flags. Qt-free, so the rules are tested without a display.
#pragma once

#include "dashboard/format.hpp"
#include "kiosk/display_rules.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace chiso::kiosk {

enum class Theme { dark, light };

struct KioskConfig {
    // [server]
    std::string server = "http://127.0.0.1:8470";
    std::filesystem::path token_file = "/etc/chiso/kiosk.token";
    std::filesystem::path ca_file;  // https: the CAs (PEM) syncd's certificate must chain to; empty: the system's
    // [scope]
    std::string org;  // empty: the device's own organisation
    int depth = 1;
    // [display]
    std::vector<std::string> pages;  // keys in the order shown; empty: every page
    int dwell_seconds = 20;
    dashboard::Language language = dashboard::Language::vi;
    Theme theme = Theme::dark;
    int rotation = 0;  // 0, 90, 180 or 270 degrees, clockwise
    bool pixel_shift = true;
    std::string pin_page;     // one page shown alone, no turning; empty: none
    std::string review;       // a review period every page shows ("2019-H1", "2015-2020", "2015-09..2019-06"); empty: none
    int stale_minutes = 120;  // as syncd's fleet view: data older than 2 h is stale
    int stale_seconds = 0;    // --stale-seconds only (tests): when set, the threshold in seconds instead
    Renderer renderer = Renderer::automatic;
    // [schedule]
    DisplaySchedule schedule;
    // [cache]
    std::filesystem::path cache = "/var/lib/chiso-kiosk/cache.db";
};

// A review period as a kiosk takes it (empty: none), or std::invalid_argument naming `what`.
std::string check_review(const std::string& review, const std::string& what);

// The whole numbers a kiosk accepts, wherever they come from: its file, its flags, a fleet file.
struct Range {
    long long min, max;
    bool holds(long long value) const { return value >= min && value <= max; }
};
inline constexpr Range kDepthRange{0, 8};
inline constexpr Range kDwellSecondsRange{3, 3600};
inline constexpr Range kStaleMinutesRange{1, 7 * 24 * 60};

// The defaults overlaid with the file's values. Throws std::runtime_error naming the file, the position and the
// key for a syntax error, an unknown key, a value of the wrong type or out of range.
KioskConfig load_config(const std::filesystem::path& file);

// Checks a value given on the command line the same way the file's would be; the message names `what`.
// check_server: an http:// or https:// URL.
std::string check_server(const std::string& url, const std::string& what);
std::vector<std::string> check_pages(const std::vector<std::string>& pages, const std::string& what);
dashboard::Language parse_language(const std::string& text, const std::string& what);
Theme parse_theme(const std::string& text, const std::string& what);
Renderer parse_renderer(const std::string& text, const std::string& what);  // "auto", "opengl" or "software"
int check_rotation(long long degrees, const std::string& what);

// The first line of the token file, without surrounding white space; nullopt (and *error set) when it cannot
// be read or is empty.
std::optional<std::string> read_token(const std::filesystem::path& file, std::string* error);

// Where a token received by enrolment is kept: beside the cache, on the one partition of an image that is
// written (the configured token file may be on a read-only root). Read when the token file cannot be.
std::filesystem::path enrolled_token_file(const KioskConfig& config);
// Writes the token there with the server it is for (a second line), readable by its owner only, whole or not at
// all (a temporary file renamed over it, then the folder synced). False (and *error set) when it cannot.
bool write_enrolled_token(const std::filesystem::path& file, const std::string& token, const std::string& server,
                          std::string* error);
// The token kept there, when it is for `server` (a token for another server would only be refused: the kiosk
// enrols again); nullopt (and *error set) otherwise.
std::optional<std::string> read_enrolled_token(const std::filesystem::path& file, const std::string& server,
                                               std::string* error);

}  // namespace chiso::kiosk
