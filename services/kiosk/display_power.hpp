// Display power over HDMI-CEC, without Qt: the cec-ctl commands (Debian's v4l-utils) that put a display in standby
// outside the kiosk's schedule and wake it at the schedule's start, and what cec-ctl's answer to a power-status
// request says. The kiosk runs them (app/display_power.cpp); syncd reads the state its heartbeat reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chiso::kiosk {

// What the display says of its power; unknown when it does not answer (no CEC, or a display that ignores it).
enum class PanelPower { unknown, on, standby };
std::string_view power_name(PanelPower power);  // "unknown", "on", "standby"

// The arguments after `cec-ctl`, for the CEC adapter `device` (/dev/cec0): announce this machine as a playback
// device (once, before the others); standby; wake (Image View On, which also switches most displays to this
// input); ask the display (logical address 0, the TV) for its power status.
std::vector<std::string> cec_configure(const std::string& device);
std::vector<std::string> cec_standby(const std::string& device);
std::vector<std::string> cec_wake(const std::string& device);
std::vector<std::string> cec_power_query(const std::string& device);

// cec-ctl's output for cec_power_query: "pwr-state: on (0x00)" is on, "standby (0x01)" standby, a transition is
// where it is going; anything else (a NACK, a timeout, no reply) unknown.
PanelPower parse_power_status(std::string_view output);

}  // namespace chiso::kiosk
