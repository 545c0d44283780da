// chiso-syncd: serve kiosks over HTTP, import figures, manage device tokens, provision a fleet of kiosks.
#include "syncd/commands.hpp"
#include "syncd/config.hpp"
#include "syncd/provision.hpp"
#include "syncd/service.hpp"
#include "syncd/settings_command.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

namespace fs = std::filesystem;
using namespace chiso::syncd;

namespace {

struct Flags {
    std::string config_file, database, listen, log_level, kind, format, name, scope, role;
    int port = -1, limit = 50;
    std::int64_t revision = 0;
    bool demo = false, admin = false, dry_run = false;
    std::vector<std::string> files;
    ProvisionOptions provision;
    SettingsCommand settings;
};

Config resolve_config(const Flags& flags) {
    Config config = flags.config_file.empty() ? Config{} : load_config(flags.config_file);
    if (!flags.database.empty()) config.database = flags.database;
    if (!flags.listen.empty()) config.server.address = flags.listen;
    if (flags.port >= 0) config.server.port = static_cast<std::uint16_t>(flags.port);
    if (!flags.log_level.empty()) config.log_level = flags.log_level;
    config.demo = flags.demo;
    return config;
}

CLI::App* with_store_flags(CLI::App* command, Flags& flags) {
    command->add_option("--config", flags.config_file, "TOML configuration file")->check(CLI::ExistingFile);
    command->add_option("--db", flags.database, "SQLite database (overrides [store] database)");
    return command;
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("chiso-syncd"));
    if (std::getenv("JOURNAL_STREAM")) spdlog::set_pattern("[%l] %v");  // journald adds its own time and name

    Flags flags;
    CLI::App app{"chiso-syncd: the chiso sync service"};
    app.set_version_flag("-v,--version", "chiso-syncd " CHISO_VERSION);
    app.require_subcommand(1);

    auto* serve_cmd = with_store_flags(app.add_subcommand("serve", "Serve kiosks over HTTP"), flags);
    serve_cmd->add_option("--listen", flags.listen, "Address to listen on (overrides [server] listen)");
    serve_cmd->add_option("--port", flags.port, "Port (overrides [server] port)")->check(CLI::Range(0, 65535));
    serve_cmd->add_option("--log-level", flags.log_level, "trace, debug, info, warn, error");
    serve_cmd->add_flag("--demo", flags.demo, "Seed an empty database with the bundled demo data and tokens");

    auto* import_cmd = with_store_flags(app.add_subcommand("import", "Import files, each all or nothing"), flags);
    import_cmd->add_option("--kind", flags.kind, "What the files hold")
        ->required()
        ->check(CLI::IsMember({"values", "targets", "organisations", "catalogue"}));
    import_cmd->add_option("--format", flags.format, "long, wide, json or xlsx (default: from the file name)")
        ->check(CLI::IsMember({"long", "wide", "json", "xlsx"}));
    import_cmd->add_flag("--dry-run", flags.dry_run, "Check each file and print what it would change; apply nothing");
    import_cmd->add_option("FILE", flags.files, "Files to import")->required()->check(CLI::ExistingFile);
    auto* imports_cmd = with_store_flags(app.add_subcommand("imports", "The import history, latest first"), flags);
    imports_cmd->add_option("--limit", flags.limit, "How many (default 50)")->check(CLI::Range(1, 100000));
    auto* undo_cmd = with_store_flags(
        app.add_subcommand("undo", "Put back the figures an import replaced, as a new revision"), flags);
    undo_cmd->add_option("REVISION", flags.revision, "The import's revision (chiso-syncd imports)")->required();

    auto* device_cmd = app.add_subcommand("device", "Manage the tokens of devices and people");
    device_cmd->require_subcommand(1);
    auto* add_cmd = with_store_flags(device_cmd->add_subcommand("add", "Create a token; prints it once"), flags);
    add_cmd->add_option("NAME", flags.name, "The device's or the person's name")->required();
    add_cmd->add_option("--scope", flags.scope, "A device: the organisation code it shows");
    auto* role_opt = add_cmd
        ->add_option("--role", flags.role,
                     "A person's token: admin (everything), it (devices, settings, screenshots, enrolment) or "
                     "statistician (imports)")
        ->check(CLI::IsMember({"admin", "it", "statistician"}));
    add_cmd->add_flag("--admin", flags.admin, "Same as --role admin")->excludes(role_opt);
    auto* list_cmd = with_store_flags(device_cmd->add_subcommand("list", "List tokens"), flags);
    auto* revoke_cmd = with_store_flags(device_cmd->add_subcommand("revoke", "Revoke a token"), flags);
    revoke_cmd->add_option("NAME", flags.name, "Device name")->required();

