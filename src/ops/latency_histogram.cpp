#include "ops/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace fixgate::ops {

std::size_t LatencyHistogram::bucketOf(std::int64_t nanoseconds) noexcept {
  if (nanoseconds < static_cast<std::int64_t>(kLinearBuckets)) {
    return nanoseconds < 0 ? 0 : static_cast<std::size_t>(nanoseconds);
  }
  const auto value = static_cast<std::uint64_t>(nanoseconds);
  const auto power = static_cast<std::size_t>(std::bit_width(value) - 1);  // >= 6
  if (power >= kMaxPower) return kBucketCount - 1;
  const auto sub = static_cast<std::size_t>(value >> (power - 5)) - kSubBuckets;
  return kLinearBuckets + (power - 6) * kSubBuckets + sub;
}

std::int64_t LatencyHistogram::bucketUpperBound(std::size_t bucket) noexcept {
  if (bucket < kLinearBuckets) return static_cast<std::int64_t>(bucket);
  const std::size_t group = (bucket - kLinearBuckets) / kSubBuckets;
  const std::size_t sub = (bucket - kLinearBuckets) % kSubBuckets;
  const std::size_t shift = group + 1;  // power - 5, power = group + 6
  const auto lower = static_cast<std::int64_t>((kSubBuckets + sub) << shift);
  return lower + (std::int64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::int64_t nanoseconds) noexcept {
  if (nanoseconds < 0) nanoseconds = 0;  // a clock that stepped back: count it, as no time
  counts_[bucketOf(nanoseconds)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(nanoseconds), std::memory_order_relaxed);
  auto seen = max_ns_.load(std::memory_order_relaxed);
  while (nanoseconds > seen && !max_ns_.compare_exchange_weak(seen, nanoseconds, std::memory_order_relaxed)) {
  }
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const {
  Snapshot s;
  s.counts.resize(kBucketCount);
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    s.counts[i] = counts_[i].load(std::memory_order_relaxed);
    s.total += s.counts[i];
  }
  s.sum_ns = sum_ns_.load(std::memory_order_relaxed);
  s.max_ns = max_ns_.load(std::memory_order_relaxed);
  return s;
}

std::int64_t LatencyHistogram::Snapshot::quantile(double q) const {
  if (total == 0) return 0;
  const double clamped = std::clamp(q, 0.0, 1.0);
  // The rank of the value at q, 1-based: the smallest value with at least q of the values at or below it.
  const auto rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(clamped * static_cast<double>(total))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (seen >= rank) return std::min(bucketUpperBound(i), max_ns);
  }
  return max_ns;
}

std::uint64_t LatencyHistogram::Snapshot::countAtMost(std::int64_t ns) const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < counts.size() && bucketUpperBound(i) <= ns; ++i) n += counts[i];
  return n;
}

}  // namespace fixgate::ops
