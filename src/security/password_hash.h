// Salted, slow password hashes: PBKDF2-HMAC-SHA256 through OpenSSL, stored as one self-describing string
//   pbkdf2-sha256$<iterations>$<salt, 32 hex digits>$<derived key, 64 hex digits>
// so the iteration count can be raised for new entries without invalidating old ones.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace fixgate::security {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256. About 0.25 s per check on this 2-vCPU VM: logons are rare,
// guessing is expensive.
inline constexpr int kDefaultPbkdf2Iterations = 600'000;
inline constexpr int kMinPbkdf2Iterations = 1'000;  // tests use few; the file loader refuses fewer

// A new hash of `password` with a fresh random salt. Throws only when OpenSSL fails (start-up tools only).
[[nodiscard]] std::string hashPassword(std::string_view password, int iterations = kDefaultPbkdf2Iterations);

// Whether `encoded` is a well-formed hash; the error says what is wrong (never echoing the value).
[[nodiscard]] std::expected<void, std::string> checkHashFormat(std::string_view encoded);

// True when `password` matches `encoded` (constant-time comparison). False for a malformed `encoded`.
[[nodiscard]] bool verifyPassword(std::string_view password, std::string_view encoded);

}  // namespace fixgate::security
