#include "syncd/config.hpp"

#include "config/toml_reader.hpp"

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

void read_server(const config::TomlReader& reader, ServerOptions& server) {
    const toml::table* table = reader.section(
        "server", {"listen", "port", "threads", "max_body_mib", "max_connections", "max_connections_per_address",
                   "max_longpolls_per_token", "requests_per_second", "request_burst"});
    if (auto listen = reader.string(table, "server", "listen")) server.address = std::move(*listen);
    if (auto port = reader.integer(table, "server", "port", 0, 65535)) server.port = static_cast<std::uint16_t>(*port);
    if (auto threads = reader.integer(table, "server", "threads", 1, 256)) server.threads = static_cast<int>(*threads);
    if (auto mib = reader.integer(table, "server", "max_body_mib", 1, 4096))
        server.import_body_limit = static_cast<std::size_t>(*mib) << 20;
    if (auto most = reader.integer(table, "server", "max_connections", 16, 1'000'000))
        server.max_connections = static_cast<std::size_t>(*most);
    if (auto most = reader.integer(table, "server", "max_connections_per_address", 1, 1'000'000))
        server.max_connections_per_address = static_cast<std::size_t>(*most);
    if (auto most = reader.integer(table, "server", "max_longpolls_per_token", 1, 1'000'000))
        server.max_longpolls_per_token = static_cast<std::size_t>(*most);
    if (auto rate = reader.integer(table, "server", "requests_per_second", 1, 1'000'000))
        server.rate.per_second = static_cast<double>(*rate);
    if (auto burst = reader.integer(table, "server", "request_burst", 1, 1'000'000))
        server.rate.burst = static_cast<double>(*burst);
}

// Ranges a person could mean: down to a second (a test, a lab), up to thirty days. Below the kiosks' one-minute
// heartbeat a silent_after_seconds flags healthy screens as silent between beats; the file's comments say so.
void read_fleet(const config::TomlReader& reader, FleetThresholds& fleet) {
    constexpr std::int64_t thirty_days = 30 * 86400;
    const toml::table* table = reader.section("fleet", {"silent_after_seconds", "stale_after_seconds"});
    if (auto silent = reader.integer(table, "fleet", "silent_after_seconds", 1, thirty_days))
        fleet.silent_after_s = *silent;
    if (auto stale = reader.integer(table, "fleet", "stale_after_seconds", 1, thirty_days))
        fleet.stale_after_s = *stale;
}

// Both files or neither; a relative path is taken from the configuration file's folder. Whether they can be read and
// belong together is checked when the server starts (make_tls_context), which names the file.
void read_tls(const config::TomlReader& reader, const std::filesystem::path& file, ServerOptions& server) {
    const toml::table* table = reader.section("tls", {"certificate", "private_key"});
    const auto path = [&](std::string_view key) -> std::filesystem::path {
        auto text = reader.string(table, "tls", key);
        if (!text) return {};
        if (text->empty()) reader.fail(*table->get(key), fmt::format("'tls.{}' must name a file", key));
        const std::filesystem::path value(*text);
        return value.is_absolute() ? value : file.parent_path() / value;
    };
    server.tls_certificate = path("certificate");
    server.tls_private_key = path("private_key");
    if (server.tls_certificate.empty() != server.tls_private_key.empty()) {
        const std::string_view given = server.tls_certificate.empty() ? "private_key" : "certificate";
        reader.fail(*table->get(given), "[tls] needs both 'certificate' and 'private_key', or neither");
    }
}

void read_alerts(const config::TomlReader& reader, AlertOptions& alerts) {
    const toml::table* table = reader.section("alerts", {"webhook_url", "check_seconds", "attempts"});
    if (auto url = reader.string(table, "alerts", "webhook_url")) {
        if (!url->starts_with("http://") && !url->starts_with("https://"))
            reader.fail(*table->get("webhook_url"), "'alerts.webhook_url' must be an http:// or https:// URL");
        alerts.webhook_url = std::move(*url);
    }
    if (auto seconds = reader.integer(table, "alerts", "check_seconds", 1, 3600))
        alerts.check_every = std::chrono::seconds(*seconds);
    if (auto attempts = reader.integer(table, "alerts", "attempts", 1, 20)) alerts.attempts = static_cast<int>(*attempts);
}

}  // namespace

Config load_config(const std::filesystem::path& file) {
    const config::TomlReader reader(file);
    reader.check_sections({"server", "store", "log", "fleet", "tls", "alerts"});
    Config config;
    read_server(reader, config.server);
    read_fleet(reader, config.server.fleet);
    read_tls(reader, file, config.server);
    read_alerts(reader, config.alerts);
    const toml::table* store = reader.section("store", {"database", "reply_cache_mib"});
    if (auto database = reader.string(store, "store", "database")) config.database = std::move(*database);
    if (auto mib = reader.integer(store, "store", "reply_cache_mib", 1, 1'048'576))
        config.reply_cache_bytes = static_cast<std::size_t>(*mib) << 20;
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
