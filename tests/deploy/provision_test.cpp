// provision_test: provisioning a fleet the way IT does it. The real chiso-syncd serves the demo; `chiso-syncd
// provision` (the real binary) makes 200 devices from a fleet file; every bundle is read by the kiosk's own
// load_config and every token is tried against the server; then real chiso-kiosk processes run offscreen from
// their bundles, each showing its own organisation with its heartbeat in the device list, until one device's
// token is revoked and that kiosk alone is locked out. A fleet file with bad rows creates nothing, --replace
// renews a device's token, the documentation's example fleet file provisions, and chiso-firstboot installs a
// bundle into a root made of temporary folders.
#include "kiosk_process.hpp"

#include "kiosk/config.hpp"
#include "store/store.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace chiso::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kFleetSize = 200;

struct Outcome {
    int status = -1;
    std::string out, err;
};

// Runs a program with extra environment variables; stdout and stderr go through files in `folder`.
Outcome run(std::vector<std::string> arguments, const fs::path& folder,
            const std::vector<std::pair<std::string, std::string>>& environment = {}) {
    const fs::path out = folder / "run.out", err = folder / "run.err";
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
        ::dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), STDOUT_FILENO);
        ::dup2(::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), STDERR_FILENO);
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int wait_status = 0;
    ::waitpid(pid, &wait_status, 0);
    Outcome result{WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1, read_file(out), read_file(err)};
    fs::remove(out), fs::remove(err);
    return result;
}

fs::perms mode_of(const fs::path& file) {
    return fs::status(file).permissions() & fs::perms::mask;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

// One row of the fleet file, as written and as the kiosk must read it back.
struct Row {
    std::string device, org, depth, pages, dwell, language, theme, rotation, pixel_shift, stale, on, off, days,
        renderer;
};

// The four devices that run as kiosks, each with its own scope and a few settings of its own; HT-KCQDN-002's
// is the token revoked.
struct KioskDevice {
    Row row;
    const char* org_name;  // as the demo's organisations.csv names it: what the kiosk's header shows
};
const std::array<KioskDevice, 4> kKiosks{{
    {{"ht-0001", "HT", "", "", "", "", "", "", "", "", "", "", "", ""}, "Tỉnh ủy Hà Tĩnh"},
    {{"ht-0002", "HT-CQD", "", "overview;admission", "", "en", "", "90", "", "", "", "", "", "software"},
     "Đảng bộ các cơ quan Đảng tỉnh"},
    {{"ht-0003", "HT-KCQDN-001", "2", "", "", "", "light", "", "", "", "", "", "", "auto"},
     "Đảng bộ Văn phòng Tỉnh ủy"},
    {{"ht-0004", "HT-KCQDN-002", "0", "", "5", "", "", "", "false", "", "", "", "", ""}, "Chi bộ Ban Tổ chức Tỉnh ủy"},
}};
constexpr std::size_t kRevoked = 3;

// Every organisation code of the demo, in file order.
std::vector<std::string> demo_org_codes() {
    std::vector<std::string> codes;
    std::istringstream lines(read_file(fs::path(CHISO_DEMO_DIR) / "organisations.csv"));
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
        const std::string code = line.substr(0, line.find(','));
        if (!code.empty() && std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    }
    return codes;
}

// The other 196 rows spread over the demo's organisations and every allowed value of every setting.
std::vector<Row> fleet_rows() {
    std::vector<Row> rows;
    for (const KioskDevice& kiosk : kKiosks) rows.push_back(kiosk.row);
    const std::vector<std::string> codes = demo_org_codes();
    const std::vector<std::string> pages{"", "overview", "overview;admission", " membership ; discipline;rating ",
                                         "rating;overview;"};
    for (int i = static_cast<int>(rows.size()); i < kFleetSize; ++i) {
        const auto pick = [i](const std::vector<std::string>& values) { return values[i % values.size()]; };
        char name[16];
        std::snprintf(name, sizeof name, "ht-%04d", i + 1);
        Row row{name,
                codes[static_cast<std::size_t>(i) % codes.size()],
                pick({"", "0", "1", "2", "8"}),
                pick(pages),
                pick({"", "3", "45", "3600"}),
                pick({"", "vi", "en"}),
                pick({"", "dark", "light"}),
                pick({"0", "90", "180", "270", ""}),
                pick({"", "true", "false"}),
                pick({"", "1", "10080", "60"}),
                "",
                "",
                "",
                pick({"", "auto", "opengl", "software"})};
        if (i % 4 == 0) row.on = "7:00", row.off = "19:30", row.days = "mon;tue;wed;thu;fri";
        if (i % 4 == 1) row.on = "22:00", row.off = "06:00";
        if (i % 4 == 2) row.days = "sat; sun";
        rows.push_back(row);
    }
    return rows;
}

// With a byte-order mark, CRLF line ends, the header in another order and case, and quoted fields.
std::string fleet_csv(const std::vector<Row>& rows) {
    std::string text =
        "\xEF\xBB\xBF"
        "Device,ORG,depth,pages,dwell_seconds,language,theme,rotation,pixel_shift,stale_minutes,schedule_on,"
        "schedule_off, schedule_days,Renderer\r\n";
    for (const Row& r : rows)
        text += r.device + "," + r.org + "," + r.depth + ",\"" + r.pages + "\"," + r.dwell + "," + r.language + "," +
                r.theme + "," + r.rotation + "," + r.pixel_shift + "," + r.stale + "," + r.on + "," + r.off + ",\"" +
                r.days + "\"," + r.renderer + "\r\n";
    return text;
}

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> items;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ';');) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) items.push_back(item);
    }
    return items;
}

