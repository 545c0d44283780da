// Fuzzes the kiosk's configuration file (chiso-kiosk.toml, read by kiosk::load_config): any bytes must give a
// configuration within the kiosk's rules or a std::runtime_error naming the problem, never a crash or another
// exception.
#include "input_file.hpp"
#include "kiosk/config.hpp"

#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chiso::kiosk;
    static const chiso::fuzz::InputFile file("chiso-kiosk.toml");
    try {
        const KioskConfig config = load_config(file.write(std::string_view(reinterpret_cast<const char*>(data), size)));
        if (!kDepthRange.holds(config.depth) || !kDwellSecondsRange.holds(config.dwell_seconds) ||
            !kStaleMinutesRange.holds(config.stale_minutes) || config.rotation % 90 != 0 || config.rotation < 0 ||
            config.rotation > 270)
            __builtin_trap();  // accepted a value outside the rules
        (void)check_pages(config.pages, "pages");
    } catch (const std::runtime_error&) {
    }
    return 0;
}
