#include "display_power.hpp"

#include "logging.hpp"

#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QStandardPaths>
#include <qpa/qplatformscreen.h>

#include <chrono>

namespace chiso::kiosk {
namespace {

constexpr auto kCommandTimeout = std::chrono::seconds(5);  // a display that does not answer: cec-ctl waits ~1 s
constexpr auto kPollInterval = std::chrono::minutes(1);   // as often as the heartbeat
constexpr auto kWakeTime = std::chrono::seconds(10);      // for a display to come out of standby

QStringList q(const std::vector<std::string>& arguments) {
    QStringList out;
    for (const std::string& argument : arguments) out << QString::fromStdString(argument);
    return out;
}

}  // namespace

DisplayPower::DisplayPower(Kiosk* kiosk, QObject* parent) : QObject(parent), kiosk_(kiosk) {
    cec_ctl_ = qEnvironmentVariable("CHISO_KIOSK_CEC_CTL", QStandardPaths::findExecutable(QStringLiteral("cec-ctl")));
    device_ = qEnvironmentVariable("CHISO_KIOSK_CEC_DEVICE", QStringLiteral("/dev/cec0"));
    if (cec_ctl_.isEmpty() || !QFileInfo::exists(device_)) {
        const bool kms = QGuiApplication::platformName().startsWith(QStringLiteral("eglfs"));
        qCInfo(lcKiosk).noquote() << "display power: no HDMI-CEC"
                                  << (cec_ctl_.isEmpty() ? QStringLiteral("(cec-ctl is not installed)")
                                                         : "(no adapter at " + device_ + ")")
                                  << (kms ? "- outside its schedule the display gets DPMS off through KMS"
                                          : "- outside its schedule the screen is black, the display stays on");
        if (kms) {
            connect(kiosk_, &Kiosk::screenOnChanged, this, &DisplayPower::follow_schedule_with_dpms);
            if (!kiosk_->screenOn()) follow_schedule_with_dpms();
        }
        return;
    }
    timeout_.setSingleShot(true);
    connect(&timeout_, &QTimer::timeout, this, [this] {
        qCWarning(lcKiosk).noquote() << "display power: cec-ctl did not end within" << kCommandTimeout.count()
                                     << "s; stopped";
        process_.kill();
    });
    connect(&process_, &QProcess::finished, this, &DisplayPower::finished);
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) finished();
    });
    connect(kiosk_, &Kiosk::screenOnChanged, this, &DisplayPower::follow_schedule);
    bool ok = false;  // CHISO_KIOSK_CEC_POLL: seconds between power-status queries, for tests
    const int poll = qEnvironmentVariableIntValue("CHISO_KIOSK_CEC_POLL", &ok);
    poll_.setInterval(ok && poll >= 1 && poll <= 600 ? std::chrono::milliseconds(poll * 1000)
                                                     : std::chrono::milliseconds(kPollInterval));
    connect(&poll_, &QTimer::timeout, this, [this] { run(cec_power_query(device_.toStdString())); });
    poll_.start();
    qCInfo(lcKiosk).noquote() << "display power: HDMI-CEC through" << device_ << "with" << cec_ctl_;
    run(cec_configure(device_.toStdString()));
    follow_schedule();
}

void DisplayPower::follow_schedule() {
    const std::string device = device_.toStdString();
    // Unknown until the display answers after the command: never "standby" in its hours meanwhile.
    power_ = PanelPower::unknown;
    kiosk_->sync()->setDisplayPower(QStringLiteral("unknown"));
    run(kiosk_->screenOn() ? cec_wake(device) : cec_standby(device));
    run(cec_power_query(device));
    // A display takes seconds to wake and may say "standby" until it has: ask again once it should be on.
    if (kiosk_->screenOn())
        QTimer::singleShot(kWakeTime, this, [this] { run(cec_power_query(device_.toStdString())); });
}

void DisplayPower::follow_schedule_with_dpms() {
    QScreen* screen = QGuiApplication::primaryScreen();
    if (!screen || !screen->handle()) return;
    const bool on = kiosk_->screenOn();
    screen->handle()->setPowerState(on ? QPlatformScreen::PowerStateOn : QPlatformScreen::PowerStateOff);
    qCInfo(lcKiosk) << "display power:" << (on ? "DPMS on (the schedule's start)" : "DPMS off (outside the schedule)");
}

void DisplayPower::run(std::vector<std::string> arguments) {
    queue_.push_back(q(arguments));
    if (process_.state() == QProcess::NotRunning && queue_.size() == 1) next();
}

void DisplayPower::next() {
    if (queue_.empty()) return;
    const QStringList arguments = queue_.front();
    querying_ = arguments.contains(QStringLiteral("--give-device-power-status"));
    process_.setProcessChannelMode(QProcess::MergedChannels);
    process_.start(cec_ctl_, arguments);
    timeout_.start(kCommandTimeout);
}

void DisplayPower::finished() {
    timeout_.stop();
    if (queue_.empty()) return;
    const QStringList arguments = queue_.front();
    queue_.pop_front();
    const QByteArray output = process_.readAll();
    if (querying_) {
        tell(parse_power_status(output.toStdString()));
    } else if (process_.exitStatus() != QProcess::NormalExit || process_.exitCode() != 0) {
        qCWarning(lcKiosk).noquote() << "display power: cec-ctl" << arguments.join(u' ') << "failed:"
                                     << QString::fromUtf8(output.left(200)).simplified();
    } else if (arguments.contains(QStringLiteral("--standby"))) {
        qCInfo(lcKiosk) << "display power: standby over CEC (outside the schedule)";
    } else if (arguments.contains(QStringLiteral("--image-view-on"))) {
        qCInfo(lcKiosk) << "display power: woken over CEC (the schedule's start)";
    }
    next();
}

void DisplayPower::tell(PanelPower power) {
    const std::string_view name = power_name(power);
    const QString text = QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
    if (power != power_) qCInfo(lcKiosk).noquote() << "display power: the display says" << text;
    power_ = power;
    kiosk_->sync()->setDisplayPower(text);
}

}  // namespace chiso::kiosk