int minute_of(const std::string& time) {
    const auto colon = time.find(':');
    return std::stoi(time.substr(0, colon)) * 60 + std::stoi(time.substr(colon + 1));
}

// The server, the fleet file and one provisioning run, shared by the tests of the suite.
struct Fleet {
    SyncdProcess syncd;
    std::vector<Row> rows;
    fs::path fleet_file, out;
    Outcome provisioned;
    long long provision_ms = 0;
    std::string server_url;
};
std::unique_ptr<Fleet> fleet;

json::array devices_of(const SyncdProcess& syncd) {
    const HttpResponse reply = syncd.get("/api/v1/devices", syncd.admin_token());
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body).at("devices").as_array();
}

const json::object* device_named(const json::array& devices, const std::string& name) {
    for (const auto& device : devices)
        if (device.at("name").as_string() == name) return &device.as_object();
    return nullptr;
}

std::size_t fleet_devices(const json::array& devices) {
    return static_cast<std::size_t>(std::count_if(devices.begin(), devices.end(), [](const json::value& d) {
        return d.at("name").as_string().starts_with("ht-");
    }));
}

std::vector<std::string> syncd_provision(const fs::path& fleet_file, const fs::path& out,
                                         std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments{CHISO_SYNCD_BIN, "provision",         "--db",  fleet->syncd.database().string(),
                                       "--fleet",       fleet_file.string(), "--out", out.string(),
                                       "--server-url",  fleet->server_url};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return arguments;
}

class Provision : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fleet = std::make_unique<Fleet>();
        fleet->syncd.start({"--demo"});
        fleet->server_url = "http://127.0.0.1:" + std::to_string(fleet->syncd.port());
        fleet->rows = fleet_rows();
        fleet->fleet_file = fleet->syncd.folder() / "fleet.csv";
        fleet->out = fleet->syncd.folder() / "bundles";
        std::ofstream(fleet->fleet_file, std::ios::binary) << fleet_csv(fleet->rows);
        const auto started = Clock::now();
        fleet->provisioned =
            run(syncd_provision(fleet->fleet_file, fleet->out, {"--set-hostname"}), fleet->syncd.folder());
        fleet->provision_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
        std::cout << "[ provision] " << kFleetSize << " devices provisioned in " << fleet->provision_ms << " ms\n";
    }
    static void TearDownTestSuite() {
        fleet->syncd.stop();
        fleet.reset();
    }
};

