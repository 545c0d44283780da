// The Qt Quick Test harness for the kiosk's QML (each tst_*.qml is its own ctest). It loads the real modules
// Chiso and Chiso.Ui, and gives the tests, as the singleton ChisoTest.Fixture, kiosks in the states the wall
// must handle: before any data, with fresh data, and with data older than the stale threshold.
#include "dashboard_models.hpp"
#include "fake_dashboard.hpp"
#include "kiosk.hpp"
#include "syncclient/cache.hpp"

#include <QtQuickTest/quicktest.h>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(ChisoPlugin)
Q_IMPORT_QML_PLUGIN(ChisoUiPlugin)

using namespace chiso;
using namespace chiso::kiosk;

class Fixture : public QObject {
    Q_OBJECT
    Q_PROPERTY(chiso::kiosk::Kiosk* firstBootKiosk READ firstBootKiosk CONSTANT)
    Q_PROPERTY(chiso::kiosk::Kiosk* freshKiosk READ freshKiosk CONSTANT)
    Q_PROPERTY(chiso::kiosk::Kiosk* staleKiosk READ staleKiosk CONSTANT)
    Q_PROPERTY(chiso::kiosk::PageModel* pages READ pages CONSTANT)
    // The charts of the fake dashboard's second page: a line chart, then a horizontal bar chart.
    Q_PROPERTY(chiso::kiosk::ChartModel* charts READ charts CONSTANT)

public:
    Fixture() {
        firstBoot_ = makeKiosk("first-boot");
        fresh_ = makeKiosk("fresh");
        stale_ = makeKiosk("stale");
        const auto document = scopeDocument();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        fresh_->sync()->acceptDocument(document, now - 120);
        stale_->sync()->acceptDocument(document, now - 5 * 3600 - 600);  // threshold: 2 h
        pages_.set(test::first_dashboard(), dashboard::Language::vi);
    }

    Kiosk* firstBootKiosk() { return firstBoot_.get(); }
    Kiosk* freshKiosk() { return fresh_.get(); }
    Kiosk* staleKiosk() { return stale_.get(); }
    PageModel* pages() { return &pages_; }
    ChartModel* charts() { return pages_.charts(1); }

    // A list of `count` base organisations, each with a detail line.
    Q_INVOKABLE chiso::kiosk::ListItemModel* organisations(int count) {
        auto* items = new ListItemModel(this);
        std::vector<dashboard::ListItem> list;
        for (int i = 1; i <= count; ++i)
            list.push_back({"Chi bộ Trường Trung học phổ thông số " + std::to_string(i), "Sự nghiệp · chỉ tiêu 2"});
        items->set(std::move(list), "tổ chức", dashboard::Language::vi);
        return items;
    }

    // The next sync of the fake dashboard: one tile, one chart and one list change.
    Q_INVOKABLE void applySecondDashboard() { pages_.set(test::second_dashboard(), dashboard::Language::vi); }

private:
    std::unique_ptr<Kiosk> makeKiosk(const QString& name) {
        KioskConfig config;
        config.server = "http://127.0.0.1:9";  // nothing listens there; the kiosks are never started anyway
        config.cache = (dir_.path() + QLatin1Char('/') + name + QStringLiteral(".db")).toStdString();
        config.token_file = (dir_.path() + QStringLiteral("/no.token")).toStdString();
        RunOptions run;
        run.full_screen = false;
        auto kiosk = std::make_unique<Kiosk>(config, run);
        QQmlEngine::setObjectOwnership(kiosk.get(), QQmlEngine::CppOwnership);
        return kiosk;
    }

    static std::shared_ptr<const wire::ScopeDocument> scopeDocument() {
        QFile file(QStringLiteral(CHISO_KIOSK_TEST_DATA "/scope-ht.json"));
        if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read the scope fixture");
        const QByteArray json = file.readAll();
        std::string error;
        auto document = wire::ScopeDocument::parse(
            std::string_view(json.constData(), static_cast<std::size_t>(json.size())), &error);
        if (!document) qFatal("the scope fixture does not parse: %s", error.c_str());
        return std::make_shared<const wire::ScopeDocument>(std::move(*document));
    }

    QTemporaryDir dir_;
    std::unique_ptr<Kiosk> firstBoot_, fresh_, stale_;
    PageModel pages_;
};

class Setup : public QObject {
    Q_OBJECT

public slots:
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        if (!fixture_) fixture_ = std::make_unique<Fixture>();
        qmlRegisterSingletonInstance("ChisoTest", 1, 0, "Fixture", fixture_.get());
    }

private:
    std::unique_ptr<Fixture> fixture_;
};

int main(int argc, char** argv) {
    QApplication app(argc, argv);  // Qt Charts needs a QApplication
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "kiosk_qml", CHISO_KIOSK_QML_TESTS, &setup);
}

#include "quick_main.moc"