    auto* provision_cmd = with_store_flags(
        app.add_subcommand("provision",
                           "Create a token and a kiosk configuration bundle for every device of a fleet file"),
        flags);
    provision_cmd->add_option("--fleet", flags.provision.fleet, "The fleet file: CSV, one row per device")
        ->required()
        ->check(CLI::ExistingFile);
    provision_cmd->add_option("--out", flags.provision.out, "Folder for DIR/<device>/ bundles and DIR/manifest.csv")
        ->required();
    provision_cmd->add_option("--server-url", flags.provision.server_url, "syncd's URL as the kiosks reach it")
        ->required();
    provision_cmd->add_flag("--replace", flags.provision.replace,
                            "A device that exists gets a new token and bundle; its old token stops working");
    provision_cmd->add_option("--ca-file", flags.provision.ca_file,
                              "https: the CA (PEM) the kiosks verify syncd's certificate with, in every bundle")
        ->check(CLI::ExistingFile);
    provision_cmd->add_flag("--set-hostname", flags.provision.set_hostname,
                            "Each device takes its name as host name at first boot");

    auto* settings_cmd = app.add_subcommand("settings", "Display settings: defaults, per group, per device");
    settings_cmd->require_subcommand(1);
    auto* show_cmd = with_store_flags(settings_cmd->add_subcommand("show", "Print settings as JSON"), flags);
    auto* set_cmd = with_store_flags(
        settings_cmd->add_subcommand("set", "Change keys of the defaults, a group's or a device's settings"), flags);
    for (auto* command : {show_cmd, set_cmd}) {
        auto* group = command->add_option("--group", flags.settings.group, "A group's settings");
        command->add_option("--device", flags.settings.device, "A device's own settings")->excludes(group);
    }
    set_cmd->add_option("KEY=VALUE", flags.settings.arguments,
                        "pages=overview,admission dwell_seconds=30 schedule.on=07:00 ... ; KEY= removes the key")
        ->required();
    auto* groups_cmd =
        with_store_flags(settings_cmd->add_subcommand("groups", "Put a device in groups, in order"), flags);
    groups_cmd->add_option("DEVICE", flags.settings.device, "Device name")->required();
    groups_cmd->add_option("GROUP", flags.settings.arguments, "Its groups; none: no group");

    CLI11_PARSE(app, argc, argv);
    try {
        const Config config = resolve_config(flags);
        set_log_level(config.log_level);
        if (serve_cmd->parsed()) return serve(config);
        if (import_cmd->parsed()) return import_files(config, flags.kind, flags.format, flags.files, flags.dry_run);
        if (imports_cmd->parsed()) return list_imports(config, flags.limit);
        if (undo_cmd->parsed()) return undo_import(config, flags.revision);
        if (list_cmd->parsed()) return list_devices(config);
        if (provision_cmd->parsed()) return provision(config, flags.provision);
        if (settings_cmd->parsed()) {
            flags.settings.action = show_cmd->parsed() ? "show" : set_cmd->parsed() ? "set" : "groups";
            return settings_command(config, flags.settings);
        }
        Service service(config.database);
        if (revoke_cmd->parsed()) {
            service.revoke_token(flags.name);
            return 0;
        }
        const Role role = flags.admin ? Role::admin : parse_role(flags.role).value_or(Role::device);
        if (role == Role::device && flags.scope.empty())
            throw std::runtime_error("a device token needs --scope ORG (or a person's --role)");
        if (role != Role::device && !flags.scope.empty())
            throw std::runtime_error("--scope is for a device; a person's token reads any organisation");
        std::cout << service.add_token(flags.name, flags.scope, role) << '\n';
        return 0;
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
}
