// Says in the log when a revision of the data is first on the screen: "revision N on the screen", once per
// revision, with the first frame swapped whose scene was synchronised after the revision reached the pages. What
// the screen shows, not what the cache holds (SyncController says "revision N in the cache" for that): a wall
// can be checked by its journal, and a test knows when to look.
#pragma once

#include "sync_controller.hpp"

#include <QObject>
#include <QQuickWindow>

#include <atomic>

namespace chiso::kiosk {

class DrawnRevision : public QObject {
public:
    DrawnRevision(QQuickWindow* window, SyncController* sync);

private:
    std::atomic<qint64> shown_{0};   // the revision the pages hold (set on the GUI thread)
    std::atomic<qint64> synced_{0};  // the revision of the scene last synchronised to the render thread
    qint64 logged_ = 0;              // touched only where frames are swapped
};

}  // namespace chiso::kiosk
