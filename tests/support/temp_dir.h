// A fresh, uniquely named directory under the system temp dir for one test's files.
#pragma once

#include <filesystem>
#include <string>

namespace fixgate::testing {

// Throws std::runtime_error when it cannot be created.
[[nodiscard]] std::filesystem::path makeTempDir(const std::string& prefix);

}  // namespace fixgate::testing
