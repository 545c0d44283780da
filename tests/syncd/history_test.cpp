// What a statistician sees before and after an import: a dry run previews the root's figures before and after and
// changes nothing; every applied import is in the history (who, file, rows, checksum); an undo puts back, as a new
// revision, the exact figures an import replaced, new ones removed, and is refused once a later import changed
// any of them.
#include "store/store.hpp"
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>

namespace chiso::test {
namespace json = boost::json;

class SyncdHistory : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
    }
    void TearDown() override { syncd.stop(); }
    std::int64_t revision() const {
        return json::parse(syncd.get("/api/v1/health", "").body).at("revision").as_int64();
    }
    // R's rolled-up figure, or -1 when the scope has none.
    std::int64_t root_figure(const char* indicator, const char* period) const {
        const json::value scope = syncd.scope("R", "depth=1");
        const auto* by_period = scope.at("values").at("R").as_object().if_contains(indicator);
        const auto* value = by_period ? by_period->as_object().if_contains(period) : nullptr;
        return value ? value->as_int64() : -1;
    }
    json::value post(const std::string& target, const std::string& body, int status) const {
        HttpResponse response = syncd.post(target, syncd.admin_token(), body);
        EXPECT_EQ(response.status, status) << target << ": " << response.body;
        return json::parse(response.body);
    }
    json::array history() const {
        HttpResponse response = syncd.get("/api/v1/imports", syncd.admin_token());
        EXPECT_EQ(response.status, 200) << response.body;
        return json::parse(response.body).at("imports").as_array();
    }
    SyncdProcess syncd;
};

// B2's members (15 → 16), B3's as they were (40), and C1's admissions in December, new.
const std::string kFile =
    "org,indicator,period,value\nB2,members_total,2026-H1,16\nB3,members_total,2026-H1,40\nC1,admissions,2026-12,3\n";

TEST_F(SyncdHistory, a_dry_run_previews_the_roots_figures_before_and_after_and_changes_nothing) {
    const std::int64_t before = revision();
    const std::string scope_before = syncd.get("/api/v1/scope?org=R&depth=3", syncd.admin_token()).body;
    const json::value reply = post("/api/v1/import?kind=values&name=thang-12.csv&dry_run=1", kFile, 200);
    EXPECT_FALSE(reply.at("applied").as_bool());
    EXPECT_TRUE(reply.at("dry_run").as_bool());
    EXPECT_EQ(reply.at("revision").as_int64(), before);
    const json::object& preview = reply.at("preview").as_object();
    EXPECT_EQ(preview.at("new").as_int64(), 1);
    EXPECT_EQ(preview.at("changed").as_int64(), 1);
    EXPECT_EQ(preview.at("unchanged").as_int64(), 1);
    EXPECT_EQ(preview.at("organisations_touched").as_int64(), 3);
    const json::array& organisations = preview.at("organisations").as_array();
    ASSERT_EQ(organisations.size(), 4u);  // the root first, then B2, B3 and C1 in the file's order
    const json::object& root = organisations[0].as_object();
    EXPECT_EQ(root.at("org").as_string(), "R");
    EXPECT_TRUE(root.at("root").as_bool());
    ASSERT_EQ(root.at("figures").as_array().size(), 2u);
    const json::object& members = root.at("figures").at(0).as_object();
    EXPECT_EQ(members.at("indicator").as_string(), "members_total");
    EXPECT_EQ(members.at("label_vi").as_string(), "Tổng số đảng viên");
    EXPECT_EQ(members.at("period").as_string(), "2026-H1");
    EXPECT_EQ(members.at("before").as_int64(), 30 + 20 + 15 + 40 + 10);
    EXPECT_EQ(members.at("after").as_int64(), 30 + 20 + 16 + 40 + 10);
    const json::object& admissions = root.at("figures").at(1).as_object();
    EXPECT_EQ(admissions.at("period").as_string(), "2026-12");
    EXPECT_TRUE(admissions.at("before").is_null());
    EXPECT_EQ(admissions.at("after").as_int64(), 3);
    EXPECT_EQ(organisations[1].at("org").as_string(), "B2");
    EXPECT_EQ(organisations[1].at("figures").at(0).at("before").as_int64(), 15);
    EXPECT_EQ(organisations[1].at("figures").at(0).at("after").as_int64(), 16);
    // Nothing changed, and nothing is in the history.
    EXPECT_EQ(revision(), before);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=R&depth=3", syncd.admin_token()).body, scope_before);
    EXPECT_NE(history().at(0).at("file").as_string(), "thang-12.csv");
    // A dry run of a bad file lists its problems as an import would.
    const json::value bad = post("/api/v1/import?kind=values&name=x.csv&dry_run=1",
                                 "org,indicator,period,value\nB2,members_total,2026-H1,-1\n", 422);
    EXPECT_FALSE(bad.as_object().contains("preview"));
    EXPECT_EQ(bad.at("errors").as_array().size(), 1u);
}

