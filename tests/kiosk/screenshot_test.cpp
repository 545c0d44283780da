// kiosk_screenshot_test: the real chiso-kiosk, against a real chiso-syncd serving the demo, draws every page
// offscreen at 1920×1080 and at 1080×1920; each PNG exists, has the size asked for and is a finished picture
// (many distinct colours), not a blank or first-boot screen. The PNGs stay in build/<preset>/screenshots/.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <QSet>

#include <filesystem>
#include <fstream>

namespace chiso::test {
namespace {

struct Shot {
    int width, height;
    int page;
};

int distinct_colours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

// The share of the picture in its most common colour: a blank screen is nearly all background.
double background_share(const QImage& image) {
    QHash<QRgb, int> counts;
    int total = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4, ++total) ++counts[image.pixel(x, y)];
    int most = 0;
    for (int count : counts) most = std::max(most, count);
    return static_cast<double>(most) / total;
}

TEST(KioskScreenshot, EveryPageIsDrawnFinishedInLandscapeAndPortrait) {
    SyncdProcess syncd;
    syncd.start({"--demo"});
    const std::filesystem::path token_file = syncd.folder() / "room.token";
    std::ofstream(token_file) << syncd.add_device("room", "HT") << "\n";

    const std::filesystem::path out = CHISO_SCREENSHOT_DIR;
    std::filesystem::create_directories(out);
    const std::filesystem::path cache = syncd.folder() / "kiosk-cache.db";

    for (const Shot shot :
         {Shot{1920, 1080, 0}, Shot{1920, 1080, 1}, Shot{1920, 1080, 2}, Shot{1920, 1080, 3}, Shot{1920, 1080, 4},
          Shot{1920, 1080, 5}, Shot{1080, 1920, 0}, Shot{1080, 1920, 1}, Shot{1080, 1920, 2}, Shot{1080, 1920, 3},
          Shot{1080, 1920, 4}, Shot{1080, 1920, 5}}) {
        const std::string size = std::to_string(shot.width) + "x" + std::to_string(shot.height);
        const std::filesystem::path png = out / ("page" + std::to_string(shot.page) + "-" + size + ".png");
        std::filesystem::remove(png);
        int status = -1;
        const std::string output = run_command(
            {CHISO_KIOSK_BIN, "--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
             token_file.string(), "--org", "HT", "--depth", "2", "--cache", cache.string(), "--screenshot",
             png.string(), "--page", std::to_string(shot.page), "--size", size, "--timeout", "60"},
            &status);
        SCOPED_TRACE(png.string());
        ASSERT_EQ(status, 0) << output;
        ASSERT_TRUE(std::filesystem::exists(png));
        const QImage image(QString::fromStdString(png.string()));
        ASSERT_FALSE(image.isNull());
        EXPECT_EQ(image.width(), shot.width);
        EXPECT_EQ(image.height(), shot.height);
        // Text, tiles and charts in several colours: a finished page has thousands; a blank one a handful.
        EXPECT_GT(distinct_colours(image), 1500);
        EXPECT_LT(background_share(image), 0.9);  // a blank screen is all one colour; a page is cards and more
    }
}

TEST(KioskScreenshot, WithoutAServerTheFirstBootScreenNamesIt) {
    const std::filesystem::path out = CHISO_SCREENSHOT_DIR;
    std::filesystem::create_directories(out);
    const std::filesystem::path png = out / "first-boot-1920x1080.png";
    const std::filesystem::path cache = std::filesystem::temp_directory_path() / "chiso-kiosk-first-boot-test.db";
    std::filesystem::remove(cache);
    int status = -1;
    const std::string output =
        run_command({CHISO_KIOSK_BIN, "--server", "http://127.0.0.1:9", "--cache", cache.string(), "--token-file",
                     "/nonexistent", "--screenshot", png.string(), "--size", "1920x1080", "--timeout", "2"},
                    &status);
    std::filesystem::remove(cache);
    ASSERT_EQ(status, 0) << output;
    const QImage image(QString::fromStdString(png.string()));
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(1920, 1080));
    EXPECT_GT(background_share(image), 0.8);  // a calm screen: mostly background, one message
}

}  // namespace
}  // namespace chiso::test
