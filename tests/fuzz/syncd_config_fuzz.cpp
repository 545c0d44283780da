// Fuzzes chiso-syncd's configuration file (chiso-syncd.toml, read by syncd::load_config): any bytes must give a
// configuration or a std::runtime_error naming the problem, never a crash or another exception.
#include "input_file.hpp"
#include "syncd/config.hpp"

#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const chiso::fuzz::InputFile file("chiso-syncd.toml");
    try {
        const chiso::syncd::Config config =
            chiso::syncd::load_config(file.write(std::string_view(reinterpret_cast<const char*>(data), size)));
        if (config.server.threads < 1 || config.server.threads > 256) __builtin_trap();  // outside its range
    } catch (const std::runtime_error&) {
    }
    return 0;
}
