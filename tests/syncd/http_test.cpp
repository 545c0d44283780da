// The HTTP front as a client meets it: unknown routes and methods, oversized requests, metrics, keep-alive,
// a graceful stop, and a configuration file with a mistake in it.
#include "support/syncd_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>

namespace chiso::test {
namespace json = boost::json;

class SyncdHttp : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
    }
    void TearDown() override { syncd.stop(); }
    SyncdProcess syncd;
};

TEST_F(SyncdHttp, unknown_routes_are_404_and_wrong_methods_405_with_a_json_reason) {
    HttpResponse missing = syncd.get("/api/v1/nothing", syncd.admin_token());
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(json::parse(missing.body).as_object().contains("error"));
    HttpResponse wrong = syncd.post("/api/v1/scope?org=R", syncd.admin_token(), "");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_FALSE(wrong.header("allow").empty());
}

TEST_F(SyncdHttp, bad_scope_parameters_are_400) {
    EXPECT_EQ(syncd.get("/api/v1/scope?org=R&depth=x", syncd.admin_token()).status, 400);
    EXPECT_EQ(syncd.get("/api/v1/scope?org=R&at=2019-H3", syncd.admin_token()).status, 400);
    EXPECT_EQ(syncd.get("/api/v1/scope", syncd.admin_token()).status, 400);  // an admin must name the organisation
}

TEST_F(SyncdHttp, an_oversized_body_is_413_and_changes_nothing) {
    std::string big(100 * 1024, 'x');  // heartbeats are limited to 64 KiB
    std::string device = syncd.add_device("room-c", "U1");
    EXPECT_EQ(syncd.post("/api/v1/heartbeat", device, big).status, 413);
    HttpResponse health = syncd.get("/api/v1/health", "");
    EXPECT_EQ(json::parse(health.body).at("revision").as_int64(), 4);
}

TEST_F(SyncdHttp, oversized_headers_are_refused) {
    HttpResponse response = syncd.get("/api/v1/health", "", {{"X-Padding", std::string(32 * 1024, 'a')}});
    EXPECT_EQ(response.status, 431);
}

TEST_F(SyncdHttp, metrics_count_requests_imports_and_the_revision) {
    syncd.get("/api/v1/health", "");
    syncd.import("values", "org,indicator,period,value\nB2,admissions,2026-10,-1\n");
    std::string metrics = syncd.get("/metrics", "").body;
    EXPECT_NE(metrics.find("chiso_revision 4"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("chiso_imports_total{result=\"applied\"} 4"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("chiso_imports_total{result=\"rejected\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("chiso_http_requests_total{"), std::string::npos);
}

TEST_F(SyncdHttp, one_connection_serves_many_requests) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(syncd.port())});
    for (int i = 0; i < 20; ++i) {
        http::request<http::empty_body> request{http::verb::get, "/api/v1/health", 11};
        request.set(http::field::host, "127.0.0.1");
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        ASSERT_EQ(response.result_int(), 200u);
        ASSERT_TRUE(response.keep_alive());
    }
}

TEST(SyncdConfig, a_configuration_file_with_an_unknown_key_stops_the_service_naming_the_key) {
    SyncdProcess syncd;
    auto file = syncd.folder() / "chiso-syncd.toml";
    std::ofstream(file) << "[server]\nprot = 8470\n";
    EXPECT_THROW(syncd.start({"--config", file.string()}), std::runtime_error);
    EXPECT_NE(read_file(syncd.folder() / "syncd.log").find("unknown key 'server.prot'"), std::string::npos);
}

TEST(SyncdConfig, the_shipped_configuration_file_is_valid) {
    SyncdProcess syncd;
    // Its database path is /var/lib/chiso; --db overrides it, as a flag overrides any key.
    syncd.start({"--config", std::string(CHISO_DEMO_DIR) + "/../config/chiso-syncd.toml"});
    EXPECT_EQ(syncd.get("/api/v1/health", "").status, 200);
    syncd.stop();
}

}  // namespace chiso::test
