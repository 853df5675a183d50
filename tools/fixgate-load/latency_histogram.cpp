#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace fixgate::load {
namespace {

constexpr std::int64_t kLinearLimit = std::int64_t{2} << LatencyHistogram::kSubBucketBits;  // 2048 ns

}  // namespace

std::size_t LatencyHistogram::bucketOf(std::int64_t nanos) {
  if (nanos < kLinearLimit) return static_cast<std::size_t>(std::max<std::int64_t>(nanos, 0));
  const auto value = static_cast<std::uint64_t>(nanos);
  // magnitude >= 1: the value shifted right by it keeps exactly kSubBucketBits + 1 significant bits.
  const int magnitude = std::bit_width(value) - (kSubBucketBits + 1);
  if (magnitude > kMaxMagnitude) return kBucketCount - 1;
  const auto sub_bucket = static_cast<std::size_t>(value >> magnitude);  // in [1024, 2048)
  return (static_cast<std::size_t>(magnitude) << kSubBucketBits) + sub_bucket;
}

std::int64_t LatencyHistogram::bucketHighest(std::size_t index) {
  if (index < static_cast<std::size_t>(kLinearLimit)) return static_cast<std::int64_t>(index);
  const int magnitude = static_cast<int>(index >> kSubBucketBits) - 1;
  const std::size_t sub_bucket = index - (static_cast<std::size_t>(magnitude) << kSubBucketBits);
  return static_cast<std::int64_t>(((sub_bucket + 1) << magnitude) - 1);
}

void LatencyHistogram::record(std::int64_t nanos) {
  nanos = std::max<std::int64_t>(nanos, 0);
  buckets_[bucketOf(nanos)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(nanos, std::memory_order_relaxed);
  std::int64_t seen = max_.load(std::memory_order_relaxed);
  while (nanos > seen && !max_.compare_exchange_weak(seen, nanos, std::memory_order_relaxed)) {
  }
}

double LatencyHistogram::mean() const {
  const auto n = count();
  return n == 0 ? 0.0 : static_cast<double>(sum_.load(std::memory_order_relaxed)) / static_cast<double>(n);
}

std::int64_t LatencyHistogram::valueAtPercentile(double percentile) const {
  const std::uint64_t total = count();
  if (total == 0) return 0;
  const double wanted = std::clamp(percentile, 0.0, 100.0) / 100.0 * static_cast<double>(total);
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(wanted)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i].load(std::memory_order_relaxed);
    // The top bucket also holds everything past the range: only max() says how far past.
    if (seen >= rank) return i + 1 == kBucketCount ? max() : std::min(bucketHighest(i), max());
  }
  return max();  // counts still arriving from other threads
}

std::vector<PercentilePoint> percentileCurve(const LatencyHistogram& histogram) {
  std::vector<PercentilePoint> points;
  const auto total = static_cast<double>(histogram.count());
  if (total == 0) return points;
  // 0, 10, ..., 90, then each decade of "nines" in ten steps (91..99, 99.1..99.9, ...), as long as at
  // least one recorded value lies above the percentile: beyond that the curve would only repeat the max.
  auto add = [&](double percentile) {
    if ((100.0 - percentile) / 100.0 * total < 1.0) return false;
    if (points.empty() || percentile > points.back().percentile)
      points.push_back({percentile, histogram.valueAtPercentile(percentile)});
    return true;
  };
  for (int p = 0; p <= 90; p += 10) add(p);
  bool resolvable = true;
  for (double tail = 10.0; resolvable && tail > 1e-6; tail /= 10.0) {
    for (int step = 1; step <= 9 && resolvable; ++step) resolvable = add(100.0 - tail + tail * step / 10.0);
  }
  points.push_back({100.0, histogram.max()});
  return points;
}

}  // namespace fixgate::load
