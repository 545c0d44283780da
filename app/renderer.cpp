#include "renderer.hpp"

#include "display_card.hpp"
#include "logging.hpp"

#include <QDir>
#include <QQuickWindow>

#include <filesystem>
#include <system_error>

namespace chiso::kiosk {

namespace {

// A DRM render node is how Mesa reaches a GPU; without one, its OpenGL runs on the CPU (llvmpipe).
bool has_gpu_render_node() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/dri", ec))
        if (entry.path().filename().string().rfind("renderD", 0) == 0) return true;
    return false;
}

}  // namespace

void prepare_graphics(const CommandLine& command_line) {
    if (!command_line.screenshot) {
        const QString runtime_dir = qEnvironmentVariable("XDG_RUNTIME_DIR", QDir::tempPath());
        choose_display_card(QStringLiteral("/sys/class/drm"), runtime_dir);
    }
    Renderer asked = command_line.screenshot ? Renderer::software : command_line.config.renderer;
    if (asked == Renderer::automatic && qEnvironmentVariableIsSet("QT_QUICK_BACKEND")) {
        qCInfo(lcKiosk) << "renderer: as QT_QUICK_BACKEND says," << qEnvironmentVariable("QT_QUICK_BACKEND");
        return;
    }
    const bool gpu = has_gpu_render_node();
    const Renderer chosen = choose_renderer(asked, gpu);
    QQuickWindow::setGraphicsApi(chosen == Renderer::software ? QSGRendererInterface::Software
                                                              : QSGRendererInterface::OpenGL);
    qCInfo(lcKiosk).nospace() << "renderer: " << (chosen == Renderer::software ? "software" : "opengl")
                              << (asked == Renderer::automatic ? (gpu ? " (a GPU render node is present)"
                                                                      : " (no GPU render node)")
                                                               : " (configured)");
}

}  // namespace chiso::kiosk
