#include "display_card.hpp"

#include "logging.hpp"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <climits>

namespace chiso::kiosk {

QString connected_card(const QString& sysfs_drm) {
    static const QRegularExpression connector(QStringLiteral("^card(\\d+)-.+$"));
    int connected = INT_MAX;
    int with_connector = INT_MAX;
    const auto entries = QDir(sysfs_drm).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System);
    for (const QString& name : entries) {
        const auto match = connector.match(name);
        if (!match.hasMatch()) continue;
        const int card = match.captured(1).toInt();
        with_connector = std::min(with_connector, card);
        QFile status(sysfs_drm + u'/' + name + QStringLiteral("/status"));
        if (status.open(QIODevice::ReadOnly) && status.read(64).trimmed() == "connected")
            connected = std::min(connected, card);
    }
    const int best = connected != INT_MAX ? connected : with_connector;
    return best == INT_MAX ? QString() : QStringLiteral("/dev/dri/card%1").arg(best);
}

DisplayConnection display_connection(const QString& sysfs_drm) {
    static const QRegularExpression connector(QStringLiteral("^card\\d+-(.+)$"));
    DisplayConnection found;
    const auto entries = QDir(sysfs_drm).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
    for (const QString& name : entries) {
        const auto match = connector.match(name);
        if (!match.hasMatch()) continue;
        QFile status(sysfs_drm + u'/' + name + QStringLiteral("/status"));
        if (!status.open(QIODevice::ReadOnly)) continue;
        const QByteArray state = status.read(64).trimmed();
        if (state == "connected") return {true, match.captured(1)};
        if (state == "disconnected" && !found.connected) found = {false, match.captured(1)};  // "unknown": a writeback
    }
    return found;
}

QByteArray config_with_device(const QByteArray& config, const QString& device) {
    QJsonObject object;
    if (!config.trimmed().isEmpty()) {
        const auto document = QJsonDocument::fromJson(config);
        if (!document.isObject()) return {};
        object = document.object();
    }
    object.insert(QStringLiteral("device"), device);
    return QJsonDocument(object).toJson();
}

void choose_display_card(const QString& sysfs_drm, const QString& runtime_dir) {
    if (qEnvironmentVariable("QT_QPA_PLATFORM") != QStringLiteral("eglfs")) return;
    const QString integration = qEnvironmentVariable("QT_QPA_EGLFS_INTEGRATION");
    if (!integration.isEmpty() && integration != QStringLiteral("eglfs_kms")) return;

    QByteArray config;
    const QString config_path = qEnvironmentVariable("QT_QPA_EGLFS_KMS_CONFIG");
    if (!config_path.isEmpty()) {
        QFile file(config_path);
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcKiosk) << "display: cannot read" << config_path << "- Qt chooses the card";
            return;
        }
        config = file.read(64 * 1024);
        const auto document = QJsonDocument::fromJson(config);
        if (document.isObject() && document.object().contains(QStringLiteral("device"))) {
            qCInfo(lcKiosk) << "display: card" << document.object().value(QStringLiteral("device")).toString()
                            << "as" << config_path << "says";
            return;
        }
    }
    const QString card = connected_card(sysfs_drm);
    if (card.isEmpty()) {
        qCWarning(lcKiosk) << "display: no DRM card has a connector - Qt chooses the card";
        return;
    }
    const QByteArray chosen = config_with_device(config, card);
    if (chosen.isEmpty()) {
        qCWarning(lcKiosk) << "display:" << config_path << "is not a JSON object - Qt chooses the card";
        return;
    }
    QSaveFile out(runtime_dir + QStringLiteral("/eglfs-kms.json"));
    if (!out.open(QIODevice::WriteOnly) || out.write(chosen) != chosen.size() || !out.commit()) {
        qCWarning(lcKiosk) << "display: cannot write" << out.fileName() << "- Qt chooses the card";
        return;
    }
    qputenv("QT_QPA_EGLFS_KMS_CONFIG", QFile::encodeName(out.fileName()));
    qCInfo(lcKiosk) << "display: card" << card << "(the first with a display connected, else with a connector)";
}

}  // namespace chiso::kiosk