TEST_F(Provision, makes_a_token_on_the_server_and_a_bundle_the_kiosk_accepts_for_every_device) {
    const Outcome& result = fleet->provisioned;
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.out.find("provisioned 200 devices (0 replaced)"), std::string::npos) << result.out;

    // 200 devices in the server's list, each with the organisation of its row, none seen yet.
    const json::array devices = devices_of(fleet->syncd);
    EXPECT_EQ(fleet_devices(devices), static_cast<std::size_t>(kFleetSize));
    std::set<std::string> tokens;
    const std::string manifest = read_file(fleet->out / "manifest.csv");
    for (const Row& row : fleet->rows) {
        SCOPED_TRACE(row.device);
        const json::object* listed = device_named(devices, row.device);
        ASSERT_NE(listed, nullptr);
        EXPECT_EQ(listed->at("scope").as_string(), row.org);
        EXPECT_EQ(listed->at("status").as_string(), "never_seen");

        // The bundle: the token readable by its owner only, the configuration as the kiosk reads it.
        const fs::path bundle = fleet->out / row.device;
        EXPECT_EQ(mode_of(bundle / "kiosk.token"), fs::perms::owner_read | fs::perms::owner_write);
        const std::string token = first_line(read_file(bundle / "kiosk.token"));
        EXPECT_EQ(token.size(), 64u);
        tokens.insert(token);
        EXPECT_EQ(read_file(bundle / "hostname"), row.device + "\n");
        kiosk::KioskConfig config;
        ASSERT_NO_THROW(config = kiosk::load_config(bundle / "chiso-kiosk.toml"));
        const kiosk::KioskConfig defaults;
        EXPECT_EQ(config.server, fleet->server_url);
        EXPECT_EQ(config.token_file, "/etc/chiso/kiosk.token");
        EXPECT_EQ(config.org, row.org);
        EXPECT_EQ(config.depth, row.depth.empty() ? defaults.depth : std::stoi(row.depth));
        EXPECT_EQ(config.pages, split(row.pages));
        EXPECT_EQ(config.dwell_seconds, row.dwell.empty() ? defaults.dwell_seconds : std::stoi(row.dwell));
        EXPECT_EQ(config.language, row.language == "en" ? dashboard::Language::en : dashboard::Language::vi);
        EXPECT_EQ(config.theme, row.theme == "light" ? kiosk::Theme::light : kiosk::Theme::dark);
        EXPECT_EQ(config.rotation, row.rotation.empty() ? 0 : std::stoi(row.rotation));
        EXPECT_EQ(config.pixel_shift, row.pixel_shift != "false");
        EXPECT_EQ(config.stale_minutes, row.stale.empty() ? defaults.stale_minutes : std::stoi(row.stale));
        EXPECT_EQ(config.renderer,
                  row.renderer.empty() ? defaults.renderer : kiosk::parse_renderer(row.renderer, "renderer"));
        const bool scheduled = !row.on.empty() || !row.off.empty() || !row.days.empty();
        EXPECT_EQ(config.schedule.always_on, !scheduled);
        EXPECT_EQ(config.schedule.on, row.on.empty() ? defaults.schedule.on : minute_of(row.on));
        EXPECT_EQ(config.schedule.off, row.off.empty() ? defaults.schedule.off : minute_of(row.off));
        if (!row.days.empty()) {
            std::array<bool, 7> days{};
            for (const std::string& day : split(row.days))
                days[static_cast<std::size_t>(*kiosk::parse_weekday(day))] = true;
            EXPECT_EQ(config.schedule.days, days);
        }
        EXPECT_EQ(config.cache, defaults.cache);

        // The manifest names the token by the start of its hash, never by the token itself.
        const std::string manifest_row =
            row.device + "," + row.org + "," + store::sha256_hex(token).substr(0, 16) + ",";
        EXPECT_NE(manifest.find("\n" + manifest_row), std::string::npos);
        EXPECT_EQ(manifest.find(token), std::string::npos);
        EXPECT_EQ(result.out.find(token), std::string::npos);
        EXPECT_EQ(result.err.find(token), std::string::npos);

        // The token is the device's: it may show Hà Tĩnh only when that is its own scope, and is never refused.
        const int status = fleet->syncd.get("/api/v1/scope?org=HT&depth=0", token).status;
        EXPECT_EQ(status, row.org == "HT" ? 200 : 403);
    }
    EXPECT_EQ(tokens.size(), static_cast<std::size_t>(kFleetSize)) << "two devices share a token";
    EXPECT_EQ(std::count(manifest.begin(), manifest.end(), '\n'), kFleetSize + 1);
}

