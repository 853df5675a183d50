#include "security/secret_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace fixgate::security {

std::expected<void, std::string> checkSecretFile(const std::filesystem::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return std::unexpected(
        fmt::format("{} {} cannot be read: {}", what, path.string(), std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    return std::unexpected(fmt::format("{} {} is not a regular file", what, path.string()));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return std::unexpected(fmt::format(
        "{} {} is readable or writable by its group or others (mode {:04o}): a secret must be its owner's "
        "alone; run chmod 600 {}",
        what, path.string(), st.st_mode & 07777, path.string()));
  return {};
}

}  // namespace fixgate::security