TEST_F(SyncdHistory, an_import_is_kept_in_the_history_and_undone_to_the_exact_figures_it_replaced) {
    const std::int64_t members_before = root_figure("members_total", "2026-H1");
    ASSERT_EQ(members_before, 115);
    const std::int64_t applied = post("/api/v1/import?kind=values&name=thang-12.csv", kFile, 200).at("revision").as_int64();
    EXPECT_EQ(root_figure("members_total", "2026-H1"), 116);
    EXPECT_EQ(root_figure("admissions", "2026-12"), 3);

    const json::array imports = history();
    const json::object& latest = imports.at(0).as_object();
    EXPECT_EQ(latest.at("revision").as_int64(), applied);
    EXPECT_EQ(latest.at("kind").as_string(), "values");
    EXPECT_EQ(latest.at("file").as_string(), "thang-12.csv");
    EXPECT_EQ(latest.at("rows").as_int64(), 3);
    EXPECT_EQ(latest.at("who").as_string(), "test-admin");
    EXPECT_EQ(latest.at("checksum").as_string(), store::sha256_hex(kFile));
    EXPECT_FALSE(latest.at("applied_at").as_string().empty());

    const json::value undo = post("/api/v1/import?undo=" + std::to_string(applied), "", 200);
    const std::int64_t undone = undo.at("revision").as_int64();
    EXPECT_EQ(undone, applied + 1);
    EXPECT_EQ(undo.at("rows").as_int64(), 3);
    EXPECT_EQ(root_figure("members_total", "2026-H1"), members_before);
    EXPECT_EQ(root_figure("admissions", "2026-12"), -1);  // new then, so gone now
    EXPECT_EQ(history().at(0).at("undoes").as_int64(), applied);

    // Undone once, its figures are no longer its own: a second undo is refused, and changes nothing.
    const json::value again = post("/api/v1/import?undo=" + std::to_string(applied), "", 409);
    EXPECT_EQ(again.at("error").as_string(), "3 of the figures revision " + std::to_string(applied) +
                                                 " set were changed by a later import: undo that first");
    EXPECT_EQ(revision(), undone);
    // The undo undone puts the import's figures back.
    post("/api/v1/import?undo=" + std::to_string(undone), "", 200);
    EXPECT_EQ(root_figure("members_total", "2026-H1"), 116);
    EXPECT_EQ(root_figure("admissions", "2026-12"), 3);
}

TEST_F(SyncdHistory, an_earlier_import_is_undone_only_while_no_later_one_changed_its_figures) {
    const auto first = post("/api/v1/import?kind=values&name=a.csv",
                            "org,indicator,period,value\nB2,members_total,2026-H1,16\n", 200).at("revision").as_int64();
    const auto other = post("/api/v1/import?kind=values&name=b.csv",
                            "org,indicator,period,value\nB3,members_total,2026-H1,41\n", 200).at("revision").as_int64();
    post("/api/v1/import?undo=" + std::to_string(first), "", 200);  // b.csv changed none of a.csv's figures
    EXPECT_EQ(root_figure("members_total", "2026-H1"), 115 + 1);     // B3's 41 stays
    const auto later = post("/api/v1/import?kind=values&name=c.csv",
                            "org,indicator,period,value\nB3,members_total,2026-H1,42\n", 200).at("revision").as_int64();
    EXPECT_EQ(post("/api/v1/import?undo=" + std::to_string(other), "", 409).at("error").as_string(),
              "1 of the figures revision " + std::to_string(other) +
                  " set were changed by a later import: undo that first");
    EXPECT_EQ(revision(), later);
    EXPECT_EQ(post("/api/v1/import?undo=2", "", 409).at("error").as_string(),  // the test data's tree
              "revision 2 changed the organisations, which is not undone: import the earlier file again");
    EXPECT_EQ(post("/api/v1/import?undo=999", "", 404).at("error").as_string(), "there is no revision 999");
    EXPECT_EQ(post("/api/v1/import?undo=x", "", 400).at("error").as_string(),
              "undo= names a revision: a whole number");
}

TEST_F(SyncdHistory, the_command_line_previews_lists_and_undoes) {
    syncd.stop();
    const auto file = syncd.folder() / "thang-12.csv";
    std::ofstream(file) << kFile;
    const std::string db = syncd.database().string();
    int status = -1;
    std::string output = run_command({CHISO_SYNCD_BIN, "import", "--kind", "values", "--dry-run", file.string(),
                                      "--db", db}, &status, true);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("checked, 3 rows: 1 new, 1 changed, 1 unchanged figures, 3 organisations; nothing applied"),
              std::string::npos) << output;
    EXPECT_NE(output.find("R members_total 2026-H1: 115 -> 116"), std::string::npos) << output;
    EXPECT_NE(output.find("R admissions 2026-12: - -> 3"), std::string::npos) << output;
    output = run_command({CHISO_SYNCD_BIN, "import", "--kind", "values", file.string(), "--db", db}, &status, true);
    ASSERT_EQ(status, 0) << output;
    output = run_command({CHISO_SYNCD_BIN, "imports", "--limit", "1", "--db", db}, &status, true);
    EXPECT_NE(output.find("\tvalues\t3 rows\tcommand line ("), std::string::npos) << output;
    const std::string revision = output.substr(0, output.find('\t'));
    output = run_command({CHISO_SYNCD_BIN, "undo", revision, "--db", db}, &status, true);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("revision " + revision + " undone: 3 figures put back"), std::string::npos) << output;
    output = run_command({CHISO_SYNCD_BIN, "undo", revision, "--db", db}, &status, true);
    EXPECT_EQ(status, 1);
    EXPECT_NE(output.find("were changed by a later import"), std::string::npos) << output;
    syncd.start();
    EXPECT_EQ(root_figure("members_total", "2026-H1"), 115);
}

}  // namespace chiso::test
