// HDMI-CEC as the kiosk drives it (kiosk/display_power.hpp): the cec-ctl commands and what a display's answer to a
// power-status request says, from cec-ctl's real output format.
#include "kiosk/display_power.hpp"

#include <gtest/gtest.h>

namespace chiso::kiosk {

TEST(DisplayPowerCec, the_commands_address_the_display_through_the_adapter) {
    EXPECT_EQ(cec_standby("/dev/cec0"), (std::vector<std::string>{"-d", "/dev/cec0", "--to", "0", "--standby"}));
    EXPECT_EQ(cec_wake("/dev/cec1"), (std::vector<std::string>{"-d", "/dev/cec1", "--to", "0", "--image-view-on"}));
    EXPECT_EQ(cec_power_query("/dev/cec0").back(), "--give-device-power-status");
    EXPECT_EQ(cec_configure("/dev/cec0"),
              (std::vector<std::string>{"-d", "/dev/cec0", "--playback", "--osd-name", "chiso"}));
}

TEST(DisplayPowerCec, a_power_status_reply_is_read_and_no_reply_is_unknown) {
    const std::string reply =
        "Transmit from Playback Device 1 to TV (4 to 0):\nGIVE_DEVICE_POWER_STATUS (0x8f)\n"
        "\tSequence: 3 Tx Timestamp: 204.552s Rx Timestamp: 204.662s\n    Received from TV (0):\n"
        "    REPORT_POWER_STATUS (0x90):\n        pwr-state: ";
    EXPECT_EQ(parse_power_status(reply + "on (0x00)\n"), PanelPower::on);
    EXPECT_EQ(parse_power_status(reply + "standby (0x01)\n"), PanelPower::standby);
    EXPECT_EQ(parse_power_status(reply + "in transition standby to on (0x02)\n"), PanelPower::on);
    EXPECT_EQ(parse_power_status(reply + "in transition on to standby (0x03)\n"), PanelPower::standby);
    EXPECT_EQ(parse_power_status("Transmit from Playback Device 1 to TV (4 to 0):\nGIVE_DEVICE_POWER_STATUS (0x8f)\n"
                                 "\tTx, Not Acknowledged (4), Max Retries\n"),
              PanelPower::unknown);
    EXPECT_EQ(parse_power_status(""), PanelPower::unknown);
    EXPECT_EQ(power_name(PanelPower::standby), "standby");
}

}  // namespace chiso::kiosk
