// The load generator's histogram: three significant digits over its range, exact percentiles on known
// data, and the percentile curve ending at the maximum.
#include "latency_histogram.h"

#include <gtest/gtest.h>

namespace fixgate::load {
namespace {

TEST(LatencyHistogram, EveryValueLandsInABucketWithinOnePartInAThousand) {
  for (std::int64_t value :
       {0LL, 1LL, 999LL, 2047LL, 2048LL, 2049LL, 12'345LL, 1'000'000LL, 987'654'321LL, 9'999'999'999LL}) {
    const std::size_t bucket = LatencyHistogram::bucketOf(value);
    const std::int64_t highest = LatencyHistogram::bucketHighest(bucket);
    EXPECT_GE(highest, value) << value;
    EXPECT_LE(static_cast<double>(highest - value), static_cast<double>(value) / 1000.0 + 1.0) << value;
    if (bucket > 0) {
      EXPECT_LT(LatencyHistogram::bucketHighest(bucket - 1), value) << value;
    }
  }
}

TEST(LatencyHistogram, EachBucketStartsRightAfterThePreviousOne) {
  for (std::size_t i = 1; i < LatencyHistogram::kBucketCount; ++i)
    ASSERT_EQ(LatencyHistogram::bucketOf(LatencyHistogram::bucketHighest(i - 1) + 1), i) << i;
}

TEST(LatencyHistogram, PercentilesOfOneToTenThousandMicroseconds) {
  auto histogram = std::make_unique<LatencyHistogram>();
  for (std::int64_t us = 1; us <= 10'000; ++us) histogram->record(us * 1000);
  EXPECT_EQ(histogram->count(), 10'000u);
  EXPECT_NEAR(histogram->valueAtPercentile(50.0) / 1000.0, 5000, 5);
  EXPECT_NEAR(histogram->valueAtPercentile(99.0) / 1000.0, 9900, 10);
  EXPECT_NEAR(histogram->valueAtPercentile(99.9) / 1000.0, 9990, 10);
  EXPECT_EQ(histogram->valueAtPercentile(100.0), 10'000'000);
  EXPECT_EQ(histogram->max(), 10'000'000);
  EXPECT_NEAR(histogram->mean() / 1000.0, 5000.5, 0.01);
}

TEST(LatencyHistogram, OutOfRangeValuesAreClampedButTheMaximumIsKept) {
  auto histogram = std::make_unique<LatencyHistogram>();
  histogram->record(-5);
  histogram->record(100'000'000'000);  // 100 s
  EXPECT_EQ(histogram->valueAtPercentile(10.0), 0);
  EXPECT_EQ(histogram->max(), 100'000'000'000);
  EXPECT_EQ(histogram->valueAtPercentile(100.0), 100'000'000'000);
}

TEST(LatencyHistogram, CurveRisesAndEndsAtTheMaximum) {
  auto histogram = std::make_unique<LatencyHistogram>();
  for (int i = 1; i <= 5000; ++i) histogram->record(i * 997);
  const auto curve = percentileCurve(*histogram);
  ASSERT_FALSE(curve.empty());
  for (std::size_t i = 1; i < curve.size(); ++i) {
    EXPECT_GT(curve[i].percentile, curve[i - 1].percentile);
    EXPECT_GE(curve[i].nanos, curve[i - 1].nanos);
  }
  EXPECT_EQ(curve.back().percentile, 100.0);
  EXPECT_EQ(curve.back().nanos, histogram->max());
  // 5000 values resolve 99.9% (5 above it) but not 99.99%.
  EXPECT_GE(curve[curve.size() - 2].percentile, 99.9);
  EXPECT_LT(curve[curve.size() - 2].percentile, 99.99);
}

}  // namespace
}  // namespace fixgate::load
