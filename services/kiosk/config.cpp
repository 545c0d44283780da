#include "kiosk/config.hpp"

#include "config/toml_reader.hpp"

#include "dashboard/dashboard.hpp"

#include <toml++/toml.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <stdexcept>

namespace chiso::kiosk {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

std::string check_server(const std::string& url, const std::string& what) {
    const bool http = url.starts_with("http://") && url.size() > 7;
    const bool https = url.starts_with("https://") && url.size() > 8;
    if (!http && !https)
        throw std::invalid_argument("'" + what +
                                    "' must be an http:// or https:// URL, e.g. \"https://chiso.example.vn:8470\"");
    return url;
}

std::string check_review(const std::string& review, const std::string& what) {
    if (review.empty()) return review;
    auto period = domain::Period::parse(review);
    if (!period)
        throw std::invalid_argument("'" + what + "' must be a period such as \"2019-H1\", \"2019\", \"2015-2020\" or "
                                    "\"2015-09..2019-06\" (found \"" + review + "\")");
    return period->code();
}

std::vector<std::string> check_pages(const std::vector<std::string>& pages, const std::string& what) {
    const auto& known = dashboard::all_pages();
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (std::find(known.begin(), known.end(), pages[i]) == known.end())
            throw std::invalid_argument("'" + what + "': unknown page '" + pages[i] + "'; the pages are " +
                                        joined(known));
        if (std::find(pages.begin(), pages.begin() + static_cast<long>(i), pages[i]) !=
            pages.begin() + static_cast<long>(i))
            throw std::invalid_argument("'" + what + "': page '" + pages[i] + "' is listed twice");
    }
    return pages;
}

dashboard::Language parse_language(const std::string& text, const std::string& what) {
    if (text == "vi") return dashboard::Language::vi;
    if (text == "en") return dashboard::Language::en;
    throw std::invalid_argument("'" + what + "' must be \"vi\" or \"en\"");
}

Theme parse_theme(const std::string& text, const std::string& what) {
    if (text == "dark") return Theme::dark;
    if (text == "light") return Theme::light;
    throw std::invalid_argument("'" + what + "' must be \"dark\" or \"light\"");
}

Renderer parse_renderer(const std::string& text, const std::string& what) {
    if (text == "auto") return Renderer::automatic;
    if (text == "opengl") return Renderer::opengl;
    if (text == "software") return Renderer::software;
    throw std::invalid_argument("'" + what + "' must be \"auto\", \"opengl\" or \"software\"");
}

int check_rotation(long long degrees, const std::string& what) {
    if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
        throw std::invalid_argument("'" + what + "' must be 0, 90, 180 or 270");
    return static_cast<int>(degrees);
}

