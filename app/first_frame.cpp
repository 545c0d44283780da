#include "first_frame.hpp"

#include <QCoreApplication>

#include <unistd.h>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

namespace chiso::kiosk {

double ms_since_process_start() {
    std::ifstream file("/proc/self/stat");
    std::string line;
    std::getline(file, line);
    // The name (field 2) may hold spaces; the start time is field 22, the 20th after the name's ')'.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 22; ++i) fields >> field;
    const double started_ms = std::stod(field) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);  // the clock the kernel's start time counts on
    return static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6 - started_ms;
}

void exit_after_first_frame(QQuickWindow* window) {
    QObject::connect(
        window, &QQuickWindow::frameSwapped, window,
        [] {
            std::printf("first frame: %.1f ms\n", ms_since_process_start());
            std::fflush(stdout);
            QCoreApplication::exit(0);
        },
        Qt::SingleShotConnection);
}

}  // namespace chiso::kiosk
