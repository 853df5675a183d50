#include "stage_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace fixgate::bench {
namespace {

// The value of label `name` in a `{a="x",b="y"}` label set, "" when absent.
std::string labelValue(const std::string& labels, const std::string& name) {
  const std::string key = name + "=\"";
  std::size_t pos = 0;
  while ((pos = labels.find(key, pos)) != std::string::npos) {
    if (pos == 0 || labels[pos - 1] == '{' || labels[pos - 1] == ',' || labels[pos - 1] == ' ') {
      const auto start = pos + key.size();
      const auto end = labels.find('"', start);
      return end == std::string::npos ? "" : labels.substr(start, end - start);
    }
    pos += key.size();
  }
  return "";
}

double parseBound(const std::string& text) {
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  return std::stod(text);
}

}  // namespace

double estimateQuantile(const std::vector<std::pair<double, double>>& buckets, double quantile) {
  if (buckets.empty()) return 0;
  const double total = buckets.back().second;
  if (total <= 0) return 0;
  const double rank = quantile * total;
  double lower_bound = 0, lower_count = 0;
  for (const auto& [bound, count] : buckets) {
    if (count >= rank) {
      // In the +Inf bucket all one can say is "above the last finite bound".
      if (std::isinf(bound)) return lower_bound;
      if (count == lower_count) return bound;
      return lower_bound + (bound - lower_bound) * (rank - lower_count) / (count - lower_count);
    }
    lower_bound = bound;
    lower_count = count;
  }
  return lower_bound;
}

std::map<std::string, StageTiming> parseStageTimings(const std::string& exposition) {
  const std::string bucket_prefix = std::string(kStageMetric) + "_bucket{";
  std::map<std::string, std::vector<std::pair<double, double>>> buckets;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(bucket_prefix)) continue;
    const auto close = line.find('}');
    if (close == std::string::npos) continue;
    const std::string labels = line.substr(bucket_prefix.size() - 1, close - bucket_prefix.size() + 2);
    try {
      std::istringstream rest(line.substr(close + 1));
      double count = 0;
      if (!(rest >> count)) continue;
      buckets[labelValue(labels, "stage")].emplace_back(parseBound(labelValue(labels, "le")), count);
    } catch (const std::exception&) {
      continue;  // a malformed bound: skip the line rather than the whole page
    }
  }
  std::map<std::string, StageTiming> timings;
  for (auto& [stage, stage_buckets] : buckets) {
    std::ranges::sort(stage_buckets);
    StageTiming& t = timings[stage];
    t.count = static_cast<std::uint64_t>(stage_buckets.back().second);
    t.p50_us = estimateQuantile(stage_buckets, 0.50) * 1e6;
    t.p90_us = estimateQuantile(stage_buckets, 0.90) * 1e6;
    t.p99_us = estimateQuantile(stage_buckets, 0.99) * 1e6;
    t.p999_us = estimateQuantile(stage_buckets, 0.999) * 1e6;
  }
  return timings;
}

}  // namespace fixgate::bench
