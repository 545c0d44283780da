// Proof of render: every few minutes, and at once when IT asks (SyncController::captureRequested), the kiosk grabs
// what its window shows and sends it to syncd with the revision, page and time it was drawn — 480 px wide for
// the periodic ones, the screen's own size (made smaller only to fit syncd's bound) when IT asked. The first
// follows the first frame with data, so the console has a picture soon after a screen starts.
#pragma once

#include "kiosk.hpp"

#include <QByteArray>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QQuickWindow>
#include <QTimer>

#include <chrono>

namespace chiso::kiosk {

class ProofOfRender : public QObject {
public:
    ProofOfRender(QQuickWindow* window, Kiosk* kiosk, std::chrono::seconds every, QObject* parent = nullptr);

    // The image as sent: `width` wide (0: as it is), then smaller until its PNG is at most `limit` bytes.
    static QByteArray encode(const QImage& image, int width, qsizetype limit);

private:
    void takeFirst();
    void take(qint64 request);

    QPointer<QQuickWindow> window_;
    Kiosk* kiosk_;
    QTimer timer_;
    bool first_taken_ = false;
};

// CHISO_KIOSK_PROOF_SECONDS (10 to 86400) or 300: how often a kiosk sends its screen.
std::chrono::seconds proof_interval();

}  // namespace chiso::kiosk
