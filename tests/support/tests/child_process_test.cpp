// ChildProcess keeps its promises: output can be waited on, stop() escalates to SIGKILL, and a test process
// that dies without cleaning up takes its children with it.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>

#include "child_process.h"
#include "temp_dir.h"

namespace fixgate::testing {
namespace {

using namespace std::chrono_literals;

class ChildProcessTest : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }
  ChildProcess shell(const std::string& script) {
    return ChildProcess("sh", "/bin/sh", {"-c", script}, dir_ / "sh.log");
  }
  std::filesystem::path dir_ = makeTempDir("fixgate-child-test");
};

// True when `pid` is gone or a zombie nobody has reaped yet (PID 1 in a container may not reap).
bool goneOrZombie(pid_t pid) {
  if (kill(pid, 0) != 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, comm, state;
  stat >> pid_field >> comm >> state;
  return !stat || state == "Z";
}

TEST_F(ChildProcessTest, OutputCanBeWaitedOnAndSigtermStopsIt) {
  ChildProcess child = shell("echo hello from the child; exec sleep 30");
  EXPECT_TRUE(child.waitForOutput("hello from the child", 5s)) << child.log();
  EXPECT_TRUE(child.running());
  EXPECT_EQ(child.stop(), 128 + SIGTERM);
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.stop(), 128 + SIGTERM) << "stopping twice is harmless";
}

TEST_F(ChildProcessTest, StopEscalatesToSigkillWhenSigtermIsIgnored) {
  // `exec` so the process that ignores SIGTERM is the one with the PID (no orphaned grandchild).
  ChildProcess child = shell("trap '' TERM; echo ready; exec sleep 30");
  ASSERT_TRUE(child.waitForOutput("ready", 5s));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(child.stop(200ms), 128 + SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(ChildProcessTest, WaitForOutputReturnsEarlyWhenTheProcessExits) {
  ChildProcess child = shell("echo something else; exit 3");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(child.waitForOutput("never printed", 20s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(child.exitStatus(), 3);
}

TEST_F(ChildProcessTest, StderrGoesToTheLogToo) {
  ChildProcess child = shell("echo to-stderr >&2");
  EXPECT_TRUE(child.waitForOutput("to-stderr", 5s));
}

TEST_F(ChildProcessTest, LogTailKeepsTheLastLines) {
  ChildProcess child = shell("for i in 1 2 3 4 5; do echo line$i; done");
  ASSERT_TRUE(child.waitForOutput("line5", 5s));
  EXPECT_EQ(child.logTail(2), "line4\nline5\n");
}

TEST_F(ChildProcessTest, AMissingBinaryIsReportedNotSpawned) {
  EXPECT_THROW(ChildProcess("missing", dir_ / "no-such-binary", {}, dir_ / "missing.log"),
               std::runtime_error);
}

TEST_F(ChildProcessTest, ChildrenDieWithATestProcessThatDiesWithoutCleaningUp) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t test_process = fork();
  ASSERT_GE(test_process, 0);
  if (test_process == 0) {
    // Stands in for a test that crashes: starts a child, reports its PID, and exits without destructors.
    close(pipe_fds[0]);
    auto* child = new ChildProcess("sleeper", "/bin/sleep", {"30"}, dir_ / "sleeper.log");
    const pid_t pid = child->pid();
    if (write(pipe_fds[1], &pid, sizeof pid) != sizeof pid) _exit(1);
    _exit(0);
  }
  close(pipe_fds[1]);
  pid_t grandchild = 0;
  ASSERT_EQ(read(pipe_fds[0], &grandchild, sizeof grandchild), static_cast<ssize_t>(sizeof grandchild));
  close(pipe_fds[0]);
  waitpid(test_process, nullptr, 0);

  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!goneOrZombie(grandchild) && std::chrono::steady_clock::now() < deadline) usleep(20'000);
  EXPECT_TRUE(goneOrZombie(grandchild)) << "pid " << grandchild << " outlived the process that started it";
  kill(grandchild, SIGKILL);  // never leave it behind, even when the assertion failed
}

}  // namespace
}  // namespace fixgate::testing
