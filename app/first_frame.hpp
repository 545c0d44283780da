// --exit-after-first-frame: prints the milliseconds from the process's start, as the kernel recorded it, to
// the window's first frameSwapped, then ends the program. tests/bench/kiosk_bench times start-up with it; its
// baseline (tests/bench/empty_window.cpp) compiles this file too, so both are timed the same way.
#pragma once

#include <QQuickWindow>

namespace chiso::kiosk {

double ms_since_process_start();                    // from /proc/self/stat: the kernel counts in clock ticks (10 ms)
void exit_after_first_frame(QQuickWindow* window);  // prints "first frame: N ms" on stdout, exits with 0

}  // namespace chiso::kiosk
