// fixgate-test-child-guard <parent-pid> <binary> [args...]
// Every process a test starts goes through this: it asks the kernel to SIGKILL it when the test process
// dies (even by SIGKILL or a crash, where no destructor runs), then becomes <binary> by exec, keeping its
// PID, so the test still stops it by PID. posix_spawn has no hook to set this in the child, hence a program.
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <parent-pid> <binary> [args...]\n", argv[0]);
    return 2;
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    std::perror("prctl(PR_SET_PDEATHSIG)");
    return 127;
  }
  // The parent may have died before prctl took effect; then nobody would ever stop us.
  if (std::to_string(getppid()) != argv[1]) return 127;
  execv(argv[2], argv + 2);
  std::perror(argv[2]);
  return 127;
}
