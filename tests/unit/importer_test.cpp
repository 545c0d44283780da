// The importer's reading of files, apart from any server: CSV quoting, byte-order marks, line numbers,
// the checks on catalogues, and how a refused figure is named.
#include "importer/importer.hpp"
#include "importer/csv.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

namespace chiso::importer {

TEST(Csv, quoted_fields_keep_commas_quotes_and_line_breaks) {
    CsvResult csv = parse_csv("a,b\r\n\"Công ty Cổ phần, Du lịch\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\n\nlast,1");
    ASSERT_TRUE(csv.error.empty());
    ASSERT_EQ(csv.records.size(), 4u);
    EXPECT_EQ(csv.records[1].fields[0], "Công ty Cổ phần, Du lịch");
    EXPECT_EQ(csv.records[1].fields[1], "say \"hi\"");
    EXPECT_EQ(csv.records[2].fields[0], "two\nlines");
    EXPECT_EQ(csv.records[2].line, 3);
    EXPECT_EQ(csv.records[3].line, 6);  // after the two-line record and a blank line
}

TEST(Csv, a_byte_order_mark_is_not_part_of_the_first_header) {
    CsvResult csv = parse_csv("\xEF\xBB\xBForg,period\n");
    EXPECT_EQ(csv.records[0].fields[0], "org");
}

TEST(Csv, an_unclosed_quote_names_the_line_it_opened_on) {
    CsvResult csv = parse_csv("a,b\nx,\"open\nmore\n");
    EXPECT_EQ(csv.error_line, 2);
    EXPECT_FALSE(csv.error.empty());
}

TEST(Csv, headers_compare_with_vietnamese_capitals_made_small) {
    EXPECT_EQ(fold("  TỔ CHỨC "), "tổ chức");
    EXPECT_EQ(fold("ĐẾN NGÀY"), "đến ngày");
    EXPECT_EQ(fold("ƠƯĂÂÊÔ ỸỲÝ Ĩ Ũ"), "ơưăâêô ỹỳý ĩ ũ");
    EXPECT_EQ(fold("Giá Trị"), "giá trị");
    EXPECT_EQ(fold("×÷ – 中 \xC3"), "×÷ – 中 \xC3");  // not letters, or broken: as they are
}

TEST(Importer, an_empty_file_is_refused_with_a_reason) {
    domain::Dataset empty;
    Outcome outcome = import_file(empty, FileKind::values, Format::long_csv, "empty.csv", "");
    EXPECT_FALSE(outcome.changes);
    ASSERT_EQ(outcome.problems.size(), 1u);
    EXPECT_EQ(outcome.problems[0].to_string(), "empty.csv:1:0: the file is empty: a header line is expected");
}

TEST(Importer, a_catalogue_ratio_must_name_known_indicators) {
    domain::Dataset empty;
    Outcome outcome = import_file(empty, FileKind::catalogue, Format::json, "c.json",
                                  R"({"indicators": [{"code": "share", "label_vi": "Tỷ lệ", "kind": "ratio",
                                      "numerator": "a", "denominator": "target:b"}]})");
    EXPECT_FALSE(outcome.changes);
    ASSERT_EQ(outcome.problems.size(), 2u);
    EXPECT_EQ(outcome.problems[0].reason, "'share': unknown numerator 'a'");
}

TEST(Importer, a_catalogue_keeps_its_categories_in_place_when_one_is_added) {
    domain::Dataset data;
    auto first = import_file(data, FileKind::catalogue, Format::json, "c.json",
                             R"({"indicators": [{"code": "d", "label_vi": "D", "kind": "distribution",
                                 "categories": [{"code": "a", "label_vi": "A"}, {"code": "b", "label_vi": "B"}]}]})");
    ASSERT_TRUE(first.changes);
    data = data.apply(*first.changes, 1);
    auto second = import_file(data, FileKind::catalogue, Format::json, "c.json",
                              R"({"indicators": [{"code": "d", "label_vi": "D mới", "kind": "distribution",
                                  "categories": [{"code": "c", "label_vi": "C"}, {"code": "a", "label_vi": "A"}]}]})");
    ASSERT_TRUE(second.changes);
    const auto& categories = second.changes->catalogue->indicators[0].categories;
    ASSERT_EQ(categories.size(), 3u);
    EXPECT_EQ(categories[0].code, "a");
    EXPECT_EQ(categories[1].code, "b");
    EXPECT_EQ(categories[2].code, "c");
    EXPECT_EQ(second.changes->catalogue->indicators[0].label_vi, "D mới");
}

