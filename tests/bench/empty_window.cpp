// The baselines for the kiosk's start-up and memory in tests/bench/kiosk_bench, each a window of the same size
// with its first frame reported exactly as `chiso-kiosk --exit-after-first-frame` reports its own:
//   (default)    an empty QQuickWindow made in C++: no QML engine, no text
//   --qml        an empty QML `Window {}` loaded by a QQmlApplicationEngine: the smallest Qt Quick application
//   --qml-text   the same with one line of Vietnamese text in the kiosk's font: the first text pays for fonts
// Usage: empty_window [--qml | --qml-text] [--exit-after-first-frame]   (without the last, it stays open)
// Built a second time as chart_window (CHISO_CHART_WINDOW): the same text and one Qt Charts bar chart the size
// of one of the kiosk's, in a QApplication as Qt Charts needs: what Qt Charts costs before any of chiso's code.
// It is its own program so that the baselines above do not load Qt Widgets.
#include "first_frame.hpp"

#ifdef CHISO_CHART_WINDOW
#include <QApplication>
using Application = QApplication;
#else
#include <QGuiApplication>
using Application = QGuiApplication;
#endif
#include <QQmlApplicationEngine>
#include <QQuickWindow>

namespace {

constexpr const char* kEmptyWindow = R"(import QtQuick
Window { width: 1920; height: 1080; visible: true; color: "black" })";

constexpr const char* kWindowWithText = R"(import QtQuick
Window {
    width: 1920; height: 1080; visible: true; color: "black"
    Text { x: 40; y: 40; text: "Tỉnh ủy Hà Tĩnh · 8.408 đảng viên"; color: "white"; font.family: "Noto Sans"; font.pixelSize: 34 }
})";

constexpr const char* kWindowWithChart = R"(import QtQuick
import QtCharts
Window {
    width: 1920; height: 1080; visible: true; color: "black"
    Text { x: 40; y: 40; text: "Tỉnh ủy Hà Tĩnh · 8.408 đảng viên"; color: "white"; font.family: "Noto Sans"; font.pixelSize: 34 }
    ChartView {
        x: 40; y: 120; width: 920; height: 320
        antialiasing: true; backgroundColor: "black"; legend.visible: false
        BarSeries {
            axisX: BarCategoryAxis { categories: ["2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"] }
            axisY: ValueAxis { min: 0; max: 10000 }
            BarSet { label: "Đảng viên"; values: [7785, 7831, 7932, 8004, 8102, 8184, 8254, 8297, 8387, 8408] }
        }
    }
})";

}  // namespace

int main(int argc, char* argv[]) {
    Application app(argc, argv);
    const QStringList arguments = QGuiApplication::arguments();
    const bool exitAfterFirstFrame = arguments.contains(QStringLiteral("--exit-after-first-frame"));
#ifdef CHISO_CHART_WINDOW
    const char* const qml = kWindowWithChart;
#else
    const char* const qml = arguments.contains(QStringLiteral("--qml-text")) ? kWindowWithText
                            : arguments.contains(QStringLiteral("--qml"))    ? kEmptyWindow
                                                                             : nullptr;
#endif
    if (qml) {
        QQmlApplicationEngine engine;
        engine.loadData(qml);
        if (engine.rootObjects().isEmpty()) return 1;
        if (exitAfterFirstFrame)
            chiso::kiosk::exit_after_first_frame(qobject_cast<QQuickWindow*>(engine.rootObjects().first()));
        return Application::exec();
    }
    QQuickWindow window;
    window.setColor(Qt::black);
    window.resize(1920, 1080);
    if (exitAfterFirstFrame) chiso::kiosk::exit_after_first_frame(&window);
    window.show();
    return Application::exec();
}
