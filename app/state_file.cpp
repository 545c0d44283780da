#include "state_file.hpp"

#include "logging.hpp"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QSaveFile>

namespace chiso::kiosk {

StateFile::StateFile(Kiosk* kiosk, QString file, QObject* parent)
    : QObject(parent), kiosk_(kiosk), file_(std::move(file)) {
    SyncController* sync = kiosk_->sync();
    // Connected after the Kiosk's own handlers, so the page models are already updated when this runs.
    for (auto signal : {&SyncController::documentChanged, &SyncController::dashboardChanged,
                        &SyncController::connectionChanged, &SyncController::ageChanged})
        connect(sync, signal, this, &StateFile::write);
    connect(kiosk_, &Kiosk::currentPageChanged, this, &StateFile::write);
    connect(sync, &SyncController::settingsChanged, this, &StateFile::write);
    connect(kiosk_, &Kiosk::screenOnChanged, this, &StateFile::write);
    connect(sync, &SyncController::displayPowerChanged, this, &StateFile::write);
    connect(sync, &SyncController::enrolmentChanged, this, &StateFile::write);
    write();
}

void StateFile::write() {
    SyncController* sync = kiosk_->sync();
    QJsonObject state;
    state[QStringLiteral("writtenAtMs")] = QDateTime::currentMSecsSinceEpoch();
    state[QStringLiteral("hasDocument")] = sync->hasDocument();
    state[QStringLiteral("revision")] = sync->revision();
    state[QStringLiteral("asOf")] = sync->asOfText();
    state[QStringLiteral("review")] = sync->reviewText();
    state[QStringLiteral("connection")] = QString::fromLatin1(
        QMetaEnum::fromType<SyncController::Connection>().valueToKey(static_cast<int>(sync->connection())));
    state[QStringLiteral("connectionText")] = sync->connectionText();
    state[QStringLiteral("lastSync")] = sync->lastSyncText();
    state[QStringLiteral("dataAgeSeconds")] = sync->dataAgeSeconds();
    state[QStringLiteral("stale")] = sync->stale();
    state[QStringLiteral("staleText")] = sync->staleText();
    state[QStringLiteral("org")] = kiosk_->orgName();
    state[QStringLiteral("currentPage")] = kiosk_->currentPage();
    state[QStringLiteral("screenOn")] = kiosk_->screenOn();
    state[QStringLiteral("displayPower")] = sync->displayPower();
    state[QStringLiteral("enrolmentCode")] = sync->enrolmentCode();
    // The display settings in force (the file's, with the server's over them) and the tag of the server's.
    const KioskConfig& config = sync->config();
    state[QStringLiteral("settings")] = QJsonObject{
        {QStringLiteral("tag"), QString::fromStdString(sync->settingsTag())},
        {QStringLiteral("dwellSeconds"), config.dwell_seconds},
        {QStringLiteral("language"), config.language == dashboard::Language::vi ? QStringLiteral("vi")
                                                                                : QStringLiteral("en")},
        {QStringLiteral("theme"), config.theme == Theme::dark ? QStringLiteral("dark") : QStringLiteral("light")},
        {QStringLiteral("rotation"), config.rotation},
        {QStringLiteral("staleMinutes"), config.stale_minutes},
        {QStringLiteral("pinPage"), QString::fromStdString(config.pin_page)},
        {QStringLiteral("review"), QString::fromStdString(config.review)},
        {QStringLiteral("scheduled"), !config.schedule.always_on},
    };

    QJsonArray pages;
    PageModel* model = kiosk_->pages();
    for (int row = 0; row < model->rowCount(); ++row) {
        QJsonArray tiles;
        if (TileModel* tileModel = model->tiles(row)) {
            for (int t = 0; t < tileModel->rowCount(); ++t) {
                const QModelIndex index = tileModel->index(t);
                tiles.append(QJsonObject{
                    {QStringLiteral("indicator"), tileModel->data(index, TileModel::IndicatorRole).toString()},
                    {QStringLiteral("label"), tileModel->data(index, TileModel::LabelRole).toString()},
                    {QStringLiteral("value"), tileModel->data(index, TileModel::ValueRole).toString()},
                });
            }
        }
        pages.append(QJsonObject{{QStringLiteral("key"), model->key(row)},
                                 {QStringLiteral("title"), model->title(row)},
                                 {QStringLiteral("tiles"), tiles}});
    }
    state[QStringLiteral("pages")] = pages;

    QSaveFile out(file_);  // a temporary file renamed over the old one on commit: readers see whole states only
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(state).toJson(QJsonDocument::Compact)) < 0 ||
        !out.commit())
        qCWarning(lcKiosk).noquote() << "cannot write the state file" << file_ << ":" << out.errorString();
}

}  // namespace chiso::kiosk
