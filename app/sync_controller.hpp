// The kiosk's side of the sync: owns the local cache and the sync client (which runs on its own thread), shows
// the cached document at once on start, and turns the client's callbacks into queued signals on the GUI
// thread. It rebuilds the dashboard (dashboard::build_dashboard) on the GUI thread when, and only when, the
// document's revision changes, and says for the footer and banners how old the data is and how the
// connection stands.
#pragma once

#ifndef Q_MOC_RUN  // moc cannot parse the C++20 standard headers these pull in, and needs none of them
#include "kiosk/config.hpp"
#include "kiosk/settings.hpp"
#include "dashboard/dashboard.hpp"
#include "wire/scope_document.hpp"
#endif

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace chiso::syncclient {
class Cache;
class SyncClient;
}  // namespace chiso::syncclient

namespace chiso::kiosk {

class SyncController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("the sync is made by the Kiosk")
    Q_PROPERTY(bool hasDocument READ hasDocument NOTIFY documentChanged)
    Q_PROPERTY(qint64 revision READ revision NOTIFY documentChanged)
    Q_PROPERTY(QString asOfText READ asOfText NOTIFY documentChanged)
    // "Tổng kết nhiệm kỳ 2015–2020 · số liệu đến 30/6/2019"; empty without a review.
    Q_PROPERTY(QString reviewText READ reviewText NOTIFY documentChanged)
    Q_PROPERTY(Connection connection READ connection NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionText READ connectionText NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionDetail READ connectionDetail NOTIFY connectionChanged)
    Q_PROPERTY(QString lastSyncText READ lastSyncText NOTIFY ageChanged)
    Q_PROPERTY(qint64 dataAgeSeconds READ dataAgeSeconds NOTIFY ageChanged)
    Q_PROPERTY(bool stale READ stale NOTIFY ageChanged)
    Q_PROPERTY(QString staleText READ staleText NOTIFY ageChanged)
    Q_PROPERTY(QString server READ server CONSTANT)
    Q_PROPERTY(QString waitingText READ waitingText NOTIFY settingsChanged)
    Q_PROPERTY(QString enrolmentCode READ enrolmentCode NOTIFY enrolmentChanged)
    Q_PROPERTY(QString enrolmentText READ enrolmentText NOTIFY enrolmentChanged)

public:
    enum class Connection { Connecting, Online, Offline, Unauthorized };
    Q_ENUM(Connection)

    // Opens the cache (falling back to one in the user's cache folder when the configured one cannot be
    // created) and reads the document it holds. The client starts with start().
    explicit SyncController(const KioskConfig& config, QObject* parent = nullptr);
    ~SyncController() override;

    void start();
    // Ends the client's thread; called before the application's objects go.
    void stop();

    const dashboard::Dashboard& dashboard() const { return dashboard_; }
    // The configuration in force: the file's, with the display settings from the server over it (those last
    // received, kept in the cache, from the start); settingsTag() names them, empty while there are none.
    const KioskConfig& config() const { return config_; }
    const std::string& settingsTag() const { return settingsTag_; }
    // What the next heartbeat tells syncd: the page on screen and whether the screen is on.
    void setHeartbeat(const QString& page, bool screenOn);
    // ...and the display's power as it answered over HDMI-CEC ("on", "standby", "unknown"; empty: no CEC).
    void setDisplayPower(const QString& power);
    QString displayPower() const;
    // Sends an image of the screen to syncd with what it shows; `request` answers captureRequested (0: periodic).
    void sendScreenshot(const QByteArray& png, qint64 revision, const QString& page, qint64 drawnAt, qint64 request);
    // Shows a document as if the client had just stored it; the tests' way in.
    void acceptDocument(std::shared_ptr<const wire::ScopeDocument> document, qint64 syncedAt);

    bool hasDocument() const { return shown_.has_value(); }
    qint64 revision() const;
    QString asOfText() const;
    QString reviewText() const;
    Connection connection() const { return connection_; }
    QString connectionText() const;
    QString connectionDetail() const { return connectionDetail_; }
    QString lastSyncText() const;
    qint64 dataAgeSeconds() const;
    bool stale() const;
    QString staleText() const;
    QString server() const;
    QString waitingText() const;
    // Without a token: the code to show until IT enters it in the console; empty otherwise.
    QString enrolmentCode() const { return enrolmentCode_; }
    QString enrolmentText() const;

signals:
    void documentChanged();
    void dashboardChanged();
    void settingsChanged();  // config() changed: the dashboard and every text are already rebuilt
    void displayPowerChanged();
    void connectionChanged();
    void ageChanged();
    void enrolmentChanged();
    // IT asked for a screenshot now (emitted on the client's thread: connect queued, or leave it to Qt).
    void captureRequested(qint64 request);
    // From the client's thread, delivered queued on the GUI thread.
    void documentReceived(std::shared_ptr<const chiso::wire::ScopeDocument> document, QPrivateSignal);
    void connectionReported(int connection, const QString& detail, QPrivateSignal);
    void settingsReceived(const QString& tag, const QString& json, QPrivateSignal);
    void enrolmentReceived(const QString& code, QPrivateSignal);

private:
    void onDocumentReceived(std::shared_ptr<const wire::ScopeDocument> document);
    // Lays the settings over the file's configuration; false (and logged) when the kiosk's rules refuse them.
    bool takeSettings(const std::string& tag, const std::string& json);
    void onSettingsReceived(const QString& tag, const QString& json);
    void onConnectionReported(int connection, const QString& detail);
    void refreshAge();

    const KioskConfig fileConfig_;
    KioskConfig config_;
    std::string settingsTag_;
    QString enrolmentCode_;
    dashboard::Formatter format_;
    std::unique_ptr<syncclient::Cache> cache_;
    std::unique_ptr<syncclient::SyncClient> client_;
    // Which document the dashboard was built from, and the document itself (shared with the sync client, never
    // changed), to build the dashboard again when the settings change.
    std::shared_ptr<const wire::ScopeDocument> document_;
    struct Shown {
        std::string org;
        std::int64_t revision = 0;
        int depth = 0;
        std::string review;
        bool operator==(const Shown&) const = default;
    };
    std::optional<Shown> shown_;
    dashboard::Dashboard dashboard_;
    Connection connection_ = Connection::Connecting;
    QString connectionDetail_;
    QString lastLogged_;  // the last line logged for the client, without when its next try is
    // Unix seconds of the last exchange with the server. Written on the client's thread too: when a document
    // comes, when the connection comes back, and at each heartbeat from the cache (a quiet 304 says nothing).
    std::atomic<qint64> syncedAt_{0};
    QTimer ageTimer_;

    mutable std::mutex heartbeatMutex_;  // the client's thread reads what the GUI thread writes
    std::string displayPower_;
    std::string heartbeatPage_;
    bool heartbeatScreenOn_ = true;
};

}  // namespace chiso::kiosk
