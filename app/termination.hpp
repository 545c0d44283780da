// Ends the event loop on SIGTERM or SIGINT (systemd's stop, Ctrl-C), so the kiosk leaves as it would on its
// own: the sync thread is joined and the cache closed, rather than killed in the middle of a step.
#pragma once

namespace chiso::kiosk {

// Call once, after the QCoreApplication exists.
void quit_on_termination_signals();

}  // namespace chiso::kiosk
