// Helpers for the admin channel tests: a temp dir that cleans up, a raw socket exchange, and running the
// fixgate-admin binary with its output captured. Every wait is bounded.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fixgate::admin::testing {

// A fresh directory under /tmp (short, so socket paths fit sun_path), removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct RawExchange {
  std::string received;
  bool closed_by_server = false;  // EOF seen before the timeout
};

// Connects, sends `bytes` as they are, then reads until the server closes or `timeout` passes.
RawExchange rawExchange(const std::filesystem::path& socket, std::string_view bytes,
                        std::chrono::milliseconds timeout);

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
  bool timed_out = false;  // killed because it ran past the timeout
};

// Runs a binary with arguments, capturing stdout and stderr; killed if it runs past `timeout`.
ProcessResult runProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout);

}  // namespace fixgate::admin::testing
