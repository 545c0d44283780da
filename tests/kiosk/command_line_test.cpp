// chiso-kiosk's command line on a terminal with no display at all (no DISPLAY, no WAYLAND_DISPLAY, no
// QT_QPA_PLATFORM): --help and --version answer and exit 0, a mistake says what it is and exits 2, before Qt
// looks for a screen.
#include "support/syncd_process.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chiso::test {
namespace {

std::string run_without_display(const std::vector<std::string>& arguments, int* status) {
    std::vector<std::string> command{"/usr/bin/env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", "-u", "QT_QPA_PLATFORM",
                                     CHISO_KIOSK_BIN};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_command(command, status, /*and_stderr=*/true);
}

TEST(KioskCommandLine, help_lists_the_options_without_a_display) {
    int status = -1;
    const std::string out = run_without_display({"--help"}, &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("Usage: chiso-kiosk [options]"), std::string::npos) << out;
    EXPECT_NE(out.find("--screenshot <file>"), std::string::npos) << out;
    EXPECT_EQ(out.find("platform plugin"), std::string::npos) << out;
}

TEST(KioskCommandLine, version_names_the_program_and_its_version_without_a_display) {
    int status = -1;
    const std::string out = run_without_display({"--version"}, &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_EQ(out, "chiso-kiosk " CHISO_KIOSK_VERSION "\n");
}

TEST(KioskCommandLine, an_unknown_option_is_named_and_exits_2_without_a_display) {
    int status = -1;
    const std::string out = run_without_display({"--no-such-option"}, &status);
    EXPECT_EQ(status, 2) << out;
    EXPECT_EQ(out, "chiso-kiosk: Unknown option 'no-such-option'.\n");
}

}  // namespace
}  // namespace chiso::test
