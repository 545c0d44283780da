#include "config.hpp"

#include "dashboard/dashboard.hpp"

#include <toml++/toml.h>

#include <algorithm>
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

// Reads one TOML file, keeping its name so every error says where it is.
class Reader {
public:
    explicit Reader(const std::filesystem::path& file) : file_(file.string()) {
        try {
            root_ = toml::parse_file(file_);
        } catch (const toml::parse_error& e) {
            const auto& where = e.source().begin;
            if (where.line == 0) throw std::runtime_error("cannot read " + file_ + ": " + std::string(e.description()));
            throw std::runtime_error(file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                                     ": " + std::string(e.description()));
        }
    }

    void check_sections(std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : root_)
            if (std::find(known.begin(), known.end(), key.str()) == known.end())
                fail(value, "unknown key '" + std::string(key.str()) + "'");
    }

    // The table [name] with only the given keys, or nullptr when the file has none.
    const toml::table* section(std::string_view name, std::initializer_list<std::string_view> known) const {
        const toml::node* node = root_.get(name);
        if (!node) return nullptr;
        const toml::table* table = node->as_table();
        if (!table) fail(*node, "'" + std::string(name) + "' must be a table ([" + std::string(name) + "])");
        for (const auto& [key, value] : *table)
            if (std::find(known.begin(), known.end(), key.str()) == known.end())
                fail(value, "unknown key '" + std::string(name) + "." + std::string(key.str()) + "'");
        return table;
    }

    const toml::node* node(const toml::table* table, std::string_view key) const {
        return table ? table->get(key) : nullptr;
    }

    std::optional<std::string> string(const toml::table* table, std::string_view section, std::string_view key) const {
        const toml::node* found = node(table, key);
        if (!found) return std::nullopt;
        if (!found->is_string()) fail(*found, "'" + name(section, key) + "' must be a string");
        return found->as_string()->get();
    }

    std::optional<std::int64_t> integer(const toml::table* table, std::string_view section, std::string_view key,
                                        std::int64_t min, std::int64_t max) const {
        const toml::node* found = node(table, key);
        if (!found) return std::nullopt;
        if (!found->is_integer()) fail(*found, "'" + name(section, key) + "' must be an integer");
        const std::int64_t value = found->as_integer()->get();
        if (value < min || value > max)
            fail(*found,
                 "'" + name(section, key) + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
        return value;
    }

    std::optional<bool> boolean(const toml::table* table, std::string_view section, std::string_view key) const {
        const toml::node* found = node(table, key);
        if (!found) return std::nullopt;
        if (!found->is_boolean()) fail(*found, "'" + name(section, key) + "' must be true or false");
        return found->as_boolean()->get();
    }

    std::optional<std::vector<std::string>> strings(const toml::table* table, std::string_view section,
                                                    std::string_view key) const {
        const toml::node* found = node(table, key);
        if (!found) return std::nullopt;
        const toml::array* array = found->as_array();
        if (!array) fail(*found, "'" + name(section, key) + "' must be a list of strings");
        std::vector<std::string> result;
        for (const toml::node& item : *array) {
            if (!item.is_string()) fail(item, "'" + name(section, key) + "' must be a list of strings");
            result.push_back(item.as_string()->get());
        }
        return result;
    }

    // Runs a check that throws std::invalid_argument, turning its message into one that names the position.
    template <typename Check>
    auto checked(const toml::table* table, std::string_view key, Check check) const {
        try {
            return check();
        } catch (const std::invalid_argument& e) {
            fail(*table->get(key), e.what());
        }
    }

    [[noreturn]] void fail(const toml::node& at, const std::string& what) const {
        const auto& where = at.source().begin;
        throw std::runtime_error(file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                                 what);
    }

private:
    static std::string name(std::string_view section, std::string_view key) {
        return std::string(section) + "." + std::string(key);
    }

    std::string file_;
    toml::table root_;
};

}  // namespace

std::string check_server(const std::string& url, const std::string& what) {
    if (!url.starts_with("http://") || url.size() <= 7)
        throw std::invalid_argument("'" + what + "' must be an http:// URL, e.g. \"http://10.0.0.5:8470\"");
    return url;
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

int check_rotation(long long degrees, const std::string& what) {
    if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
        throw std::invalid_argument("'" + what + "' must be 0, 90, 180 or 270");
    return static_cast<int>(degrees);
}

KioskConfig load_config(const std::filesystem::path& file) {
    const Reader reader(file);
    reader.check_sections({"server", "scope", "display", "schedule", "cache"});
    KioskConfig config;

    const toml::table* server = reader.section("server", {"url", "token_file"});
    if (auto url = reader.string(server, "server", "url"))
        config.server = reader.checked(server, "url", [&] { return check_server(*url, "server.url"); });
    if (auto token = reader.string(server, "server", "token_file")) config.token_file = *token;

    const toml::table* scope = reader.section("scope", {"org", "depth"});
    if (auto org = reader.string(scope, "scope", "org")) config.org = *org;
    if (auto depth = reader.integer(scope, "scope", "depth", 0, 8)) config.depth = static_cast<int>(*depth);

    const toml::table* display = reader.section(
        "display", {"pages", "dwell_seconds", "language", "theme", "rotation", "pixel_shift", "stale_minutes"});
    if (auto pages = reader.strings(display, "display", "pages")) {
        if (pages->empty()) reader.fail(*display->get("pages"), "'display.pages' must name at least one page");
        config.pages = reader.checked(display, "pages", [&] { return check_pages(*pages, "display.pages"); });
    }
    if (auto dwell = reader.integer(display, "display", "dwell_seconds", 3, 3600))
        config.dwell_seconds = static_cast<int>(*dwell);
    if (auto language = reader.string(display, "display", "language"))
        config.language =
            reader.checked(display, "language", [&] { return parse_language(*language, "display.language"); });
    if (auto theme = reader.string(display, "display", "theme"))
        config.theme = reader.checked(display, "theme", [&] { return parse_theme(*theme, "display.theme"); });
    if (auto rotation = reader.integer(display, "display", "rotation", 0, 270))
        config.rotation =
            reader.checked(display, "rotation", [&] { return check_rotation(*rotation, "display.rotation"); });
    if (auto shift = reader.boolean(display, "display", "pixel_shift")) config.pixel_shift = *shift;
    if (auto stale = reader.integer(display, "display", "stale_minutes", 1, 7 * 24 * 60))
        config.stale_minutes = static_cast<int>(*stale);

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

}  // namespace chiso::kiosk
