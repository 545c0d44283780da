// kiosk_screens_test: the real chiso-kiosk proves what it shows and enrols by code. Started with a token, it sends
// its screen once its first frame with data is drawn, naming the revision and page the state file says it shows;
// when IT asks, a new one at the window's own size comes within 5 s. Started without one, it shows an enrolment
// code; a wrong code is refused; once IT enters the right one with a name and scope, it shows that scope's data,
// keeps its token beside its cache (owner-only), and a second start uses it without a new code.
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

std::string current_page_key(const json::object& state) {
    const auto index = state.at("currentPage").to_number<std::size_t>();
    const auto& pages = state.at("pages").as_array();
    return index < pages.size() ? std::string(pages[index].at("key").as_string()) : std::string();
}

class KioskScreens : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start({"--demo"});
        it = syncd.add_person("it-staff", "it");
    }
    std::unique_ptr<KioskProcess> kiosk(const std::string& name, const std::filesystem::path& token_file,
                                        std::vector<std::string> extra = {}) {
        std::filesystem::create_directories(syncd.folder() / name);
        std::vector<std::string> arguments{"--server", "http://127.0.0.1:" + std::to_string(syncd.port()),
                                           "--token-file", token_file.string(), "--cache",
                                           (syncd.folder() / name / "cache.db").string()};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        return std::make_unique<KioskProcess>(syncd.folder() / name, std::move(arguments));
    }
    // The device's latest screenshot once syncd has taken `count` in all (its metric, asked again as each answer
    // comes); nullopt when it has not within `limit`.
    std::optional<json::object> wait_for_screenshot(const std::string& device, double count,
                                                    std::chrono::milliseconds limit) const {
        if (!syncd.wait_for_metric("chiso_screenshots_total", count, limit)) return std::nullopt;
        const json::value all = json::parse(syncd.get("/api/v1/screenshots", it).body);  // bound: a range-for over a temporary dangles
        for (const auto& shot : all.at("screenshots").as_array())
            if (shot.at("device") == device.c_str()) return shot.as_object();
        return std::nullopt;
    }

    SyncdProcess syncd;
    std::string it;
};

TEST_F(KioskScreens, a_kiosk_sends_what_it_shows_and_a_new_one_at_full_size_when_it_asks) {
    const auto token_file = syncd.folder() / "hall.token";
    std::ofstream(token_file) << syncd.add_device("hall", "HT") << "\n";
    // Two pages turning every 20 s: the first screenshot, within seconds of the start, shows the first; the one
    // asked for shows the page on the screen then.
    auto hall = kiosk("hall", token_file, {"--pages", "overview,admission"});
    hall->start();
    const auto shown = hall->wait_for([](const auto& s) { return s.at("hasDocument").as_bool(); }, scaled(30s));
    ASSERT_TRUE(shown) << hall->log();

    const auto first = wait_for_screenshot("hall", 1, scaled(15s));
    ASSERT_TRUE(first) << hall->log();
    EXPECT_EQ(first->at("revision").to_number<std::int64_t>(), revision_of(*shown));
    EXPECT_EQ(first->at("width").to_number<int>(), 480);  // the periodic ones are small
    EXPECT_EQ(first->at("requested"), false);
    const auto state = hall->state();
    ASSERT_TRUE(state);
    std::cout << "[ proof    ] first screenshot: revision " << first->at("revision") << ", page "
              << first->at("page") << "; the kiosk shows revision " << revision_of(*state) << ", page "
              << current_page_key(*state) << "\n";
    EXPECT_EQ(first->at("page"), "overview");

    const auto asked_at = Clock::now();
    ASSERT_EQ(syncd.post("/api/v1/screenshot-request?device=hall", it, "").status, 202);
    const auto asked = wait_for_screenshot("hall", 2, scaled(5s));
    ASSERT_TRUE(asked) << hall->log();
    std::cout << "[ proof    ] asked → received in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked_at).count() << " ms\n";
    EXPECT_EQ(asked->at("requested"), true);
    EXPECT_EQ(asked->at("width").to_number<int>(), 800);  // the window's own size (--size 800x600)
    EXPECT_EQ(asked->at("height").to_number<int>(), 600);
    const auto now_shown = hall->state();
    EXPECT_EQ(asked->at("revision").to_number<std::int64_t>(), revision_of(*now_shown));
    EXPECT_EQ(asked->at("page"), current_page_key(*now_shown).c_str());
    const HttpResponse image = syncd.get("/api/v1/screenshot?id=" + std::to_string(asked->at("id").as_int64()), it);
    ASSERT_EQ(image.status, 200);
    EXPECT_EQ(image.body.substr(1, 3), "PNG");
}

