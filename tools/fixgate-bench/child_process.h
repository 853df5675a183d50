// A process the benchmark starts and always stops by its PID: forked into its own process group (so a
// Ctrl-C reaches the benchmark alone, which then stops everything in order), with PR_SET_PDEATHSIG so the
// kernel kills it if the benchmark dies first, its stdout and stderr appended to a log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fixgate::bench {

struct SpawnOptions {
  std::filesystem::path log_file{};
  bool stderr_to_terminal = false;       // keep stderr on the benchmark's (for the load's progress line)
  std::vector<std::string> unset_env{};  // variables removed from the child's environment
};

class ChildProcess {
 public:
  // Throws std::runtime_error when fork or the log file fail; a binary that cannot be executed exits 127.
  ChildProcess(std::string name, const std::filesystem::path& binary, const std::vector<std::string>& args,
               const SpawnOptions& options);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::filesystem::path& logFile() const { return log_file_; }

  // False once it has exited (reaped here).
  [[nodiscard]] bool running();
  // Exit code, or 128 + signal; nullopt while running.
  [[nodiscard]] std::optional<int> exitStatus();
  // Polls until it exits; nullopt when `timeout` passes first or `interrupted()` turns true.
  [[nodiscard]] std::optional<int> waitExit(std::chrono::milliseconds timeout, bool (*interrupted)());
  // Polls the log until it contains `text`; false on timeout, on interruption, or when the process exits.
  [[nodiscard]] bool waitForOutput(std::string_view text, std::chrono::milliseconds timeout,
                                   bool (*interrupted)());
  // SIGTERM, then SIGKILL after `grace`. Returns the exit status. Safe to call twice.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  [[nodiscard]] std::string logTail(std::size_t max_lines = 20) const;

 private:
  bool reap(int options);

  std::string name_;
  std::filesystem::path log_file_;
  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace fixgate::bench
