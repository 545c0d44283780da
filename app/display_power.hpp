// The display's own power, following the kiosk's schedule: outside it the display goes to standby over HDMI-CEC
// (cec-ctl from Debian's v4l-utils, kiosk/display_power.hpp) and at its start it is woken; between, its power
// status is asked now and then and told to syncd with the heartbeat, so the console can say "display off during
// hours". Without a CEC adapter (/dev/cec0) or cec-ctl, on eglfs (Qt drawing straight to KMS) the display gets
// DPMS off and on through Qt's platform screen, which sets the DRM connector's DPMS property; elsewhere (a desktop
// session, offscreen) the kiosk's black screen is all it does, and it says so.
// cec-ctl runs as a child process, one command at a time, never on the GUI thread's time.
#pragma once

#include "kiosk.hpp"

#ifndef Q_MOC_RUN
#include "kiosk/display_power.hpp"
#endif

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>

#include <deque>

namespace chiso::kiosk {

class DisplayPower : public QObject {
    Q_OBJECT

public:
    // CHISO_KIOSK_CEC_CTL names cec-ctl (default: the one in PATH) and CHISO_KIOSK_CEC_DEVICE the adapter (default
    // /dev/cec0); a test points them at a stand-in, and CHISO_KIOSK_CEC_POLL shortens the minute between queries.
    explicit DisplayPower(Kiosk* kiosk, QObject* parent = nullptr);

private:
    void follow_schedule();
    void follow_schedule_with_dpms();
    void run(std::vector<std::string> arguments);  // queued behind the command running
    void next();
    void finished();
    void tell(PanelPower power);

    Kiosk* kiosk_;
    QString cec_ctl_;
    QString device_;
    QProcess process_;
    QTimer timeout_, poll_;
    std::deque<QStringList> queue_;
    bool querying_ = false;  // the command running is a power-status query
    PanelPower power_ = PanelPower::unknown;
};

}  // namespace chiso::kiosk
