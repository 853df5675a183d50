// The figures fixgate-bench derives from its runs, shared by the summary and the regression guard: per
// setup the median over its successful rounds of throughput, CPU per request and resident memory.
#pragma once

#include <optional>
#include <vector>

#include "bench_options.h"
#include "bench_run.h"

namespace fixgate::bench {

[[nodiscard]] std::optional<double> median(std::vector<double> values);
[[nodiscard]] std::optional<double> ratio(std::optional<double> a, std::optional<double> b);

// The runs of `setup` that answered every request.
[[nodiscard]] std::vector<const RunResult*> okRuns(const std::vector<RunResult>& runs, Setup setup);

[[nodiscard]] std::optional<double> medianThroughput(const std::vector<RunResult>& runs, Setup setup);
// CPU time per request, microseconds: the simulator's, the relay's or gateway's, fixgate-load's.
[[nodiscard]] std::optional<double> medianSimCpu(const std::vector<RunResult>& runs, Setup setup);
[[nodiscard]] std::optional<double> medianHopCpu(const std::vector<RunResult>& runs, Setup setup);
[[nodiscard]] std::optional<double> medianLoadCpu(const std::vector<RunResult>& runs, Setup setup);
// Median over fixgate runs of (gateway CPU / simulator CPU per request) within the same run, so each ratio
// compares two processes that ran under the same machine load.
[[nodiscard]] std::optional<double> medianGatewayToSimCpuRatio(const std::vector<RunResult>& runs);

enum class MeasuredProcess { Simulator, Gateway };
[[nodiscard]] const char* toString(MeasuredProcess process);  // "simulator", "gateway"
[[nodiscard]] const MemoryOverRun& memoryOf(const RunResult& run, MeasuredProcess process);

// Resident memory (VmRSS) over the measured period, MiB, each the median over the setup's rounds.
struct MemoryFigures {
  std::optional<double> start_mib;        // when the measured period started
  std::optional<double> end_mib;          // after the load finished
  std::optional<double> growth_mib;       // end - start
  std::optional<double> anon_growth_mib;  // of RssAnon (heap: where a leak shows)
  std::optional<double> file_growth_mib;  // of RssFile (mapped files)
  std::optional<double> growth_mib_per_100k_requests;
  std::optional<double> peak_mib;     // largest VmRSS sampled (once a second) from start to end
  std::optional<double> hwm_end_mib;  // VmHWM at the end: the peak over the process's life
};
[[nodiscard]] MemoryFigures medianMemory(const std::vector<RunResult>& runs, Setup setup,
                                         MeasuredProcess process);

}  // namespace fixgate::bench
