#include "syncd/config.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>

namespace chiso::syncd {

namespace {

constexpr std::array<std::string_view, 7> log_levels{"trace", "debug", "info", "warn", "error", "critical", "off"};

// Reads one TOML file, keeping its name so every error can say where it is.
class Reader {
public:
    explicit Reader(const std::filesystem::path& file) : file_(file.string()) {
        try {
            root_ = toml::parse_file(file_);
        } catch (const toml::parse_error& e) {
            const auto& where = e.source().begin;
            if (where.line == 0)  // not a syntax error: the file could not be read
                throw std::runtime_error(fmt::format("cannot read {}: {}", file_, e.description()));
            throw std::runtime_error(fmt::format("{}:{}:{}: {}", file_, where.line, where.column, e.description()));
        }
    }

    // The table [name], or nullptr when the file has none.
    const toml::table* section(std::string_view name, std::initializer_list<std::string_view> known_keys) const {
        const toml::node* node = root_.get(name);
        if (!node) return nullptr;
        const toml::table* table = node->as_table();
        if (!table) fail(*node, fmt::format("'{}' must be a table ([{}])", name, name));
        for (const auto& [key, value] : *table)
            if (std::find(known_keys.begin(), known_keys.end(), key.str()) == known_keys.end())
                fail(value, fmt::format("unknown key '{}.{}'", name, key.str()));
        return table;
    }

    void check_sections(std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : root_)
            if (std::find(known.begin(), known.end(), key.str()) == known.end())
                fail(value, fmt::format("unknown key '{}'", key.str()));
    }

    std::optional<std::string> string(const toml::table* table, std::string_view section, std::string_view key) const {
        const toml::node* node = table ? table->get(key) : nullptr;
        if (!node) return std::nullopt;
        if (!node->is_string()) fail(*node, fmt::format("'{}.{}' must be a string", section, key));
        return node->as_string()->get();
    }

    std::optional<std::int64_t> integer(const toml::table* table, std::string_view section, std::string_view key,
                                        std::int64_t min, std::int64_t max) const {
        const toml::node* node = table ? table->get(key) : nullptr;
        if (!node) return std::nullopt;
        if (!node->is_integer()) fail(*node, fmt::format("'{}.{}' must be an integer", section, key));
        const std::int64_t value = node->as_integer()->get();
        if (value < min || value > max)
            fail(*node, fmt::format("'{}.{}' must be between {} and {}", section, key, min, max));
        return value;
    }

    [[noreturn]] void fail(const toml::node& node, const std::string& what) const {
        const auto& where = node.source().begin;
        throw std::runtime_error(fmt::format("{}:{}:{}: {}", file_, where.line, where.column, what));
    }

private:
    std::string file_;
    toml::table root_;
};

void read_server(const Reader& reader, ServerOptions& server) {
    const toml::table* table = reader.section("server", {"listen", "port", "threads", "max_body_mib"});
    if (auto listen = reader.string(table, "server", "listen")) server.address = std::move(*listen);
    if (auto port = reader.integer(table, "server", "port", 0, 65535)) server.port = static_cast<std::uint16_t>(*port);
    if (auto threads = reader.integer(table, "server", "threads", 1, 256)) server.threads = static_cast<int>(*threads);
    if (auto mib = reader.integer(table, "server", "max_body_mib", 1, 4096))
        server.import_body_limit = static_cast<std::size_t>(*mib) << 20;
}

}  // namespace

Config load_config(const std::filesystem::path& file) {
    const Reader reader(file);
    reader.check_sections({"server", "store", "log"});
    Config config;
    read_server(reader, config.server);
    if (auto database = reader.string(reader.section("store", {"database"}), "store", "database"))
        config.database = std::move(*database);
    const toml::table* log = reader.section("log", {"level"});
    if (auto level = reader.string(log, "log", "level")) {
        if (std::find(log_levels.begin(), log_levels.end(), *level) == log_levels.end())
            reader.fail(*log->get("level"), fmt::format("'log.level' must be one of {}", fmt::join(log_levels, ", ")));
        config.log_level = std::move(*level);
    }
    return config;
}

void set_log_level(std::string_view name) {
    if (std::find(log_levels.begin(), log_levels.end(), name) == log_levels.end())
        throw std::runtime_error(
            fmt::format("unknown log level '{}'; use one of {}", name, fmt::join(log_levels, ", ")));
    spdlog::set_level(spdlog::level::from_str(std::string(name)));
}

}  // namespace chiso::syncd
