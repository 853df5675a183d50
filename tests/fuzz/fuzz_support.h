// Shared by the libFuzzer targets: where the repository is, a per-process scratch directory, and how a
// broken invariant is reported (a message naming the invariant, then abort(), which libFuzzer turns into a
// crash artifact with the input that caused it).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

#ifndef FIXGATE_SOURCE_DIR
#error "FIXGATE_SOURCE_DIR must point at the repository root"
#endif

namespace fixgate::fuzz {

// The repository root: FIXGATE_SOURCE_DIR in the environment (to run a binary built elsewhere), else the
// directory this target was configured from.
inline std::filesystem::path sourceDir() {
  if (const char* env = std::getenv("FIXGATE_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return FIXGATE_SOURCE_DIR;
}

[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n==fixgate-fuzz== INVARIANT BROKEN: %.*s\n", static_cast<int>(what.size()),
               what.data());
  if (!detail.empty()) {
    std::fprintf(stderr, "==fixgate-fuzz== %.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  std::fflush(stderr);
  std::abort();
}

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read a file the harness needs", path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) fail("cannot write a scratch file", path.string());
}

// One directory per process under $TMPDIR (or /tmp), created on first use and removed at exit. libFuzzer's
// -fork/-jobs modes run several processes, each gets its own.
class ScratchDir {
 public:
  static const std::filesystem::path& get() {
    static ScratchDir dir;
    return dir.path_;
  }

 private:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/fixgate-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) fail("mkdtemp failed", pattern);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path path_;
};

}  // namespace fixgate::fuzz
