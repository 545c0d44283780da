// kiosk_review_ocr_test: the demo bloc in review mode, read back from the real chiso-kiosk's own screenshots with
// OCR (tesseract, Vietnamese) — the check a person in the conference hall makes: every figure of the report read
// out in the room is on some page. The term to date (2015-09..2019-06, as of 30/6/2019): 7.841 members, 105 base
// organisations and the six types with their organisations and members, 1.534 admitted, 1.677 recognised, 127
// disciplined, 80/105 and 76,2 % secretaries heading their unit, women 20,0 % and young 11,0 % of committees; since
// 2017 (2017-01..2019-06): 128 removed from the rolls and 82 members rated not completing their duties.
//
// OCR reads text, not charts: before it reads a page, the coloured marks (bars, lines, arrows) are painted the
// page's background, and it reads a page whole, for the small labels, or at half size dark on light, where it reads
// the tiles' large figures. The screenshots stay in build/<preset>/screenshots/review-*.png.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>

#include <QColor>
#include <QHash>
#include <QImage>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

namespace chiso::test {
namespace {

const std::filesystem::path kTesseract = "/usr/bin/tesseract";

bool vietnamese_ocr() {
    if (!std::filesystem::exists(kTesseract)) return false;
    return run_command({kTesseract.string(), "--list-langs"}, nullptr, true).find("\nvie") != std::string::npos;
}

// The picture with its saturated colours (chart marks, arrows) painted in its most common colour, the background;
// the header is left as it is.
QImage text_only(const QImage& picture) {
    QImage image = picture.convertToFormat(QImage::Format_RGB32);
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4) ++counts[image.pixel(x, y)];
    QRgb background = 0;
    int most = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        if (it.value() > most) most = it.value(), background = it.key();
    for (int y = image.height() / 14; y < image.height(); ++y) {  // below the header, which has no chart and is gold
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            const QColor colour(line[x]);
            if (colour.hsvSaturationF() > 0.35 && colour.valueF() > 0.35) line[x] = background;
        }
    }
    return image;
}

std::string ocr(const std::filesystem::path& png) {
    int status = -1;
    std::string text = run_command({kTesseract.string(), png.string(), "-", "-l", "vie", "--psm", "11"}, &status);
    EXPECT_EQ(status, 0) << png;
    return text;
}

// One line of everything read: no-break spaces and dashes as a reader types them, and a "1" that OCR parted from
// the digits after it (the font's figures are all one width, so a large 1 stands apart) joined to them again.
std::string normalised(std::string text) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"\u00A0", " "}, {"\u202F", " "},
                                   {"\u2013", "-"}, {"\n", " "}})
        for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
    text = std::regex_replace(text, std::regex(" +"), " ");
    return std::regex_replace(text, std::regex("(^|[^0-9.,/])1 ([0-9])"), "$011$2");
}

// Whether `figure` is in `text` as a figure of its own, not part of a longer one ("105" in "92/105" counts, "05"
// in "105" does not).
bool shows(const std::string& text, const std::string& figure) {
    const std::string escaped = std::regex_replace(figure, std::regex(R"([.%/()+])"), R"(\$&)");
    return std::regex_search(text, std::regex("(^|[^0-9.,])" + escaped + "($|[^0-9,]|[.,]($|[^0-9]))"));
}

class KioskReviewOcr : public ::testing::Test {
protected:
    void SetUp() override {
        if (!vietnamese_ocr()) GTEST_SKIP() << "tesseract with Vietnamese (tesseract-ocr-vie) is not installed";
        syncd.start({"--demo"});
        token_file = syncd.folder() / "hall.token";
        std::ofstream(token_file) << syncd.add_device("hall", "HT-KCQDN") << "\n";
        std::filesystem::create_directories(out);
    }
    void TearDown() override {
        if (syncd.running()) syncd.stop();
    }

    // How a page is read: whole (small labels: charts, details), at half size (the tiles' large figures), or both.
    enum class Reading { whole, half, both };

