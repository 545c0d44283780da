// --screenshot: writes the window to a PNG once the scene is ready — the first document has come (or the
// wait has run out, so a first-boot screen can be captured too), the charts are filled and laid out, and a
// frame has been drawn — then ends the program: 0 when the file was written.
#pragma once

#include "kiosk.hpp"

#ifndef Q_MOC_RUN
#include "command_line.hpp"
#endif

#include <QObject>
#include <QPointer>
#include <QQuickWindow>
#include <QTimer>

namespace chiso::kiosk {

class Screenshot : public QObject {
    Q_OBJECT

public:
    Screenshot(QQuickWindow* window, Kiosk* kiosk, ScreenshotOptions options, QObject* parent = nullptr);

private:
    void settle();
    void capture();

    QPointer<QQuickWindow> window_;
    Kiosk* kiosk_;
    ScreenshotOptions options_;
    QTimer timeout_;
    bool settling_ = false;
};

}  // namespace chiso::kiosk
