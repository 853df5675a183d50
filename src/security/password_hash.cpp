#include "security/password_hash.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

namespace fixgate::security {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;

std::string toHex(const unsigned char* data, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0x0f];
  }
  return out;
}

std::optional<std::vector<unsigned char>> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, value, 16);
    if (ec != std::errc{} || end != hex.data() + 2 * i + 2) return std::nullopt;
    out[i] = static_cast<unsigned char>(value);
  }
  return out;
}

struct Parsed {
  int iterations = 0;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> key;
};

std::expected<Parsed, std::string> parse(std::string_view encoded) {
  std::array<std::string_view, 4> parts;
  std::size_t count = 0;
  std::size_t start = 0;
  while (count < parts.size()) {
    const std::size_t end = encoded.find('$', start);
    parts[count++] = encoded.substr(start, end == std::string_view::npos ? end : end - start);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (count != 4 || encoded.find('$', start) != std::string_view::npos)
    return std::unexpected("not of the form pbkdf2-sha256$<iterations>$<salt hex>$<key hex>");
  if (parts[0] != kScheme)
    return std::unexpected(fmt::format("unknown scheme '{}' (only {} is supported)", parts[0], kScheme));
  Parsed p;
  const auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), p.iterations);
  if (ec != std::errc{} || end != parts[1].data() + parts[1].size() || p.iterations < kMinPbkdf2Iterations)
    return std::unexpected(
        fmt::format("iterations must be a whole number of at least {}", kMinPbkdf2Iterations));
  auto salt = fromHex(parts[2]);
  if (!salt || salt->size() < 8) return std::unexpected("the salt must be at least 16 hex digits");
  auto key = fromHex(parts[3]);
  if (!key || key->size() != kKeyBytes) return std::unexpected("the derived key must be 64 hex digits");
  p.salt = std::move(*salt);
  p.key = std::move(*key);
  return p;
}

std::array<unsigned char, kKeyBytes> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                            int iterations) {
  std::array<unsigned char, kKeyBytes> key{};
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(), static_cast<int>(key.size()),
                        key.data()) != 1) {
    throw std::runtime_error("OpenSSL PKCS5_PBKDF2_HMAC failed");  // only when OpenSSL itself is broken
  }
  return key;
}

}  // namespace

std::string hashPassword(std::string_view password, int iterations) {
  if (iterations < kMinPbkdf2Iterations)
    throw std::invalid_argument(fmt::format("iterations must be at least {}", kMinPbkdf2Iterations));
  std::vector<unsigned char> salt(kSaltBytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed: no salt");
  const auto key = derive(password, salt, iterations);
  return fmt::format("{}${}${}${}", kScheme, iterations, toHex(salt.data(), salt.size()),
                     toHex(key.data(), key.size()));
}

std::expected<void, std::string> checkHashFormat(std::string_view encoded) {
  auto parsed = parse(encoded);
  if (!parsed) return std::unexpected(parsed.error());
  return {};
}

bool verifyPassword(std::string_view password, std::string_view encoded) {
  const auto parsed = parse(encoded);
  if (!parsed) return false;
  const auto key = derive(password, parsed->salt, parsed->iterations);
  return CRYPTO_memcmp(key.data(), parsed->key.data(), key.size()) == 0;
}

}  // namespace fixgate::security
