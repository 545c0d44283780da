// chiso-kiosk: party-building indicators on a wall screen. Everything but this file is in chiso_kiosk_lib.
#include "allocator.hpp"
#include "command_line.hpp"
#include "display_power.hpp"
#include "drawn_revision.hpp"
#include "first_frame.hpp"
#include "kiosk.hpp"
#include "proof_of_render.hpp"
#include "renderer.hpp"
#include "screenshot.hpp"
#include "service_manager.hpp"
#include "state_file.hpp"
#include "termination.hpp"

#include <QApplication>
#include <QQmlApplicationEngine>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(ChisoPlugin)
Q_IMPORT_QML_PLUGIN(ChisoUiPlugin)

int main(int argc, char* argv[]) {
    chiso::kiosk::return_large_blocks_to_the_system();
    QApplication::setApplicationName(QStringLiteral("chiso-kiosk"));
    QApplication::setApplicationVersion(QStringLiteral(CHISO_KIOSK_VERSION));
    // Read before QApplication, which needs a display: --help, --version and mistakes answer on any terminal.
    const auto options = chiso::kiosk::parse_command_line(chiso::kiosk::arguments_of(argc, argv));
    if (options.exit_code) return *options.exit_code;
    chiso::kiosk::prepare_graphics(options);
    QApplication app(argc, argv);  // Qt Charts draws through QGraphicsScene, which needs a QApplication
    chiso::kiosk::quit_on_termination_signals();

    chiso::kiosk::Kiosk kiosk(options.config, options.run);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("kiosk"), QVariant::fromValue(&kiosk)}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Chiso/Ui/Main.qml")));
    if (engine.rootObjects().isEmpty()) return 1;
    std::unique_ptr<chiso::kiosk::StateFile> stateFile;
    if (!options.state_file.isEmpty())
        stateFile = std::make_unique<chiso::kiosk::StateFile>(&kiosk, options.state_file);
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    chiso::kiosk::tell_service_manager(window);
    new chiso::kiosk::DrawnRevision(window, kiosk.sync());  // owned by the window
    if (options.exit_after_first_frame) chiso::kiosk::exit_after_first_frame(window);
    kiosk.start();
    chiso::kiosk::DisplayPower power(&kiosk);
    std::unique_ptr<chiso::kiosk::Screenshot> screenshot;
    std::unique_ptr<chiso::kiosk::ProofOfRender> proof;
    if (options.screenshot)
        screenshot = std::make_unique<chiso::kiosk::Screenshot>(window, &kiosk, *options.screenshot);
    else
        proof = std::make_unique<chiso::kiosk::ProofOfRender>(window, &kiosk, chiso::kiosk::proof_interval());
    return QApplication::exec();
}
