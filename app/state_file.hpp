// --state-file: what the kiosk shows, as JSON, rewritten atomically (write a temporary file, rename it) on every
// change — the revision, the connection, staleness, the data's age and each page's tiles as their models hold
// them — so a test or a monitoring script can watch the real process without reading pixels.
#pragma once

#include "kiosk.hpp"

#include <QObject>
#include <QString>

namespace chiso::kiosk {

class StateFile : public QObject {
    Q_OBJECT

public:
    StateFile(Kiosk* kiosk, QString file, QObject* parent = nullptr);

private:
    void write();

    Kiosk* kiosk_;
    QString file_;
};

}  // namespace chiso::kiosk
