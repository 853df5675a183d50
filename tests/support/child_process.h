// A process a test starts and always stops: spawned with posix_spawn, its stdout and stderr appended to a
// log file the test can wait on, stopped by PID (SIGTERM, then SIGKILL) when the object goes away - also
// when the test fails. Through fixgate-test-child-guard the kernel kills it if the test process dies first.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fixgate::testing {

class ChildProcess {
 public:
  // Throws std::runtime_error when the process cannot be spawned (e.g. the binary does not exist).
  ChildProcess(std::string name, std::filesystem::path binary, std::vector<std::string> args,
               std::filesystem::path log_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::filesystem::path& logFile() const { return log_file_; }

  // False once the process has exited (it is reaped here).
  [[nodiscard]] bool running();
  // Exit code, or 128 + signal number when killed by a signal; nullopt while running.
  [[nodiscard]] std::optional<int> exitStatus();

  // Polls the log until it contains `text`. False on timeout, or as soon as the process has exited
  // without writing it.
  [[nodiscard]] bool waitForOutput(std::string_view text, std::chrono::milliseconds timeout);

  // SIGTERM, then SIGKILL if it has not exited within `grace`. Returns exitStatus(). Safe to call twice.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  [[nodiscard]] std::string log() const;
  [[nodiscard]] std::string logTail(std::size_t max_lines = 40) const;

 private:
  bool reap(int options);

  std::string name_;
  std::filesystem::path log_file_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace fixgate::testing
