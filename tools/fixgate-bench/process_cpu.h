// CPU time (user + system) of a running process from /proc/<pid>/stat, all threads, in seconds. With
// children: also its children, live or exited-but-unreaped (each /proc/<child>/stat) and reaped (cutime,
// cstime) - socat's forking relay serves each connection in a child.
#pragma once

#include <sys/types.h>

namespace fixgate::bench {

// -1 when the process is gone or /proc cannot be read.
[[nodiscard]] double processCpuSeconds(pid_t pid);
[[nodiscard]] double processTreeCpuSeconds(pid_t pid);

}  // namespace fixgate::bench
