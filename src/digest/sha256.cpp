#include "digest/sha256.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace fixgate::digest {
namespace {

struct MdDeleter {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

[[noreturn]] void opensslFailed(const char* what) {
  throw std::runtime_error(std::string("OpenSSL ") + what +
                           " (SHA-256) failed");  // only when OpenSSL is broken
}

const EVP_MD* sha256() {
  static const std::unique_ptr<EVP_MD, MdDeleter> md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  if (!md) opensslFailed("EVP_MD_fetch");
  return md.get();
}

std::string toHex(const unsigned char* digest, unsigned int size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * size, '0');
  for (unsigned int i = 0; i < size; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
  return sha256Hex({bytes});
}

std::string sha256Hex(std::initializer_list<std::string_view> parts) {
  thread_local const std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) opensslFailed("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(ctx.get(), sha256(), nullptr) != 1) opensslFailed("EVP_DigestInit_ex");
  for (const std::string_view part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) opensslFailed("EVP_DigestUpdate");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) opensslFailed("EVP_DigestFinal_ex");
  return toHex(digest, size);
}

}  // namespace fixgate::digest
