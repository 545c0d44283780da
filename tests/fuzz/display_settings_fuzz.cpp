// Fuzzes display settings (kiosk/settings.hpp), which syncd reads from IT and the kiosk from the network: any bytes
// must give settings within the kiosk's rules or a std::invalid_argument naming the problem, never a crash or
// another exception; settings that are accepted merge with themselves to an object that is accepted again.
#include "kiosk/settings.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace chiso::kiosk;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const DisplaySettings settings = parse_settings(text);
        if ((settings.dwell_seconds && !kDwellSecondsRange.holds(*settings.dwell_seconds)) ||
            (settings.stale_minutes && !kStaleMinutesRange.holds(*settings.stale_minutes)) ||
            (settings.rotation && *settings.rotation % 90 != 0) || (settings.pages && settings.pages->empty()))
            __builtin_trap();  // accepted a value outside the rules
        (void)parse_settings(merge_settings({text, text}));
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
