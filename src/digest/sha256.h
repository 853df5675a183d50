// SHA-256 through OpenSSL, for the limits version hash and the audit hash chain.
#pragma once

#include <string>
#include <string_view>

namespace fixgate::digest {

// Lowercase hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

}  // namespace fixgate::digest
