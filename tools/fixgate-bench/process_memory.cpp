#include "process_memory.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace fixgate::bench {
namespace {

// "VmRSS:\t  12345 kB" -> 12345; the kernel always reports these fields in kB.
std::optional<std::int64_t> fieldKib(const std::string& line, const std::string& name) {
  if (!line.starts_with(name)) return std::nullopt;
  std::istringstream value(line.substr(name.size()));
  std::int64_t kib = 0;
  if (!(value >> kib)) return std::nullopt;
  return kib;
}

}  // namespace

std::optional<MemorySample> readProcessMemory(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::optional<std::int64_t> rss, hwm;
  for (std::string line; std::getline(in, line) && !(rss && hwm);) {
    if (const auto kib = fieldKib(line, "VmRSS:")) rss = kib;
    if (const auto kib = fieldKib(line, "VmHWM:")) hwm = kib;
  }
  // A zombie (exited, not yet reaped) has no Vm* lines any more.
  if (!rss || !hwm) return std::nullopt;
  return MemorySample{.rss_kib = *rss, .hwm_kib = *hwm};
}

void MemoryOverRun::sampleStart(pid_t pid) {
  start = readProcessMemory(pid);
  if (start) peak_rss_kib = std::max(peak_rss_kib, start->rss_kib);
}

void MemoryOverRun::sampleDuring(pid_t pid) {
  if (const auto sample = readProcessMemory(pid)) peak_rss_kib = std::max(peak_rss_kib, sample->rss_kib);
}

void MemoryOverRun::sampleEnd(pid_t pid) {
  end = readProcessMemory(pid);
  if (end) peak_rss_kib = std::max(peak_rss_kib, end->rss_kib);
}

std::optional<std::int64_t> MemoryOverRun::growthKib() const {
  if (!start || !end) return std::nullopt;
  return end->rss_kib - start->rss_kib;
}

}  // namespace fixgate::bench