    // What OCR reads on page `page` of the screen set to `review`, drawn at 1920×1080.
    std::string read_page(const std::string& review, int page, Reading reading) {
        const std::string name = "review-" + review + "-page" + std::to_string(page);
        const std::filesystem::path png = out / (name + "-1920x1080.png");
        int status = -1;
        const std::string output = run_command(
            {CHISO_KIOSK_BIN, "--server", "http://127.0.0.1:" + std::to_string(syncd.port()), "--token-file",
             token_file.string(), "--depth", "2", "--review", review, "--cache",
             (syncd.folder() / (name + ".db")).string(), "--screenshot", png.string(), "--page", std::to_string(page),
             "--size", "1920x1080", "--timeout", "60"},
            &status, true);
        EXPECT_EQ(status, 0) << output;
        const QImage picture(QString::fromStdString(png.string()));
        if (picture.isNull()) {
            ADD_FAILURE() << "no screenshot " << png << ": " << output;
            return {};
        }
        const QImage text = text_only(picture);
        const std::filesystem::path whole = syncd.folder() / (name + "-ocr.png");
        const std::filesystem::path half = syncd.folder() / (name + "-ocr-half.png");
        std::string read;
        if (reading != Reading::half) {
            text.save(QString::fromStdString(whole.string()));
            read += ocr(whole) + " ";
        }
        if (reading != Reading::whole) {
            QImage small = text.scaled(text.width() / 2, text.height() / 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            small.invertPixels();
            small.save(QString::fromStdString(half.string()));
            read += ocr(half);
        }
        return normalised(read);
    }

    SyncdProcess syncd;
    std::filesystem::path token_file;
    const std::filesystem::path out = CHISO_SCREENSHOT_DIR;
};

TEST_F(KioskReviewOcr, the_term_to_date_and_since_2017_show_every_published_figure) {
    // Overview, membership, cadres; then discipline and ratings since 2017.
    const std::string term = read_page("2015-09..2019-06", 0, Reading::half) + " " +
                             read_page("2015-09..2019-06", 1, Reading::whole) + " " +
                             read_page("2015-09..2019-06", 5, Reading::whole);
    std::cout << "[ ocr ] term to date: " << term.substr(0, 600) << " ...\n";
    EXPECT_NE(term.find("kỳ 2015-2020: 9/2015 - 6/2019"), std::string::npos);  // the header names the review
    for (const char* figure : {"7.841", "105", "1.534", "1.677", "127", "80/105", "76,2 %", "20,0 %", "11,0 %"})
        EXPECT_TRUE(shows(term, figure)) << figure;
    // The six types, each with its members and its organisations (1 and 11 are too short to tell apart here).
    for (const char* type : {"Cơ quan hành chính", "Đơn vị sự nghiệp", "Doanh nghiệp 100% vốn nhà nước",
                             "Doanh nghiệp trên 50% vốn nhà nước", "Doanh nghiệp dưới 50% vốn nhà nước",
                             "Doanh nghiệp cổ phần, tư nhân"})
        EXPECT_NE(term.find(type), std::string::npos) << type;
    for (const char* figure : {"2.978", "1.342", "2.179", "1.000", "331", "49", "17", "16", "15"})
        EXPECT_TRUE(shows(term, figure)) << figure;

    const std::string since_2017 =
        read_page("2017-01..2019-06", 3, Reading::half) + " " + read_page("2017-01..2019-06", 4, Reading::whole);
    std::cout << "[ ocr ] since 2017: " << since_2017.substr(0, 400) << " ...\n";
    EXPECT_NE(since_2017.find("1/2017 - 6/2019"), std::string::npos);
    EXPECT_TRUE(shows(since_2017, "128")) << "removed from the rolls";
    EXPECT_TRUE(shows(since_2017, "82")) << "members rated not completing their duties, 2017 and 2018";
}

}  // namespace
}  // namespace chiso::test
