#include "syncd/provision.hpp"

#include "importer/csv.hpp"
#include "kiosk/config.hpp"
#include "store/store.hpp"
#include "syncd/files.hpp"
#include "syncd/fleet.hpp"
#include "syncd/fleet_settings.hpp"

#include <algorithm>
#include <array>
#include <charconv>
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

// ---- provision: a fleet file in, one bundle per device out ------------------------------------------------

// The fleet file's columns besides `device` and `org`; each is a key of the kiosk's TOML
// (deploy/config/chiso-kiosk.toml) and is checked with the kiosk's own rules (services/kiosk/config.hpp), so that
// no bundle stops a kiosk at start.
enum class Column {
    device,
    org,
    depth,
    pages,
    dwell_seconds,
    language,
    theme,
    rotation,
    pixel_shift,
    stale_minutes,
    renderer,
    schedule_on,
    schedule_off,
    schedule_days,
    groups
};
// By Column, in its order. `groups` is the server's, not the kiosk's: the groups whose settings the device takes.
constexpr std::array<std::string_view, 15> kColumnNames{
    "device",      "org",      "depth",       "pages",        "dwell_seconds", "language",    "theme",
    "rotation",    "pixel_shift", "stale_minutes", "renderer", "schedule_on",   "schedule_off", "schedule_days",
    "groups"};
constexpr std::size_t kLongestDeviceName = 63;  // a host name's label, so that it can be one

struct FleetProblem {
    int line = 0;
    int column = 0;  // 0: the whole row
    std::string reason;
};

struct FleetDevice {
    int line = 0;
    std::string name;
    std::string org;
    std::optional<std::int64_t> depth, dwell_seconds, rotation, stale_minutes;
    std::vector<std::string> pages;  // empty: the kiosk's default, every page
    std::string language, theme, renderer;  // empty: the kiosk's default
    std::optional<bool> pixel_shift;
    std::string schedule_on, schedule_off;  // "HH:MM"; empty: not given
    std::optional<std::vector<std::string>> schedule_days;
    std::vector<std::string> groups;

    bool has_display() const {
        return !pages.empty() || dwell_seconds || !language.empty() || !theme.empty() || rotation || pixel_shift ||
               stale_minutes || !renderer.empty();
    }
    bool has_schedule() const { return !schedule_on.empty() || !schedule_off.empty() || schedule_days; }
};

std::string in_quotes(std::string_view text) {
    return "'" + std::string(text) + "'";
}

// A whole number, nothing else: "20" but not "20s", " 20" is trimmed before.
std::optional<std::int64_t> whole_number(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// "a; b;c" → {"a", "b", "c"}; empty items are skipped, as the kiosk's --pages skips them.
std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.find(';', start), text.size());
        if (std::string item = importer::trim(text.substr(start, end - start)); !item.empty())
            items.push_back(std::move(item));
        start = end + 1;
    }
    return items;
}

// [schedule] on/off as the kiosk reads them (kiosk::parse_clock_time), written back as HH:MM.
std::optional<std::string> clock_time(std::string_view text) {
    const auto minute = kiosk::parse_clock_time(text);
    if (!minute) return std::nullopt;
    const int hours = *minute / 60, minutes = *minute % 60;
    return std::string{static_cast<char>('0' + hours / 10), static_cast<char>('0' + hours % 10), ':',
                       static_cast<char>('0' + minutes / 10), static_cast<char>('0' + minutes % 10)};
}

// The name names the bundle's folder and may become the device's host name: no path, no dot, nothing to quote.
bool safe_device_name(std::string_view name) {
    auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    };
    return !name.empty() && name.size() <= kLongestDeviceName && allowed(name.front()) && name.front() != '-' &&
           name.front() != '_' && std::all_of(name.begin(), name.end(), allowed);
}

bool host_name(std::string_view name) {
    return safe_device_name(name) && name.find('_') == std::string_view::npos && name.back() != '-';
}

// What the fleet file is checked against: the server's tokens and organisations, and the output folder.
struct FleetContext {
    const ProvisionOptions& options;
    std::set<std::string> organisations;
    std::map<std::string, bool> tokens;  // name → a person's token (not a device's)
};

