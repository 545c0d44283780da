#include "screenshot.hpp"

#include "logging.hpp"

#include <QCoreApplication>
#include <QImage>

#include <chrono>

namespace chiso::kiosk {

Screenshot::Screenshot(QQuickWindow* window, Kiosk* kiosk, ScreenshotOptions options, QObject* parent)
    : QObject(parent), window_(window), kiosk_(kiosk), options_(std::move(options)) {
    timeout_.setSingleShot(true);
    timeout_.setInterval(std::chrono::seconds(options_.timeout_seconds));
    connect(&timeout_, &QTimer::timeout, this, [this] {
        qCWarning(lcKiosk) << "no document after" << options_.timeout_seconds << "s; capturing the screen as it is";
        settle();
    });
    if (kiosk_->sync()->hasDocument()) {
        settle();
    } else {
        connect(kiosk_->sync(), &SyncController::documentChanged, this, &Screenshot::settle);
        timeout_.start();
    }
}

void Screenshot::settle() {
    if (settling_) return;
    settling_ = true;
    timeout_.stop();
    // The models are filled at once; the charts fill on the next turn of the event loop and lay out their
    // scene on the one after. A second is ample; then wait for a frame drawn after it.
    QTimer::singleShot(std::chrono::milliseconds(1000), this, [this] {
        if (!window_) return;
        connect(window_, &QQuickWindow::frameSwapped, this, &Screenshot::capture, Qt::SingleShotConnection);
        window_->update();
    });
}

void Screenshot::capture() {
    const QImage image = window_->grabWindow();
    const bool saved = !image.isNull() && image.save(options_.file, "PNG");
    if (saved)
        qCInfo(lcKiosk).noquote() << "wrote" << options_.file << image.width() << "x" << image.height();
    else
        qCCritical(lcKiosk).noquote() << "could not write the screenshot" << options_.file;
    QCoreApplication::exit(saved ? 0 : 1);
}


}  // namespace chiso::kiosk
