// The bundled demo: the Hà Tĩnh provincial bloc as published in July 2019, served by `serve --demo`.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

namespace chiso::test {
namespace json = boost::json;

TEST(SyncdDemo, the_demo_bloc_has_7841_members_in_105_base_organisations_of_six_types) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    std::string token = read_file(syncd.folder() / "demo-kiosk.token");
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    HttpResponse response = syncd.get("/api/v1/scope?org=HT-KCQDN&at=2019-H1", token);
    ASSERT_EQ(response.status, 200) << response.body;
    json::value scope = json::parse(response.body);
    EXPECT_EQ(scope.at("scope").at("org").as_string(), "HT-KCQDN");
    EXPECT_EQ(scope.at("values").at("HT-KCQDN").at("members_total").at("2019-H1").as_int64(), 7841);

    const json::object& by_type = scope.at("by_type").at("2019-H1").as_object();
    const std::vector<std::tuple<std::string, int, int>> reference = {
        {"hanh_chinh", 49, 2978},    {"su_nghiep", 17, 1342},  {"dn_nn_100", 16, 2179},
        {"dn_nn_tren_50", 15, 1000}, {"dn_nn_duoi_50", 1, 11}, {"dn_co_phan_tu_nhan", 7, 331}};
    std::int64_t orgs = 0, members = 0;  // what syncd's breakdown adds up to, against its own totals
    for (const auto& [type, type_orgs, type_members] : reference) {
        ASSERT_TRUE(by_type.contains(type)) << type;
        EXPECT_EQ(by_type.at(type).at("orgs").as_int64(), type_orgs) << type;
        EXPECT_EQ(by_type.at(type).at("members_total").as_int64(), type_members) << type;
    }
    for (const auto& [type, figures] : by_type) {
        orgs += figures.at("orgs").as_int64();
        members += figures.at("members_total").as_int64();
    }
    EXPECT_EQ(by_type.size(), reference.size());
    EXPECT_EQ(orgs, 105);
    EXPECT_EQ(members, scope.at("values").at("HT-KCQDN").at("members_total").at("2019-H1").as_int64());
    syncd.stop();
}

TEST(SyncdDemo, its_tokens_are_new_private_files_never_written_through_a_link) {
    namespace fs = std::filesystem;
    SyncdProcess syncd;
    const fs::path outside = syncd.folder() / "someone-elses.txt";
    std::ofstream(outside) << "untouched\n";
    fs::create_symlink(outside, syncd.folder() / "demo-admin.token");
    syncd.start({"--demo"});
    EXPECT_EQ(read_file(outside), "untouched\n");
    for (const char* name : {"demo-admin.token", "demo-kiosk.token"}) {
        const fs::path token = syncd.folder() / name;
        EXPECT_FALSE(fs::is_symlink(token)) << name;
        EXPECT_EQ(fs::status(token).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
            << name;
    }
    std::string admin = read_file(syncd.folder() / "demo-admin.token");
    admin.pop_back();  // its newline
    EXPECT_EQ(syncd.get("/api/v1/devices", admin).status, 200);
    syncd.stop();
}

}  // namespace chiso::test
