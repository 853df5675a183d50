#include "book/types.h"
#include "book/order.h"

#include <gtest/gtest.h>

namespace fixgate::sim {
namespace {

TEST(Price, ParsesExactDecimals) {
  EXPECT_EQ(parsePrice("101.25"), Price{10'125'000'000});
  EXPECT_EQ(parsePrice("0.00000001"), Price{1});
  EXPECT_EQ(parsePrice("-3"), Price{-300'000'000});
  EXPECT_EQ(parsePrice("7."), Price::fromWhole(7));
  EXPECT_EQ(parsePrice("1.100000000"), Price{110'000'000});  // trailing zeros beyond 8 decimals are harmless
}

TEST(Price, RefusesWhatCannotBeHeldExactly) {
  EXPECT_FALSE(parsePrice(""));
  EXPECT_FALSE(parsePrice("-"));
  EXPECT_FALSE(parsePrice("."));
  EXPECT_FALSE(parsePrice("1e5"));
  EXPECT_FALSE(parsePrice("nan"));
  EXPECT_FALSE(parsePrice("0.000000001"));
  EXPECT_FALSE(parsePrice("99999999999999999999"));
  EXPECT_FALSE(parsePrice("1,5"));
}

TEST(Price, FormatsShortestExactForm) {
  EXPECT_EQ(formatPrice(Price{10'125'000'000}), "101.25");
  EXPECT_EQ(formatPrice(Price::fromWhole(100)), "100");
  EXPECT_EQ(formatPrice(Price{1}), "0.00000001");
  EXPECT_EQ(formatPrice(Price{-50'000'000}), "-0.5");
  EXPECT_EQ(formatPrice(Price{}), "0");
}

TEST(Qty, AcceptsWholeNumbersOnly) {
  EXPECT_EQ(parseQty("100"), 100);
  EXPECT_EQ(parseQty("100.000"), 100);
  EXPECT_EQ(parseQty("-5"), -5);
  EXPECT_FALSE(parseQty("100.5"));
  EXPECT_FALSE(parseQty("abc"));
}

TEST(AvgPx, IsVolumeWeightedAndRounded) {
  Order o;
  o.orderQty = 300;
  o.cumQty = 3;
  o.notional = Price{1}.units * 2;  // 2 units over 3 shares = 0.67 units -> rounds to 1
  EXPECT_EQ(avgPx(o), Price{1});
  o.cumQty = 0;
  EXPECT_EQ(avgPx(o), Price{});
}

}  // namespace
}  // namespace fixgate::sim
