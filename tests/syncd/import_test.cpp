// Imports are whole or nothing: a file with one bad row changes nothing, and says which row and why.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace chiso::test {
namespace json = boost::json;

class SyncdImport : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
        before_scope = syncd.get("/api/v1/scope?org=R&depth=3", syncd.admin_token()).body;
        before_revision = revision();
    }
    void TearDown() override { syncd.stop(); }
    std::int64_t revision() const {
        return json::parse(syncd.get("/api/v1/health", "").body).at("revision").as_int64();
    }
    void expect_nothing_changed() const {
        EXPECT_EQ(revision(), before_revision);
        EXPECT_EQ(syncd.get("/api/v1/scope?org=R&depth=3", syncd.admin_token()).body, before_scope);
    }
    // The errors of a refused import, as "line:column: reason".
    std::vector<std::string> refused(const std::string& kind, const std::string& body,
                                     const std::string& format = "") const {
        HttpResponse response = syncd.import(kind, body, "report.csv", format);
        EXPECT_EQ(response.status, 422) << response.body;
        json::value reply = json::parse(response.body);
        EXPECT_FALSE(reply.at("applied").as_bool());
        EXPECT_EQ(reply.at("revision").as_int64(), before_revision);
        std::vector<std::string> errors;
        for (const auto& error : reply.at("errors").as_array()) {
            EXPECT_EQ(error.at("file").as_string(), "report.csv");
            errors.push_back(std::to_string(error.at("line").as_int64()) + ":" +
                             std::to_string(error.at("column").as_int64()) + ": " +
                             std::string(error.at("reason").as_string()));
        }
        return errors;
    }
    SyncdProcess syncd;
    std::string before_scope;
    std::int64_t before_revision = 0;
};

TEST_F(SyncdImport, a_file_with_one_bad_row_changes_nothing_and_names_the_row) {
    auto errors = refused("values",
                          "org,indicator,period,value\n"
                          "B2,admissions,2026-10,4\n"
                          "B3,admissions,2026-10,-2\n"
                          "B4,admissions,2026-10,1\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "3:4: a count cannot be negative: -2");
    expect_nothing_changed();
}

TEST_F(SyncdImport, every_kind_of_bad_row_is_reported_with_its_line_column_and_reason) {
    auto errors = refused("values",
                          "org,indicator,period,category,value\n"
                          "XX,admissions,2026-10,,1\n"                 // unknown organisation
                          "B2,admissionz,2026-10,,1\n"                 // unknown indicator
                          "B2,admissions,2026-13,,1\n"                 // bad period
                          "B2,admissions,2026-10,,1.5\n"               // not a whole number
                          "B2,discipline_members,2026-10,,1\n"         // distribution without category
                          "B2,discipline_members,2026-10,xoa_ten,1\n"  // unknown category
                          "B2,members_female,2026-H1,,99\n"            // a part larger than its whole (15)
                          "B2,admissions,2026-11,,1\n"
                          "B2,admissions,2026-11,,2\n"          // duplicate with another value
                          "B2,admissions_attainment,2026,,1\n"  // a ratio is computed, not imported
                          "B4,admissions,2019-05,,1\n");        // before the organisation existed
    ASSERT_EQ(errors.size(), 10u);
    EXPECT_EQ(errors[0], "2:1: unknown organisation 'XX'");
    EXPECT_EQ(errors[1], "3:2: unknown indicator 'admissionz'");
    EXPECT_TRUE(errors[2].starts_with("4:3: bad period '2026-13'")) << errors[2];
    EXPECT_EQ(errors[3], "5:5: not a whole number: '1.5'");
    EXPECT_EQ(errors[4], "6:4: 'discipline_members' is a distribution: a category is needed");
    EXPECT_EQ(errors[5], "7:4: unknown category 'xoa_ten' of 'discipline_members'");
    EXPECT_TRUE(errors[6].starts_with("10:5: a duplicate of line 9")) << errors[6];
    EXPECT_TRUE(errors[7].starts_with("11:2: 'admissions_attainment' is a ratio")) << errors[7];
    EXPECT_EQ(errors[8], "12:3: organisation 'B4' did not exist during 2019-05");
    EXPECT_EQ(errors[9], "8:5: the part 'members_female' (99) is larger than its whole 'members_total' (15)");
    expect_nothing_changed();
}

TEST_F(SyncdImport, a_wide_table_with_vietnamese_headers_and_a_byte_order_mark_is_read) {
    HttpResponse response =
        syncd.import("values",
                     "\xEF\xBB\xBFtổ chức,kỳ,Tổng số đảng viên,Đảng viên nữ,Đảng viên bị kỷ luật.Khiển trách\r\n"
                     "B2,2026-H1,15,6,\r\n"
                     "B3,2026-H1,40,12,3\r\n",
                     "bao-cao.csv", "wide");
    ASSERT_EQ(response.status, 200) << response.body;
    json::value scope = syncd.scope("R", "depth=3");
    EXPECT_EQ(scope.at("values").at("R").at("members_female").at("2026-H1").as_int64(), 10 + 6 + 12);
    EXPECT_EQ(scope.at("values").at("R").at("discipline_members").at("2026-H1").at("khien_trach").as_int64(), 1 + 3);
}

TEST_F(SyncdImport, a_wide_table_with_an_unknown_column_changes_nothing) {
    auto errors = refused("values", "org,period,Tổng số đảng viên,Số đảng viên ảo\nB2,2026-H1,16,3\n", "wide");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "1:4: unknown indicator 'Số đảng viên ảo'");
    expect_nothing_changed();
}