TEST(Importer, a_term_carries_its_days_and_an_organisations_own) {
    domain::Dataset data;
    auto outcome = import_file(data, FileKind::catalogue, Format::json, "c.json",
                               R"({"terms": ["2020-2025", {"code": "2015-2020", "first": "2015-09-01",
                                   "last": "2020-08-31", "organisations": [{"org": "HT-CQD", "first": "2015-10-02",
                                   "last": "2020-09-30"}]}]})");
    ASSERT_TRUE(outcome.changes) << outcome.problems.front().to_string();
    const auto& terms = outcome.changes->catalogue->terms;
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_EQ(terms[0].period.code(), "2015-2020");  // in code order
    ASSERT_TRUE(terms[0].days);
    EXPECT_EQ(terms[0].days->first, 20150901);
    EXPECT_EQ(terms[0].days->last, 20200831);
    EXPECT_EQ(terms[0].by_organisation.at("HT-CQD").first, 20151002);
    EXPECT_FALSE(terms[1].days);
    data = data.apply(*outcome.changes, 1);

    // Listed again by its code alone, a term keeps its days.
    auto again = import_file(data, FileKind::catalogue, Format::json, "c.json", R"({"terms": ["2015-2020"]})");
    ASSERT_TRUE(again.changes);
    ASSERT_TRUE(again.changes->catalogue->terms[0].days);
    EXPECT_EQ(again.changes->catalogue->terms[0].days->first, 20150901);
}

TEST(Importer, a_term_whose_days_cannot_be_its_own_is_refused_and_changes_nothing) {
    domain::Dataset empty;
    for (auto [term, reason] : std::vector<std::pair<std::string, std::string>>{
             {R"({"code": "2015-2020", "first": "2020-08-31", "last": "2015-09-01"})",
              "the term ends (2015-09-01) before it begins (2020-08-31)"},
             {R"({"code": "2015-2020", "first": "2014-09-01", "last": "2020-08-31"})",
              "the term 2015-2020 runs from a day of 2015 to a day of 2020, not 2014-09-01 to 2020-08-31"},
             {R"({"code": "2015-2020", "first": "2015-09-01"})",
              R"(a term's days are its first and last, like "first": "2015-09-01", "last": "2020-08-31")"},
             {R"({"code": "2015-2020", "first": "2015-09-31", "last": "2020-08-31"})",
              R"(a term's days are its first and last, like "first": "2015-09-01", "last": "2020-08-31")"},
             {R"({"code": "2015-09..2019-06"})", R"(expected a term like 2020-2025, or {"code", "first", "last"})"},
             {R"({"code": "2015-2020", "organisations": [{"org": "A", "first": "2015-09-01", "last": "2020-08-31"},
                  {"org": "A", "first": "2015-10-01", "last": "2020-08-31"}]})",
              "'A' is listed twice"},
             {R"({"code": "2015-2020", "organisations": [{"first": "2015-09-01", "last": "2020-08-31"}]})",
              R"(expected {"org": CODE, "first": DAY, "last": DAY})"}}) {
        SCOPED_TRACE(term);
        auto outcome = import_file(empty, FileKind::catalogue, Format::json, "c.json", R"({"terms": [)" + term + "]}");
        EXPECT_FALSE(outcome.changes);
        ASSERT_EQ(outcome.problems.size(), 1u);
        const std::string& said = outcome.problems[0].reason;
        EXPECT_TRUE(said.starts_with("terms[0]") && said.ends_with(": " + reason)) << said;  // where, and why
    }
}

TEST(Importer, a_target_may_be_set_for_a_range_of_months) {
    domain::Dataset data;
    for (auto [kind, body] : std::vector<std::pair<FileKind, std::string>>{
             {FileKind::catalogue, R"({"levels": [{"code": "p", "label_vi": "Tỉnh"}],
                                      "indicators": [{"code": "admissions", "label_vi": "Kết nạp", "kind": "flow"}]})"},
             {FileKind::organisations, "code,name,parent,level,type,valid_from,valid_to\nR,Tỉnh ủy,,p,,2010-01-01,\n"}}) {
        auto outcome = import_file(data, kind, kind == FileKind::catalogue ? Format::json : Format::long_csv, "f", body);
        ASSERT_TRUE(outcome.changes) << outcome.problems.front().to_string();
        data = data.apply(*outcome.changes, data.revision + 1);
    }
    auto targets = import_file(data, FileKind::targets, Format::long_csv, "t.csv",
                               "org,indicator,period,value\nR,admissions,2015-09..2020-08,1800\n");
    ASSERT_TRUE(targets.changes) << targets.problems.front().to_string();
    EXPECT_EQ(targets.changes->targets.at(0).key.period.code(), "2015-09..2020-08");
    auto reversed = import_file(data, FileKind::targets, Format::long_csv, "t.csv",
                                "org,indicator,period,value\nR,admissions,2020-08..2015-09,1800\n");
    EXPECT_FALSE(reversed.changes);
}

TEST(Importer, not_json_is_refused) {
    domain::Dataset empty;
    Outcome outcome = import_file(empty, FileKind::values, Format::json, "v.json", "{\"values\": [");
    ASSERT_EQ(outcome.problems.size(), 1u);
    EXPECT_TRUE(outcome.problems[0].reason.starts_with("not valid JSON")) << outcome.problems[0].reason;
}

