// The logon credentials file: one line per user, `username:pbkdf2-sha256$...` (password_hash.h), `#`
// comments and blank lines ignored. It lives outside the repository (gateway.yaml security.credentials_file,
// written by tools/fixgate-passwd) and must be readable by its owner only.
#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fixgate::security {

struct CredentialsError {
  int line = 0;  // 0: the file as a whole
  std::string message;
};

// username -> encoded hash
using Credentials = std::map<std::string, std::string, std::less<>>;

// Reads and checks the file (permissions, syntax, hash format, duplicate users); every problem is reported.
[[nodiscard]] std::expected<Credentials, std::vector<CredentialsError>> loadCredentials(
    const std::filesystem::path& path);

// Usernames: 1 to 64 of letters, digits, '.', '_', '-', '@'.
[[nodiscard]] bool isValidUsername(std::string_view username);

}  // namespace fixgate::security
