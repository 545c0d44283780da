// chiso-syncd's configuration: built-in defaults, then a TOML file (see deploy/config/chiso-syncd.toml),
// then command-line flags, which main.cpp applies on top of what load_config() returns.
#pragma once

#include "syncd/fleet_watch.hpp"
#include "syncd/server.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace chiso::syncd {

struct Config {
    ServerOptions server;  // [server] listen, port, threads, max_body_mib; [fleet] in server.fleet; [tls] too
    std::filesystem::path database = "/var/lib/chiso/chiso.db";  // [store] database
    std::size_t reply_cache_bytes = std::size_t{256} << 20;      // [store] reply_cache_mib
    std::string log_level = "info";  // [log] level: trace debug info warn error critical off
    AlertOptions alerts;             // [alerts] webhook_url, check_seconds, attempts
    bool demo = false;               // --demo only: seed an empty database
};

// The defaults overlaid with the file's values. Throws std::runtime_error naming the file, the position and the
// key for a syntax error, an unknown key, a value of the wrong type or one out of range.
Config load_config(const std::filesystem::path& file);

// Sets spdlog's level by name; throws std::runtime_error for a name it does not know.
void set_log_level(std::string_view name);

}  // namespace chiso::syncd
