// The baselines for the kiosk's start-up and memory in tests/bench/kiosk_bench, each a window of the same size
// with its first frame reported exactly as `chiso-kiosk --exit-after-first-frame` reports its own:
//   (default)    an empty QQuickWindow made in C++: no QML engine, no text
//   --qml        an empty QML `Window {}` loaded by a QQmlApplicationEngine: the smallest Qt Quick application
//   --qml-text   the same with one line of Vietnamese text in the kiosk's font: the first text pays for fonts
// Usage: empty_window [--qml | --qml-text] [--exit-after-first-frame]   (without the last, it stays open)
#include "first_frame.hpp"

#include <QGuiApplication>
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

}  // namespace

int main(int argc, char* argv[]) {
    QGuiApplication app(argc, argv);
    const QStringList arguments = QGuiApplication::arguments();
    const bool exitAfterFirstFrame = arguments.contains(QStringLiteral("--exit-after-first-frame"));
    const bool withText = arguments.contains(QStringLiteral("--qml-text"));
    if (withText || arguments.contains(QStringLiteral("--qml"))) {
        QQmlApplicationEngine engine;
        engine.loadData(withText ? kWindowWithText : kEmptyWindow);
        if (engine.rootObjects().isEmpty()) return 1;
        if (exitAfterFirstFrame)
            chiso::kiosk::exit_after_first_frame(qobject_cast<QQuickWindow*>(engine.rootObjects().first()));
        return QGuiApplication::exec();
    }
    QQuickWindow window;
    window.setColor(Qt::black);
    window.resize(1920, 1080);
    if (exitAfterFirstFrame) chiso::kiosk::exit_after_first_frame(&window);
    window.show();
    return QGuiApplication::exec();
}
