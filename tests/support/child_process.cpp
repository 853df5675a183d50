#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fixgate::testing {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::filesystem::path childGuard() {
  return FIXGATE_CHILD_GUARD;
}

}  // namespace

ChildProcess::ChildProcess(std::string name, std::filesystem::path binary, std::vector<std::string> args,
                           std::filesystem::path log_file)
    : name_(std::move(name)), log_file_(std::move(log_file)) {
  if (!std::filesystem::exists(binary)) {
    throw std::runtime_error(name_ + ": binary " + binary.string() + " does not exist (not built yet?)");
  }
  std::filesystem::create_directories(log_file_.parent_path());

  std::vector<std::string> argv_strings{childGuard().string(), std::to_string(getpid()), binary.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // The test's own sockets (FIX clients) must not leak into the child: an inherited copy would keep a
  // connection open after the test closes it.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error(name_ + ": posix_spawn failed: " + std::strerror(rc));
  }
}

ChildProcess::~ChildProcess() {
  stop();
}

bool ChildProcess::reap(int options) {
  if (status_) return true;
  if (pid_ <= 0) return false;
  int raw = 0;
  const pid_t result = waitpid(pid_, &raw, options);
  if (result == pid_) {
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    return true;
  }
  if (result < 0 && errno == ECHILD) {
    status_ = -1;  // someone else reaped it; it is gone either way
    return true;
  }
  return false;
}

bool ChildProcess::running() {
  return !reap(WNOHANG);
}

std::optional<int> ChildProcess::exitStatus() {
  reap(WNOHANG);
  return status_;
}

bool ChildProcess::waitForOutput(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const bool alive = running();  // checked before reading, so a last write before exit is still seen
    if (log().find(text) != std::string::npos) return true;
    if (!alive || std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  if (!reap(WNOHANG)) {
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (!reap(WNOHANG) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(kPollInterval);
    if (!status_) {
      kill(pid_, SIGKILL);
      reap(0);  // SIGKILL cannot be ignored: this wait is short
    }
  }
  return *status_;
}

std::string ChildProcess::log() const {
  std::ifstream in(log_file_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ChildProcess::logTail(std::size_t max_lines) const {
  const std::string text = log();
  std::size_t start = text.size();
  std::size_t lines = 0;
  // Walk back over max_lines newlines (ignoring a trailing one) to find where the tail starts.
  while (start > 0) {
    if (text[start - 1] == '\n' && start != text.size() && ++lines == max_lines) break;
    --start;
  }
  return text.substr(start);
}

}  // namespace fixgate::testing