KioskConfig load_config(const std::filesystem::path& file) {
    const config::TomlReader reader(file);
    reader.check_sections({"server", "scope", "display", "schedule", "cache"});
    KioskConfig config;

    const toml::table* server = reader.section("server", {"url", "token_file", "ca_file"});
    if (auto url = reader.string(server, "server", "url"))
        config.server = reader.checked(server, "url", [&] { return check_server(*url, "server.url"); });
    if (auto token = reader.string(server, "server", "token_file")) config.token_file = *token;
    if (auto ca_file = reader.string(server, "server", "ca_file")) {
        if (ca_file->empty()) reader.fail(*server->get("ca_file"), "'server.ca_file' must name a file");
        // Relative to the configuration file, as a provisioning bundle writes it.
        config.ca_file = std::filesystem::path(file).parent_path() / *ca_file;
    }

    const toml::table* scope = reader.section("scope", {"org", "depth"});
    if (auto org = reader.string(scope, "scope", "org")) config.org = *org;
    if (auto depth = reader.integer(scope, "scope", "depth", kDepthRange.min, kDepthRange.max))
        config.depth = static_cast<int>(*depth);

    const toml::table* display = reader.section(
        "display", {"pages", "dwell_seconds", "language", "theme", "rotation", "pixel_shift", "stale_minutes",
                    "renderer", "pin_page", "review"});
    if (auto pages = reader.strings(display, "display", "pages")) {
        if (pages->empty()) reader.fail(*display->get("pages"), "'display.pages' must name at least one page");
        config.pages = reader.checked(display, "pages", [&] { return check_pages(*pages, "display.pages"); });
    }
    if (auto dwell =
            reader.integer(display, "display", "dwell_seconds", kDwellSecondsRange.min, kDwellSecondsRange.max))
        config.dwell_seconds = static_cast<int>(*dwell);
    if (auto language = reader.string(display, "display", "language"))
        config.language =
            reader.checked(display, "language", [&] { return parse_language(*language, "display.language"); });
    if (auto theme = reader.string(display, "display", "theme"))
        config.theme = reader.checked(display, "theme", [&] { return parse_theme(*theme, "display.theme"); });
    if (auto renderer = reader.string(display, "display", "renderer"))
        config.renderer =
            reader.checked(display, "renderer", [&] { return parse_renderer(*renderer, "display.renderer"); });
    if (auto rotation = reader.integer(display, "display", "rotation", 0, 270))
        config.rotation =
            reader.checked(display, "rotation", [&] { return check_rotation(*rotation, "display.rotation"); });
    if (auto shift = reader.boolean(display, "display", "pixel_shift")) config.pixel_shift = *shift;
    if (auto pin = reader.string(display, "display", "pin_page"))
        config.pin_page = pin->empty() ? std::string()
                                       : reader.checked(display, "pin_page", [&] {
                                             return check_pages({*pin}, "display.pin_page").front();
                                         });
    if (auto stale =
            reader.integer(display, "display", "stale_minutes", kStaleMinutesRange.min, kStaleMinutesRange.max))
        config.stale_minutes = static_cast<int>(*stale);
    if (auto review = reader.string(display, "display", "review"))
        config.review = reader.checked(display, "review", [&] { return check_review(*review, "display.review"); });

    if (const toml::table* schedule = reader.section("schedule", {"on", "off", "days"})) {
        config.schedule.always_on = false;
        auto time = [&](std::string_view key, int& minute) {
            if (auto text = reader.string(schedule, "schedule", key)) {
                auto parsed = parse_clock_time(*text);
                if (!parsed)
                    reader.fail(*schedule->get(key),
                                "'schedule." + std::string(key) + "' must be a time \"HH:MM\", e.g. \"07:00\"");
                minute = *parsed;
            }
        };
        time("on", config.schedule.on);
        time("off", config.schedule.off);
        if (auto days = reader.strings(schedule, "schedule", "days")) {
            config.schedule.days.fill(false);
            for (const std::string& day : *days) {
                auto index = parse_weekday(day);
                if (!index)
                    reader.fail(*schedule->get("days"),
                                "'schedule.days': unknown day '" + day + "'; use mon, tue, wed, thu, fri, sat, sun");
                config.schedule.days[static_cast<std::size_t>(*index)] = true;
            }
        }
    }

    const toml::table* cache = reader.section("cache", {"path"});
    if (auto path = reader.string(cache, "cache", "path")) config.cache = *path;
    return config;
}

std::optional<std::string> read_token(const std::filesystem::path& file, std::string* error) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
        if (error) *error = "cannot read the token file " + file.string();
        return std::nullopt;
    }
    const auto first = line.find_first_not_of(" \t\r\n");
    const auto last = line.find_last_not_of(" \t\r\n");
    if (first == std::string::npos) {
        if (error) *error = "the token file " + file.string() + " is empty";
        return std::nullopt;
    }
    return line.substr(first, last - first + 1);
}

std::filesystem::path enrolled_token_file(const KioskConfig& config) {
    return config.cache.parent_path() / "enrolled.token";
}

bool write_enrolled_token(const std::filesystem::path& file, const std::string& token, const std::string& server,
                          std::string* error) {
    const std::filesystem::path temporary = file.string() + ".new";
    const std::string text = token + "\n" + server + "\n";
    int failure = 0;
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) failure = errno;
    if (!failure && ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        failure = errno ? errno : EIO;
    if (!failure && ::fsync(fd) != 0) failure = errno;
    if (fd >= 0 && ::close(fd) != 0 && !failure) failure = errno;
    if (!failure && std::rename(temporary.c_str(), file.c_str()) != 0) failure = errno;
    if (!failure) {
        // The rename itself must reach the disk: a screen's power is cut at any moment.
        const std::string folder = file.parent_path().empty() ? std::string(".") : file.parent_path().string();
        if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
        return true;
    }
    if (error) *error = "cannot write the token to " + file.string() + ": " + std::strerror(failure);
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return false;
}

std::optional<std::string> read_enrolled_token(const std::filesystem::path& file, const std::string& server,
                                               std::string* error) {
    std::ifstream in(file);
    std::string token, for_server;
    if (!in || !std::getline(in, token) || !std::getline(in, for_server) || token.empty()) {
        if (error) *error = "no token received by enrolment in " + file.string();
        return std::nullopt;
    }
    if (for_server != server) {
        if (error) *error = "the token in " + file.string() + " is for " + for_server + ", not " + server;
        return std::nullopt;
    }
    return token;
}

}  // namespace chiso::kiosk