TEST_F(Provision, kiosks_run_from_their_bundles_show_their_own_scope_and_a_revoked_one_is_locked_out) {
    ASSERT_EQ(fleet->provisioned.status, 0) << fleet->provisioned.err;
    std::vector<std::unique_ptr<KioskProcess>> kiosks;
    const auto started = Clock::now();
    for (const KioskDevice& device : kKiosks) {
        const fs::path bundle = fleet->out / device.row.device;
        const fs::path folder = fleet->syncd.folder() / ("kiosk-" + device.row.device);
        fs::create_directory(folder);
        // The bundle as it is, but for the paths under /etc and /var, which a test cannot write.
        kiosks.push_back(std::make_unique<KioskProcess>(
            folder,
            std::vector<std::string>{"--config", (bundle / "chiso-kiosk.toml").string(), "--token-file",
                                     (bundle / "kiosk.token").string(), "--cache", (folder / "cache.db").string()}));
        kiosks.back()->start();
    }

    // Each shows its own organisation, online, and its heartbeat is in the server's device list.
    std::vector<std::int64_t> revisions;
    for (std::size_t k = 0; k < kiosks.size(); ++k) {
        SCOPED_TRACE(kKiosks[k].row.device);
        auto online = kiosks[k]->wait_for(
            [](const auto& s) { return connection_of(s) == "Online" && s.at("hasDocument").as_bool(); }, scaled(30s));
        ASSERT_TRUE(online) << kiosks[k]->log();
        EXPECT_EQ(online->at("org").as_string(), kKiosks[k].org_name);
        revisions.push_back(revision_of(*online));
    }
    std::cout << "[ kiosks   ] " << kiosks.size() << " kiosks online from their bundles in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() << " ms\n";
    // The settings of its bundle reach the screen: ht-0002 shows two pages, in its order.
    const auto shown = kiosks[1]->state();
    ASSERT_TRUE(shown);
    const json::array pages = shown->at("pages").as_array();
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0].at("key").as_string(), "overview");
    EXPECT_EQ(pages[1].at("key").as_string(), "admission");

    json::array devices;
    for (auto deadline = Clock::now() + scaled(10s); Clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
        devices = devices_of(fleet->syncd);
        if (std::all_of(kKiosks.begin(), kKiosks.end(), [&](const KioskDevice& k) {
                const json::object* d = device_named(devices, k.row.device);
                return d && d->at("status").as_string() == "online";
            }))
            break;
    }
    for (const KioskDevice& kiosk : kKiosks) {
        const json::object* listed = device_named(devices, kiosk.row.device);
        ASSERT_NE(listed, nullptr);
        EXPECT_EQ(listed->at("status").as_string(), "online") << kiosk.row.device << ": " << json::serialize(*listed);
        EXPECT_TRUE(listed->contains("last_heartbeat"));
    }
    const json::object* bystander = device_named(devices, "ht-0100");
    ASSERT_NE(bystander, nullptr);
    EXPECT_EQ(bystander->at("status").as_string(), "never_seen");

    // One device's token revoked; a new month's figures wake every kiosk's long-poll, so each syncs again: the
    // revoked one is refused on that next sync, the others take the new revision and stay online.
    const std::string revoked = kKiosks[kRevoked].row.device;
    const Outcome revoke = run({CHISO_SYNCD_BIN, "device", "revoke", revoked, "--db", fleet->syncd.database().string()},
                               fleet->syncd.folder());
    ASSERT_EQ(revoke.status, 0) << revoke.err;
    ASSERT_TRUE(fleet->syncd.wait_until_refused(first_line(read_file(fleet->out / revoked / "kiosk.token")),
                                                scaled(std::chrono::seconds(2))));
    const HttpResponse imported = fleet->syncd.import(
        "values", "org,indicator,period,value\nHT-KCQDN-001,admissions,2026-11,2\nHT-KCQDN-002,admissions,2026-11,1\n",
        "november.csv");
    ASSERT_EQ(imported.status, 200) << imported.body;
    const auto locked_out =
        kiosks[kRevoked]->wait_for([](const auto& s) { return connection_of(s) == "Unauthorized"; }, scaled(10s));
    ASSERT_TRUE(locked_out) << kiosks[kRevoked]->log();
    for (std::size_t k = 0; k < kiosks.size(); ++k) {
        if (k == kRevoked) continue;
        SCOPED_TRACE(kKiosks[k].row.device);
        auto synced = kiosks[k]->wait_for(
            [&](const auto& s) { return revision_of(s) > revisions[k] && connection_of(s) == "Online"; },
            scaled(10s));
        ASSERT_TRUE(synced) << kiosks[k]->log();
    }
    for (std::size_t k = 0; k < kiosks.size(); ++k) {
        const auto now = kiosks[k]->state();
        ASSERT_TRUE(now);
        EXPECT_EQ(connection_of(*now), k == kRevoked ? "Unauthorized" : "Online") << kKiosks[k].row.device;
    }
    const json::array after = devices_of(fleet->syncd);
    const json::object* listed = device_named(after, revoked);
    ASSERT_NE(listed, nullptr);
    EXPECT_TRUE(listed->at("revoked").as_bool());
    for (auto& kiosk : kiosks) EXPECT_TRUE(kiosk->stop()) << kiosk->log();
}

