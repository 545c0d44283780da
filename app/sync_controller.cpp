#include "sync_controller.hpp"

#include "clock_text.hpp"
#include "display_card.hpp"
#include "logging.hpp"
#include "syncclient/cache.hpp"
#include "syncclient/client.hpp"

#include <QDateTime>
#include <QDir>
#include <QStandardPaths>

#include <chrono>
#include <optional>

namespace chiso::kiosk {
namespace {

qint64 now_seconds() {
    return QDateTime::currentSecsSinceEpoch();
}

QString q(const std::string& text) {
    return QString::fromStdString(text);
}

// The configured cache, or — when even a fresh one cannot be made there (a read-only disk) — one in the
// user's cache folder, so the screen still works and says where its data went.
std::unique_ptr<syncclient::Cache> open_cache(const std::filesystem::path& path) {
    try {
        return std::make_unique<syncclient::Cache>(path);
    } catch (const std::exception& e) {
        const QString fallback =
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/cache.db");
        qCWarning(lcSync).noquote() << "cannot open the cache" << q(path.string()) << "(" << e.what() << "); using"
                                    << fallback;
        return std::make_unique<syncclient::Cache>(fallback.toStdString());
    }
}

// CHISO_KIOSK_REQUEST_TIMEOUT, CHISO_KIOSK_LONG_POLL and CHISO_KIOSK_HEARTBEAT (seconds) shorten the client's
// waits, for tests that make a server stall or watch heartbeats; a value that is not a whole number from 0
// (long-poll) or 1 (the others) to 600 is ignored.
void timing_from_environment(syncclient::ClientOptions& options) {
    auto seconds = [](const char* name, int least) -> std::optional<std::chrono::seconds> {
        bool ok = false;
        const int value = qEnvironmentVariableIntValue(name, &ok);
        if (!ok || value < least || value > 600) return std::nullopt;
        return std::chrono::seconds(value);
    };
    if (auto timeout = seconds("CHISO_KIOSK_REQUEST_TIMEOUT", 1)) options.request_timeout = *timeout;
    if (auto long_poll = seconds("CHISO_KIOSK_LONG_POLL", 0)) options.long_poll = *long_poll;
    if (auto heartbeat = seconds("CHISO_KIOSK_HEARTBEAT", 1)) options.heartbeat_interval = *heartbeat;
}

}  // namespace

SyncController::SyncController(const KioskConfig& config, QObject* parent)
    : QObject(parent), fileConfig_(config), config_(config), format_(config.language) {
    connect(this, &SyncController::documentReceived, this, &SyncController::onDocumentReceived, Qt::QueuedConnection);
    connect(this, &SyncController::settingsReceived, this, &SyncController::onSettingsReceived, Qt::QueuedConnection);
    connect(
        this, &SyncController::enrolmentReceived, this,
        [this](const QString& code) {
            enrolmentCode_ = code;
            emit enrolmentChanged();
        },
        Qt::QueuedConnection);
    connect(this, &SyncController::connectionReported, this, &SyncController::onConnectionReported,
            Qt::QueuedConnection);
    // A threshold of seconds (--stale-seconds, for tests) needs the age looked at every second.
    ageTimer_.setInterval(config_.stale_seconds > 0 ? std::chrono::seconds(1) : std::chrono::seconds(30));
    connect(&ageTimer_, &QTimer::timeout, this, &SyncController::refreshAge);

    cache_ = open_cache(config_.cache);
    if (cache_->rebuilt())
        qCWarning(lcSync).noquote() << "the cache" << q(config_.cache.string())
                                    << "was rebuilt:" << q(cache_->rebuilt_reason());
    syncedAt_ = cache_->state().synced_at;
    // The settings the server sent last, before anything is shown; those of another server are not this one's.
    if (auto settings = cache_->settings(); settings && settings->server == config_.server)
        takeSettings(settings->tag, settings->json);
    if (auto cached = cache_->document()) {
        if (!config_.org.empty() && cached->org() != config_.org) {
            qCInfo(lcSync).noquote() << "the cache holds" << q(cached->org()) << "but this screen shows"
                                     << q(config_.org) << "; waiting for its first document";
        } else {
            onDocumentReceived(std::make_shared<const wire::ScopeDocument>(std::move(*cached)));
            qCInfo(lcSync).noquote() << "showing the cached document of" << q(shown_->org) << "revision"
                                     << shown_->revision;
        }
    }
}

SyncController::~SyncController() {
    stop();
}

void SyncController::start() {
    if (client_) return;
    syncclient::ClientOptions options;
    options.server = config_.server;
    options.ca_file = config_.ca_file.string();
    options.org = config_.org;
    options.depth = config_.depth;
    options.review = config_.review;
    options.version = CHISO_KIOSK_VERSION;
    timing_from_environment(options);
    // The token file first; without one (none there at all: one unreadable is a mistake to say, not to enrol
    // over), the token this screen received by enrolment from this server; without that, enrol by code.
    std::string error, enrolled_error;
    const std::filesystem::path enrolled_file = enrolled_token_file(config_);
    std::error_code ignored;
    const bool token_file_there = std::filesystem::exists(config_.token_file, ignored);
    if (auto token = read_token(config_.token_file, &error)) {
        options.token = std::move(*token);
    } else if (token_file_there) {
        qCWarning(lcSync).noquote() << q(error) << "; the server will refuse this screen until it can read its token";
        options.enrol = false;  // refused, and said so on the screen: never an enrolment beside a token
    } else if (auto enrolled = read_enrolled_token(enrolled_file, config_.server, &enrolled_error)) {
        options.token = std::move(*enrolled);
        qCInfo(lcSync).noquote() << "using the token this screen received by enrolment," << q(enrolled_file.string());
    } else {
        qCInfo(lcSync).noquote() << q(error) << ";" << q(enrolled_error) << "; enrolling by code at" << server();
    }

    syncclient::ClientEvents events;
    // These run on the client's thread: they only pass on and emit (queued), or read what is guarded.
    events.updated = [this](std::shared_ptr<const wire::ScopeDocument> document) {
        syncedAt_ = now_seconds();
        // Said once the cache holds it: a power cut after this line cannot take the revision back.
        qCInfo(lcSync).noquote() << "revision" << document->revision() << "in the cache";
        emit documentReceived(std::move(document), QPrivateSignal());
    };
    events.connection = [this](syncclient::Connection connection, const std::string& detail) {
        if (connection == syncclient::Connection::online) syncedAt_ = now_seconds();
        emit connectionReported(static_cast<int>(connection), q(detail), QPrivateSignal());
    };
    events.revalidated = [this](std::int64_t syncedAt) { syncedAt_ = syncedAt; };  // the age timer shows it
    events.settings = [this](const std::string& tag, const std::string& json) {
        emit settingsReceived(q(tag), q(json), QPrivateSignal());
    };
    events.enrolment = [this](const std::string& code, std::int64_t) {
        emit enrolmentReceived(q(code), QPrivateSignal());
    };
    events.enrolled = [this, enrolled_file, server = config_.server](const std::string& token, const std::string& name) {
        std::string failure;
        if (write_enrolled_token(enrolled_file, token, server, &failure))
            qCInfo(lcSync).noquote() << "enrolled as" << q(name) << "; token kept in" << q(enrolled_file.string());
        else
            qCWarning(lcSync).noquote() << "enrolled as" << q(name) << "but" << q(failure)
                                        << "; this screen will ask for a new code when it starts again";
        emit enrolmentReceived(QString(), QPrivateSignal());
    };
    events.capture = [this](std::int64_t request) { emit captureRequested(request); };
    // The same line again (a heartbeat failing each minute while the server is away) is logged at debug level.
    events.note = [last = std::string()](const std::string& detail) mutable {
        if (detail == last)
            qCDebug(lcSync).noquote() << q(detail);
        else
            qCInfo(lcSync).noquote() << q(detail);
        last = detail;
    };
    // CHISO_KIOSK_DRM_ROOT: another folder of DRM connectors than /sys/class/drm, for tests.
    const QString drm_root = qEnvironmentVariable("CHISO_KIOSK_DRM_ROOT", QStringLiteral("/sys/class/drm"));
    events.heartbeat = [this, drm_root] {
        syncedAt_ = cache_->state().synced_at;
        const DisplayConnection display = display_connection(drm_root);  // a few small sysfs files
        std::lock_guard lock(heartbeatMutex_);
        return syncclient::HeartbeatInfo{heartbeatPage_, heartbeatScreenOn_, display.connected,
                                         display.connector.toStdString(), displayPower_};
    };
    client_ = std::make_unique<syncclient::SyncClient>(*cache_, std::move(options), std::move(events));
    client_->start();
    ageTimer_.start();
    qCInfo(lcSync).noquote() << "syncing"
                             << (config_.org.empty() ? QStringLiteral("this device's scope") : q(config_.org)) << "from"
                             << server();
    if (config_.server.starts_with("https://"))
        qCInfo(lcSync).noquote() << "trusting"
                                 << (config_.ca_file.empty() ? QStringLiteral("the system's CAs")
                                                             : "the CAs in " + q(config_.ca_file.string()))
                                 << "for the server's certificate";
}

void SyncController::stop() {
    if (client_) client_->stop();
    ageTimer_.stop();
}

void SyncController::sendScreenshot(const QByteArray& png, qint64 revision, const QString& page, qint64 drawnAt,
                                    qint64 request) {
    if (!client_) return;
    client_->send_screenshot({png.toStdString(), revision, page.toStdString(), drawnAt, request});
}

void SyncController::setHeartbeat(const QString& page, bool screenOn) {
    std::lock_guard lock(heartbeatMutex_);
    heartbeatPage_ = page.toStdString();
    heartbeatScreenOn_ = screenOn;
}

void SyncController::setDisplayPower(const QString& power) {
    {
        std::lock_guard lock(heartbeatMutex_);
        if (displayPower_ == power.toStdString()) return;
        displayPower_ = power.toStdString();
    }
    emit displayPowerChanged();
}

QString SyncController::displayPower() const {
    std::lock_guard lock(heartbeatMutex_);
    return q(displayPower_);
}

void SyncController::acceptDocument(std::shared_ptr<const wire::ScopeDocument> document, qint64 syncedAt) {
    syncedAt_ = syncedAt;
    onDocumentReceived(std::move(document));
    emit ageChanged();
}

void SyncController::onDocumentReceived(std::shared_ptr<const wire::ScopeDocument> document) {
    if (!document) return;
    const Shown next{document->org(), document->revision(), document->depth(),
                     document->review() ? document->review()->code() : std::string()};
    const bool same = shown_ == next;
    const QString oldAsOf = asOfText();
    shown_ = next;
    document_ = std::move(document);
    if (!same) {
        dashboard_ = dashboard::build_dashboard(*document_, format_, shown_pages(config_));
        emit dashboardChanged();
    }
    if (!same || asOfText() != oldAsOf) emit documentChanged();
    emit ageChanged();
}

bool SyncController::takeSettings(const std::string& tag, const std::string& json) {
    try {
        config_ = with_settings(fileConfig_, parse_settings(json));
    } catch (const std::invalid_argument& e) {
        qCWarning(lcSync).noquote() << "display settings" << q(tag) << "refused:" << e.what();
        return false;
    }
    settingsTag_ = tag;
    format_ = dashboard::Formatter(config_.language);
    qCInfo(lcSync).noquote() << "display settings" << q(tag) << "from the server:" << q(json);
    return true;
}

void SyncController::onSettingsReceived(const QString& tag, const QString& json) {
    if (!takeSettings(tag.toStdString(), json.toStdString())) return;
    if (document_) {
        dashboard_ = dashboard::build_dashboard(*document_, format_, shown_pages(config_));
        emit dashboardChanged();
        emit documentChanged();
    }
    emit connectionChanged();  // its texts are in the language in force
    emit ageChanged();
    emit settingsChanged();
}

void SyncController::onConnectionReported(int connection, const QString& detail) {
    const Connection next = static_cast<Connection>(connection);
    // A failure said again word for word, but for when the next try is, is logged once: a screen offline for a
    // night does not fill its log. chiso.sync.debug shows every attempt.
    if (!detail.isEmpty()) {
        const char* name = connection_name(static_cast<syncclient::Connection>(connection));
        const QString line =
            QLatin1String(name) + QLatin1Char(' ') + detail.section(QStringLiteral("; next try in "), 0, 0);
        if (line != lastLogged_)
            qCInfo(lcSync).noquote() << name << detail;
        else
            qCDebug(lcSync).noquote() << name << detail;
        lastLogged_ = line;
    }
    if (next != connection_ || detail != connectionDetail_) {
        connection_ = next;
        connectionDetail_ = detail;
        emit connectionChanged();
    }
    emit ageChanged();
}

void SyncController::refreshAge() {
    emit ageChanged();
}

qint64 SyncController::revision() const {
    return shown_ ? shown_->revision : 0;
}

QString SyncController::reviewText() const {
    return q(dashboard_.review);
}

QString SyncController::asOfText() const {
    return q(as_of_text(format_, dashboard_.as_of));
}

QString SyncController::connectionText() const {
    switch (connection_) {
        case Connection::Connecting:
            return QString::fromUtf8(format_.tr("Đang kết nối", "Connecting"));
        case Connection::Online:
            return QString::fromUtf8(format_.tr("Trực tuyến", "Online"));
        case Connection::Offline:
            return QString::fromUtf8(format_.tr("Mất kết nối", "Offline"));
        case Connection::Unauthorized:
            return QString::fromUtf8(format_.tr("Máy chủ từ chối thiết bị", "Refused by the server"));
    }
    return {};
}

QString SyncController::lastSyncText() const {
    return q(last_sync_text(format_, syncedAt_, now_seconds()));
}

qint64 SyncController::dataAgeSeconds() const {
    const qint64 synced = syncedAt_;
    return synced > 0 ? std::max<qint64>(0, now_seconds() - synced) : 0;
}

bool SyncController::stale() const {
    if (!shown_) return false;  // the first-boot screen says it all
    if (syncedAt_ <= 0) return true;
    return config_.stale_seconds > 0 ? dataAgeSeconds() > config_.stale_seconds
                                     : is_stale(dataAgeSeconds(), config_.stale_minutes);
}

QString SyncController::staleText() const {
    if (!stale()) return {};
    return q(stale_text(format_, syncedAt_ > 0 ? dataAgeSeconds() : 0, config_.server));
}

QString SyncController::server() const {
    return q(config_.server);
}

QString SyncController::enrolmentText() const {
    return q(enrolment_text(format_, config_.server));
}

QString SyncController::waitingText() const {
    return q(waiting_text(format_, config_.server));
}

}  // namespace chiso::kiosk
