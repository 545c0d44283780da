// kiosk_settings_test: display settings from the server reach the real chiso-kiosk while it runs. IT changes a
// group's pages, dwell, theme and language; each kiosk of the group shows them within 5 s (its --state-file),
// without a restart, and a kiosk outside the group is unchanged; a page pinned to one screen is shown alone; a
// kiosk started again with the server gone shows the settings it last received, from its cache.
#include "kiosk_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

namespace chiso::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

std::vector<std::string> page_keys(const json::object& state) {
    std::vector<std::string> keys;
    for (const auto& page : state.at("pages").as_array()) keys.emplace_back(page.at("key").as_string());
    return keys;
}

std::string setting(const json::object& state, const char* key) {
    const json::value& value = state.at("settings").at(key);
    return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

class KioskSettings : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start({"--demo"});
        it = syncd.add_person("it-staff", "it");
        for (const char* name : {"hall-1", "office"}) {
            const auto token_file = syncd.folder() / (std::string(name) + ".token");
            std::ofstream(token_file) << syncd.add_device(name, "HT") << "\n";
            std::filesystem::create_directories(syncd.folder() / name);
            kiosks.emplace_back(std::make_unique<KioskProcess>(
                syncd.folder() / name,
                std::vector<std::string>{"--server", "http://127.0.0.1:" + std::to_string(syncd.port()),
                                         "--token-file", token_file.string(), "--cache",
                                         (syncd.folder() / name / "cache.db").string()}));
        }
        ASSERT_EQ(put("/api/v1/groups?device=hall-1", R"(["hall"])"), 204);
        for (auto& kiosk : kiosks) kiosk->start();
        for (auto& kiosk : kiosks) {
            // Online, with the settings the server has for it (none yet: its tag is the empty object's).
            auto ready = kiosk->wait_for(
                [](const auto& s) { return connection_of(s) == "Online" && setting(s, "tag") != ""; }, scaled(30s));
            ASSERT_TRUE(ready) << kiosk->log();
            before.push_back(*ready);
        }
    }
    void TearDown() override {
        for (auto& kiosk : kiosks) EXPECT_TRUE(kiosk->stop()) << kiosk->log();
        syncd.stop();
    }
    int put(const std::string& target, const std::string& body) const {
        return syncd.send("PUT", target, it, body).status;
    }

    SyncdProcess syncd;
    std::string it;
    std::vector<std::unique_ptr<KioskProcess>> kiosks;
    std::vector<json::object> before;
};

TEST_F(KioskSettings, a_groups_settings_reach_its_kiosks_within_seconds_and_no_other) {
    KioskProcess& hall = *kiosks[0];
    KioskProcess& office = *kiosks[1];
    EXPECT_EQ(page_keys(before[0]), (std::vector<std::string>{"overview", "membership", "admission", "discipline",
                                                              "rating", "cadres"}));
    const auto changed = Clock::now();
    ASSERT_EQ(put("/api/v1/settings?group=hall", R"({"pages": ["admission", "overview"], "dwell_seconds": 7,
                                                     "theme": "light", "language": "en"})"),
              200);
    auto taken = hall.wait_for(
        [](const auto& s) { return page_keys(s) == std::vector<std::string>{"admission", "overview"}; }, scaled(5s));
    ASSERT_TRUE(taken) << hall.log();
    std::cout << "[ settings ] PUT group settings → on the kiosk's screen in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - changed).count() << " ms\n";
    EXPECT_EQ(setting(*taken, "dwellSeconds"), "7");
    EXPECT_EQ(setting(*taken, "theme"), "light");
    EXPECT_EQ(setting(*taken, "language"), "en");
    EXPECT_NE(setting(*taken, "tag"), setting(before[0], "tag"));
    EXPECT_EQ(tile_value(*taken, "overview", "members_total"), "8,408");  // in English now
    EXPECT_EQ(revision_of(*taken), revision_of(before[0]));
    EXPECT_TRUE(hall.running());

    // The office is in no group: nothing changed there.
    const auto office_now = office.state();
    ASSERT_TRUE(office_now);
    EXPECT_EQ(page_keys(*office_now), page_keys(before[1]));
    EXPECT_EQ(setting(*office_now, "tag"), setting(before[1], "tag"));
    EXPECT_EQ(tile_value(*office_now, "overview", "members_total"), "8.408");

    // One screen's own setting over its group's: a page pinned to it is shown alone.
    ASSERT_EQ(put("/api/v1/settings?device=hall-1", R"({"pin_page": "admission"})"), 200);
    auto pinned = hall.wait_for(
        [](const auto& s) { return page_keys(s) == std::vector<std::string>{"admission"}; }, scaled(5s));
    ASSERT_TRUE(pinned) << hall.log();
    EXPECT_EQ(setting(*pinned, "pinPage"), "admission");

    // Started again with the server gone, the kiosk shows the settings it last received.
    syncd.stop();
    ASSERT_TRUE(hall.stop());
    hall.start();
    auto offline = hall.wait_for([](const auto& s) { return s.at("hasDocument").as_bool(); }, scaled(30s));
    ASSERT_TRUE(offline) << hall.log();
    EXPECT_EQ(page_keys(*offline), std::vector<std::string>{"admission"});
    EXPECT_EQ(setting(*offline, "theme"), "light");
    EXPECT_EQ(setting(*offline, "tag"), setting(*pinned, "tag"));
    EXPECT_NE(connection_of(*offline), "Online");
}