// One cell into the device; returns the reason when the value is not allowed.
std::optional<std::string> read_cell(Column column, const std::string& value, FleetDevice& device,
                                     const FleetContext& context) {
    auto integer = [&](std::string_view name, kiosk::Range range,
                       std::optional<std::int64_t>& into) -> std::optional<std::string> {
        const auto number = whole_number(value);
        if (!number || !range.holds(*number))
            return "'" + std::string(name) + "' must be a whole number from " + std::to_string(range.min) + " to " +
                   std::to_string(range.max) + ", not " + in_quotes(value);
        into = number;
        return std::nullopt;
    };
    // The kiosk's checks throw std::invalid_argument naming the column; here the value found is added.
    auto kiosk_check = [&](auto check) -> std::optional<std::string> {
        try {
            check();
            return std::nullopt;
        } catch (const std::invalid_argument& e) {
            return std::string(e.what()) + ", not " + in_quotes(value);
        }
    };
    switch (column) {
        case Column::device:
            if (value.empty()) return "'device' is empty: every row names its device";
            if (!safe_device_name(value))
                return "'device' must be 1 to 63 letters, digits, '-' or '_', starting with a letter or digit (it "
                       "names the bundle's folder), not " +
                       in_quotes(value);
            if (context.options.set_hostname && !host_name(value))
                return "with --set-hostname, 'device' must be a host name (letters, digits and '-', not ending in "
                       "'-'), not " +
                       in_quotes(value);
            device.name = value;
            if (const auto token = context.tokens.find(value); token != context.tokens.end()) {
                if (token->second) return "'" + value + "' is the name of a person's token on the server";
                if (!context.options.replace)
                    return "device '" + value +
                           "' exists on the server already; --replace gives it a new token (the old one stops "
                           "working)";
            } else if (std::error_code error; fs::exists(context.options.out / value, error)) {
                return (context.options.out / value).string() + " exists already, without a device on the server";
            }
            return std::nullopt;
        case Column::org:
            if (value.empty()) return "'org' is empty: every device shows an organisation";
            if (!context.organisations.contains(value)) return "unknown organisation " + in_quotes(value);
            device.org = value;
            return std::nullopt;
        case Column::depth:
            return integer("depth", kiosk::kDepthRange, device.depth);
        case Column::groups:
            device.groups = split_list(value);
            for (std::size_t i = 0; i < device.groups.size(); ++i) {
                if (!valid_group_name(device.groups[i]))
                    return "'groups': " + in_quotes(device.groups[i]) +
                           " is not a group name (1 to 64 of a-z, 0-9, '-', '_' and '.', starting with a letter or "
                           "digit)";
                if (std::find(device.groups.begin(), device.groups.begin() + static_cast<long>(i), device.groups[i]) !=
                    device.groups.begin() + static_cast<long>(i))
                    return "'groups': " + in_quotes(device.groups[i]) + " is listed twice";
            }
            return std::nullopt;
        case Column::pages:
            device.pages = split_list(value);
            if (device.pages.empty()) return "'pages' must name at least one page, separated by ';'";
            try {
                kiosk::check_pages(device.pages, "pages");
            } catch (const std::invalid_argument& e) {
                return e.what();
            }
            return std::nullopt;
        case Column::dwell_seconds:
            return integer("dwell_seconds", kiosk::kDwellSecondsRange, device.dwell_seconds);
        case Column::language:
            device.language = value;
            return kiosk_check([&] { kiosk::parse_language(value, "language"); });
        case Column::theme:
            device.theme = value;
            return kiosk_check([&] { kiosk::parse_theme(value, "theme"); });
        case Column::rotation: {
            device.rotation = whole_number(value);
            return kiosk_check([&] { kiosk::check_rotation(device.rotation.value_or(-1), "rotation"); });
        }
        case Column::pixel_shift:
            if (value != "true" && value != "false")
                return "'pixel_shift' must be true or false, not " + in_quotes(value);
            device.pixel_shift = value == "true";
            return std::nullopt;
        case Column::stale_minutes:
            return integer("stale_minutes", kiosk::kStaleMinutesRange, device.stale_minutes);
        case Column::renderer:
            device.renderer = value;
            return kiosk_check([&] { kiosk::parse_renderer(value, "renderer"); });
        case Column::schedule_on:
        case Column::schedule_off: {
            const auto time = clock_time(value);
            const char* name = column == Column::schedule_on ? "schedule_on" : "schedule_off";
            if (!time) return "'" + std::string(name) + "' must be a time HH:MM, e.g. 07:00, not " + in_quotes(value);
            (column == Column::schedule_on ? device.schedule_on : device.schedule_off) = *time;
            return std::nullopt;
        }
        case Column::schedule_days: {
            device.schedule_days = split_list(value);
            if (device.schedule_days->empty()) return "'schedule_days' must name at least one day, separated by ';'";
            for (const std::string& day : *device.schedule_days)
                if (!kiosk::parse_weekday(day))
                    return "'schedule_days': unknown day " + in_quotes(day) + "; use mon, tue, wed, thu, fri, sat, sun";
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// Every row of the fleet file, or every problem with it; `devices` is complete only when no problem is returned.
std::vector<FleetProblem> read_fleet(const std::string& text, const FleetContext& context,
                                     std::vector<FleetDevice>& devices) {
    std::vector<FleetProblem> problems;
    const importer::CsvResult csv = importer::parse_csv(text);
    if (!csv.error.empty()) return {{csv.error_line, 0, csv.error}};
    if (csv.records.empty()) return {{1, 0, "the file is empty: a header line is expected"}};

    const importer::CsvRecord& header = csv.records.front();
    std::vector<std::optional<Column>> columns;
    std::set<Column> seen;
    for (std::size_t c = 0; c < header.fields.size(); ++c) {
        const std::string name = importer::fold(header.fields[c]);
        const auto known = std::find(kColumnNames.begin(), kColumnNames.end(), name);
        const int at = static_cast<int>(c + 1);
        if (known == kColumnNames.end()) {
            std::string names;
            for (std::string_view column : kColumnNames) {
                if (!names.empty()) names += ", ";
                names += column;
            }
            problems.push_back(
                {header.line, at, "unknown column " + in_quotes(header.fields[c]) + "; the columns are " + names});
            columns.emplace_back();
        } else {
            const auto column = static_cast<Column>(known - kColumnNames.begin());
            if (!seen.insert(column).second)
                problems.push_back({header.line, at, "column " + in_quotes(name) + " appears twice"});
            columns.emplace_back(column);
        }
    }
    for (Column required : {Column::device, Column::org})
        if (!seen.contains(required))
            problems.push_back(
                {header.line, 0,
                 "the column " + in_quotes(kColumnNames[static_cast<std::size_t>(required)]) + " is missing"});
    if (!problems.empty()) return problems;
    if (csv.records.size() == 1) return {{header.line, 0, "no devices: the file has a header line and no rows"}};

    std::map<std::string, int> first_line;  // device → the line that names it first
    for (std::size_t r = 1; r < csv.records.size(); ++r) {
        const importer::CsvRecord& record = csv.records[r];
        if (record.fields.size() != columns.size()) {
            problems.push_back({record.line, 0,
                                "expected " + std::to_string(columns.size()) + " fields, found " +
                                    std::to_string(record.fields.size())});
            continue;
        }
        FleetDevice device;
        device.line = record.line;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::string value = importer::trim(record.fields[c]);
            const int at = static_cast<int>(c + 1);
            // An empty optional cell leaves the kiosk's default; device and org say so themselves.
            if (value.empty() && *columns[c] != Column::device && *columns[c] != Column::org) continue;
            if (auto reason = read_cell(*columns[c], value, device, context))
                problems.push_back({record.line, at, std::move(*reason)});
            else if (*columns[c] == Column::device) {
                const auto [first, inserted] = first_line.emplace(value, record.line);
                if (!inserted)
                    problems.push_back(
                        {record.line, at,
                         "device " + in_quotes(value) + " is also on line " + std::to_string(first->second)});
            }
        }
        devices.push_back(std::move(device));
    }
    return problems;
}

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string toml_strings(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const std::string& item : items) out += (out.size() > 1 ? ", " : "") + toml_string(item);
    return out + "]";
}

// The device's chiso-kiosk.toml: the server, the token where chiso-firstboot installs it, the scope and the
// display settings the fleet file gave; a key it left empty is left out, so the kiosk's default applies.
std::string bundle_config(const FleetDevice& device, const ProvisionOptions& options) {
    std::ostringstream out;
    out << "# chiso-kiosk configuration of device " << toml_string(device.name)
        << ", written by `chiso-syncd provision` from " << toml_string(options.fleet.filename().string()) << " line "
        << device.line << ".\n"
        << "# chiso-firstboot installs it as /etc/chiso/chiso-kiosk.toml; a key left out takes its default\n"
        << "# (deploy/config/chiso-kiosk.toml documents every key).\n\n"
        << "[server]\n"
        << "url = " << toml_string(options.server_url) << "\n"
        << "token_file = \"/etc/chiso/kiosk.token\"\n"
        << (options.ca_file.empty() ? "" : "ca_file = \"/etc/chiso/ca.pem\"\n") << "\n"
        << "[scope]\n"
        << "org = " << toml_string(device.org) << "\n";
    if (device.depth) out << "depth = " << *device.depth << "\n";
    if (device.has_display()) {
        out << "\n[display]\n";
        if (!device.pages.empty()) out << "pages = " << toml_strings(device.pages) << "\n";
        if (device.dwell_seconds) out << "dwell_seconds = " << *device.dwell_seconds << "\n";
        if (!device.language.empty()) out << "language = " << toml_string(device.language) << "\n";
        if (!device.theme.empty()) out << "theme = " << toml_string(device.theme) << "\n";
        if (device.rotation) out << "rotation = " << *device.rotation << "\n";
        if (device.pixel_shift) out << "pixel_shift = " << (*device.pixel_shift ? "true" : "false") << "\n";
        if (device.stale_minutes) out << "stale_minutes = " << *device.stale_minutes << "\n";
        if (!device.renderer.empty()) out << "renderer = " << toml_string(device.renderer) << "\n";
    }
    if (device.has_schedule()) {
        out << "\n[schedule]\n";
        if (!device.schedule_on.empty()) out << "on = " << toml_string(device.schedule_on) << "\n";
        if (!device.schedule_off.empty()) out << "off = " << toml_string(device.schedule_off) << "\n";
        if (device.schedule_days) out << "days = " << toml_strings(*device.schedule_days) << "\n";
    }
    return std::move(out).str();
}

// RFC 4180: quoted when it holds a comma, a quote, a line break or surrounding space.
std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos && importer::trim(text) == text)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

