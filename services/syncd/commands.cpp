#include "syncd/commands.hpp"

#include "syncd/files.hpp"

#include "importer/csv.hpp"
#include "kiosk/config.hpp"
#include "store/store.hpp"
#include "syncd/server.hpp"
#include "syncd/service.hpp"

#include <spdlog/spdlog.h>
#include <pwd.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace chiso::syncd {
namespace fs = std::filesystem;

namespace {

// The reply's errors as `file:line:column: reason` lines (a workbook's `file:Sheet!D17: reason`); a position of 0
// (a whole row, a JSON path) is left out.
void print_errors(const std::string& reply_body) {
    const auto reply = boost::json::parse(reply_body).as_object();
    for (const auto& error : reply.at("errors").as_array()) {
        const auto& e = error.as_object();
        std::cerr << e.at("file").as_string().c_str();
        if (const auto* cell = e.if_contains("cell"))
            std::cerr << ':' << cell->as_string().c_str();
        else
            for (const char* position : {"line", "column"})
                if (const auto n = e.at(position).to_number<std::int64_t>(); n > 0) std::cerr << ':' << n;
        std::cerr << ": " << e.at("reason").as_string().c_str() << '\n';
    }
    if (const auto* more = reply.if_contains("errors_not_listed"))
        std::cerr << "... and " << serialize(*more) << " more\n";
}

// Who the history names for a command typed on the server: the account that ran it.
std::string command_line_user() {
    const passwd* account = getpwuid(geteuid());
    const char* user = std::getenv("USER");
    return std::string("command line (") + (account ? account->pw_name : user && *user ? user : "unknown") + ")";
}

// One file, one all-or-nothing import (or only its check and preview); a rejection's errors go to stderr.
ImportReply import_file(Service& service, const fs::path& file, const std::string& kind, const std::string& format,
                        bool dry_run) {
    ImportReply reply = service.import({kind, format, file.string(), read_file(file), command_line_user(), dry_run});
    if (!reply.checked) print_errors(reply.body);
    return reply;
}

// A dry run's preview as lines: the counts, then each root's figures before → after.
void print_preview(const fs::path& file, const ImportReply& reply) {
    const auto preview = boost::json::parse(reply.body).at("preview").as_object();
    auto number = [](const boost::json::value& v) { return v.is_null() ? std::string("-") : serialize(v); };
    std::cout << file.string() << ": checked, " << reply.rows << " rows: " << number(preview.at("new")) << " new, "
              << number(preview.at("changed")) << " changed, " << number(preview.at("unchanged"))
              << " unchanged figures, " << number(preview.at("organisations_touched"))
              << " organisations; nothing applied\n";
    for (const auto& org : preview.at("organisations").as_array()) {
        if (!org.at("root").as_bool()) continue;
        for (const auto& f : org.at("figures").as_array())
            std::cout << "  " << org.at("org").as_string().c_str() << ' ' << f.at("indicator").as_string().c_str()
                      << (f.as_object().contains("category") ? "." + std::string(f.at("category").as_string()) : "")
                      << ' ' << f.at("period").as_string().c_str() << (f.at("target").as_bool() ? " (target)" : "")
                      << ": " << number(f.at("before")) << " -> " << number(f.at("after")) << '\n';
    }
}

// The demo figures: installed beside the binary by the package (/usr/bin → /usr/share/chiso/demo), else the
// source tree's, for a binary run from the build tree.
fs::path demo_folder() {
    std::error_code error;
    const fs::path installed = fs::read_symlink("/proc/self/exe", error).parent_path() / "../share/chiso/demo";
    if (!error && fs::exists(installed / "catalogue.json", error)) return installed.lexically_normal();
    return CHISO_DEMO_DIR;
}

// An empty database gets the bundled demo figures, in the order they depend on each other.
void import_demo(Service& service) {
    const fs::path demo_dir = demo_folder();
    struct DemoFile {
        const char* name;
        const char* kind;
        const char* format;
    };
    for (const DemoFile& f :
         {DemoFile{"catalogue.json", "catalogue", "json"}, DemoFile{"organisations.csv", "organisations", ""},
          DemoFile{"values.csv", "values", "long"}, DemoFile{"reference-2019-H1.csv", "values", "wide"},
          DemoFile{"targets.csv", "targets", ""}}) {
        // Named as the history shows it to a statistician: the file, by "demo".
        const ImportReply reply = service.import({f.kind, f.format, f.name, read_file(demo_dir / f.name), "demo", false});
        if (!reply.applied) {
            print_errors(reply.body);
            throw std::runtime_error("the demo file " + (demo_dir / f.name).string() + " was rejected");
        }
        spdlog::info("demo: imported {} ({} rows), revision {}", f.name, reply.rows, reply.revision);
    }
}

// A demo token is made once, beside the database; its clear text exists only in that file.
void make_demo_token(Service& service, const fs::path& database, const std::string& name, const std::string& scope,
                     Role role) {
    const auto tokens = service.tokens();
    if (std::any_of(tokens.begin(), tokens.end(), [&](const TokenInfo& t) { return t.name == name; })) return;
    const fs::path file = database.parent_path() / (name + ".token");
    fs::remove(file);  // one left by an earlier database; a link is removed, never followed
    write_secret(file, service.add_token(name, scope, role));
    spdlog::info("demo: token {} written to {}", name, file.string());
}

void seed_demo(Service& service, const fs::path& database) {
    if (service.revision() == 0) import_demo(service);
    make_demo_token(service, database, "demo-admin", "", Role::admin);
    make_demo_token(service, database, "demo-it", "", Role::it);
    make_demo_token(service, database, "demo-kiosk", "HT", Role::device);
}

// Each connection is a file descriptor; the usual soft limit of 1024 would refuse connections long before
// max_connections. Raised to the hard limit (systemd's LimitNOFILE), and said when even that is too low.
void raise_open_file_limit(std::size_t max_connections) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    const rlim_t needed = max_connections + 64;  // the database, the journal, the listening socket...
    if (limit.rlim_cur < needed)
        spdlog::warn("the open-file limit ({}) is below max_connections + 64 ({}); raise LimitNOFILE",
                     static_cast<std::uint64_t>(limit.rlim_cur), static_cast<std::uint64_t>(needed));
}

}  // namespace

