// The bundled demo: the Hà Tĩnh provincial bloc as published in July 2019, served by `serve --demo`.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>

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

// A review period: the published term-to-date figures (2015-09..2019-06) and those "since 2017", from the API.
TEST(SyncdDemo, a_review_of_the_term_to_date_serves_the_published_figures) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    json::value scope = syncd.scope("HT-KCQDN", "review=2015-09..2019-06");
    EXPECT_EQ(scope.at("scope").at("as_of").as_string(), "2019-06-30");
    EXPECT_EQ(scope.at("scope").at("review").at("period").as_string(), "2015-09..2019-06");
    const json::value& bloc = scope.at("values").at("HT-KCQDN");
    const std::string term_to_date = "2015-09..2019-06";
    EXPECT_EQ(bloc.at("admissions").at(term_to_date), 1534);
    EXPECT_EQ(bloc.at("full_recognitions").at(term_to_date), 1677);
    EXPECT_EQ(bloc.at("members_total").at(term_to_date), 7841);
    EXPECT_EQ(bloc.at("org_base_total").at(term_to_date), 105);
    std::int64_t disciplined = 0, inspections = 0;
    for (const auto& [form, count] : bloc.at("discipline_members").at(term_to_date).as_object())
        disciplined += count.as_int64();
    EXPECT_EQ(disciplined, 127);
    for (const char* code : {"inspections_org", "inspections_member", "supervisions_org", "supervisions_member"})
        inspections += bloc.at(code).at(term_to_date).as_int64();
    EXPECT_GT(inspections, 2000);
    EXPECT_EQ(bloc.at("secretary_is_head_share").at(term_to_date), (json::array{80, 105, 762}));
    EXPECT_EQ(bloc.at("committee_female_pct").at(term_to_date), (json::array{140, 700, 200}));
    EXPECT_EQ(bloc.at("committee_young_pct").at(term_to_date), (json::array{77, 700, 110}));
    // The term itself, from its congress: the same, to date, against its target.
    json::value term = syncd.scope("HT-KCQDN", "review=2015-2020&depth=0");
    EXPECT_EQ(term.at("scope").at("as_of").as_string(), "2020-08-31");
    EXPECT_EQ(term.at("scope").at("terms").at(0).at("first").as_string(), "2015-09-01");

    json::value since_2017 = syncd.scope("HT-KCQDN", "review=2017-01..2019-06&depth=0");
    const json::value& then = since_2017.at("values").at("HT-KCQDN");
    EXPECT_EQ(then.at("removed_from_rolls").at("2017-01..2019-06"), 128);
    // Compared with nothing: the thirty months before it began before the first figures (2015).
    EXPECT_FALSE(since_2017.at("scope").at("review").as_object().contains("previous"));
    json::value half = syncd.scope("HT-KCQDN", "review=2019-H1&depth=0");
    EXPECT_EQ(half.at("scope").at("review").at("previous").as_string(), "2018-H1");  // the same half a year before
    std::int64_t failing = 0;  // members rated "not completing duties" in the years rated inside the review
    for (const char* year : {"2017", "2018", "2019"})
        if (const json::value* rated = then.at("rating_members").as_object().if_contains(year))
            failing += rated->at("kht").as_int64();
    EXPECT_EQ(failing, 82);
    syncd.stop();
}

// A review that cannot be shown is refused with its reason, and nothing else is answered in its place.
TEST(SyncdDemo, a_review_outside_the_data_or_malformed_is_refused_with_its_reason) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    for (auto [query, status, reason] : std::vector<std::tuple<std::string, unsigned, std::string>>{
             {"review=2019-06..2015-09", 400, "bad period '2019-06..2015-09' in review="},
             {"review=2019-H3", 400, "bad period '2019-H3' in review="},
             {"review=2031", 422, "the review 2031 begins after the latest figures (2026-10-31)"},
             {"review=2030-2035", 422, "the catalogue has no term 2030-2035"},
             {"review=2019&at=2019-H1", 400, "ask for a review= or an at=, not both"}}) {
        HttpResponse response = syncd.get("/api/v1/scope?org=HT-KCQDN&" + query, syncd.admin_token());
        EXPECT_EQ(response.status, status) << query;
        EXPECT_NE(response.body.find(reason), std::string::npos) << query << ": " << response.body;
    }
    // A term the catalogue gives no days cannot be reviewed: its months would be a guess.
    HttpResponse undated = syncd.import("catalogue", R"({"terms": ["2030-2035"]})", "terms.json", "json");
    ASSERT_EQ(undated.status, 200) << undated.body;
    HttpResponse response = syncd.get("/api/v1/scope?org=HT-KCQDN&review=2030-2035", syncd.admin_token());
    EXPECT_EQ(response.status, 422);
    EXPECT_NE(response.body.find("has no first and last day in the catalogue"), std::string::npos) << response.body;
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
