// A fixed-size log-linear latency histogram (HdrHistogram's layout, written small): values in nanoseconds
// from 0 to about 34 s, each recorded with a relative error under 0.1% (three significant digits). Recording
// is one relaxed atomic increment and never allocates, so several receiver threads record into one
// histogram while the progress line reads percentiles from it.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fixgate::load {

class LatencyHistogram {
 public:
  // 2^11 linear buckets below 2048 ns, then 1024 sub-buckets per power of two up to 2^35 ns (about 34 s).
  static constexpr int kSubBucketBits = 10;
  static constexpr int kMaxMagnitude = 24;
  static constexpr std::size_t kBucketCount = (std::size_t{kMaxMagnitude} + 2) << kSubBucketBits;

  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  // Negative values count as 0; values past the range land in the top bucket (max() keeps the true value).
  void record(std::int64_t nanos);

  [[nodiscard]] std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t max() const { return max_.load(std::memory_order_relaxed); }
  [[nodiscard]] double mean() const;
  // The smallest recorded value v such that at least `percentile`% of the values are <= v, reported as the
  // highest value of v's bucket (never above max()). 0 when empty.
  [[nodiscard]] std::int64_t valueAtPercentile(double percentile) const;

  // Bucket index <-> value range; public for the tests.
  [[nodiscard]] static std::size_t bucketOf(std::int64_t nanos);
  [[nodiscard]] static std::int64_t bucketHighest(std::size_t index);

 private:
  std::array<std::atomic<std::uint64_t>, kBucketCount> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> sum_{0};
  std::atomic<std::int64_t> max_{0};
};

// One point of a percentile curve: the percentile (0..100) and the latency there, nanoseconds.
struct PercentilePoint {
  double percentile;
  std::int64_t nanos;
};

// Points for a percentile plot: dense near 100% (0, 10, ..., 90, 91, ... 99, 99.1, ..., 99.99, ...), up to
// the last percentile the sample size can tell apart, ending with the maximum at 100.
[[nodiscard]] std::vector<PercentilePoint> percentileCurve(const LatencyHistogram& histogram);

}  // namespace fixgate::load
