// The fuzz targets without libFuzzer, for the gcc builds (ci, asan): runs every input it is given through
// LLVMFuzzerTestOneInput once, so that ctest replays the seed corpora and every input that once crashed.
// Usage: <target>_fuzz FILE_OR_FOLDER...   (a folder: each file in it, except dot files and README*)
// A missing folder counts as empty; no input at all is a failure, as is any crash or sanitizer report.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);  // optional, as in libFuzzer

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const fs::path& argument) {
    std::vector<fs::path> files;
    std::error_code error;
    if (fs::is_directory(argument, error)) {
        for (const fs::directory_entry& entry : fs::directory_iterator(argument)) {
            const std::string name = entry.path().filename().string();
            if (entry.is_regular_file() && !name.starts_with('.') && !name.starts_with("README"))
                files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
    } else if (fs::exists(argument, error)) {
        files.push_back(argument);
    }
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    std::size_t total = 0;
    for (int a = 1; a < argc; ++a) {
        const std::vector<fs::path> files = inputs_in(argv[a]);
        for (const fs::path& file : files) {
            std::ifstream in(file, std::ios::binary);
            const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            // A copy of exactly the file's size, so that AddressSanitizer sees any read past its end.
            const auto copy = std::make_unique<std::uint8_t[]>(bytes.size());
            std::copy(bytes.begin(), bytes.end(), copy.get());
            LLVMFuzzerTestOneInput(copy.get(), bytes.size());
        }
        std::printf("%s: %zu input%s\n", argv[a], files.size(), files.size() == 1 ? "" : "s");
        total += files.size();
    }
    if (total == 0) {
        std::fprintf(stderr, "no inputs: give files or folders holding them\n");
        return 1;
    }
    std::printf("replayed %zu inputs, none crashed\n", total);
    return 0;
}
