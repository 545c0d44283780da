// Which of Qt Quick's renderers draws the kiosk: decided before the first window exists (main.cpp).
#pragma once

#include "command_line.hpp"

namespace chiso::kiosk {

// --screenshot always draws with the software renderer: the same pixels on any machine, no GPU needed. Otherwise
// [display] renderer (or --renderer); "auto" asks choose_renderer() whether a GPU render node exists, unless
// QT_QUICK_BACKEND in the environment already chose. Logs the choice. On eglfs, also the DRM card a display is
// connected to (display_card.hpp).
void prepare_graphics(const CommandLine& command_line);

}  // namespace chiso::kiosk
