// Limits in tests, stretched for slow builds. CHISO_TEST_TIME_SCALE multiplies every timing limit passed through
// scaled(), CHISO_TEST_MEMORY_SCALE every memory bound passed through scaled_memory() (AddressSanitizer's shadow
// memory and quarantine take a few times the memory); each a number from 1 to 100, which the asan test preset
// sets. Unset, limits are as written. Only limits stretch, never what a test counts or prints, so a normal build
// is held to the normal figures.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace chiso::test {

// The factor in environment variable `name`, 1 when unset; exits the test with a message when it is not valid.
inline double scale_from_environment(const char* name) {
    const char* text = std::getenv(name);
    if (!text || !*text) return 1.0;
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (*end != '\0' || !(value >= 1.0 && value <= 100.0)) {
        std::fprintf(stderr, "%s must be a number from 1 to 100, not '%s'\n", name, text);
        std::exit(2);
    }
    return value;
}

inline double time_scale() {
    static const double scale = scale_from_environment("CHISO_TEST_TIME_SCALE");
    return scale;
}

inline double memory_scale() {
    static const double scale = scale_from_environment("CHISO_TEST_MEMORY_SCALE");
    return scale;
}

template <class Rep, class Period>
std::chrono::milliseconds scaled(std::chrono::duration<Rep, Period> limit) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(limit * time_scale());
}

inline long long scaled_memory(long long bound) {
    return static_cast<long long>(static_cast<double>(bound) * memory_scale());
}

}  // namespace chiso::test
