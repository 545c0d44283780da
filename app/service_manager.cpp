#include "service_manager.hpp"

#include "logging.hpp"

#include <systemd/sd-daemon.h>

#include <QCoreApplication>
#include <QTimer>

#include <chrono>
#include <cstdint>

namespace chiso::kiosk {

void tell_service_manager(QQuickWindow* window) {
    QObject::connect(
        window, &QQuickWindow::frameSwapped, window, [] { sd_notify(0, "READY=1\nSTATUS=showing the dashboard"); },
        Qt::SingleShotConnection);
    QObject::connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, [] { sd_notify(0, "STOPPING=1"); });

    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
    // Twice per period, as sd_watchdog_enabled(3) advises; from the GUI thread, since that is what must not hang.
    auto* pings = new QTimer(window);
    pings->setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(usec / 2)));
    QObject::connect(pings, &QTimer::timeout, [] { sd_notify(0, "WATCHDOG=1"); });
    pings->start();
    qCInfo(lcKiosk).noquote() << "watchdog: a ping every" << pings->interval() << "ms";
}

}  // namespace chiso::kiosk