TEST_F(Provision, a_fleet_file_with_bad_rows_is_reported_whole_and_creates_nothing) {
    ASSERT_EQ(fleet->provisioned.status, 0) << fleet->provisioned.err;
    const fs::path bad = fleet->syncd.folder() / "bad.csv", out = fleet->syncd.folder() / "bad-bundles";
    std::ofstream(bad) << "device,org,rotation,pages,groups\n"
                          "new-1,HT,0,overview,hall\n"          // fine on its own
                          "new-2,NOPE,90,,hall;Hội trường\n"   // 3:2 an organisation the tree never had, 3:5 a name
                          "new-1,HT-CQD,45,,\n"                 // 4:1 new-1 again, 4:3 a rotation the kiosk refuses
                          "ht-0001,HT,,,\n"                     // 5:1 on the server already
                          "new 3,HT,,overview;nope,a;a\n";      // 6:1 not a folder name, 6:4 an unknown page, 6:5
    const std::size_t before = fleet_devices(devices_of(fleet->syncd));
    const Outcome result = run(syncd_provision(bad, out), fleet->syncd.folder());
    EXPECT_EQ(result.status, 1);
    const std::string file = bad.string();
    for (const char* expected :
         {":3:2: unknown organisation 'NOPE'", ":4:1: device 'new-1' is also on line 2",
          ":4:3: 'rotation' must be 0, 90, 180 or 270, not '45'", ":5:1: device 'ht-0001' exists on the server already",
          ":6:1: 'device' must be 1 to 63 letters", ":6:4: 'pages': unknown page 'nope'",
          ":3:5: 'groups': 'Hội trường' is not a group name", ":6:5: 'groups': 'a' is listed twice"})
        EXPECT_NE(result.err.find(file + expected), std::string::npos) << expected << " not in\n" << result.err;
    EXPECT_NE(result.err.find("nothing was created: 8 problems"), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(out));
    const json::array devices = devices_of(fleet->syncd);
    EXPECT_EQ(fleet_devices(devices), before);
    EXPECT_EQ(device_named(devices, "new-1"), nullptr);

    // Whole-file problems: an unknown column and a missing one, each with its position.
    std::ofstream(bad) << "device,organisation\nnew-1,HT\n";
    const Outcome header = run(syncd_provision(bad, out), fleet->syncd.folder());
    EXPECT_EQ(header.status, 1);
    EXPECT_NE(header.err.find(file + ":1:2: unknown column 'organisation'"), std::string::npos) << header.err;
    EXPECT_NE(header.err.find(file + ":1:0: the column 'org' is missing"), std::string::npos) << header.err;
    EXPECT_FALSE(fs::exists(out));
}

