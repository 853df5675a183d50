// Whole text files for tests that edit the gateway's configuration between runs.
#pragma once

#include <filesystem>
#include <string>

namespace fixgate::testing {

// The file's bytes; throws std::runtime_error when it cannot be read.
[[nodiscard]] std::string readTextFile(const std::filesystem::path& path);
// Replaces the file's content with `text`; throws std::runtime_error when it cannot be written.
void writeTextFile(const std::filesystem::path& path, const std::string& text);

}  // namespace fixgate::testing
