// The importer's reading of files, apart from any server: CSV quoting, byte-order marks, line numbers,
// and the checks on catalogues.
#include "importer/importer.hpp"
#include "importer/csv.hpp"

#include <gtest/gtest.h>

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

TEST(Importer, not_json_is_refused) {
    domain::Dataset empty;
    Outcome outcome = import_file(empty, FileKind::values, Format::json, "v.json", "{\"values\": [");
    ASSERT_EQ(outcome.problems.size(), 1u);
    EXPECT_TRUE(outcome.problems[0].reason.starts_with("not valid JSON")) << outcome.problems[0].reason;
}

}  // namespace chiso::importer
