// The two ways chiso-syncd's commands touch files: reading one whole, and writing a secret no one else may read.
#pragma once

#include <filesystem>
#include <string>

namespace chiso::syncd {

std::string read_file(const std::filesystem::path& file);  // throws std::runtime_error when it cannot
// Created empty, made private (0600), then filled: the token is never readable by others, even briefly.
void write_secret(const std::filesystem::path& file, const std::string& secret);

}  // namespace chiso::syncd