constexpr std::string_view kManifestHeader = "device,org,token_id,provisioned_at";

// The rows of an earlier run's manifest, by device, kept where this run does not provision the device again.
std::optional<std::map<std::string, std::string>> read_manifest(const fs::path& file, std::string& error) {
    std::map<std::string, std::string> rows;
    std::error_code missing;
    if (!fs::exists(file, missing)) return rows;
    const std::string text = read_file(file);
    const importer::CsvResult csv = importer::parse_csv(text);
    if (!csv.error.empty() || csv.records.empty() || csv.records.front().fields.empty() ||
        importer::fold(csv.records.front().fields.front()) != "device") {
        error = file.string() + " is not a manifest this command wrote; move it away";
        return std::nullopt;
    }
    for (std::size_t r = 1; r < csv.records.size(); ++r) {
        std::string line;
        const auto fields = csv.records[r].fields;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (f > 0) line += ',';
            line += csv_field(fields[f]);
        }
        rows[std::string(csv.records[r].fields.front())] = line;
    }
    return rows;
}

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!(out << text) || !out.flush()) throw std::runtime_error("cannot write " + file.string());
}

// The CA every bundle carries: checked here, so that no fleet is provisioned with a file its kiosks would refuse.
std::string read_ca_file(const ProvisionOptions& options) {
    if (!options.server_url.starts_with("https://"))
        throw std::runtime_error("--ca-file is for an https:// --server-url; nothing was created");
    std::string pem = read_file(options.ca_file);
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        throw std::runtime_error("--ca-file " + options.ca_file.string() +
                                 " holds no PEM certificate; nothing was created");
    return pem;
}

}  // namespace

