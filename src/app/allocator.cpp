#include "allocator.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>

#ifdef FIXGATE_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>

// Read by jemalloc before its first allocation: unused pages go back to the kernel from jemalloc's own
// background thread, not from inside a malloc or free on the order path; allocations of 256 KiB and more
// (never on the order path: a hostile peer's buffer, a large resend) come from an arena that returns them
// at once, as glibc's mmap threshold does. (Exported from the executable, see src/app/CMakeLists.txt, so
// that jemalloc finds it.)
const char* malloc_conf = "background_thread:true,oversize_threshold:262144";
#endif

namespace fixgate::app {

#ifdef FIXGATE_WITH_JEMALLOC
namespace {

bool backgroundPurging() {
  bool on = false;
  std::size_t size = sizeof on;
  return mallctl("background_thread", &on, &size, nullptr, 0) == 0 && on;
}

std::uint64_t allocatedByThisThread() {
  std::uint64_t bytes = 0;
  std::size_t size = sizeof bytes;
  return mallctl("thread.allocated", &bytes, &size, nullptr, 0) == 0 ? bytes : 0;
}

}  // namespace

std::string activeAllocator() {
  const char* version = nullptr;
  std::size_t size = sizeof version;
  if (mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr)
    return "unknown (jemalloc is linked but does not answer)";
  // A malloc served by jemalloc shows in its count of this thread's bytes; one served by another library
  // does not. The volatile pointer keeps the compiler from removing the malloc/free pair.
  const std::uint64_t before = allocatedByThisThread();
  void* volatile probe = std::malloc(4096);
  const std::uint64_t after = allocatedByThisThread();
  std::free(probe);
  if (after < before + 4096)
    return "another library's (jemalloc is linked, but malloc resolves to another library)";
  return fmt::format("jemalloc {} (background purging {})", version, backgroundPurging() ? "on" : "off");
}
#else
std::string activeAllocator() {
  return "glibc malloc (built without jemalloc: FIXGATE_JEMALLOC=OFF)";
}
#endif

}  // namespace fixgate::app