// IT sets a screen to a review for a conference and back: the kiosk asks for the review's figures at once (a
// long-poll held for the figures before is ended), and every page shows the review.
TEST_F(KioskSettings, a_review_set_from_the_console_is_on_the_screen_within_seconds_and_taken_back) {
    KioskProcess& hall = *kiosks[0];
    EXPECT_EQ(before[0].at("review").as_string(), "");
    const auto changed = Clock::now();
    ASSERT_EQ(put("/api/v1/settings?device=hall-1", R"({"review": "2015-09..2019-06"})"), 200);
    auto reviewed = hall.wait_for(
        [](const auto& s) { return !s.at("review").as_string().empty(); }, scaled(5s));
    ASSERT_TRUE(reviewed) << hall.log();
    std::cout << "[ settings ] PUT a review → on the kiosk's screen in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - changed).count() << " ms\n";
    EXPECT_EQ(reviewed->at("review").as_string(), "Nhiệm kỳ 2015–2020: 9/2015 – 6/2019 · số liệu đến 30/6/2019");
    EXPECT_EQ(setting(*reviewed, "review"), "2015-09..2019-06");
    EXPECT_EQ(tile_value(*reviewed, "overview", "admissions"), "1.534");
    EXPECT_EQ(tile_value(*reviewed, "overview", "members_total"), "7.841");  // the bloc's members at 30/6/2019

    // A review the server cannot show: the screen keeps what it showed, online, and says why (its log too).
    ASSERT_EQ(put("/api/v1/settings?device=hall-1", R"({"review": "2031"})"), 200);
    ASSERT_TRUE(wait_for_text(hall.log_file(), "the review 2031 begins after the latest figures", scaled(5s),
                              hall.pid()))
        << hall.log();
    auto refused = hall.state();
    ASSERT_TRUE(refused);
    EXPECT_EQ(connection_of(*refused), "Online");
    EXPECT_EQ(tile_value(*refused, "overview", "admissions"), "1.534");  // the review before, as it was

    ASSERT_EQ(put("/api/v1/settings?device=hall-1", R"({"review": ""})"), 200);
    auto back = hall.wait_for([](const auto& s) { return s.at("review").as_string().empty(); }, scaled(5s));
    ASSERT_TRUE(back) << hall.log();
    EXPECT_EQ(tile_value(*back, "overview", "members_total"), "8.408");
    EXPECT_EQ(back->at("asOf").as_string(), before[0].at("asOf").as_string());
    EXPECT_EQ(connection_of(*back), "Online");
}

}  // namespace
}  // namespace chiso::test
