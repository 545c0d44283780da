#include "proof_of_render.hpp"

#include "logging.hpp"

#include <QBuffer>
#include <QDateTime>

namespace chiso::kiosk {

namespace {

constexpr int kPeriodicWidth = 480;
constexpr qsizetype kLimit = 1000 * 1000;  // under syncd's 1 MiB, whatever the screen

}  // namespace

std::chrono::seconds proof_interval() {
    bool ok = false;
    const int value = qEnvironmentVariableIntValue("CHISO_KIOSK_PROOF_SECONDS", &ok);
    return ok && value >= 10 && value <= 86400 ? std::chrono::seconds(value) : std::chrono::seconds(300);
}

ProofOfRender::ProofOfRender(QQuickWindow* window, Kiosk* kiosk, std::chrono::seconds every, QObject* parent)
    : QObject(parent), window_(window), kiosk_(kiosk) {
    timer_.setInterval(every);
    connect(&timer_, &QTimer::timeout, this, [this] { take(0); });
    timer_.start();
    connect(kiosk_->sync(), &SyncController::captureRequested, this, &ProofOfRender::take, Qt::QueuedConnection);
    // The first once the pages hold data (from the cache, or the first sync) and a frame with it was drawn.
    if (kiosk_->sync()->hasDocument())
        takeFirst();
    else
        connect(kiosk_->sync(), &SyncController::documentChanged, this, &ProofOfRender::takeFirst);
}

void ProofOfRender::takeFirst() {
    if (first_taken_) return;
    first_taken_ = true;
    // The charts fill a turn of the event loop after the models, so a second is left for them.
    QTimer::singleShot(std::chrono::seconds(1), this, [this] {
        if (!window_) return;
        connect(window_, &QQuickWindow::frameSwapped, this, [this] { take(0); }, Qt::SingleShotConnection);
        window_->update();
    });
}

QByteArray ProofOfRender::encode(const QImage& image, int width, qsizetype limit) {
    QImage scaled = width > 0 && image.width() > width ? image.scaledToWidth(width, Qt::SmoothTransformation) : image;
    for (int attempt = 0; attempt < 8 && !scaled.isNull(); ++attempt) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        if (!scaled.save(&buffer, "PNG")) return {};
        if (png.size() <= limit) return png;
        scaled = scaled.scaledToWidth(scaled.width() * 3 / 4, Qt::SmoothTransformation);
    }
    return {};
}

void ProofOfRender::take(qint64 request) {
    if (!window_ || !window_->isExposed()) return;
    const QImage image = window_->grabWindow();
    const QByteArray png = encode(image, request > 0 ? 0 : kPeriodicWidth, kLimit);
    if (png.isEmpty()) {
        qCWarning(lcKiosk) << "could not take a screenshot for the server";
        return;
    }
    const QString page = kiosk_->pages()->key(kiosk_->currentPage());
    kiosk_->sync()->sendScreenshot(png, kiosk_->sync()->revision(), page.isEmpty() ? QStringLiteral("waiting") : page,
                                   QDateTime::currentSecsSinceEpoch(), request);
    qCDebug(lcKiosk) << "screenshot" << png.size() << "bytes for the server" << (request > 0 ? "(asked)" : "");
}

}  // namespace chiso::kiosk
