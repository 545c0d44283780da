#include "kiosk.hpp"

#include "clock_text.hpp"
#include "kiosk/display_rules.hpp"
#include "logging.hpp"

#include <QDateTime>

#include <chrono>

namespace chiso::kiosk {
namespace {

constexpr auto kShiftInterval = std::chrono::minutes(3);
constexpr int kShiftAmplitude = 4;  // pixels either way

}  // namespace

Kiosk::Kiosk(const KioskConfig& config, const RunOptions& run, QObject* parent)
    : QObject(parent), config_(config), run_(run), sync_(config) {
    config_ = sync_.config();  // with the settings the server sent last, from the cache
    format_ = dashboard::Formatter(config_.language);
    connect(&sync_, &SyncController::dashboardChanged, this, &Kiosk::showDashboard);
    connect(&sync_, &SyncController::settingsChanged, this, &Kiosk::takeSettings);
    showDashboard();
    tick();

    pageTimer_.setInterval(std::chrono::seconds(config_.dwell_seconds));
    connect(&pageTimer_, &QTimer::timeout, this, &Kiosk::nextPage);
    clockTimer_.setSingleShot(true);
    connect(&clockTimer_, &QTimer::timeout, this, &Kiosk::tick);
    shiftTimer_.setInterval(kShiftInterval);
    connect(&shiftTimer_, &QTimer::timeout, this, &Kiosk::shiftPixels);
    if (run_.fixed_page) setCurrentPage(*run_.fixed_page);
}

Kiosk::~Kiosk() {
    sync_.stop();
}

void Kiosk::start() {
    sync_.start();
    if (!run_.fixed_page) pageTimer_.start();
    if (config_.pixel_shift && !run_.fixed_page) shiftTimer_.start();
    tellHeartbeat();
}

void Kiosk::setCurrentPage(int page) {
    if (page < 0 || page >= pages_.rowCount() || page == currentPage_) return;
    currentPage_ = page;
    emit currentPageChanged();
    tellHeartbeat();
}

void Kiosk::showDashboard() {
    const dashboard::Dashboard& dashboard = sync_.dashboard();
    const QString previousKey = pages_.key(currentPage_);
    const QString previousTitle = currentPageTitle();
    pages_.set(dashboard, sync_.config().language);  // the settings may have changed before this
    const QString org = QString::fromStdString(dashboard.org_name);
    if (org != orgName_) {
        orgName_ = org;
        emit orgNameChanged();
    }
    if (run_.fixed_page && *run_.fixed_page < pages_.rowCount() && currentPage_ != *run_.fixed_page) {
        currentPage_ = *run_.fixed_page;
        emit currentPageChanged();
    } else if (currentPage_ >= pages_.rowCount()) {
        currentPage_ = 0;
        emit currentPageChanged();
    } else if (pages_.key(currentPage_) != previousKey || currentPageTitle() != previousTitle) {
        emit currentPageChanged();
    }
    tellHeartbeat();  // the page on screen may be another (the first data, pages reordered): say it from now
}

void Kiosk::nextPage() {
    if (!screenOn_ || pages_.rowCount() < 2) return;
    setCurrentPage((currentPage_ + 1) % pages_.rowCount());
}

void Kiosk::tick() {
    const QDateTime now = QDateTime::currentDateTime();
    const QDate date = now.date();
    const int minute = now.time().hour() * 60 + now.time().minute();
    const int weekday = date.dayOfWeek() - 1;  // Qt: 1 = Monday
    const domain::Day day = date.year() * 10000 + date.month() * 100 + date.day();

    const QString dateText = QString::fromStdString(date_text(format_, day, weekday));
    const QString timeText = QString::fromStdString(time_text(minute));
    if (dateText != dateText_ || timeText != timeText_) {
        dateText_ = dateText;
        timeText_ = timeText;
        emit clockChanged();
    }
    const bool on = run_.fixed_page || screen_on(config_.schedule, weekday, minute);
    if (on != screenOn_) {
        screenOn_ = on;
        qCInfo(lcKiosk) << "display schedule: screen" << (on ? "on" : "off");
        emit screenOnChanged();
        tellHeartbeat();
    }
    // Wake at the start of the next minute.
    const int msToNextMinute = 60'000 - (now.time().second() * 1000 + now.time().msec());
    clockTimer_.start(std::max(msToNextMinute, 200));
}

void Kiosk::shiftPixels() {
    const PixelOffset offset = pixel_shift(++shiftStep_, kShiftAmplitude);
    pixelShift_ = QPoint(offset.x, offset.y);
    emit pixelShiftChanged();
}

void Kiosk::takeSettings() {
    const KioskConfig before = config_;
    config_ = sync_.config();
    format_ = dashboard::Formatter(config_.language);
    pageTimer_.setInterval(std::chrono::seconds(config_.dwell_seconds));
    if (pageTimer_.isActive()) pageTimer_.start();  // the new dwell from now
    if (config_.pixel_shift != before.pixel_shift && !run_.fixed_page) {
        if (config_.pixel_shift) {
            shiftTimer_.start();
        } else {
            shiftTimer_.stop();
            pixelShift_ = {};
            emit pixelShiftChanged();
        }
    }
    if (config_.theme != before.theme || config_.rotation != before.rotation) emit displayChanged();
    dateText_.clear();  // in the language now in force
    tick();             // the schedule, the date
}

void Kiosk::tellHeartbeat() {
    sync_.setHeartbeat(pages_.key(currentPage_), screenOn_);
}

}  // namespace chiso::kiosk
