// kiosk_rules_test: the kiosk's Qt-free rules — its configuration (a clear error for every bad key, nothing
// half-applied), the display schedule, staleness, the pixel shift, how pages are arranged on any screen, the
// value axes' ticks and the header's and footer's texts.
#include "chart_axis.hpp"
#include "clock_text.hpp"
#include "display_card.hpp"
#include "kiosk/config.hpp"
#include "dashboard/dashboard.hpp"
#include "kiosk/display_rules.hpp"
#include "page_plan.hpp"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

namespace chiso::kiosk {
namespace {

class ConfigFile : public ::testing::Test {
protected:
    std::filesystem::path write(const std::string& text) {
        path_ = std::filesystem::temp_directory_path() /
                ("chiso-kiosk-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
        std::ofstream(path_) << text;
        return path_;
    }
    void TearDown() override { std::filesystem::remove(path_); }
    std::string error_of(const std::string& text) {
        try {
            load_config(write(text));
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "no error";
    }
    std::filesystem::path path_;
};

TEST_F(ConfigFile, DefaultsAreASensibleScreen) {
    const KioskConfig config = load_config(write(""));
    EXPECT_EQ(config.server, "http://127.0.0.1:8470");
    EXPECT_EQ(config.depth, 1);
    EXPECT_TRUE(config.pages.empty());  // every page
    EXPECT_EQ(config.dwell_seconds, 20);
    EXPECT_EQ(config.language, dashboard::Language::vi);
    EXPECT_EQ(config.rotation, 0);
    EXPECT_TRUE(config.pixel_shift);
    EXPECT_EQ(config.stale_minutes, 120);
    EXPECT_TRUE(config.schedule.always_on);
}

TEST_F(ConfigFile, TheDocumentedFileHoldsTheDefaults) {
    const KioskConfig documented = load_config(CHISO_KIOSK_CONFIG_FILE), defaults;
    EXPECT_EQ(documented.server, defaults.server);
    EXPECT_EQ(documented.token_file, defaults.token_file);
    EXPECT_EQ(documented.ca_file, defaults.ca_file);
    EXPECT_EQ(documented.org, defaults.org);
    EXPECT_EQ(documented.depth, defaults.depth);
    EXPECT_EQ(documented.pages, dashboard::all_pages());  // every page, written out
    EXPECT_EQ(documented.dwell_seconds, defaults.dwell_seconds);
    EXPECT_EQ(documented.language, defaults.language);
    EXPECT_EQ(documented.theme, defaults.theme);
    EXPECT_EQ(documented.rotation, defaults.rotation);
    EXPECT_EQ(documented.pixel_shift, defaults.pixel_shift);
    EXPECT_EQ(documented.stale_minutes, defaults.stale_minutes);
    EXPECT_EQ(documented.renderer, defaults.renderer);
    EXPECT_TRUE(documented.schedule.always_on);
    EXPECT_EQ(documented.cache, defaults.cache);
}

TEST_F(ConfigFile, EveryKeyIsRead) {
    const KioskConfig config = load_config(write(R"(
[server]
url = "https://10.0.0.5:8470"
token_file = "/etc/chiso/room-a.token"
ca_file = "/etc/chiso/ca.pem"
[scope]
org = "HT-UBND"
depth = 2
[display]
pages = ["admission", "overview"]
dwell_seconds = 30
language = "en"
theme = "light"
rotation = 270
pixel_shift = false
stale_minutes = 45
renderer = "software"
[schedule]
on = "07:30"
off = "18:00"
days = ["mon", "tue", "wed", "thu", "fri"]
[cache]
path = "/var/lib/chiso-kiosk/room-a.db"
)"));
    EXPECT_EQ(config.server, "https://10.0.0.5:8470");
    EXPECT_EQ(config.token_file, "/etc/chiso/room-a.token");
    EXPECT_EQ(config.ca_file, "/etc/chiso/ca.pem");
    EXPECT_EQ(config.org, "HT-UBND");
    EXPECT_EQ(config.depth, 2);
    EXPECT_EQ(config.pages, (std::vector<std::string>{"admission", "overview"}));
    EXPECT_EQ(config.dwell_seconds, 30);
    EXPECT_EQ(config.language, dashboard::Language::en);
    EXPECT_EQ(config.theme, Theme::light);
    EXPECT_EQ(config.rotation, 270);
    EXPECT_FALSE(config.pixel_shift);
    EXPECT_EQ(config.stale_minutes, 45);
    EXPECT_EQ(config.renderer, Renderer::software);
    EXPECT_FALSE(config.schedule.always_on);
    EXPECT_EQ(config.schedule.on, 7 * 60 + 30);
    EXPECT_EQ(config.schedule.off, 18 * 60);
    EXPECT_TRUE(config.schedule.days[4]);
    EXPECT_FALSE(config.schedule.days[5]);
    EXPECT_EQ(config.cache, "/var/lib/chiso-kiosk/room-a.db");
}

TEST_F(ConfigFile, AnUnknownKeyIsAnErrorThatNamesItAndWhere) {
    EXPECT_NE(error_of("[display]\ndwell = 10\n").find(".toml:2:9: unknown key 'display.dwell'"), std::string::npos)
        << error_of("[display]\ndwell = 10\n");
    EXPECT_NE(error_of("[screen]\nrotation = 90\n").find("unknown key 'screen'"), std::string::npos);
}

TEST_F(ConfigFile, ABadValueIsAnErrorThatSaysWhatWouldDo) {
    EXPECT_NE(error_of("[display]\nrotation = 45\n").find("'display.rotation' must be 0, 90, 180 or 270"),
              std::string::npos);
    EXPECT_NE(error_of("[display]\nlanguage = \"fr\"\n").find("'display.language' must be \"vi\" or \"en\""),
              std::string::npos);
    EXPECT_NE(error_of("[display]\ntheme = 1\n").find("'display.theme' must be a string"), std::string::npos);
    EXPECT_NE(error_of("[display]\nrenderer = \"vulkan\"\n")
                  .find("'display.renderer' must be \"auto\", \"opengl\" or \"software\""),
              std::string::npos);
    EXPECT_NE(error_of("[display]\npages = [\"overview\", \"finance\"]\n").find("unknown page 'finance'"),
              std::string::npos);
    EXPECT_NE(error_of("[display]\npages = [\"overview\", \"overview\"]\n").find("listed twice"), std::string::npos);
    EXPECT_NE(error_of("[server]\nurl = \"ftp://x\"\n").find("must be an http:// or https:// URL"), std::string::npos);
    EXPECT_NE(error_of("[server]\nca_file = \"\"\n").find("'server.ca_file' must name a file"), std::string::npos);
    EXPECT_NE(error_of("[schedule]\non = \"7h\"\n").find("'schedule.on' must be a time \"HH:MM\""), std::string::npos);
    EXPECT_NE(error_of("[schedule]\ndays = [\"monday\"]\n").find("unknown day 'monday'"), std::string::npos);
    EXPECT_NE(error_of("[scope]\ndepth = 9\n").find("'scope.depth' must be between 0 and 8"), std::string::npos);
    EXPECT_NE(error_of("[display\n").find(":1:"), std::string::npos);  // a syntax error says where
}

TEST(Schedule, ScreenIsOnDuringItsHoursOnItsDays) {
    DisplaySchedule weekdays;
    weekdays.always_on = false;
    weekdays.on = 7 * 60;
    weekdays.off = 19 * 60;
    weekdays.days = {true, true, true, true, true, false, false};
    EXPECT_TRUE(screen_on(weekdays, 0, 7 * 60));           // Monday 07:00
    EXPECT_TRUE(screen_on(weekdays, 4, 18 * 60 + 59));     // Friday 18:59
    EXPECT_FALSE(screen_on(weekdays, 4, 19 * 60));         // Friday 19:00
    EXPECT_FALSE(screen_on(weekdays, 2, 6 * 60 + 59));     // Wednesday 06:59
    EXPECT_FALSE(screen_on(weekdays, 5, 10 * 60));         // Saturday
    EXPECT_TRUE(screen_on(DisplaySchedule{}, 6, 3 * 60));  // no schedule: always on
}

TEST(Schedule, AnOvernightScheduleBelongsToTheDayItStarts) {
    DisplaySchedule night;  // a control room: 22:00 to 06:00, starting Monday to Friday
    night.always_on = false;
    night.on = 22 * 60;
    night.off = 6 * 60;
    night.days = {true, true, true, true, true, false, false};
    EXPECT_TRUE(screen_on(night, 4, 23 * 60));   // Friday 23:00
    EXPECT_TRUE(screen_on(night, 5, 5 * 60));    // Saturday 05:00, the Friday night
    EXPECT_FALSE(screen_on(night, 6, 5 * 60));   // Sunday 05:00: Saturday night is off
    EXPECT_TRUE(screen_on(night, 0, 23 * 60));   // Monday 23:00
    EXPECT_FALSE(screen_on(night, 0, 5 * 60));   // Monday 05:00: Sunday night is off
    EXPECT_FALSE(screen_on(night, 2, 12 * 60));  // midday
}

TEST(Schedule, TimesAndDaysParseStrictly) {
    EXPECT_EQ(parse_clock_time("07:00"), 420);
    EXPECT_EQ(parse_clock_time("7:05"), 425);
    EXPECT_EQ(parse_clock_time("23:59"), 1439);
    EXPECT_FALSE(parse_clock_time("24:00"));
    EXPECT_FALSE(parse_clock_time("07:60"));
    EXPECT_FALSE(parse_clock_time("0700"));
    EXPECT_FALSE(parse_clock_time("07:0"));
    EXPECT_EQ(parse_weekday("sun"), 6);
    EXPECT_FALSE(parse_weekday("Sun"));
}

TEST(Renderer, AutoTakesTheGpuWhereThereIsOneAndTheCpuElse) {
    EXPECT_EQ(choose_renderer(Renderer::automatic, true), Renderer::opengl);
    EXPECT_EQ(choose_renderer(Renderer::automatic, false), Renderer::software);
    EXPECT_EQ(choose_renderer(Renderer::opengl, false), Renderer::opengl);  // configured: as said
    EXPECT_EQ(choose_renderer(Renderer::software, true), Renderer::software);
    EXPECT_EQ(KioskConfig{}.renderer, Renderer::automatic);
}

// A directory laid out as /sys/class/drm is (a stand-in: the test machine's own cards are not ours to choose).
TEST(DisplayCard, TheCardADisplayIsConnectedTo) {
    const auto root = std::filesystem::temp_directory_path() / ("chiso-drm-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    const auto connector = [&](const std::string& name, const std::string& status) {
        std::filesystem::create_directories(root / name);
        std::ofstream(root / name / "status") << status << "\n";
    };
    const QString sysfs = QString::fromStdString(root.string());
    EXPECT_EQ(connected_card(sysfs), QString());  // nothing there
    std::filesystem::create_directories(root / "card0");  // a 3D engine: a card with no connector
    std::filesystem::create_directories(root / "renderD128");
    EXPECT_EQ(connected_card(sysfs), QString());  // a 3D engine only: Qt chooses
    connector("card1-HDMI-A-1", "disconnected");
    connector("card1-HDMI-A-2", "unknown");
    EXPECT_EQ(connected_card(sysfs), QStringLiteral("/dev/dri/card1"));  // the screen off: still the controller
    connector("card2-Virtual-1", "connected");
    EXPECT_EQ(connected_card(sysfs), QStringLiteral("/dev/dri/card2"));
    connector("card1-HDMI-A-2", "connected");
    EXPECT_EQ(connected_card(sysfs), QStringLiteral("/dev/dri/card1"));  // the lowest of two
    std::filesystem::remove_all(root);
}

TEST(DisplayCard, TheConfigKeepsItsOutputsAndGainsTheDevice) {
    const QByteArray config = R"({"hwcursor": false, "outputs": [{"name": "HDMI1", "mode": "1920x1080"}]})";
    const auto chosen = QJsonDocument::fromJson(config_with_device(config, QStringLiteral("/dev/dri/card1")));
    EXPECT_EQ(chosen["device"].toString(), QStringLiteral("/dev/dri/card1"));
    EXPECT_EQ(chosen["outputs"][0]["mode"].toString(), QStringLiteral("1920x1080"));
    EXPECT_EQ(chosen["hwcursor"].toBool(true), false);
    EXPECT_EQ(QJsonDocument::fromJson(config_with_device("", QStringLiteral("/dev/dri/card0")))["device"].toString(),
              QStringLiteral("/dev/dri/card0"));
    EXPECT_TRUE(config_with_device("[1, 2]", QStringLiteral("/dev/dri/card0")).isEmpty());
    EXPECT_TRUE(config_with_device("{not json", QStringLiteral("/dev/dri/card0")).isEmpty());
}

TEST(Staleness, DataIsStaleOnlyPastTheThreshold) {
    EXPECT_FALSE(is_stale(0, 120));
    EXPECT_FALSE(is_stale(120 * 60, 120));
    EXPECT_TRUE(is_stale(120 * 60 + 1, 120));
    EXPECT_TRUE(is_stale(3 * 24 * 3600, 120));
}

TEST(PixelShift, WalksRoundASmallSquareAndComesBack) {
    std::set<std::pair<int, int>> seen;
    for (int step = 0; step < 32; ++step) {
        const PixelOffset offset = pixel_shift(step, 4);
        EXPECT_LE(std::abs(offset.x), 4);
        EXPECT_LE(std::abs(offset.y), 4);
        if (step > 0) {  // one pixel a step
            const PixelOffset before = pixel_shift(step - 1, 4);
            EXPECT_EQ(std::abs(offset.x - before.x) + std::abs(offset.y - before.y), 1) << step;
        }
        seen.insert({offset.x, offset.y});
    }
    EXPECT_EQ(seen.size(), 32u);
    EXPECT_EQ(pixel_shift(32, 4).x, pixel_shift(0, 4).x);
    EXPECT_EQ(pixel_shift(32, 4).y, pixel_shift(0, 4).y);
    EXPECT_EQ(pixel_shift(7, 0).x, 0);
}

TEST(PagePlan, RowsAreAsEvenAsPossible) {
    EXPECT_EQ(balanced_rows(9, 5), (std::vector<int>{5, 4}));
    EXPECT_EQ(balanced_rows(5, 3), (std::vector<int>{3, 2}));
    EXPECT_EQ(balanced_rows(8, 4), (std::vector<int>{4, 4}));
    EXPECT_EQ(balanced_rows(3, 3), (std::vector<int>{3}));
    EXPECT_TRUE(balanced_rows(0, 3).empty());
}

TEST(PagePlan, LandscapeAndPortraitArrangeTheSamePageDifferently) {
    // The overview: eight tiles and nothing else fill the screen, four by two (portrait: two by four).
    EXPECT_EQ(plan_page(8, 0, false).tile_rows, (std::vector<int>{4, 4}));
    EXPECT_EQ(plan_page(8, 0, true).tile_rows, (std::vector<int>{2, 2, 2, 2}));
    // Discipline: nine tiles and five charts.
    EXPECT_EQ(plan_page(9, 5, false).tile_rows, (std::vector<int>{9}));
    EXPECT_EQ(plan_page(9, 5, false).panel_rows, (std::vector<int>{3, 2}));
    EXPECT_EQ(plan_page(9, 5, true).tile_rows, (std::vector<int>{3, 3, 3}));
    EXPECT_EQ(plan_page(9, 5, true).panel_rows, (std::vector<int>{2, 2, 1}));
    // Admission: eight tiles, three charts and a list.
    EXPECT_EQ(plan_page(8, 4, false).panel_rows, (std::vector<int>{2, 2}));
    EXPECT_EQ(plan_page(8, 4, true).tile_rows, (std::vector<int>{4, 4}));
}

TEST(PagePlan, TypeScalesWithTheScreenEitherWayRound) {
    EXPECT_DOUBLE_EQ(screen_unit(1920, 1080), 1.0);
    EXPECT_DOUBLE_EQ(screen_unit(1080, 1920), 1.0);
    EXPECT_DOUBLE_EQ(screen_unit(3840, 2160), 2.0);
    EXPECT_NEAR(screen_unit(1366, 768), 0.711, 0.001);
}

TEST(AxisTicks, BarsStartAtZeroOnRoundSteps) {
    const AxisTicks ticks = nice_ticks(12, 7841, true, true, 5);
    EXPECT_EQ(ticks.min, 0);
    EXPECT_EQ(ticks.step, 2000);
    EXPECT_EQ(ticks.max, 8000);
    EXPECT_EQ(ticks.values, (std::vector<double>{0, 2000, 4000, 6000, 8000}));
}

TEST(AxisTicks, LinesHugTheirDataAndCountsNeverStepByAFraction) {
    const AxisTicks members = nice_ticks(7793, 8408, false, true, 4);
    EXPECT_LT(members.min, 7793);
    EXPECT_GT(members.min, 7000);
    EXPECT_GE(members.max, 8408);
    const AxisTicks few = nice_ticks(0, 3, true, true, 5);
    EXPECT_EQ(few.step, 1);
    const AxisTicks counts = nice_ticks(0, 11, true, true, 5);
    EXPECT_EQ(counts.step, 5);  // 2.5 would be the nearest, but a count never steps by a fraction
    EXPECT_EQ(counts.max, 15);
    EXPECT_EQ(nice_ticks(0, 11, true, true, 6).step, 2);
    const AxisTicks big = nice_ticks(0, 120, true, true, 5);
    EXPECT_EQ(big.step, 25);
    const AxisTicks empty = nice_ticks(0, 0, true, true, 5);
    EXPECT_GT(empty.max, empty.min);
}

TEST(ClockText, TheHeaderAndFooterReadInTheScreensLanguage) {
    const dashboard::Formatter vi(dashboard::Language::vi), en(dashboard::Language::en);
    EXPECT_EQ(date_text(vi, 20261123, 0), "Thứ Hai, 23/11/2026");
    EXPECT_EQ(date_text(vi, 20261122, 6), "Chủ Nhật, 22/11/2026");
    EXPECT_EQ(date_text(en, 20261123, 0), "Monday, 23/11/2026");
    EXPECT_EQ(time_text(7 * 60 + 5), "07:05");
    EXPECT_EQ(time_text(23 * 60 + 59), "23:59");
    EXPECT_EQ(as_of_text(vi, "31/10/2026"), "Số liệu đến 31/10/2026");
    EXPECT_EQ(last_sync_text(vi, 0, 1000), "Chưa đồng bộ");
    EXPECT_EQ(last_sync_text(vi, 1000, 1030), "Vừa đồng bộ");
    EXPECT_EQ(last_sync_text(vi, 1000, 1000 + 120), "Đồng bộ 2 phút trước");
    EXPECT_EQ(last_sync_text(en, 1000, 1000 + 3 * 3600), "Synced 3 hours ago");
    EXPECT_EQ(stale_text(vi, 3 * 3600 + 600, "http://10.0.0.5:8470"),
              "Số liệu chưa được cập nhật 3 giờ 10 phút — đang thử kết nối lại http://10.0.0.5:8470");
    EXPECT_EQ(waiting_text(vi, "http://10.0.0.5:8470"), "Đang chờ dữ liệu lần đầu từ http://10.0.0.5:8470");
}

}  // namespace
}  // namespace chiso::kiosk
