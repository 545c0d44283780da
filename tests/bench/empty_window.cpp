// The baseline for the kiosk's start-up and memory in tests/bench/kiosk_bench: an empty Qt Quick window of the
// same size, its first frame reported exactly as `chiso-kiosk --exit-after-first-frame` reports its own.
// Usage: empty_window [--exit-after-first-frame]    (without it, the window stays until it is closed)
#include "first_frame.hpp"

#include <QGuiApplication>
#include <QQuickWindow>

int main(int argc, char* argv[]) {
    QGuiApplication app(argc, argv);
    QQuickWindow window;
    window.setColor(Qt::black);
    window.resize(1920, 1080);
    if (QGuiApplication::arguments().contains(QStringLiteral("--exit-after-first-frame")))
        chiso::kiosk::exit_after_first_frame(&window);
    window.show();
    return QGuiApplication::exec();
}