TEST_F(SyncdImport, json_values_are_read_and_their_errors_name_the_path) {
    HttpResponse good = syncd.import(
        "values", R"({"values": [{"org": "B2", "indicator": "admissions", "period": "2026-10", "value": 2}]})",
        "values.json");
    ASSERT_EQ(good.status, 200) << good.body;
    before_revision = revision();
    before_scope = syncd.get("/api/v1/scope?org=R&depth=3", syncd.admin_token()).body;
    HttpResponse bad =
        syncd.import("values",
                     R"({"values": [{"org": "B2", "indicator": "admissions", "period": "2026-11", "value": 2},
                                                   {"org": "B2", "indicator": "admissions", "period": "2026-12", "value": -1}]})",
                     "values.json");
    ASSERT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("values[1].value: a count cannot be negative"), std::string::npos) << bad.body;
    expect_nothing_changed();
}

TEST_F(SyncdImport, an_organisation_file_with_overlapping_intervals_or_an_unknown_parent_changes_nothing) {
    auto errors = refused("organisations",
                          "code,name,parent,level,type,valid_from,valid_to\n"
                          "B6,Chi bộ A,U1,base_cell,dn,2026-01-01,2026-08-31\n"
                          "B6,Chi bộ A,U2,base_cell,dn,2026-08-01,\n"
                          "B7,Chi bộ B,U9,base_cell,dn,2026-01-01,\n"
                          "B8,Chi bộ C,U1,base_cell,,2026-01-01,\n");
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_TRUE(errors[0].starts_with("5:5: a base organisation needs its organisation type")) << errors[0];
    EXPECT_TRUE(errors[1].starts_with("3:6: overlaps another interval of 'B6'")) << errors[1];
    EXPECT_EQ(errors[2], "4:3: unknown parent organisation 'U9' of 'B7'");
    expect_nothing_changed();
}

TEST_F(SyncdImport, an_excel_report_form_is_read_and_its_bad_cells_are_named_by_sheet_and_cell) {
    const auto folder = syncd.folder() / "workbooks";
    const std::string command = "/usr/bin/python3 " CHISO_TEST_DATA "/workbooks.py '" + folder.string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    auto bytes = [&](const char* name) {
        std::ifstream in(folder / name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    HttpResponse bad = syncd.import("values", bytes("values-wide-bad.xlsx"), "Biểu 1.xlsx");
    ASSERT_EQ(bad.status, 422) << bad.body;
    const json::array errors = json::parse(bad.body).at("errors").as_array();
    ASSERT_EQ(errors.size(), 2u) << bad.body;
    EXPECT_EQ(errors[0].at("cell").as_string(), "Biểu 1!D7");
    EXPECT_EQ(errors[0].at("sheet").as_string(), "Biểu 1");
    EXPECT_EQ(errors[0].at("content").as_string(), "mười");
    EXPECT_EQ(errors[0].at("reason").as_string(), "not a whole number: 'mười'");
    EXPECT_EQ(errors[1].at("cell").as_string(), "Biểu 1!A9");
    expect_nothing_changed();

    HttpResponse good = syncd.import("values", bytes("values-long.xlsx"), "so-lieu.xlsx");
    ASSERT_EQ(good.status, 200) << good.body;
    const json::value reply = json::parse(good.body);
    EXPECT_EQ(reply.at("rows").to_number<std::int64_t>(), 24);
    EXPECT_EQ(reply.at("revision").as_int64(), before_revision + 1);
    EXPECT_EQ(reply.at("notes").at(0).as_string(),
              "the sheet 'Hướng dẫn' has no table (no row names the column 'org'): not read");
}

TEST_F(SyncdImport, the_command_line_import_prints_each_error_and_exits_1) {
    syncd.stop();
    auto file = syncd.folder() / "report.csv";
    std::ofstream(file) << "org,indicator,period,value\nB2,admissions,2026-10,4\nB3,admissions,2026-1O,1\n";
    int status = 0;
    const std::string output = run_command(
        {CHISO_SYNCD_BIN, "import", "--kind", "values", file.string(), "--db", syncd.database().string()}, &status,
        true);
    EXPECT_EQ(status, 1);
    EXPECT_NE(output.find(file.string() + ":3:3: bad period '2026-1O'"), std::string::npos) << output;
    EXPECT_EQ(output.find("applied"), std::string::npos) << output;
    syncd.start();
    expect_nothing_changed();
}

// Not an import, but the same program's command line: what IT types first on a newly installed server or Pi.
TEST(SyncdCommandLine, version_is_printed_without_a_subcommand) {
    int status = -1;
    const std::string output = run_command({CHISO_SYNCD_BIN, "--version"}, &status, true);
    EXPECT_EQ(status, 0) << output;
    EXPECT_EQ(output, "chiso-syncd " CHISO_VERSION "\n");
}

}  // namespace chiso::test
