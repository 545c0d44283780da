// chiso-kiosk's command line: the configuration file, flags that override it, and the screenshot mode that
// renders one page offscreen to a PNG (for tests, documentation and checking a new screen's layout).
#pragma once

#include "kiosk/config.hpp"
#include "kiosk.hpp"

#include <QString>
#include <QStringList>

#include <optional>

namespace chiso::kiosk {

struct ScreenshotOptions {
    QString file;
    int timeout_seconds = 30;  // how long to wait for the first document before drawing what there is
};

struct CommandLine {
    KioskConfig config;
    RunOptions run;
    std::optional<ScreenshotOptions> screenshot;
    bool exit_after_first_frame = false;  // print the ms from process start to the first frame, then exit
    QString state_file;                   // --state-file: empty for none
    std::optional<int> exit_code;  // set when the program should end now: --help, --version, or an error (printed)
};

CommandLine parse_command_line(const QStringList& arguments);

// main()'s arguments as a list, before any QCoreApplication exists.
QStringList arguments_of(int argc, char* argv[]);

}  // namespace chiso::kiosk
