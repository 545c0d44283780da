// The two ways chiso-syncd's commands touch files: reading one whole, and writing a secret no one else may read.
#pragma once

#include <filesystem>
#include <string>

namespace chiso::syncd {

std::string read_file(const std::filesystem::path& file);  // throws std::runtime_error when it cannot
// A new file, private (0600) from its creation, never through a symbolic link nor over a file that is already
// there (O_CREAT|O_EXCL|O_NOFOLLOW): the token is never readable by others, even briefly, nor written elsewhere.
void write_secret(const std::filesystem::path& file, const std::string& secret);

}  // namespace chiso::syncd
