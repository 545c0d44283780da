// The kiosk under systemd (Type=notify, WatchdogSec=): READY=1 once the first frame is on the screen, so that
// "started" means "showing"; then WATCHDOG=1 from a timer on the GUI thread, so a hung event loop stops the pings
// and systemd restarts the kiosk. Outside systemd (no NOTIFY_SOCKET) it does nothing.
#pragma once

#include <QQuickWindow>

namespace chiso::kiosk {

void tell_service_manager(QQuickWindow* window);

}  // namespace chiso::kiosk