TEST_F(Provision, with_a_ca_file_every_https_bundle_carries_the_ca_and_names_it) {
    ASSERT_EQ(fleet->provisioned.status, 0) << fleet->provisioned.err;
    const fs::path folder = fleet->syncd.folder(), fleet_file = folder / "tls.csv", out = folder / "tls-bundles";
    const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    std::ofstream(folder / "ca.pem") << pem;
    std::ofstream(folder / "not-a-ca.pem") << "hello\n";
    std::ofstream(fleet_file) << "device,org\ntls-1,HT\ntls-2,HT-CQD\n";
    auto provision_with = [&](const std::string& url, const fs::path& ca) {
        return run({CHISO_SYNCD_BIN, "provision", "--db", fleet->syncd.database().string(), "--fleet",
                    fleet_file.string(), "--out", out.string(), "--server-url", url, "--ca-file", ca.string()},
                   folder);
    };
    // Refused, creating nothing: a CA for a plain http server, and a file that holds no certificate.
    const Outcome plain = provision_with("http://10.0.0.5:8470", folder / "ca.pem");
    EXPECT_EQ(plain.status, 1);
    EXPECT_NE(plain.err.find("--ca-file is for an https:// --server-url"), std::string::npos) << plain.err;
    const Outcome garbage = provision_with("https://chiso.example.vn:8470", folder / "not-a-ca.pem");
    EXPECT_EQ(garbage.status, 1);
    EXPECT_NE(garbage.err.find("holds no PEM certificate"), std::string::npos) << garbage.err;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(device_named(devices_of(fleet->syncd), "tls-1"), nullptr);

    const Outcome result = provision_with("https://chiso.example.vn:8470", folder / "ca.pem");
    ASSERT_EQ(result.status, 0) << result.err;
    for (const char* device : {"tls-1", "tls-2"}) {
        EXPECT_EQ(read_file(out / device / "ca.pem"), pem);
        const kiosk::KioskConfig config = kiosk::load_config(out / device / "chiso-kiosk.toml");
        EXPECT_EQ(config.server, "https://chiso.example.vn:8470");
        EXPECT_EQ(config.ca_file, "/etc/chiso/ca.pem");
    }
}

TEST_F(Provision, replace_gives_a_device_a_new_token_and_the_old_one_stops_working) {
    ASSERT_EQ(fleet->provisioned.status, 0) << fleet->provisioned.err;
    const fs::path bundle = fleet->out / "ht-0200";
    const std::string old_token = first_line(read_file(bundle / "kiosk.token"));
    ASSERT_NE(fleet->syncd.get("/api/v1/scope?org=HT&depth=0", old_token).status, 401);
    const fs::path again = fleet->syncd.folder() / "again.csv";
    std::ofstream(again) << "device,org\nht-0200,HT\n";

    const Outcome refused = run(syncd_provision(again, fleet->out), fleet->syncd.folder());
    EXPECT_EQ(refused.status, 1);
    EXPECT_EQ(first_line(read_file(bundle / "kiosk.token")), old_token);

    const Outcome replaced = run(syncd_provision(again, fleet->out, {"--replace"}), fleet->syncd.folder());
    ASSERT_EQ(replaced.status, 0) << replaced.err;
    EXPECT_NE(replaced.out.find("provisioned 1 device (1 replaced)"), std::string::npos) << replaced.out;
    const std::string new_token = first_line(read_file(bundle / "kiosk.token"));
    EXPECT_NE(new_token, old_token);
    EXPECT_EQ(kiosk::load_config(bundle / "chiso-kiosk.toml").org, "HT");
    EXPECT_FALSE(fs::exists(bundle / "hostname")) << "this run did not ask for host names";
    EXPECT_EQ(fleet->syncd.get("/api/v1/scope?org=HT&depth=0", new_token).status, 200);
    EXPECT_TRUE(fleet->syncd.wait_until_refused(old_token, scaled(std::chrono::seconds(2))));
    // The manifest keeps the other 199 devices and has ht-0200's new token id.
    const std::string manifest = read_file(fleet->out / "manifest.csv");
    EXPECT_EQ(std::count(manifest.begin(), manifest.end(), '\n'), kFleetSize + 1);
    EXPECT_NE(manifest.find("\nht-0200,HT," + store::sha256_hex(new_token).substr(0, 16) + ","), std::string::npos);
    EXPECT_NE(manifest.find("\nht-0199,"), std::string::npos);
    EXPECT_EQ(fleet_devices(devices_of(fleet->syncd)), static_cast<std::size_t>(kFleetSize));
}

TEST_F(Provision, the_example_fleet_file_of_the_documentation_provisions_against_the_demo) {
    const fs::path out = fleet->syncd.folder() / "example-bundles";
    const Outcome result = run(syncd_provision(CHISO_FLEET_EXAMPLE, out), fleet->syncd.folder());
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.out.find("provisioned 5 devices"), std::string::npos) << result.out;
    EXPECT_EQ(kiosk::load_config(out / "sanh-cq-dang" / "chiso-kiosk.toml").rotation, 90);
    EXPECT_EQ(kiosk::load_config(out / "ban-to-chuc" / "chiso-kiosk.toml").language, dashboard::Language::en);
    // The groups column puts devices in the groups whose settings they take, in order.
    const json::value settings = json::parse(fleet->syncd.get("/api/v1/settings", fleet->syncd.admin_token()).body);
    EXPECT_EQ(settings.at("groups").at("phong-hop").at("devices"),
              json::parse(R"(["phong-hop-tinh-uy", "van-phong-tinh-uy"])"));
    EXPECT_EQ(settings.at("devices").at("hoi-truong-tinh-uy").at("groups"), json::parse(R"(["hoi-truong", "hoi-nghi"])"));
    EXPECT_EQ(settings.at("devices").at("ban-to-chuc").at("groups"), json::array{});
}

