#include "command_line.hpp"

#include <QCommandLineParser>
#include <QRegularExpression>

#include <cstdio>
#include <stdexcept>

namespace chiso::kiosk {
namespace {

void print_error(const QString& message) {
    std::fprintf(stderr, "chiso-kiosk: %s\n", qPrintable(message));
}

}  // namespace

QStringList arguments_of(int argc, char* argv[]) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

CommandLine parse_command_line(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Party-building indicators on a wall screen (chiso)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption config({QStringLiteral("c"), QStringLiteral("config")},
                                    QStringLiteral("The configuration file (see deploy/config/chiso-kiosk.toml)."),
                                    QStringLiteral("file"));
    const QCommandLineOption server(QStringLiteral("server"),
                                    QStringLiteral("chiso-syncd's URL, http://host:port or https://host:port."),
                                    QStringLiteral("url"));
    const QCommandLineOption caFile(QStringLiteral("ca-file"),
                                    QStringLiteral("With https: the CA certificates (PEM) to trust, instead of the "
                                                   "system's."),
                                    QStringLiteral("file"));
    const QCommandLineOption token(QStringLiteral("token-file"),
                                   QStringLiteral("The file holding this screen's token."), QStringLiteral("file"));
    const QCommandLineOption org(QStringLiteral("org"),
                                 QStringLiteral("The organisation to show (default: the token's)."),
                                 QStringLiteral("code"));
    const QCommandLineOption depth(QStringLiteral("depth"), QStringLiteral("Levels below it to include (0-8)."),
                                   QStringLiteral("n"));
    const QCommandLineOption pages(
        QStringLiteral("pages"),
        QStringLiteral("Pages in order, comma-separated: overview,membership,admission,discipline,rating,cadres."),
        QStringLiteral("list"));
    const QCommandLineOption review(
        QStringLiteral("review"),
        QStringLiteral("A review period every page shows: 2019-H1, 2019, 2015-2020 or 2015-09..2019-06."),
        QStringLiteral("period"));
    const QCommandLineOption cache(QStringLiteral("cache"), QStringLiteral("The local cache file."),
                                   QStringLiteral("file"));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("vi or en."), QStringLiteral("code"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("dark or light."), QStringLiteral("name"));
    const QCommandLineOption renderer(QStringLiteral("renderer"),
                                      QStringLiteral("auto, opengl or software: what draws the pages."),
                                      QStringLiteral("name"));
    const QCommandLineOption rotation(QStringLiteral("rotation"), QStringLiteral("0, 90, 180 or 270 degrees."),
                                      QStringLiteral("degrees"));
    const QCommandLineOption windowed(QStringLiteral("windowed"),
                                      QStringLiteral("A window instead of the full screen."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render offscreen, write a PNG and exit."),
                                        QStringLiteral("file"));
    const QCommandLineOption page(QStringLiteral("page"), QStringLiteral("With --screenshot: the page, from 0."),
                                  QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("The window's size, WxH (default 1920x1080)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("With --screenshot: seconds to wait for data (default 30)."),
                                     QStringLiteral("seconds"));
    const QCommandLineOption stateFile(
        QStringLiteral("state-file"),
        QStringLiteral("Rewrite this file as JSON on every change of what is shown (for tests and monitoring)."),
        QStringLiteral("file"));
    const QCommandLineOption staleSeconds(
        QStringLiteral("stale-seconds"),
        QStringLiteral("Data older than this many seconds is stale (overrides stale_minutes; for tests)."),
        QStringLiteral("seconds"));
    const QCommandLineOption firstFrame(
        QStringLiteral("exit-after-first-frame"),
        QStringLiteral("Print the ms from process start to the first frame drawn, then exit (for benchmarks)."));
    parser.addOption(firstFrame);
    parser.addOptions({config, server, caFile, token, org, depth, pages, review, cache, language, theme, renderer, rotation,
                       windowed, screenshot, page, size, timeout, stateFile, staleSeconds});

    CommandLine result;
    if (!parser.parse(arguments)) {
        print_error(parser.errorText());
        result.exit_code = 2;
        return result;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt names the program "<executable_name>" when no application object exists yet.
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                        QStringLiteral("chiso-kiosk"))),
                   stdout);
        result.exit_code = 0;
        return result;
    }
    if (parser.isSet(QStringLiteral("version"))) parser.showVersion();  // exits
    if (!parser.positionalArguments().isEmpty()) {
        print_error(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
        result.exit_code = 2;
        return result;
    }

    auto integer = [&](const QCommandLineOption& option, const QString& name) {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok) throw std::invalid_argument(("'--" + name + "' must be a whole number").toStdString());
        return value;
    };
    try {
        if (parser.isSet(config)) result.config = load_config(parser.value(config).toStdString());
        KioskConfig& c = result.config;
        if (parser.isSet(server)) c.server = check_server(parser.value(server).toStdString(), "--server");
        if (parser.isSet(token)) c.token_file = parser.value(token).toStdString();
        if (parser.isSet(caFile)) c.ca_file = parser.value(caFile).toStdString();
        if (parser.isSet(org)) c.org = parser.value(org).toStdString();
        if (parser.isSet(review)) c.review = check_review(parser.value(review).toStdString(), "--review");
        if (parser.isSet(depth)) {
            c.depth = integer(depth, QStringLiteral("depth"));
            if (!kDepthRange.holds(c.depth))
                throw std::invalid_argument("'--depth' must be between " + std::to_string(kDepthRange.min) + " and " +
                                            std::to_string(kDepthRange.max));
        }
        if (parser.isSet(pages)) {
            std::vector<std::string> keys;
            for (const QString& key : parser.value(pages).split(QLatin1Char(','), Qt::SkipEmptyParts))
                keys.push_back(key.trimmed().toStdString());
            if (keys.empty()) throw std::invalid_argument("'--pages' must name at least one page");
            c.pages = check_pages(keys, "--pages");
        }
        if (parser.isSet(cache)) c.cache = parser.value(cache).toStdString();
        if (parser.isSet(language)) c.language = parse_language(parser.value(language).toStdString(), "--language");
        if (parser.isSet(theme)) c.theme = parse_theme(parser.value(theme).toStdString(), "--theme");
        if (parser.isSet(renderer)) c.renderer = parse_renderer(parser.value(renderer).toStdString(), "--renderer");
        if (parser.isSet(rotation))
            c.rotation = check_rotation(integer(rotation, QStringLiteral("rotation")), "--rotation");

        if (parser.isSet(staleSeconds)) {
            c.stale_seconds = integer(staleSeconds, QStringLiteral("stale-seconds"));
            if (c.stale_seconds < 1) throw std::invalid_argument("'--stale-seconds' must be at least 1");
        }
        if (parser.isSet(stateFile)) result.state_file = parser.value(stateFile);

        result.exit_after_first_frame = parser.isSet(firstFrame);
        RunOptions& run = result.run;
        run.full_screen = !parser.isSet(windowed) && !parser.isSet(screenshot);
        if (parser.isSet(size)) {
            static const QRegularExpression pattern(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$"));
            const auto match = pattern.match(parser.value(size));
            if (!match.hasMatch()) throw std::invalid_argument("'--size' must be WxH, e.g. 1920x1080");
            run.window_size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
            run.full_screen = false;
        }
        if (parser.isSet(screenshot)) {
            ScreenshotOptions shot;
            shot.file = parser.value(screenshot);
            if (parser.isSet(timeout)) shot.timeout_seconds = integer(timeout, QStringLiteral("timeout"));
            run.fixed_page = integer(page, QStringLiteral("page"));
            if (*run.fixed_page < 0) throw std::invalid_argument("'--page' counts from 0");
            c.pixel_shift = false;
            c.schedule.always_on = true;
            result.screenshot = shot;
        } else if (parser.isSet(page)) {
            throw std::invalid_argument("'--page' goes with --screenshot");
        }
    } catch (const std::exception& e) {
        print_error(QString::fromStdString(e.what()));
        result.exit_code = 2;
    }
    return result;
}

}  // namespace chiso::kiosk
