// The order path's latency histogram: every value lands in a bucket whose bounds hold it, within the stated
// 3% relative error; percentiles and Prometheus bucket counts come out of the buckets exactly.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "ops/latency_histogram.h"
#include "ops/stage_timing.h"

namespace fixgate::ops {
namespace {

std::int64_t lowerBound(std::size_t bucket) {
  return bucket == 0 ? 0 : LatencyHistogram::bucketUpperBound(bucket - 1) + 1;
}

TEST(LatencyHistogram, EveryValueFallsInsideItsBucketWithinThreePercent) {
  std::mt19937_64 random(7);
  std::vector<std::int64_t> values = {0, 1, 63, 64, 65, 127, 128, 1000, 1023, 1024, 999'999, 1'000'000};
  for (int i = 0; i < 20000; ++i) values.push_back(static_cast<std::int64_t>(random() % 100'000'000'000ULL));
  for (const auto v : values) {
    const auto bucket = LatencyHistogram::bucketOf(v);
    ASSERT_LT(bucket, LatencyHistogram::kBucketCount) << v;
    EXPECT_LE(lowerBound(bucket), v) << v;
    EXPECT_GE(LatencyHistogram::bucketUpperBound(bucket), v) << v;
    const auto width = LatencyHistogram::bucketUpperBound(bucket) - lowerBound(bucket) + 1;
    EXPECT_LE(static_cast<double>(width), 0.0313 * static_cast<double>(std::max<std::int64_t>(v, 64))) << v;
  }
}

TEST(LatencyHistogram, BucketsAreContiguousAndIncreasing) {
  for (std::size_t b = 1; b < LatencyHistogram::kBucketCount; ++b) {
    ASSERT_EQ(LatencyHistogram::bucketUpperBound(b - 1) + 1, lowerBound(b)) << b;
    ASSERT_EQ(LatencyHistogram::bucketOf(lowerBound(b)), b);
  }
}

TEST(LatencyHistogram, HugeAndNegativeValuesAreKeptNotLost) {
  LatencyHistogram h;
  h.record(-5);                     // a clock step back counts as no time
  h.record(std::int64_t{1} << 40);  // beyond the range: the last bucket
  const auto s = h.snapshot();
  EXPECT_EQ(s.total, 2u);
  EXPECT_EQ(s.counts.front(), 1u);
  EXPECT_EQ(s.counts.back(), 1u);
  EXPECT_EQ(s.max_ns, std::int64_t{1} << 40);
}

TEST(LatencyHistogram, PercentilesOfAKnownDistribution) {
  LatencyHistogram h;
  for (int i = 1; i <= 1000; ++i) h.record(i * 1000);  // 1 us .. 1 ms evenly
  const auto s = h.snapshot();
  EXPECT_EQ(s.total, 1000u);
  EXPECT_EQ(s.sum_ns, 500'500'000u);
  EXPECT_NEAR(static_cast<double>(s.quantile(0.5)), 500'000, 500'000 * 0.032);
  EXPECT_NEAR(static_cast<double>(s.quantile(0.99)), 990'000, 990'000 * 0.032);
  EXPECT_EQ(s.quantile(1.0), 1'000'000);  // capped at the maximum seen
  EXPECT_EQ(s.quantile(0.0), s.quantile(0.001));
  EXPECT_EQ(s.countAtMost(1'040'000), 1000u);
  EXPECT_EQ(s.countAtMost(1'000'000), 999u);  // the bucket holding 1 ms ends above it: counted higher up
  EXPECT_EQ(s.countAtMost(999), 0u);
  // Prometheus le=100us: every value up to 100 us whose bucket ends by then (a bucket that straddles the
  // bound counts above it, so the count can only be low, never high).
  EXPECT_LE(s.countAtMost(100'000), 100u);
  EXPECT_GE(s.countAtMost(100'000), 96u);
  EXPECT_EQ(LatencyHistogram{}.snapshot().quantile(0.5), 0);
}

TEST(LatencyHistogram, ConcurrentRecordsAreAllCounted) {
  LatencyHistogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < 50000; ++i) h.record(100 + t * 1000 + i % 777);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.snapshot().total, 200000u);
}

TEST(StageTiming, StagesEndOnlyForTheMessagesThatStartedThem) {
  StageTimings timings;
  timings.markDecided();  // no message on this thread: nothing recorded
  timings.markVenueSent();
  {
    const InboundScope client(Origin::Client);
    timings.markDecided();
    timings.markVenueSent();
    timings.markDecided();    // a follow-up event of the same message: not a second sample
    timings.markVenueSent();  // a mass cancel's second venue message: the stage ended at the first
    timings.markClientSent(currentInbound());  // a client message's own report: not a venue-report stage
  }
  EXPECT_EQ(currentInbound().origin, Origin::None);
  {
    const InboundScope venue(Origin::Venue);
    timings.markDecided();
    timings.markVenueSent();  // a venue message causes no venue send timing
    const InboundStamp carried = currentInbound();
    timings.markClientSent(carried);
  }
  EXPECT_EQ(timings.of(Stage::InboundToDecided).snapshot().total, 1u);
  EXPECT_EQ(timings.of(Stage::DecidedToVenueSend).snapshot().total, 1u);
  EXPECT_EQ(timings.of(Stage::InboundToVenueSend).snapshot().total, 1u);
  EXPECT_EQ(timings.of(Stage::VenueReportToClientSend).snapshot().total, 1u);
  EXPECT_GE(timings.of(Stage::InboundToVenueSend).snapshot().max_ns,
            timings.of(Stage::DecidedToVenueSend).snapshot().max_ns);
  EXPECT_EQ(timings.of(Stage::VenueSocketWrite).snapshot().total, 0u);  // no write was started
  EXPECT_EQ(timings.of(Stage::InboundToVenueWrite).snapshot().total, 0u);
}

TEST(StageTiming, TheVenueSocketWriteIsTheLastWriteStartedBeforeTheVenueSend) {
  StageTimings timings;
  {
    const InboundScope client(Origin::Client);
    timings.markDecided();
    markWriteStarting();  // a client report written before the venue send
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    markWriteStarting();  // the venue send's own write
    timings.markVenueSent();
    markWriteStarting();  // a client report after it: the stage has ended
    timings.markVenueSent();
  }
  {
    const InboundScope rejected(Origin::Client);  // refused by the core: writes its reject, sends nothing
    timings.markDecided();
    markWriteStarting();
  }
  {
    const InboundScope venue(Origin::Venue);  // a venue report's client report is not a venue write
    markWriteStarting();
    timings.markVenueSent();
  }
  const auto write = timings.of(Stage::VenueSocketWrite).snapshot();
  EXPECT_EQ(write.total, 1u);
  EXPECT_LT(write.max_ns, 5'000'000) << "timed from the first write, not the venue's";
  EXPECT_GE(timings.of(Stage::DecidedToVenueSend).snapshot().max_ns, 5'000'000);
  // Up to the venue's write, so including the 5 ms before it.
  const auto to_write = timings.of(Stage::InboundToVenueWrite).snapshot();
  EXPECT_EQ(to_write.total, 1u);
  EXPECT_GE(to_write.max_ns, 5'000'000);
}

}  // namespace
}  // namespace fixgate::ops
