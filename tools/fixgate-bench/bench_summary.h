// The side-by-side result of all runs: per setup the median over rounds of the end-to-end percentiles,
// throughput and CPU per request; fixgate's added latency against the relay (median of per-round
// differences) and its p50 ratio; the gateway's stage timings. As text, JSON and an SVG of the curves.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_options.h"
#include "bench_run.h"

namespace fixgate::bench {

[[nodiscard]] std::string summaryText(const BenchOptions& options, const std::vector<RunResult>& runs);
// {"settings", "runs": [...], "summary": {...}}.
[[nodiscard]] nlohmann::json summaryJson(const BenchOptions& options, const std::vector<RunResult>& runs);
// One percentile curve per setup: its run with the median p99.
[[nodiscard]] std::string summarySvg(const BenchOptions& options, const std::vector<RunResult>& runs);

// A one-line account of a finished run, for the progress output.
[[nodiscard]] std::string runLine(const BenchOptions& options, const RunResult& run);

}  // namespace fixgate::bench
