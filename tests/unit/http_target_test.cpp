// The request target as syncd's routes read it, alone: decoding of the path and query, typed parameters, and
// If-None-Match matching, without a server.
#include "syncd/http/target.hpp"
#include "syncd/service.hpp"

#include <gtest/gtest.h>

namespace chiso::syncd {
namespace {

TEST(HttpTarget, decodes_the_path_and_each_query_pair_apart) {
    const Target target = parse_target("/api/v1/sc%6Fpe?org=HT%2DKCQ+DN&at=2026-06-30&&flag&org=second");
    EXPECT_EQ(target.path, "/api/v1/scope");
    ASSERT_EQ(target.query.size(), 4u);  // the empty pair between && is skipped
    EXPECT_EQ(target.get("org"), "HT-KCQ DN");  // the first of two
    EXPECT_EQ(target.get("at"), "2026-06-30");
    EXPECT_EQ(target.get("flag"), "");  // present without a value
    EXPECT_EQ(target.get("depth"), std::nullopt);
}

TEST(HttpTarget, an_encoded_separator_is_data_not_a_separator) {
    const Target target = parse_target("/x?name=a%26b%3Dc");
    ASSERT_EQ(target.query.size(), 1u);
    EXPECT_EQ(target.get("name"), "a&b=c");
}

TEST(HttpTarget, a_malformed_escape_is_kept_as_written) {
    EXPECT_EQ(parse_target("/a%zzb%4").path, "/a%zzb%4");
    EXPECT_EQ(parse_target("/x?v=100%").get("v"), "100%");
}

TEST(HttpTarget, no_query_is_an_empty_query) {
    const Target target = parse_target("/api/v1/health");
    EXPECT_EQ(target.path, "/api/v1/health");
    EXPECT_TRUE(target.query.empty());
}

TEST(HttpTarget, a_whole_number_parameter_is_read_or_refused_with_400) {
    EXPECT_EQ(integer_param(parse_target("/x?depth=3"), "depth"), 3);
    EXPECT_EQ(integer_param(parse_target("/x?since=-5"), "since"), -5);
    EXPECT_EQ(integer_param(parse_target("/x"), "depth"), std::nullopt);
    for (const char* bad : {"/x?depth=3x", "/x?depth=", "/x?depth=+3", "/x?depth=1.5", "/x?depth=99999999999999999999"}) {
        try {
            integer_param(parse_target(bad), "depth");
            ADD_FAILURE() << bad << " was accepted";
        } catch (const ServiceError& e) {
            EXPECT_EQ(e.status, 400) << bad;
            EXPECT_STREQ(e.what(), "depth must be a whole number") << bad;
        }
    }
}

TEST(HttpTarget, if_none_match_matches_any_tag_of_its_list_weak_or_not_or_a_star) {
    const std::string etag = "\"5-2-1-99991231\"";
    EXPECT_TRUE(etag_matches("\"5-2-1-99991231\"", etag));
    EXPECT_TRUE(etag_matches("W/\"5-2-1-99991231\"", etag));
    EXPECT_TRUE(etag_matches("\"4-2-1-99991231\", \t\"5-2-1-99991231\" ", etag));
    EXPECT_TRUE(etag_matches("*", etag));
    EXPECT_FALSE(etag_matches("\"4-2-1-99991231\"", etag));
    EXPECT_FALSE(etag_matches("5-2-1-99991231", etag));  // unquoted: not the same tag
    EXPECT_FALSE(etag_matches("\"5-2-1-99991231\"x", etag));
    EXPECT_FALSE(etag_matches("", etag));
    EXPECT_FALSE(etag_matches(",,", etag));
}

TEST(HttpTarget, header_words_compare_without_case_and_trim_blanks) {
    EXPECT_TRUE(iequals("Bearer", "bEARER"));
    EXPECT_FALSE(iequals("Bearer", "Bearers"));
    EXPECT_EQ(trim(" \t token \t"), "token");
    EXPECT_EQ(trim("   "), "");
}

}  // namespace
}  // namespace chiso::syncd
