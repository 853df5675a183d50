#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fixgate::bench {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ChildProcess::ChildProcess(std::string name, const std::filesystem::path& binary,
                           const std::vector<std::string>& args, const SpawnOptions& options)
    : name_(std::move(name)), log_file_(options.log_file) {
  const int log_fd = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_file_.string() + ": " + std::strerror(errno));
  std::vector<std::string> argv_strings{binary.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(log_fd);
    throw std::runtime_error("fork failed for " + name_ + ": " + std::strerror(errno));
  }
  if (pid_ == 0) {
    // In the child only async-signal-safe calls until exec (plus unsetenv, which touches only our copy).
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the benchmark died before prctl took effect
    ::dup2(log_fd, STDOUT_FILENO);
    if (!options.stderr_to_terminal) ::dup2(log_fd, STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    for (const std::string& variable : options.unset_env) ::unsetenv(variable.c_str());
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  ::setpgid(pid_, pid_);  // also from here, so it holds before either side runs on
}

ChildProcess::~ChildProcess() {
  stop(std::chrono::seconds(2));
}

bool ChildProcess::reap(int options) {
  if (status_) return true;
  int raw = 0;
  const pid_t result = ::waitpid(pid_, &raw, options);
  if (result != pid_) return false;
  status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return true;
}

bool ChildProcess::running() {
  return !reap(WNOHANG);
}

std::optional<int> ChildProcess::exitStatus() {
  reap(WNOHANG);
  return status_;
}

std::optional<int> ChildProcess::waitExit(std::chrono::milliseconds timeout, bool (*interrupted)()) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline || (interrupted && interrupted())) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
  return status_;
}

bool ChildProcess::waitForOutput(std::string_view text, std::chrono::milliseconds timeout,
                                 bool (*interrupted)()) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (readFile(log_file_).find(text) != std::string::npos) return true;
    if (!running() || std::chrono::steady_clock::now() >= deadline || (interrupted && interrupted()))
      return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  if (running()) {
    ::kill(pid_, SIGTERM);
    if (!waitExit(grace, nullptr)) {
      ::kill(pid_, SIGKILL);
      reap(0);
    }
  }
  return status_.value_or(-1);
}

std::string ChildProcess::logTail(std::size_t max_lines) const {
  std::istringstream in(readFile(log_file_));
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string tail;
  for (const std::string& line : lines) tail += "    " + line + "\n";
  return tail;
}

}  // namespace fixgate::bench
