// fixgate-bench's reading of the gateway's stage histogram: labels in any order, other metrics ignored,
// percentiles interpolated inside buckets as Prometheus' histogram_quantile does.
#include "stage_metrics.h"

#include <gtest/gtest.h>

namespace fixgate::bench {
namespace {

constexpr const char* kExposition = R"(# HELP fixgate_order_stage_seconds Time per order stage.
# TYPE fixgate_order_stage_seconds histogram
fixgate_order_stage_seconds_bucket{stage="decode",le="1e-05"} 0
fixgate_order_stage_seconds_bucket{stage="decode",le="2e-05"} 50
fixgate_order_stage_seconds_bucket{stage="decode",le="4e-05"} 100
fixgate_order_stage_seconds_bucket{stage="decode",le="+Inf"} 100
fixgate_order_stage_seconds_sum{stage="decode"} 0.002
fixgate_order_stage_seconds_count{stage="decode"} 100
fixgate_order_stage_seconds_bucket{le="0.001",stage="journal"} 10
fixgate_order_stage_seconds_bucket{le="+Inf",stage="journal"} 20
fixgate_other_seconds_bucket{stage="decode",le="1"} 7
)";

TEST(StageMetrics, ReadsEveryStageOfTheHistogramOnly) {
  const auto timings = parseStageTimings(kExposition);
  ASSERT_EQ(timings.size(), 2u);
  const StageTiming& decode = timings.at("decode");
  EXPECT_EQ(decode.count, 100u);
  EXPECT_NEAR(decode.p50_us, 20.0, 1e-6);  // the 50th value closes the 10..20 us bucket
  EXPECT_NEAR(decode.p90_us, 36.0, 1e-6);  // 40% into the 20..40 us bucket
  const StageTiming& journal = timings.at("journal");
  EXPECT_EQ(journal.count, 20u);
  EXPECT_NEAR(journal.p50_us, 1000.0, 1e-6);  // the rank falls in +Inf: the last finite bound
}

TEST(StageMetrics, NoHistogramNoStages) {
  EXPECT_TRUE(parseStageTimings("fixgate_orders_total 5\n").empty());
  EXPECT_TRUE(parseStageTimings("").empty());
}

TEST(StageMetrics, QuantileOfEmptyBucketsIsZero) {
  EXPECT_EQ(estimateQuantile({}, 0.5), 0.0);
  EXPECT_EQ(estimateQuantile({{0.001, 0}, {1.0, 0}}, 0.99), 0.0);
}

}  // namespace
}  // namespace fixgate::bench
