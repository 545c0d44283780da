#include "syncd/files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chiso::syncd {
namespace fs = std::filesystem;

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

void write_secret(const fs::path& file, const std::string& secret) {
    std::ofstream{file, std::ios::trunc};
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    std::ofstream out(file, std::ios::trunc);
    if (!(out << secret << '\n')) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace chiso::syncd