// ---- chiso-firstboot, in a root of temporary folders --------------------------------------------------------

class FirstBoot : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "chiso-firstboot-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        folder = pattern;
        root = folder / "root";
        boot = root / "boot/firmware/chiso";
        fs::create_directories(boot);
        fs::create_directories(root / "etc");
        std::ofstream(root / "etc/hosts") << "127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n";
        // The image's own groups. The kiosk's has an id this test may give a file: as root, one that is nobody's
        // here, so that the token's group shows it came from the image's /etc/group and not from this machine's.
        kiosk_gid = ::geteuid() == 0 ? 4242 : ::getgid();
        std::ofstream(root / "etc/group") << "root:x:0:\nvideo:x:44:\nchiso-kiosk:x:" << kiosk_gid << ":\n";
        systemctl_log = folder / "systemctl.log";
        std::ofstream(folder / "systemctl") << "#!/bin/sh\necho \"$@\" >> '" << systemctl_log.string() << "'\n";
        fs::permissions(folder / "systemctl", fs::perms::owner_all);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(folder);
    }
    Outcome firstboot(const std::string& kiosk_group) {
        return run({"/bin/sh", CHISO_FIRSTBOOT, "--root", root.string()}, folder,
                   {{"CHISO_SYSTEMCTL", (folder / "systemctl").string()}, {"CHISO_KIOSK_GROUP", kiosk_group}});
    }
    fs::path folder, root, boot, systemctl_log;
    const std::string group = "chiso-kiosk";
    gid_t kiosk_gid = 0;
};