TEST_F(KioskScreens, a_kiosk_without_a_token_shows_a_code_and_once_it_is_entered_shows_its_scope) {
    const auto missing = syncd.folder() / "no-such.token";
    auto room = kiosk("room", missing);
    room->start();
    const auto waiting = room->wait_for(
        [](const auto& s) { return !std::string(s.at("enrolmentCode").as_string()).empty(); }, scaled(15s));
    ASSERT_TRUE(waiting) << room->log();
    const std::string code(waiting->at("enrolmentCode").as_string());
    EXPECT_FALSE(waiting->at("hasDocument").as_bool());
    std::cout << "[ enrol    ] the screen shows " << code << "\n";

    auto claim = [&](const std::string& typed) {
        return syncd.post("/api/v1/enrolment/claim", it,
                          json::serialize(json::object{{"code", typed}, {"name", "room-1"}, {"org", "HT"}}));
    };
    const HttpResponse wrong = claim(code == "AAAA-AAAA" ? "BBBB-BBBB" : "AAAA-AAAA");
    EXPECT_EQ(wrong.status, 404);
    EXPECT_NE(wrong.body.find("no screen is waiting with this code"), std::string::npos) << wrong.body;

    const auto entered_at = Clock::now();
    ASSERT_EQ(claim(code).status, 201);
    const auto shown = room->wait_for(
        [](const auto& s) { return s.at("hasDocument").as_bool() && connection_of(s) == "Online"; }, scaled(15s));
    ASSERT_TRUE(shown) << room->log();
    std::cout << "[ enrol    ] code entered → data on the screen in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - entered_at).count() << " ms\n";
    EXPECT_EQ(std::string(shown->at("enrolmentCode").as_string()), "");
    EXPECT_EQ(tile_value(*shown, "overview", "members_total"), "8.408");  // the demo province's, HT

    const auto kept = syncd.folder() / "room" / "enrolled.token";
    struct stat info {};
    ASSERT_EQ(::stat(kept.c_str(), &info), 0) << room->log();
    EXPECT_EQ(info.st_mode & 0777, 0600);
    EXPECT_FALSE(std::filesystem::exists(missing));

    // Started again: the kept token, no new code.
    ASSERT_TRUE(room->stop());
    room->start();
    const auto again = room->wait_for([](const auto& s) { return connection_of(s) == "Online"; }, scaled(15s));
    ASSERT_TRUE(again) << room->log();
    EXPECT_EQ(std::string(again->at("enrolmentCode").as_string()), "");
    EXPECT_NE(room->log().find("received by enrolment"), std::string::npos) << room->log();
}

TEST_F(KioskScreens, a_token_file_that_is_there_but_cannot_be_read_is_said_and_never_enrolled_over) {
    const auto unreadable = syncd.folder() / "broken.token";
    std::filesystem::create_directories(unreadable);  // there, and no token can be read from it (as root too)
    auto room = kiosk("room", unreadable);
    room->start();
    const auto refused = room->wait_for([](const auto& s) { return connection_of(s) == "Unauthorized"; }, scaled(15s));
    ASSERT_TRUE(refused) << room->log();
    EXPECT_EQ(std::string(refused->at("enrolmentCode").as_string()), "");
    EXPECT_NE(room->log().find("until it can read its token"), std::string::npos) << room->log();
    EXPECT_EQ(room->log().find("enrolment code"), std::string::npos) << room->log();
}

}  // namespace
}  // namespace chiso::test
