#include "security/credentials.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "security/password_hash.h"
#include "security/secret_file.h"

namespace fixgate::security {

bool isValidUsername(std::string_view username) {
  return !username.empty() && username.size() <= 64 &&
         std::all_of(username.begin(), username.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-' || c == '@';
         });
}

std::expected<Credentials, std::vector<CredentialsError>> loadCredentials(const std::filesystem::path& path) {
  if (auto secret = checkSecretFile(path, "the credentials file"); !secret)
    return std::unexpected(std::vector<CredentialsError>{{0, secret.error()}});
  std::ifstream in(path);
  if (!in) return std::unexpected(std::vector<CredentialsError>{{0, "cannot be opened"}});
  Credentials credentials;
  std::vector<CredentialsError> errors;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      errors.push_back({number, "expected username:pbkdf2-sha256$..., as tools/fixgate-passwd writes"});
      continue;
    }
    const std::string username = line.substr(0, colon);
    const std::string hash = line.substr(colon + 1);
    if (!isValidUsername(username)) {
      errors.push_back({number, "the username must be 1 to 64 letters, digits, '.', '_', '-' or '@'"});
      continue;
    }
    if (auto format = checkHashFormat(hash); !format) {
      errors.push_back(
          {number, fmt::format("user {}: {}; set it again with fixgate-passwd", username, format.error())});
      continue;
    }
    if (!credentials.emplace(username, hash).second)
      errors.push_back({number, fmt::format("user {} is listed twice", username)});
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return credentials;
}

}  // namespace fixgate::security
