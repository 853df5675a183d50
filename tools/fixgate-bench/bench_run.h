// One run of the load against one setup: starts the simulator (and the relay or the gateway in front of
// it) on free ports, runs fixgate-load, measures the CPU the simulator and the hop used during the load and
// the resident memory of the simulator and the gateway over the measured period, scrapes the gateway's
// stage timings, and stops every process it started by PID - whatever happens.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bench_options.h"
#include "process_memory.h"
#include "stage_metrics.h"

namespace fixgate::bench {

struct RunResult {
  int round = 0;
  Setup setup = Setup::Direct;
  bool ok = false;        // fixgate-load answered every request and nothing failed
  std::string error{};    // why not, with log excerpts
  nlohmann::json load{};  // fixgate-load's JSON; null when it wrote none
  // CPU (user + system) per request sent, microseconds; -1 when not measured (no hop in direct).
  double sim_cpu_us = -1;
  double hop_cpu_us = -1;
  // Resident memory over the measured period; the gateway's only in fixgate runs (the relay's is not
  // sampled: socat serves each connection in a child of its own).
  MemoryOverRun sim_memory{};
  MemoryOverRun gateway_memory{};
  // The gateway's stage timings; nullopt when it exports none. stages_note says why.
  std::optional<std::map<std::string, StageTiming>> stages{};
  std::string stages_note{};
};

// Blocks until the run is over (bounded by the load's duration plus fixed start and stop timeouts).
[[nodiscard]] RunResult runOnce(const BenchOptions& options, Setup setup, int round,
                                const std::filesystem::path& dir);

}  // namespace fixgate::bench
