// A latency histogram cheap enough to leave on in the order path: recording is two relaxed atomic adds and
// a compare on a fixed array, with no allocation and no lock, from any thread. Buckets are log-linear over
// nanoseconds (32 per power of two, so a percentile is within about 3% of the true value) from 0 to about
// 137 s; longer values count in the last bucket. Readers take a snapshot, which is exact per bucket but not
// one instant across buckets (a record landing during the copy may be half in it).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fixgate::ops {

class LatencyHistogram {
 public:
  static constexpr std::size_t kLinearBuckets = 64;  // one per nanosecond below 64 ns
  static constexpr std::size_t kSubBuckets = 32;     // per power of two above
  static constexpr std::size_t kMaxPower = 37;       // values up to 2^37 ns (137 s)
  static constexpr std::size_t kBucketCount = kLinearBuckets + (kMaxPower - 6) * kSubBuckets;

  void record(std::int64_t nanoseconds) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> counts;  // per bucket
    std::uint64_t total = 0;
    std::uint64_t sum_ns = 0;
    std::int64_t max_ns = 0;

    // The value at quantile q (0..1): the upper bound of the bucket holding it, capped at the maximum
    // seen; 0 when empty.
    [[nodiscard]] std::int64_t quantile(double q) const;
    // How many recorded values are at most `ns` (counting a bucket only when its upper bound is): the
    // cumulative count of a Prometheus bucket with le = ns.
    [[nodiscard]] std::uint64_t countAtMost(std::int64_t ns) const;
  };
  [[nodiscard]] Snapshot snapshot() const;

  [[nodiscard]] static std::size_t bucketOf(std::int64_t nanoseconds) noexcept;
  [[nodiscard]] static std::int64_t bucketUpperBound(std::size_t bucket) noexcept;  // inclusive

 private:
  std::array<std::atomic<std::uint64_t>, kBucketCount> counts_{};
  std::atomic<std::uint64_t> sum_ns_{0};
  std::atomic<std::int64_t> max_ns_{0};
};

}  // namespace fixgate::ops