FleetCheck check_fleet(const std::string& text, const ProvisionOptions& options,
                       const std::set<std::string>& organisations, const std::map<std::string, bool>& tokens) {
    const FleetContext context{options, organisations, tokens};
    std::vector<FleetDevice> devices;
    FleetCheck check;
    for (const FleetProblem& p : read_fleet(text, context, devices))
        check.problems.push_back(std::to_string(p.line) + ':' + std::to_string(p.column) + ": " + p.reason);
    if (check.problems.empty())
        for (const FleetDevice& device : devices) check.bundles.push_back(bundle_config(device, options));
    return check;
}

int provision(const Config& config, const ProvisionOptions& options) {
    // The kiosk's own rule. An https:// bundle without --ca-file names no CA file: its kiosk trusts the system's.
    try {
        kiosk::check_server(options.server_url, "--server-url");
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string(e.what()) + ", as the kiosks reach syncd");
    }
    const std::string ca = options.ca_file.empty() ? std::string() : read_ca_file(options);
    if (std::error_code error; fs::exists(options.out, error) && !fs::is_directory(options.out, error))
        throw std::runtime_error("--out " + options.out.string() + " is not a folder");

    store::Store store(config.database);
    FleetContext context{options, store.organisation_codes(), {}};
    for (const store::TokenRow& token : store.tokens()) context.tokens[token.name] = token.role != "device";

    std::vector<FleetDevice> devices;
    std::vector<FleetProblem> problems = read_fleet(read_file(options.fleet), context, devices);
    std::string manifest_error;
    auto manifest = read_manifest(options.out / "manifest.csv", manifest_error);
    if (!problems.empty() || !manifest) {
        for (const FleetProblem& p : problems)
            std::cerr << options.fleet.string() << ':' << p.line << ':' << p.column << ": " << p.reason << '\n';
        if (!manifest) std::cerr << manifest_error << '\n';
        std::cerr << "nothing was created: " << problems.size() + (manifest ? 0 : 1) << " problem"
                  << (problems.size() + (manifest ? 0 : 1) == 1 ? "" : "s") << '\n';
        return 1;
    }

    // Bundles are written into a folder of their own beside where they go and moved into place once the tokens
    // are committed: a failure on the way leaves neither tokens without bundles nor bundles without tokens.
    const bool created_out = !fs::exists(options.out);
    if (created_out) {
        fs::create_directories(options.out);
        fs::permissions(options.out, fs::perms::owner_all);  // it will hold every device's token
    }
    std::string pattern = (options.out / ".provision-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a folder in " + options.out.string());
    const fs::path staging = pattern;
    bool committed = false;
    try {
        const std::string provisioned_at = utc_now();
        std::vector<store::NewDevice> new_devices;
        for (const FleetDevice& device : devices) new_devices.push_back({device.name, device.org, device.groups});
        store.add_device_tokens(new_devices, options.replace, [&](const std::vector<std::string>& tokens) {
            for (std::size_t i = 0; i < devices.size(); ++i) {
                const FleetDevice& device = devices[i];
                const fs::path bundle = staging / device.name;
                fs::create_directory(bundle);
                fs::permissions(bundle, fs::perms::owner_all);
                write_text(bundle / "chiso-kiosk.toml", bundle_config(device, options));
                write_secret(bundle / "kiosk.token", tokens[i]);
                if (!ca.empty()) write_text(bundle / "ca.pem", ca);
                if (options.set_hostname) write_text(bundle / "hostname", device.name + "\n");
                // The token's id is the start of the hash syncd stores: it tells tokens apart, and proves nothing.
                (*manifest)[device.name] = csv_field(device.name) + ',' + csv_field(device.org) + ',' +
                                           store::sha256_hex(tokens[i]).substr(0, 16) + ',' + provisioned_at;
            }
            std::string text = std::string(kManifestHeader) + "\n";
            for (const auto& [name, row] : *manifest) text += row + "\n";
            write_text(staging / "manifest.csv", text);
        });
        committed = true;
        for (const FleetDevice& device : devices) {
            const fs::path bundle = options.out / device.name;
            fs::remove_all(bundle);  // only a replaced device's: any other would have been refused above
            fs::rename(staging / device.name, bundle);
        }
        fs::rename(staging / "manifest.csv", options.out / "manifest.csv");
        fs::remove(staging);
    } catch (const std::exception& e) {
        std::error_code ignored;
        if (!committed) {
            fs::remove_all(staging, ignored);
            if (created_out) fs::remove(options.out, ignored);
            throw std::runtime_error(std::string(e.what()) + "; nothing was created");
        }
        throw std::runtime_error(std::string(e.what()) +
                                 "; the tokens were created, and the bundles not yet moved are in " + staging.string());
    }
    const auto replaced = static_cast<std::size_t>(std::count_if(
        devices.begin(), devices.end(), [&](const FleetDevice& d) { return context.tokens.contains(d.name); }));
    std::cout << "provisioned " << devices.size() << " device" << (devices.size() == 1 ? "" : "s") << " (" << replaced
              << " replaced) into " << options.out.string() << "; manifest: " << (options.out / "manifest.csv").string()
              << '\n';
    return 0;
}

}  // namespace chiso::syncd