int serve(const Config& config) {
    raise_open_file_limit(config.server.max_connections);
    // Installed first, so a SIGTERM during start-up still ends in a clean stop.
    boost::asio::io_context signals_context;
    boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
    Service service(config.database, ServiceOptions{config.reply_cache_bytes});
    if (config.demo) seed_demo(service, config.database);
    Server server(service, config.server);
    server.start();
    FleetWatch alerts(service, config.database, config.server.fleet, config.alerts);
    alerts.start();
    if (config.server.tls_certificate.empty())
        spdlog::info("chiso-syncd {} listening on http://{}, database {}", CHISO_VERSION, server.endpoint(),
                     config.database.string());
    else
        spdlog::info("chiso-syncd {} listening on https://{} (TLS only, certificate {}), database {}", CHISO_VERSION,
                     server.endpoint(), config.server.tls_certificate.string(), config.database.string());
    if (const auto kiosk_token = config.database.parent_path() / "demo-kiosk.token";
        config.demo && fs::exists(kiosk_token))
        spdlog::info("try: curl -H \"Authorization: Bearer $(cat {})\" http://{}/api/v1/scope", kiosk_token.string(),
                     server.endpoint());
    sd_notify(0, "READY=1");
    signals.async_wait(
        [](const boost::system::error_code&, int signal) { spdlog::info("signal {}: stopping", signal); });
    signals_context.run();
    sd_notify(0, "STOPPING=1");
    alerts.stop();
    server.stop();
    spdlog::info("stopped");
    return 0;
}

int import_files(const Config& config, const std::string& kind, const std::string& format,
                 const std::vector<std::string>& files, bool dry_run) {
    Service service(config.database);
    for (const auto& file : files) {
        const ImportReply reply = import_file(service, file, kind, format, dry_run);
        if (!reply.checked) return 1;  // later files often depend on this one: stop here
        if (dry_run)
            print_preview(file, reply);
        else
            std::cout << file << ": applied " << reply.rows << " rows, revision " << reply.revision << '\n';
    }
    return 0;
}

int list_imports(const Config& config, int limit) {
    Service service(config.database);
    const auto history = boost::json::parse(service.imports_json(limit)).at("imports").as_array();
    for (const auto& item : history) {
        const auto& row = item.as_object();
        std::cout << serialize(row.at("revision")) << '\t' << row.at("applied_at").as_string().c_str() << '\t'
                  << row.at("kind").as_string().c_str() << '\t' << serialize(row.at("rows")) << " rows\t"
                  << row.at("who").as_string().c_str() << '\t' << row.at("file").as_string().c_str();
        if (const auto* undoes = row.if_contains("undoes")) std::cout << "\tundoes revision " << serialize(*undoes);
        std::cout << '\n';
    }
    return 0;
}

int undo_import(const Config& config, std::int64_t revision) {
    Service service(config.database);
    const ImportReply reply = service.undo(revision, command_line_user());
    std::cout << "revision " << revision << " undone: " << reply.rows << " figures put back, revision "
              << reply.revision << '\n';
    return 0;
}

int list_devices(const Config& config) {
    Service service(config.database);
    for (const TokenInfo& token : service.tokens())
        std::cout << token.name << '\t' << role_name(token.role) << '\t' << token.scope_org << '\t'
                  << (token.revoked ? "revoked" : "active") << '\t' << token.created_at << '\n';
    return 0;
}

}  // namespace chiso::syncd
