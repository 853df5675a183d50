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
  std::optional<std::int64_t> rss, anon, file, hwm;
  for (std::string line; std::getline(in, line);) {
    if (const auto kib = fieldKib(line, "VmRSS:")) rss = kib;
    if (const auto kib = fieldKib(line, "RssAnon:")) anon = kib;
    if (const auto kib = fieldKib(line, "RssFile:")) file = kib;
    if (const auto kib = fieldKib(line, "VmHWM:")) hwm = kib;
  }
  // A zombie (exited, not yet reaped) has no Vm* or Rss* lines any more.
  if (!rss || !anon || !file || !hwm) return std::nullopt;
  return MemorySample{.rss_kib = *rss, .anon_kib = *anon, .file_kib = *file, .hwm_kib = *hwm};
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
  return growth(&MemorySample::rss_kib);
}

std::optional<std::int64_t> MemoryOverRun::anonGrowthKib() const {
  return growth(&MemorySample::anon_kib);
}

std::optional<std::int64_t> MemoryOverRun::fileGrowthKib() const {
  return growth(&MemorySample::file_kib);
}

std::optional<std::int64_t> MemoryOverRun::growth(std::int64_t MemorySample::*field) const {
  if (!start || !end) return std::nullopt;
  return (*end).*field - (*start).*field;
}

}  // namespace fixgate::bench