TEST_F(FirstBoot, installs_the_bundle_into_etc_and_takes_the_token_off_the_boot_partition) {
    const std::string config = "[server]\nurl = \"http://10.0.0.5:8470\"\n\n[scope]\norg = \"HT\"\n";
    const std::string token = std::string(64, 'a') + "\n";
    std::ofstream(boot / "chiso-kiosk.toml") << config;
    std::ofstream(boot / "kiosk.token") << token;
    std::ofstream(boot / "hostname") << "ht-0042\n";

    const Outcome result = firstboot(group);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(read_file(root / "etc/chiso/chiso-kiosk.toml"), config);
    EXPECT_EQ(mode_of(root / "etc/chiso/chiso-kiosk.toml"), fs::perms(0644));
    EXPECT_EQ(read_file(root / "etc/chiso/kiosk.token"), token);
    EXPECT_EQ(mode_of(root / "etc/chiso/kiosk.token"), fs::perms(0640));
    struct stat info {};
    ASSERT_EQ(::stat((root / "etc/chiso/kiosk.token").c_str(), &info), 0);
    EXPECT_EQ(info.st_gid, kiosk_gid);
    EXPECT_EQ(read_file(root / "etc/hostname"), "ht-0042\n");
    EXPECT_EQ(read_file(root / "etc/hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\tht-0042\n");
    EXPECT_EQ(read_file(systemctl_log), "--root=" + root.string() + " enable chiso-kiosk.service\n");
    EXPECT_FALSE(fs::exists(boot / "kiosk.token"));
    EXPECT_FALSE(fs::exists(boot));
    for (const auto& entry : fs::recursive_directory_iterator(root / "etc"))
        EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << "left behind: " << entry.path();

    // The next boot finds no bundle and changes nothing.
    const Outcome again = firstboot(group);
    EXPECT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(read_file(root / "etc/chiso/kiosk.token"), token);
    EXPECT_EQ(read_file(systemctl_log), "--root=" + root.string() + " enable chiso-kiosk.service\n");
}

TEST_F(FirstBoot, installs_the_ca_a_bundle_carries) {
    const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    std::ofstream(boot / "chiso-kiosk.toml")
        << "[server]\nurl = \"https://chiso.example.vn:8470\"\nca_file = \"/etc/chiso/ca.pem\"\n";
    std::ofstream(boot / "kiosk.token") << std::string(64, 'c') << "\n";
    std::ofstream(boot / "ca.pem") << pem;
    const Outcome result = firstboot(group);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_EQ(read_file(root / "etc/chiso/ca.pem"), pem);
    EXPECT_EQ(mode_of(root / "etc/chiso/ca.pem"), fs::perms(0644));
    EXPECT_FALSE(fs::exists(boot));
}

TEST_F(FirstBoot, an_incomplete_bundle_installs_nothing_and_stays_for_the_next_attempt) {
    std::ofstream(boot / "kiosk.token") << std::string(64, 'b') << "\n";
    std::ofstream(boot / "hostname") << "ht-0042\n";
    const Outcome result = firstboot(group);
    EXPECT_EQ(result.status, 1);
    EXPECT_NE(result.err.find("no chiso-kiosk.toml"), std::string::npos) << result.err;
    EXPECT_TRUE(fs::exists(boot / "kiosk.token"));
    EXPECT_FALSE(fs::exists(root / "etc/chiso"));
    EXPECT_FALSE(fs::exists(root / "etc/hostname"));
    EXPECT_FALSE(fs::exists(systemctl_log));

    std::ofstream(boot / "chiso-kiosk.toml") << "[scope]\norg = \"HT\"\n";
    std::ofstream(boot / "hostname") << "-not-a-host-\n";
    const Outcome bad_name = firstboot(group);
    EXPECT_EQ(bad_name.status, 1);
    EXPECT_NE(bad_name.err.find("is not a host name"), std::string::npos) << bad_name.err;
    EXPECT_TRUE(fs::exists(boot / "kiosk.token"));
    EXPECT_FALSE(fs::exists(root / "etc/chiso"));
}

TEST_F(FirstBoot, a_bundle_without_a_token_installs_the_configuration_for_a_kiosk_that_enrols_by_code) {
    const std::string config = "[server]\nurl = \"http://10.0.0.5:8470\"\n";  // one bundle for every screen
    std::ofstream(boot / "chiso-kiosk.toml") << config;
    fs::create_directories(root / "etc/chiso");
    std::ofstream(root / "etc/chiso/kiosk.token") << std::string(64, 'o') << "\n";  // an earlier bundle's
    const Outcome result = firstboot(group);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.err.find("the kiosk shows an enrolment code"), std::string::npos) << result.err;
    EXPECT_EQ(read_file(root / "etc/chiso/chiso-kiosk.toml"), config);
    EXPECT_FALSE(fs::exists(root / "etc/chiso/kiosk.token"));
    EXPECT_FALSE(fs::exists(boot));

    // An empty token file is a bundle gone wrong, not one meant to enrol: nothing installed.
    fs::create_directories(boot);
    std::ofstream(boot / "chiso-kiosk.toml") << "[server]\nurl = \"http://10.0.0.9:8470\"\n";
    std::ofstream(boot / "kiosk.token");
    const Outcome empty = firstboot(group);
    EXPECT_EQ(empty.status, 1);
    EXPECT_NE(empty.err.find("kiosk.token in"), std::string::npos) << empty.err;
    EXPECT_EQ(read_file(root / "etc/chiso/chiso-kiosk.toml"), config);
    EXPECT_TRUE(fs::exists(boot / "kiosk.token"));
}

TEST_F(FirstBoot, without_the_kiosks_group_the_token_is_readable_by_root_alone) {
    std::ofstream(boot / "chiso-kiosk.toml") << "[scope]\norg = \"HT\"\n";
    std::ofstream(boot / "kiosk.token") << std::string(64, 'c') << "\n";
    const Outcome result = firstboot("no-such-group-chiso");
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.err.find("warning: no group 'no-such-group-chiso'"), std::string::npos) << result.err;
    EXPECT_EQ(mode_of(root / "etc/chiso/kiosk.token"), fs::perms(0600));
    EXPECT_FALSE(fs::exists(boot));
    EXPECT_FALSE(fs::exists(root / "etc/hostname")) << "no hostname file in the bundle: the host name is left alone";
}

}  // namespace
}  // namespace chiso::test
