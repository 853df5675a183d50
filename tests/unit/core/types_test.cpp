// Fixed-point prices and whole quantities: exact parsing, exact formatting, refusal of everything else.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/types.h"

namespace fixgate::core {
namespace {

TEST(PriceParsing, ParsesDecimalsExactlyIntoEightDecimalFixedPoint) {
  EXPECT_EQ(parsePrice("101.25"), Price{10'125'000'000});
  EXPECT_EQ(parsePrice("100"), Price{10'000'000'000});
  EXPECT_EQ(parsePrice("0"), Price{0});
  EXPECT_EQ(parsePrice("0.00000001"), Price{1});
  EXPECT_EQ(parsePrice("0.5"), Price{50'000'000});
  EXPECT_EQ(parsePrice("12345678.87654321"), Price{1'234'567'887'654'321});
  EXPECT_EQ(parsePrice("007.10"), Price{710'000'000});
}

TEST(PriceParsing, AcceptsTrailingZerosBeyondEightDecimals) {
  // Only significant digits count: 1.10000000000 is 1.1, not a ninth decimal.
  EXPECT_EQ(parsePrice("1.10000000000"), Price{110'000'000});
  EXPECT_EQ(parsePrice("2.123456780"), Price{212'345'678});
}

TEST(PriceParsing, ParsesNegativeValuesForTheCoreToReject) {
  EXPECT_EQ(parsePrice("-3"), Price{-300'000'000});
  EXPECT_EQ(parsePrice("-0.01"), Price{-1'000'000});
  EXPECT_EQ(parsePrice("-101.25"), Price{-10'125'000'000});
}

TEST(PriceParsing, DecimalSumsAreExactWhereDoublesAreNot) {
  const auto a = parsePrice("0.1");
  const auto b = parsePrice("0.2");
  const auto c = parsePrice("0.3");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->units + b->units, c->units);
}

TEST(PriceParsing, RejectsNonDecimalText) {
  for (std::string_view bad :
       {"",     "-",    "+",  ".",  "-.",  "NaN",  "nan",   "inf", "-inf", "Infinity", "1e5", "1E5",
        "1e-2", "0x10", " 1", "1 ", "1,5", "1..2", "1.2.3", "--1", "-+1",  "1-",       "abc", "12a"}) {
    EXPECT_EQ(parsePrice(bad), std::nullopt) << "'" << bad << "'";
  }
}

// FIX decimals ("float" data type) are digits with an optional '-' and '.'; there is no '+' sign, and
// splitDecimal documents "[-]digits[.digits]; rejects anything else".
TEST(PriceParsing, RejectsAPlusSignWhichFixDecimalsDoNotHave) {
  EXPECT_EQ(parsePrice("+5"), std::nullopt);
  EXPECT_EQ(parsePrice("+0.5"), std::nullopt);
}

TEST(QtyParsing, RejectsAPlusSignWhichFixQuantitiesDoNotHave) {
  EXPECT_EQ(parseQty("+100"), std::nullopt);
}

TEST(PriceParsing, RejectsMoreThanEightSignificantDecimals) {
  EXPECT_EQ(parsePrice("1.000000001"), std::nullopt);
  EXPECT_EQ(parsePrice("0.123456789"), std::nullopt);
  EXPECT_EQ(parsePrice("1.0000000010"), std::nullopt);
  EXPECT_EQ(parsePrice("-0.000000001"), std::nullopt);
}

TEST(PriceParsing, RejectsValuesThatDoNotFitTheFixedPointRange) {
  EXPECT_EQ(parsePrice("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parsePrice("9223372036854775807"), std::nullopt);  // fits int64 as a whole, not once scaled
  EXPECT_EQ(parsePrice("100000000000"), std::nullopt);         // 1e11 * 1e8 > INT64_MAX
  EXPECT_EQ(parsePrice("-100000000000"), std::nullopt);
  // Large but representable values stay exact.
  EXPECT_EQ(parsePrice("90000000000.00000001"), Price{9'000'000'000'000'000'001});
}

TEST(PriceFormatting, PrintsShortestExactDecimal) {
  EXPECT_EQ(formatPrice(Price{10'125'000'000}), "101.25");
  EXPECT_EQ(formatPrice(Price{10'000'000'000}), "100");
  EXPECT_EQ(formatPrice(Price{0}), "0");
  EXPECT_EQ(formatPrice(Price{1}), "0.00000001");
  EXPECT_EQ(formatPrice(Price{50'000'000}), "0.5");
  EXPECT_EQ(formatPrice(Price{-50'000'000}), "-0.5");
  EXPECT_EQ(formatPrice(Price{-1}), "-0.00000001");
  EXPECT_EQ(formatPrice(Price{std::numeric_limits<std::int64_t>::min()}), "-92233720368.54775808");
  EXPECT_EQ(formatPrice(Price{std::numeric_limits<std::int64_t>::max()}), "92233720368.54775807");
}

TEST(PriceFormatting, RoundTripsTextWithoutRounding) {
  for (std::string_view text : {"101.25", "100", "0.00000001", "0.1", "0.3", "99.99999999", "-3", "-0.5",
                                "123456789.12345678", "1.5", "0.01", "42"}) {
    const auto p = parsePrice(text);
    ASSERT_TRUE(p.has_value()) << text;
    EXPECT_EQ(formatPrice(*p), text);
  }
}

TEST(PriceFormatting, RoundTripsUnitsWithoutRounding) {
  for (std::int64_t units : {std::int64_t{1}, std::int64_t{9}, std::int64_t{10}, std::int64_t{99'999'999},
                             std::int64_t{100'000'001}, std::int64_t{123'456'789'012'345},
                             std::int64_t{-12'345'678'901}, std::int64_t{9'000'000'000'000'000'001}}) {
    const auto text = formatPrice(Price{units});
    EXPECT_EQ(parsePrice(text), Price{units}) << text;
  }
}

TEST(QtyParsing, ParsesWholeQuantities) {
  EXPECT_EQ(parseQty("100"), Qty{100});
  EXPECT_EQ(parseQty("0"), Qty{0});
  EXPECT_EQ(parseQty("1"), Qty{1});
  EXPECT_EQ(parseQty("9000000000000000000"), Qty{9'000'000'000'000'000'000});
}

TEST(QtyParsing, AcceptsZeroFractionAsWritten) {
  EXPECT_EQ(parseQty("100.0"), Qty{100});
  EXPECT_EQ(parseQty("100.000"), Qty{100});
  EXPECT_EQ(parseQty("100."), Qty{100});
}

TEST(QtyParsing, RefusesFractionalQuantities) {
  EXPECT_EQ(parseQty("1.5"), std::nullopt);
  EXPECT_EQ(parseQty("100.01"), std::nullopt);
  EXPECT_EQ(parseQty("0.00000001"), std::nullopt);
  EXPECT_EQ(parseQty("-2.5"), std::nullopt);
}

TEST(QtyParsing, ParsesNegativeQuantitiesForTheCoreToReject) {
  EXPECT_EQ(parseQty("-5"), Qty{-5});
  EXPECT_EQ(parseQty("-5.0"), Qty{-5});
}

TEST(QtyParsing, RejectsNonNumbersAndOverflow) {
  for (std::string_view bad : {"", "-", ".", "NaN", "nan", "inf", "1e5", "1E2", "0x10", " 1", "1 ", "1,000",
                               "1..0", "abc", "99999999999999999999", "9223372036854775808"}) {
    EXPECT_EQ(parseQty(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(OrdStatusModel, FinalStatesAreExactlyTheTerminalOnes) {
  for (auto s : {OrdStatus::Filled, OrdStatus::Canceled, OrdStatus::Replaced, OrdStatus::Rejected,
                 OrdStatus::Expired, OrdStatus::DoneForDay}) {
    EXPECT_TRUE(isFinal(s)) << toString(s);
  }
  for (auto s : {OrdStatus::PendingNew, OrdStatus::New, OrdStatus::PartiallyFilled, OrdStatus::PendingCancel,
                 OrdStatus::PendingReplace}) {
    EXPECT_FALSE(isFinal(s)) << toString(s);
  }
}

}  // namespace
}  // namespace fixgate::core
