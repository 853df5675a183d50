// The gateway's in-gateway stage timings, from its Prometheus text exposition: the histogram
// fixgate_order_stage_seconds{stage="..."} (cumulative buckets le="..."). Percentiles are estimated the way
// Prometheus' histogram_quantile does: linear interpolation inside the bucket holding the rank, so they are
// only as fine as the gateway's bucket bounds.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fixgate::bench {

struct StageTiming {
  std::uint64_t count = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0, p999_us = 0;
};

inline constexpr const char* kStageMetric = "fixgate_order_stage_seconds";

// Stage name -> percentiles; empty when the text has no such histogram.
[[nodiscard]] std::map<std::string, StageTiming> parseStageTimings(const std::string& exposition);

// One histogram's cumulative buckets, upper bound (seconds; +Inf as infinity) -> count, for the tests.
[[nodiscard]] double estimateQuantile(const std::vector<std::pair<double, double>>& cumulative_buckets,
                                      double quantile);

}  // namespace fixgate::bench
