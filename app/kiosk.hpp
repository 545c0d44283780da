// The kiosk as QML sees it: the configuration's choices (theme, rotation), the sync, the pages of the
// dashboard as models, which page is on screen (turning every dwell seconds), the header's date and clock,
// whether the display schedule has the screen on, and the pixel shift. Made once by main.cpp and handed to
// Main.qml as a required property.
#pragma once

#include "dashboard_models.hpp"
#include "sync_controller.hpp"

#ifndef Q_MOC_RUN
#include "kiosk/config.hpp"
#endif

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QPoint>
#include <QSize>
#include <QTimer>

#include <optional>

namespace chiso::kiosk {

// How this run differs from a kiosk on a wall: a window instead of the full screen, one fixed page.
struct RunOptions {
    bool full_screen = true;
    QSize window_size{1920, 1080};
    std::optional<int> fixed_page;  // no page turning: --screenshot --page N
};

class Kiosk : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the kiosk is made by main.cpp from its configuration")
    Q_PROPERTY(chiso::kiosk::SyncController* sync READ sync CONSTANT)
    Q_PROPERTY(chiso::kiosk::PageModel* pages READ pages CONSTANT)
    Q_PROPERTY(int currentPage READ currentPage WRITE setCurrentPage NOTIFY currentPageChanged)
    Q_PROPERTY(QString currentPageTitle READ currentPageTitle NOTIFY currentPageChanged)
    Q_PROPERTY(QString orgName READ orgName NOTIFY orgNameChanged)
    Q_PROPERTY(QString dateText READ dateText NOTIFY clockChanged)
    Q_PROPERTY(QString timeText READ timeText NOTIFY clockChanged)
    Q_PROPERTY(bool screenOn READ screenOn NOTIFY screenOnChanged)
    Q_PROPERTY(QPoint pixelShift READ pixelShift NOTIFY pixelShiftChanged)
    Q_PROPERTY(bool darkTheme READ darkTheme NOTIFY displayChanged)
    Q_PROPERTY(int rotation READ rotation NOTIFY displayChanged)
    Q_PROPERTY(bool fullScreen READ fullScreen CONSTANT)
    Q_PROPERTY(QSize windowSize READ windowSize CONSTANT)

public:
    Kiosk(const KioskConfig& config, const RunOptions& run, QObject* parent = nullptr);
    ~Kiosk() override;

    void start();  // the sync and the timers

    SyncController* sync() { return &sync_; }
    PageModel* pages() { return &pages_; }
    int currentPage() const { return currentPage_; }
    void setCurrentPage(int page);
    QString currentPageTitle() const { return pages_.title(currentPage_); }
    QString orgName() const { return orgName_; }
    QString dateText() const { return dateText_; }
    QString timeText() const { return timeText_; }
    bool screenOn() const { return screenOn_; }
    QPoint pixelShift() const { return pixelShift_; }
    bool darkTheme() const { return config_.theme == Theme::dark; }
    int rotation() const { return config_.rotation; }
    bool fullScreen() const { return run_.full_screen; }
    QSize windowSize() const { return run_.window_size; }

signals:
    void currentPageChanged();
    void orgNameChanged();
    void clockChanged();
    void screenOnChanged();
    void pixelShiftChanged();
    void displayChanged();  // theme or rotation, set from the server

private:
    void showDashboard();
    void nextPage();
    void tick();  // each minute: the clock, the display schedule
    void shiftPixels();
    void tellHeartbeat();
    void takeSettings();  // the sync's configuration changed: dwell, schedule, theme, rotation, pixel shift

    KioskConfig config_;
    RunOptions run_;
    dashboard::Formatter format_;
    SyncController sync_;
    PageModel pages_;
    int currentPage_ = 0;
    QString orgName_, dateText_, timeText_;
    bool screenOn_ = true;
    QPoint pixelShift_;
    qint64 shiftStep_ = 0;
    QTimer pageTimer_, clockTimer_, shiftTimer_;
};

}  // namespace chiso::kiosk
