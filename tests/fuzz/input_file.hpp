// For fuzz targets whose parser reads a file: one file per process in /dev/shm (memory, not the disk), which
// each input overwrites and which is removed at exit.
#pragma once

#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace chiso::fuzz {

class InputFile {
public:
    explicit InputFile(std::string_view name) {
        std::error_code error;
        const std::filesystem::path folder =
            std::filesystem::is_directory("/dev/shm", error) ? "/dev/shm" : std::filesystem::temp_directory_path();
        path_ = folder / ("chiso-fuzz-" + std::to_string(::getpid()) + "-" + std::string(name));
    }
    ~InputFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    // Replaces the file's content with `bytes`; aborts when it cannot, as the input would go untested.
    const std::filesystem::path& write(std::string_view bytes) const {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        if (!out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) || !out.flush()) std::abort();
        return path_;
    }

private:
    std::filesystem::path path_;
};

}  // namespace chiso::fuzz
