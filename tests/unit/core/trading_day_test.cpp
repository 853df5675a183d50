// Which trading day a moment belongs to, for a configured start time of day in UTC.
#include "core/trading_day.h"

#include <gtest/gtest.h>

namespace fixgate::core {
namespace {

constexpr Timestamp kSecond = 1'000'000;
constexpr Timestamp kHour = 3'600 * kSecond;
// 2026-12-07T00:00:00Z in microseconds.
constexpr Timestamp kDec7 = 1'796'601'600 * kSecond;

TEST(TradingDayOf, AMidnightStartNamesTheDayByItsUtcDate) {
  EXPECT_EQ(tradingDayOf(kDec7, 0), "2026-12-07");
  EXPECT_EQ(tradingDayOf(kDec7 - 1, 0), "2026-12-06");
  EXPECT_EQ(tradingDayOf(kDec7 + 24 * kHour - 1, 0), "2026-12-07");
  EXPECT_EQ(tradingDayOf(0, 0), "1970-01-01");
  EXPECT_EQ(tradingDayOf(-1, 0), "1969-12-31");
}

TEST(TradingDayOf, AMorningStartNamesTheDayByTheDateItStartsOn) {
  const std::int64_t four_am = 4 * 3'600;
  EXPECT_EQ(tradingDayOf(kDec7 + 4 * kHour, four_am), "2026-12-07");
  EXPECT_EQ(tradingDayOf(kDec7 + 4 * kHour - 1, four_am), "2026-12-06");
  EXPECT_EQ(tradingDayOf(kDec7 + 27 * kHour, four_am), "2026-12-07");  // 03:00 on the 8th
}

TEST(TradingDayOf, AnEveningStartNamesTheDayByTheNextDate) {
  const std::int64_t ten_pm = 22 * 3'600;
  EXPECT_EQ(tradingDayOf(kDec7 + 22 * kHour, ten_pm), "2026-12-08");
  EXPECT_EQ(tradingDayOf(kDec7 + 22 * kHour - 1, ten_pm), "2026-12-07");
  EXPECT_EQ(tradingDayOf(kDec7 + 12 * kHour, ten_pm), "2026-12-07");
  // Noon exactly is "later": a day starting at 12:00 on the 7th is the 8th's.
  EXPECT_EQ(tradingDayOf(kDec7 + 12 * kHour, 12 * 3'600), "2026-12-08");
  EXPECT_EQ(tradingDayOf(kDec7 + 12 * kHour - 1, 12 * 3'600), "2026-12-07");
}

TEST(NextTradingDayStart, IsTheNextStartStrictlyAfterTheMoment) {
  const std::int64_t four_am = 4 * 3'600;
  EXPECT_EQ(nextTradingDayStart(kDec7, four_am), kDec7 + 4 * kHour);
  EXPECT_EQ(nextTradingDayStart(kDec7 + 4 * kHour - 1, four_am), kDec7 + 4 * kHour);
  EXPECT_EQ(nextTradingDayStart(kDec7 + 4 * kHour, four_am), kDec7 + 28 * kHour);
  EXPECT_EQ(nextTradingDayStart(kDec7 + 4 * kHour + 1, four_am), kDec7 + 28 * kHour);
  EXPECT_EQ(nextTradingDayStart(kDec7, 0), kDec7 + 24 * kHour);
  // At every moment the next start begins a day with another name.
  for (Timestamp at = kDec7; at < kDec7 + 48 * kHour; at += 7 * kHour + 13 * kSecond) {
    for (const std::int64_t start : {0LL, 4LL * 3'600, 12LL * 3'600, 22LL * 3'600 + 30 * 60, 86'399LL}) {
      const Timestamp next = nextTradingDayStart(at, start);
      EXPECT_GT(next, at);
      EXPECT_LE(next - at, 24 * kHour);
      EXPECT_EQ(tradingDayOf(next - 1, start), tradingDayOf(at, start));
      EXPECT_NE(tradingDayOf(next, start), tradingDayOf(at, start));
    }
  }
}

}  // namespace
}  // namespace fixgate::core
