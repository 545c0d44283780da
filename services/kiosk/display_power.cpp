#include "kiosk/display_power.hpp"

namespace chiso::kiosk {

std::string_view power_name(PanelPower power) {
    switch (power) {
        case PanelPower::on:
            return "on";
        case PanelPower::standby:
            return "standby";
        case PanelPower::unknown:
            break;
    }
    return "unknown";
}

std::vector<std::string> cec_configure(const std::string& device) {
    return {"-d", device, "--playback", "--osd-name", "chiso"};
}

std::vector<std::string> cec_standby(const std::string& device) {
    return {"-d", device, "--to", "0", "--standby"};
}

std::vector<std::string> cec_wake(const std::string& device) {
    return {"-d", device, "--to", "0", "--image-view-on"};
}

std::vector<std::string> cec_power_query(const std::string& device) {
    return {"-d", device, "--to", "0", "--give-device-power-status"};
}

PanelPower parse_power_status(std::string_view output) {
    const auto at = output.find("pwr-state:");
    if (at == std::string_view::npos) return PanelPower::unknown;
    const std::string_view rest = output.substr(at + 10, 48);
    // "in transition standby to on" / "in transition on to standby": where it is going.
    if (rest.find("to on") != std::string_view::npos) return PanelPower::on;
    if (rest.find("to standby") != std::string_view::npos) return PanelPower::standby;
    if (rest.find("standby") != std::string_view::npos) return PanelPower::standby;
    if (rest.find("on") != std::string_view::npos) return PanelPower::on;
    return PanelPower::unknown;
}

}  // namespace chiso::kiosk
