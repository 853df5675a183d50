// The result of a run, built once as JSON (the --json file) and rendered from that as the text summary,
// so both always say the same. Percentiles are in microseconds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "latency_histogram.h"
#include "load_options.h"
#include "load_stats.h"
#include "open_loop_sender.h"

namespace fixgate::load {

// {"count", "mean", "p50", "p90", "p99", "p99.9", "max"}, microseconds.
[[nodiscard]] nlohmann::json latencySummaryJson(const LatencyHistogram& histogram);

// User and system CPU seconds this process has used so far.
struct CpuTime {
  double user_s = 0;
  double sys_s = 0;
};
[[nodiscard]] CpuTime selfCpuTime();

[[nodiscard]] nlohmann::json resultJson(const LoadOptions& options, const Schedule& schedule,
                                        const LoadStats& stats, const CpuTime& cpu);
[[nodiscard]] std::string resultText(const nlohmann::json& result);
// The SVG plot of result["percentile_curve_us"].
[[nodiscard]] std::string resultSvg(const nlohmann::json& result);

// Requests that got no answer, however they failed: the run failed when this is not 0.
[[nodiscard]] std::uint64_t unanswered(const LoadStats& stats);

}  // namespace fixgate::load