// One base organisation, B1, and a catalogue of members and women members (a part of members).
domain::Dataset one_base_organisation() {
    domain::Dataset data;
    for (const auto& [kind, format, body] :
         {std::tuple{FileKind::catalogue, Format::json,
                     R"({"levels": [{"code": "base", "label_vi": "Cơ sở", "base": true}],
                         "org_types": [{"code": "t", "label_vi": "T"}],
                         "indicators": [{"code": "members", "label_vi": "Đảng viên", "kind": "stock"},
                                        {"code": "women", "label_vi": "Nữ", "kind": "stock",
                                         "part_of": "members"}]})"},
          std::tuple{FileKind::organisations, Format::long_csv,
                     "code,name,level,type,valid_from\nB1,Chi bộ 1,base,t,2020-01-01\n"}}) {
        Outcome outcome = import_file(data, kind, format, "setup", body);
        if (!outcome.changes) throw std::runtime_error("setup refused: " + outcome.problems.front().to_string());
        data = data.apply(*outcome.changes, data.revision + 1);
    }
    return data;
}

// A JSON file's rows are named by their place in the file: a repeated figure names the first, a part checks
// against its whole from the same file, and an unknown field is named with its path.
TEST(Importer, a_json_file_names_the_rows_it_refuses) {
    const domain::Dataset data = one_base_organisation();

    Outcome outcome = import_file(data, FileKind::values, Format::json, "v.json", R"({"values": [
        {"org": "B1", "indicator": "members", "period": "2026-01", "value": 10},
        {"org": "B1", "indicator": "women", "period": "2026-01", "value": 11},
        {"org": "B1", "indicator": "members", "period": "2026-01", "value": 12},
        {"org": "B1", "indicator": "members", "period": "2026-02", "value": 9, "colour": "red"}]})");
    EXPECT_FALSE(outcome.changes);
    std::vector<std::string> reasons;
    for (const Problem& problem : outcome.problems) reasons.push_back(problem.reason);
    EXPECT_EQ(reasons, (std::vector<std::string>{
                           "values[3].colour: unknown field",
                           "values[2].value: a duplicate of values[0] with another value (10, here 12)",
                           "values[1].value: the part 'women' (11) is larger than its whole 'members' (10)"}));

    Outcome good = import_file(data, FileKind::values, Format::json, "v.json", R"({"values": [
        {"org": "B1", "indicator": "members", "period": "2026-01", "value": 10},
        {"org": "B1", "indicator": "women", "period": "2026-01", "value": 4},
        {"org": "B1", "indicator": "members", "period": "2026-01", "value": 10}]})");
    ASSERT_TRUE(good.changes) << good.problems.front().to_string();
    EXPECT_EQ(good.changes->values.size(), 2u);  // the repeat with the same value is one figure
    EXPECT_EQ(good.changes->rows, 3u);
}

// Names and labels are shown as written: '<' is refused in them, so nothing reads as markup anywhere.
TEST(Importer, markup_in_a_name_or_label_is_refused) {
    domain::Dataset data;
    auto catalogue = import_file(data, FileKind::catalogue, Format::json, "c.json",
                                 R"({"levels": [{"code": "base", "label_vi": "<b>Cơ sở</b>", "base": true}]})");
    EXPECT_FALSE(catalogue.changes);
    ASSERT_EQ(catalogue.problems.size(), 1u);
    EXPECT_EQ(catalogue.problems[0].to_string(),
              "c.json:0:0: levels[0].label_vi: '<' is not allowed: names and labels are shown as written, never as "
              "markup");
    catalogue = import_file(data, FileKind::catalogue, Format::json, "c.json",
                            R"({"levels": [{"code": "base", "label_vi": "Cơ sở", "base": true}],
                                "org_types": [{"code": "t", "label_vi": "T"}]})");
    ASSERT_TRUE(catalogue.changes);
    data = data.apply(*catalogue.changes, 1);
    auto orgs = import_file(data, FileKind::organisations, Format::long_csv, "o.csv",
                            "code,name,level,type,valid_from\n"
                            "B1,Chi bộ 1,base,t,2020-01-01\n"
                            "B2,<img src=http://example.invalid/x.png>,base,t,2020-01-01\n");
    EXPECT_FALSE(orgs.changes);
    ASSERT_EQ(orgs.problems.size(), 1u);
    EXPECT_EQ(orgs.problems[0].line, 3);
    EXPECT_EQ(orgs.problems[0].column, 2);
}

// A count has a ceiling far above any real one and far enough below 2^63 that sums cannot overflow.
TEST(Importer, a_figure_above_the_largest_count_is_refused) {
    const domain::Dataset data = one_base_organisation();
    auto values = import_file(data, FileKind::values, Format::long_csv, "v.csv",
                              "org,indicator,period,value\nB1,members,2026-01,1000000000000\n"
                              "B1,members,2026-02,1000000000001\nB1,members,2026-03,9000000000000000000\n");
    EXPECT_FALSE(values.changes);
    ASSERT_EQ(values.problems.size(), 2u);
    EXPECT_EQ(values.problems[0].to_string(),
              "v.csv:3:4: too large for a count: 1000000000001 (at most 1000000000000)");
    EXPECT_EQ(values.problems[1].line, 4);
}

}  // namespace chiso::importer
