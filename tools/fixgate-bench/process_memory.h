// Resident memory of a running process from /proc/<pid>/status: VmRSS (resident now), its parts RssAnon
// (heap, stacks: what a leak grows) and RssFile (mapped files, such as journals written through a mapping,
// plus the binary and libraries), and VmHWM (the largest VmRSS since it started), in KiB. Sampled when the
// measured period starts, once a second during it and after the load has finished, so a long run shows
// whether the gateway's memory keeps growing.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace fixgate::bench {

struct MemorySample {
  std::int64_t rss_kib = 0;
  std::int64_t anon_kib = 0;
  std::int64_t file_kib = 0;
  std::int64_t hwm_kib = 0;
};

// nullopt when the process is gone or /proc cannot be read.
[[nodiscard]] std::optional<MemorySample> readProcessMemory(pid_t pid);

// One process's memory over one run's measured period.
struct MemoryOverRun {
  std::optional<MemorySample> start{};  // when the measured period starts (after the warmup)
  std::optional<MemorySample> end{};    // after the load has finished
  std::int64_t peak_rss_kib = -1;       // largest VmRSS of the samples from start to end; -1: none

  void sampleStart(pid_t pid);
  void sampleDuring(pid_t pid);
  void sampleEnd(pid_t pid);

  // end - start of VmRSS, RssAnon, RssFile in KiB; nullopt unless both were sampled.
  [[nodiscard]] std::optional<std::int64_t> growthKib() const;
  [[nodiscard]] std::optional<std::int64_t> anonGrowthKib() const;
  [[nodiscard]] std::optional<std::int64_t> fileGrowthKib() const;

 private:
  [[nodiscard]] std::optional<std::int64_t> growth(std::int64_t MemorySample::*field) const;
};

}  // namespace fixgate::bench
