// Files that hold secrets (the logon credentials, TLS private keys, a database password file) are checked
// when the gateway starts: they must exist, be regular files and be readable by their owner only.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace fixgate::security {

// "" when `path` is a regular file with no group or other permission bits; otherwise why not, naming
// `what` and the command that fixes it (e.g. "chmod 600 /etc/fixgate/credentials").
[[nodiscard]] std::expected<void, std::string> checkSecretFile(const std::filesystem::path& path,
                                                               std::string_view what);

}  // namespace fixgate::security
