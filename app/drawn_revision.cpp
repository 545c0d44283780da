#include "drawn_revision.hpp"

#include "logging.hpp"

namespace chiso::kiosk {

DrawnRevision::DrawnRevision(QQuickWindow* window, SyncController* sync) : QObject(window) {
    const auto take = [this, window, sync] {
        shown_ = sync->revision();
        window->update();
    };
    connect(sync, &SyncController::dashboardChanged, this, take);
    take();  // a cached document may be in place before the window's first frame
    // While the scene is synchronised the GUI thread waits, so the revision read here is the one the frame
    // holds; both signals come on the render thread (or the GUI thread, with the basic render loop), in order.
    connect(window, &QQuickWindow::afterSynchronizing, this, [this] { synced_ = shown_.load(); },
            Qt::DirectConnection);
    connect(window, &QQuickWindow::frameSwapped, this,
            [this] {
                const qint64 revision = synced_.load();
                if (revision == 0 || revision == logged_) return;
                logged_ = revision;
                qCInfo(lcKiosk) << "revision" << revision << "on the screen";
            },
            Qt::DirectConnection);
}

}  // namespace chiso::kiosk
