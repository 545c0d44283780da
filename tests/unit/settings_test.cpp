// Display settings as the kiosk and syncd both read them (kiosk/settings.hpp): the rules of the kiosk's own file,
// the merge of layers, and how they lie over the file's configuration.
#include "kiosk/settings.hpp"

#include <gtest/gtest.h>

namespace chiso::kiosk {

TEST(DisplaySettings, every_key_is_read_with_the_rules_of_the_kiosk_file) {
    const DisplaySettings s = parse_settings(R"({"pages": ["admission", "overview"], "dwell_seconds": 30,
        "language": "en", "theme": "light", "rotation": 270, "pixel_shift": false, "stale_minutes": 15,
        "pin_page": "rating", "schedule": {"on": "22:00", "off": "06:00", "days": ["sat", "sun"]}})");
    EXPECT_EQ(*s.pages, (std::vector<std::string>{"admission", "overview"}));
    EXPECT_EQ(*s.dwell_seconds, 30);
    EXPECT_EQ(*s.language, dashboard::Language::en);
    EXPECT_EQ(*s.theme, Theme::light);
    EXPECT_EQ(*s.rotation, 270);
    EXPECT_FALSE(*s.pixel_shift);
    EXPECT_EQ(*s.stale_minutes, 15);
    EXPECT_EQ(*s.pin_page, "rating");
    EXPECT_FALSE(s.schedule->always_on);
    EXPECT_EQ(s.schedule->on, 22 * 60);
    EXPECT_EQ(s.schedule->off, 6 * 60);
    EXPECT_EQ(s.schedule->days, (std::array<bool, 7>{false, false, false, false, false, true, true}));
    EXPECT_TRUE(parse_settings(R"({"schedule": "always"})").schedule->always_on);
    EXPECT_EQ(*parse_settings(R"({"review": "2015-09..2019-06"})").review, "2015-09..2019-06");
    EXPECT_EQ(*parse_settings(R"({"review": "2015-2020"})").review, "2015-2020");
    EXPECT_EQ(*parse_settings(R"({"review": ""})").review, "");  // back to the latest figures
    EXPECT_FALSE(parse_settings("{}").pages.has_value());
}

TEST(DisplaySettings, a_value_the_kiosk_would_refuse_names_the_key_and_why) {
    auto reason = [](const std::string& json) {
        try {
            parse_settings(json);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(reason(R"({"dwell_seconds": 2})"), "'dwell_seconds' must be 3 to 3600 (found 2)");
    EXPECT_EQ(reason(R"({"dwell_seconds": "20"})"), "'dwell_seconds' must be a whole number from 3 to 3600");
    EXPECT_EQ(reason(R"({"dwell_seconds": 1e3})"), "'dwell_seconds' must be a whole number from 3 to 3600");
    EXPECT_EQ(reason(R"({"stale_minutes": 99999999999999999999})"),
              "'stale_minutes' must be a whole number from 1 to 10080");
    EXPECT_EQ(reason(R"({"pages": []})"), "'pages' must list at least one page");
    EXPECT_NE(reason(R"({"pages": ["overview", "overview"]})").find("listed twice"), std::string::npos);
    EXPECT_NE(reason(R"({"pin_page": "weather"})").find("unknown page 'weather'"), std::string::npos);
    EXPECT_EQ(reason(R"({"language": "fr"})"), "'language' must be \"vi\" or \"en\"");
    EXPECT_EQ(reason(R"({"schedule": {"days": ["mon", "someday"]}})"),
              "'schedule.days': unknown day 'someday'; use mon, tue, wed, thu, fri, sat, sun");
    EXPECT_NE(reason(R"({"schedule": {"at": "07:00"}})").find("unknown key 'schedule.at'"), std::string::npos);
    EXPECT_NE(reason(R"({"renderer": "software"})").find("unknown setting 'renderer'"), std::string::npos);
    EXPECT_EQ(reason(R"({"review": "2019-06..2015-09"})"),
              "'review' must be a period such as \"2019-H1\", \"2019\", \"2015-2020\" or \"2015-09..2019-06\" "
              "(found \"2019-06..2015-09\")");
    EXPECT_NE(reason(R"({"review": 2019})").find("'review' must be a text"), std::string::npos);
    EXPECT_EQ(reason("[1]"), "settings must be a JSON object");
    EXPECT_EQ(reason("{\"theme\": \"dark\""), "settings must be a JSON object");
    EXPECT_NE(reason(std::string(kMaxSettingsBytes + 1, ' ')).find("at most 16384 bytes"), std::string::npos);
}

TEST(DisplaySettings, later_layers_take_the_place_of_earlier_keys_and_a_schedule_is_replaced_whole) {
    const std::string merged = merge_settings({R"({"dwell_seconds": 20, "schedule": {"on": "07:00", "days": ["mon"]}})",
                                               R"({"schedule": {"off": "17:00"}})", R"({"dwell_seconds": 45})"});
    EXPECT_EQ(merged, R"({"dwell_seconds":45,"schedule":{"off":"17:00"}})");
    EXPECT_EQ(merge_settings({"{}", "{}"}), "{}");
}

TEST(DisplaySettings, what_is_set_takes_the_place_of_the_file_and_a_pinned_page_is_shown_alone) {
    KioskConfig file;
    file.pages = {"overview", "membership"};
    file.dwell_seconds = 20;
    file.server = "https://chiso.example.vn";
    const KioskConfig applied = with_settings(file, parse_settings(R"({"dwell_seconds": 60, "theme": "light"})"));
    EXPECT_EQ(applied.dwell_seconds, 60);
    EXPECT_EQ(applied.theme, Theme::light);
    EXPECT_EQ(applied.pages, file.pages);
    EXPECT_EQ(applied.server, file.server);
    EXPECT_EQ(shown_pages(applied), file.pages);
    const KioskConfig pinned = with_settings(file, parse_settings(R"({"pin_page": "admission"})"));
    EXPECT_EQ(shown_pages(pinned), std::vector<std::string>{"admission"});
    EXPECT_EQ(shown_pages(with_settings(pinned, parse_settings(R"({"pin_page": ""})"))), file.pages);
}

}  // namespace chiso::kiosk
