// Pre-trade checks on one order: quantity and notional (per account, per symbol, with defaults), price tick,
// collar and reference price, restricted symbols, entitlements and accounts, throttle, open orders,
// duplicates. Each check at its boundary: exactly at the limit passes, one unit over is refused with its own
// code and a text that names the limit and the value.
#include <cstdlib>
#include <limits>

#include "risk_fixture.h"

namespace fixgate::core::risktest {
namespace {

using PreTradeRisk = RiskTest;

// --- Max order quantity (FG505) ---------------------------------------------------------------------------

TEST_F(PreTradeRisk, AccountMaxOrderQtyPassesAtLimitAndRefusesOneOver) {
  AccountLimits a;
  a.account = "QTY";
  a.max_order_qty = 1'000;
  limits_.accounts.emplace(a.account, a);
  start();
  place(kAlpha, buy("QTY", "AIR", 1'000, "100"));
  const auto r = refuse(kAlpha, buy("QTY", "AIR", 1'001, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderQty,
                          {"order quantity 1001 exceeds max_order_qty 1000 for account QTY"}));
  EXPECT_EQ(r.session, kAlpha);
  EXPECT_EQ(r.account, "QTY");
}

TEST_F(PreTradeRisk, AccountWithoutOwnMaxOrderQtyUsesTheDefault) {
  start();
  place(kAlpha, buy("ACC1", "AIR", 100'000, "1"));
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 100'001, "1"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderQty,
                          {"order quantity 100001 exceeds max_order_qty 100000 for account ACC1"}));
}

TEST_F(PreTradeRisk, AccountMaxOrderQtyOverridesALowerDefault) {
  AccountLimits a;
  a.account = "BIG";
  a.max_order_qty = 200'000;
  limits_.accounts.emplace(a.account, a);
  start();
  place(kAlpha, buy("BIG", "AIR", 200'000, "1"));
  const auto r = refuse(kAlpha, buy("BIG", "AIR", 200'001, "1"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::MaxOrderQty, {"max_order_qty 200000 for account BIG"}));
}

TEST_F(PreTradeRisk, SymbolMaxOrderQtyPassesAtLimitAndRefusesOneOver) {
  start();
  place(kAlpha, buy("ACC1", "SAN", 5'000, "10"));
  const auto r = refuse(kAlpha, buy("ACC1", "SAN", 5'001, "10"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderQty,
                          {"order quantity 5001 exceeds max_order_qty 5000 for symbol SAN"}));
}

TEST_F(PreTradeRisk, SymbolWithoutOwnMaxOrderQtyUsesTheSymbolDefault) {
  limits_.symbol_defaults.max_order_qty = 2'000;
  start();
  place(kAlpha, buy("ACC1", "MT", 2'000, "20"));
  const auto r = refuse(kAlpha, buy("ACC1", "MT", 2'001, "20"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderQty,
                          {"order quantity 2001 exceeds max_order_qty 2000 for symbol MT"}));
}

TEST_F(PreTradeRisk, ZeroMaxOrderQtyRefusesEveryOrder) {
  limits_.accounts["ACC2"].max_order_qty = 0;
  start();
  const auto r = refuse(kAlpha, buy("ACC2", "AIR", 1, "100"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::MaxOrderQty, {"exceeds max_order_qty 0 for account ACC2"}));
}

// --- Max order notional (FG506) ---------------------------------------------------------------------------

TEST_F(PreTradeRisk, OrderNotionalTextIsTheOneInTheIssue) {
  start();
  const auto r = refuse(kBeta, buy("ACME-1", "IBM", 10'000, "125"));
  EXPECT_EQ(r.reject, RejectCode::MaxOrderNotional);
  EXPECT_EQ(
      r.text,
      "FG506 order notional 1,250,000.00 USD exceeds max_order_notional 1,000,000.00 USD for account ACME-1");
}

TEST_F(PreTradeRisk, AccountMaxOrderNotionalPassesAtLimitAndRefusesOneCentOver) {
  start();
  place(kBeta, buy("ACME-1", "IBM", 8'000, "125"));  // 1,000,000.00 exactly
  place(kBeta, buy("ACME-1", "IBM", 1, "1000000"));  // 1,000,000.00 exactly
  const auto by_cent = refuse(kBeta, buy("ACME-1", "IBM", 1, "1000000.01"));
  EXPECT_TRUE(refusedWith(by_cent.reject, by_cent.text, RejectCode::MaxOrderNotional,
                          {"order notional 1,000,000.01 USD exceeds max_order_notional 1,000,000.00 USD for "
                           "account ACME-1"}));
  const auto by_unit = refuse(kBeta, buy("ACME-1", "IBM", 8'001, "125"));
  EXPECT_TRUE(refusedWith(by_unit.reject, by_unit.text, RejectCode::MaxOrderNotional,
                          {"order notional 1,000,125.00 USD exceeds max_order_notional 1,000,000.00 USD"}));
}

TEST_F(PreTradeRisk, AccountWithoutOwnMaxOrderNotionalUsesTheDefault) {
  start();
  place(kAlpha, buy("ACC1", "AIR", 50'000, "100"));  // 5,000,000.00
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 50'000, "100.01"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                          {"order notional 5,000,500.00 EUR exceeds max_order_notional 5,000,000.00 EUR for "
                           "account ACC1"}));
}

TEST_F(PreTradeRisk, SymbolMaxOrderNotionalPassesAtLimitAndRefusesOneTickOver) {
  start();
  place(kAlpha, buy("ACC1", "SAN", 4'000, "50"));  // 200,000.00
  const auto r = refuse(kAlpha, sell("ACC1", "SAN", 4'000, "50.01"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                  {"order notional 200,040.00 EUR exceeds max_order_notional 200,000.00 EUR for symbol "
                   "SAN"}));
}

TEST_F(PreTradeRisk, SymbolDefaultMaxOrderNotionalApplies) {
  limits_.symbol_defaults.max_order_notional = px("10000");
  start();
  place(kAlpha, buy("ACC1", "MT", 500, "20"));  // 10,000.00
  const auto r = refuse(kAlpha, buy("ACC1", "MT", 501, "20"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                          {"10,020.00 EUR exceeds max_order_notional 10,000.00 EUR for symbol MT"}));
}

TEST_F(PreTradeRisk, MarketOrderIsValuedAtTheReferencePrice) {
  start();
  place(kAlpha, marketBuy("ACC1", "AIR", 50'000));  // 50,000 x 100 = 5,000,000.00
  const auto r = refuse(kAlpha, marketBuy("ACC1", "AIR", 50'001));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                          {"order notional 5,000,100.00 EUR exceeds max_order_notional 5,000,000.00 EUR"}));
}

TEST_F(PreTradeRisk, ZeroMaxOrderNotionalRefusesEveryOrder) {
  limits_.accounts["ACC2"].max_order_notional = Price{0};
  start();
  const auto r = refuse(kAlpha, buy("ACC2", "AIR", 1, "0.01"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                          {"order notional 0.01 EUR exceeds max_order_notional 0.00 EUR for account ACC2"}));
}

// --- Price tick (FG508) -----------------------------------------------------------------------------------

TEST_F(PreTradeRisk, PriceOnTheTickPassesAndOffTheTickIsRefused) {
  start();
  place(kAlpha, buy("ACC1", "AIR", 10, "100.01"));
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 10, "100.005"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::PriceOffTick,
                          {"Price 100.005 is not a multiple of the tick size 0.01 for AIR"}));
  place(kAlpha, buy("ACC1", "MT", 10, "20.05"));
  const auto mt = refuse(kAlpha, buy("ACC1", "MT", 10, "20.04"));
  EXPECT_TRUE(refusedWith(mt.reject, mt.text, RejectCode::PriceOffTick,
                          {"Price 20.04 is not a multiple of the tick size 0.05 for MT"}));
}

TEST_F(PreTradeRisk, StopPriceOffTheTickIsRefused) {
  start();
  auto t = buy("ACC1", "AIR", 10, "101");
  t.ord_type = OrdType::StopLimit;
  t.stop_price = px("100.999");
  const auto r = refuse(kAlpha, t);
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::PriceOffTick, {"StopPx 100.999", "tick size 0.01"}));
  t.stop_price = px("100.99");
  place(kAlpha, t);
}

// --- Collar and reference price (FG509, FG507) ------------------------------------------------------------

TEST_F(PreTradeRisk, PercentCollarPassesAtTheEdgeAndRefusesOneTickBeyond) {
  limits_.collar.max_deviation_pct = 5.0;
  start();
  place(kAlpha, buy("ACC1", "AIR", 10, "105"));
  place(kAlpha, sell("ACC1", "AIR", 10, "95"));
  const auto above = refuse(kAlpha, buy("ACC1", "AIR", 10, "105.01"));
  EXPECT_TRUE(
      refusedWith(above.reject, above.text, RejectCode::PriceCollar,
                  {"limit price 105.01 is 5.01% from the reference price 100 for AIR, beyond the collar of "
                   "5%"}));
  const auto below = refuse(kAlpha, sell("ACC1", "AIR", 10, "94.99"));
  EXPECT_TRUE(
      refusedWith(below.reject, below.text, RejectCode::PriceCollar, {"limit price 94.99", "collar of 5%"}));
}

TEST_F(PreTradeRisk, TickCollarPassesAtTheEdgeAndRefusesOneTickBeyond) {
  limits_.collar.max_deviation_ticks = 10;
  start();
  place(kAlpha, buy("ACC1", "AIR", 10, "100.10"));
  place(kAlpha, sell("ACC1", "AIR", 10, "99.90"));
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 10, "100.11"));
  EXPECT_TRUE(refusedWith(
      r.reject, r.text, RejectCode::PriceCollar,
      {"limit price 100.11 is 11 ticks from the reference price 100 for AIR, beyond the collar of "
       "10 ticks"}));
}

TEST_F(PreTradeRisk, CollarFollowsTheLastTradeOnceThereIsOne) {
  limits_.collar.max_deviation_pct = 5.0;
  start();
  const auto id = placeAndAck(kAlpha, buy("ACC1", "AIR", 10, "104"));
  fill(kXpar, id, 10, "104");
  place(kAlpha, buy("ACC1", "AIR", 10, "109.20"));  // 5% over 104
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 10, "109.21"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::PriceCollar, {"reference price 104 for AIR"}));
}

TEST_F(PreTradeRisk, ZeroPercentCollarOnlyAcceptsTheReferencePrice) {
  limits_.collar.max_deviation_pct = 0.0;
  start();
  place(kAlpha, buy("ACC1", "AIR", 10, "100"));
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 10, "100.01"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::PriceCollar, {"collar of 0%"}));
}

// A NaN in the limits must not switch the check off: fail closed. (The YAML loader refuses NaN percentages,
// but the core is the last line and documents itself as fail-closed.)
TEST_F(PreTradeRisk, NaNCollarPercentageFailsClosed) {
  limits_.collar.max_deviation_pct = std::numeric_limits<double>::quiet_NaN();
  start();
  const auto d = send(kAlpha, buy("ACC1", "AIR", 10, "500"));  // 400% from the reference price
  ASSERT_TRUE(d.rejected) << "a NaN collar let an order 400% off the reference price through: "
                          << describeAll(d.actions);
  EXPECT_EQ(d.rejected->reject, RejectCode::PriceCollar);
}

TEST_F(PreTradeRisk, InfiniteCollarPercentageIsNoCollarButStillNeedsAReferencePrice) {
  limits_.collar.max_deviation_pct = std::numeric_limits<double>::infinity();
  start();
  place(kAlpha, buy("ACC1", "AIR", 10, "5000"));
  const auto r = refuse(kAlpha, buy("ACC1", "NOREF", 10, "10"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::NoReferencePrice, {"no reference price for NOREF"}));
}

TEST_F(PreTradeRisk, MarketOrderWithoutReferencePriceIsRefused) {
  start();
  const auto r = refuse(kAlpha, marketBuy("ACC1", "NOREF", 10));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::NoReferencePrice,
                  {"no reference price for NOREF", "a market order cannot be checked, so it is refused"}));
  // Without a collar a limit order is valued at its own price and passes.
  place(kAlpha, buy("ACC1", "NOREF", 10, "10"));
}

TEST_F(PreTradeRisk, CollarWithoutReferencePriceRefusesLimitOrders) {
  limits_.collar.max_deviation_ticks = 100;
  start();
  const auto r = refuse(kAlpha, buy("ACC1", "NOREF", 10, "10"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::NoReferencePrice,
                          {"no reference price for NOREF", "a limit order cannot be checked"}));
}

TEST_F(PreTradeRisk, FirstTradeBecomesTheReferencePriceForMarketOrders) {
  limits_.account_defaults.max_order_qty = 1'000'000;
  start();
  const auto id = placeAndAck(kAlpha, buy("ACC1", "NOREF", 10, "40"));
  fill(kXpar, id, 10, "40");
  place(kAlpha, marketBuy("ACC1", "NOREF", 125'000));  // 125,000 x 40 = 5,000,000.00
  const auto r = refuse(kAlpha, marketBuy("ACC1", "NOREF", 125'001));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional, {"5,000,040.00 EUR"}));
}

// --- Restricted symbols (FG503) ---------------------------------------------------------------------------

TEST_F(PreTradeRisk, RestrictedSymbolRefusesBuysAndSells) {
  start();
  for (const auto& t : {buy("ACC1", "RSTR", 1, "10"), sell("ACC1", "RSTR", 1, "10")}) {
    const auto r = refuse(kAlpha, t);
    EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::RestrictedSymbol,
                            {"symbol RSTR is on the restricted list"}));
  }
}

// --- Entitlements and accounts (FG502, FG501) -------------------------------------------------------------

TEST_F(PreTradeRisk, SessionEntitlementsCoverAccountsSymbolsAndVenues) {
  start();
  place(kBeta, buy("ACC2", "AIR", 10, "100"));
  const auto account = refuse(kBeta, buy("ACC1", "AIR", 10, "100"));
  EXPECT_TRUE(refusedWith(account.reject, account.text, RejectCode::NotEntitled,
                          {"session BETA is not entitled to trade account ACC1"}));
  const auto symbol = refuse(kBeta, buy("ACC2", "MT", 10, "20"));
  EXPECT_TRUE(refusedWith(symbol.reject, symbol.text, RejectCode::NotEntitled,
                          {"session BETA is not entitled to trade symbol MT"}));
  const auto venue = refuse(kBeta, buy("ACC2", "ASML", 10, "600"));  // routed to XAMS
  EXPECT_TRUE(refusedWith(venue.reject, venue.text, RejectCode::NotEntitled,
                          {"session BETA is not entitled to trade on venue XAMS"}));
  auto exdest = buy("ACC2", "AIR", 11, "100");
  exdest.ex_destination = "XAMS";
  const auto chosen = refuse(kBeta, exdest);
  EXPECT_TRUE(refusedWith(chosen.reject, chosen.text, RejectCode::NotEntitled, {"on venue XAMS"}));
  // ALPHA lists nothing: any configured account, symbol and venue.
  place(kAlpha, buy("ACC2", "ASML", 10, "600"));
}

TEST_F(PreTradeRisk, AccountWithoutLimitsIsRefused) {
  start();
  const auto r = refuse(kAlpha, buy("NOPE", "AIR", 10, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::UnknownAccount,
                          {"account NOPE has no risk limits configured"}));
}

TEST_F(PreTradeRisk, OrderWithoutAccountUsesTheSessionDefault) {
  start();
  const auto d = send(kAlpha, buy("", "AIR", 10, "100"));
  ASSERT_TRUE(d.sent) << describeAll(d.actions);
  EXPECT_EQ(d.sent->terms.account, "ACC1");
}

TEST_F(PreTradeRisk, OrderWithoutAccountOnSessionWithoutDefaultIsRefused) {
  start();
  const auto r = refuse(kDelta, buy("", "AIR", 10, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::UnknownAccount,
                          {"the order has no Account (1) and session DELTA has no default account"}));
  place(kDelta, buy("ACC1", "AIR", 10, "100"));
}

TEST_F(PreTradeRisk, SessionMissingFromTheLimitsTradesNothing) {
  start();
  const auto r = refuse(kGamma, buy("ACC1", "AIR", 10, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::NotEntitled,
                          {"session GAMMA has no entitlements in limits file risk-test-limits.yaml"}));
}

TEST_F(PreTradeRisk, EngineWithoutLimitsRefusesEveryOrder) {
  startWithoutLimits();
  for (const auto& t :
       {buy("ACC1", "AIR", 1, "100"), sell("ACC1", "AIR", 1, "100"), marketBuy("ACC1", "AIR", 1)}) {
    const auto r = refuse(kAlpha, t);
    EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::NoLimitsLoaded, {"no risk limits are loaded"}));
  }
}

// --- Throttle (FG504) -------------------------------------------------------------------------------------

TEST_F(PreTradeRisk, ThrottleAdmitsMaxMessagesPerSecondOverASlidingSecond) {
  limits_.sessions["ALPHA"].max_messages_per_second = 3;
  start();
  const Timestamp t0 = now() + kSecond;
  place(kAlpha, buy("ACC1", "AIR", 1, "100"), t0);
  place(kAlpha, buy("ACC1", "AIR", 2, "100"), t0 + 10);
  place(kAlpha, buy("ACC1", "AIR", 3, "100"), t0 + 20);
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 4, "100"), t0 + 30);
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::ThrottleExceeded,
                          {"session ALPHA exceeded max_messages_per_second 3"}));
  // Other sessions have their own budget.
  place(kBeta, buy("ACC2", "AIR", 4, "100"), t0 + 40);
  // Exactly one second after the first message its slot is free again; the second's is not.
  place(kAlpha, buy("ACC1", "AIR", 5, "100"), t0 + kSecond);
  refuse(kAlpha, buy("ACC1", "AIR", 6, "100"), t0 + kSecond + 5);
  place(kAlpha, buy("ACC1", "AIR", 7, "100"), t0 + kSecond + 10);
}

// max_messages_per_second 0 means the session may send nothing. Run in a child process: the throttle ring of
// size zero is indexed and divided by, which crashes instead of refusing.
TEST_F(PreTradeRisk, ZeroMessagesPerSecondRefusesEveryOrder) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  limits_.sessions["ALPHA"].max_messages_per_second = 0;
  start();
  EXPECT_EXIT(
      {
        std::vector<Action> out;
        engine().apply(Event{now() + kSecond, NewOrder{kAlpha, "Z1", buy("ACC1", "AIR", 1, "100")}}, out);
        const auto reports = allOf<ExecReport>(out);
        const bool refused = reports.size() == 1 && reports.front().reject == RejectCode::ThrottleExceeded;
        std::exit(refused ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// --- Max open orders (FG510) ------------------------------------------------------------------------------

TEST_F(PreTradeRisk, MaxOpenOrdersCountsWorkingOrdersAndFreesOnCancelAndFill) {
  AccountLimits a;
  a.account = "OPEN3";
  a.max_open_orders = 3;
  limits_.accounts.emplace(a.account, a);
  start();
  const auto first = placeAndAck(kAlpha, buy("OPEN3", "AIR", 1, "100"));
  const auto second = placeAndAck(kAlpha, buy("OPEN3", "AIR", 2, "100"));
  place(kAlpha, buy("OPEN3", "AIR", 3, "100"));  // pending new counts as open
  const auto r = refuse(kAlpha, buy("OPEN3", "AIR", 4, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOpenOrders,
                          {"account OPEN3 already has 3 open orders, the max_open_orders limit is 3"}));
  apply(VenueCanceled{kXpar, first, "unsolicited"});
  place(kAlpha, buy("OPEN3", "AIR", 5, "100"));
  refuse(kAlpha, buy("OPEN3", "AIR", 6, "100"));
  fill(kXpar, second, 1, "100");  // partially filled: still open
  refuse(kAlpha, buy("OPEN3", "AIR", 7, "100"));
  fill(kXpar, second, 1, "100");  // filled: no longer open
  place(kAlpha, buy("OPEN3", "AIR", 8, "100"));
}

TEST_F(PreTradeRisk, ZeroMaxOpenOrdersRefusesTheFirstOrder) {
  limits_.accounts["ACC2"].max_open_orders = 0;
  start();
  const auto r = refuse(kAlpha, buy("ACC2", "AIR", 1, "100"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::MaxOpenOrders, {"already has 0 open orders", "limit is 0"}));
}

// --- Duplicate orders (FG511) -----------------------------------------------------------------------------

TEST_F(PreTradeRisk, DuplicateWithinTheWindowIsRefusedAndPassesOnceTheWindowIsOver) {
  start();
  const Timestamp t0 = now() + kSecond;
  place(kAlpha, buy("ACC1", "AIR", 100, "100"), t0);
  // Any difference in the economic terms is a different order.
  place(kAlpha, buy("ACC1", "AIR", 101, "100"), t0 + 1);
  place(kAlpha, buy("ACC1", "AIR", 100, "100.01"), t0 + 2);
  place(kAlpha, sell("ACC1", "AIR", 100, "100"), t0 + 3);
  place(kAlpha, buy("ACC2", "AIR", 100, "100"), t0 + 4);
  place(kAlpha, buy("ACC1", "SAN", 100, "100"), t0 + 5);
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 100, "100"), t0 + 1'000 * kMilli - 1);
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::DuplicateOrder,
                  {"same account ACC1, symbol AIR, side, quantity 100 and price as an order less than 1000 "
                   "ms ago"}));
  // Exactly the window after the first one it passes.
  place(kAlpha, buy("ACC1", "AIR", 100, "100"), t0 + 1'000 * kMilli);
}

TEST_F(PreTradeRisk, ZeroDuplicateWindowDisablesTheCheck) {
  limits_.duplicate_window_ms = 0;
  start();
  place(kAlpha, buy("ACC1", "AIR", 100, "100"));
  place(kAlpha, buy("ACC1", "AIR", 100, "100"));
}

// --- NaN, infinities, zero and huge values ----------------------------------------------------------------

TEST(RiskParsing, PricesThatAreNotFiniteDecimalsAreRefused) {
  for (const char* text : {"NaN", "nan", "-nan", "inf", "-inf", "Infinity", "1e5", "1E5", "0x10", "", ".",
                           "-", "+1", " 1", "1 ", "92233720368", "99999999999999999999", "1.000000001"}) {
    EXPECT_FALSE(parsePrice(text).has_value()) << "'" << text << "'";
  }
  const auto largest = parsePrice("92233720367");
  ASSERT_TRUE(largest.has_value());
  EXPECT_EQ(largest->units, 92233720367LL * Price::kScale);
}

TEST(RiskParsing, QuantitiesThatAreNotFiniteWholeNumbersAreRefused) {
  for (const char* text : {"NaN", "nan", "inf", "-inf", "Infinity", "1e3", "1.5", "", "9223372036854775808",
                           "99999999999999999999"}) {
    EXPECT_FALSE(parseQty(text).has_value()) << "'" << text << "'";
  }
  EXPECT_EQ(parseQty("9223372036854775807"), std::numeric_limits<Qty>::max());
  EXPECT_EQ(parseQty("0"), 0);
}

TEST_F(PreTradeRisk, ZeroQuantityAndZeroPriceAreRefusedBeforeRisk) {
  start();
  const auto qty = refuse(kAlpha, buy("ACC1", "AIR", 0, "100"));
  EXPECT_EQ(qty.reject, RejectCode::InvalidQuantity);
  auto zero_price = buy("ACC1", "AIR", 1, "100");
  zero_price.price = Price{0};
  const auto price = refuse(kAlpha, zero_price);
  EXPECT_EQ(price.reject, RejectCode::InvalidPrice);
}

TEST_F(PreTradeRisk, LargestParsableQuantityIsRefusedByMaxOrderQty) {
  start();
  const Qty huge = std::numeric_limits<Qty>::max();
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", huge, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderQty,
                          {"order quantity 9223372036854775807 exceeds max_order_qty 100000"}));
}

TEST_F(PreTradeRisk, LargestParsablePriceIsRefusedByMaxOrderNotional) {
  start();
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 1, "92233720367"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                  {"order notional 92,233,720,367.00 EUR exceeds max_order_notional 5,000,000.00 EUR"}));
}

// Without a quantity limit the notional of a huge order is computed exactly (128-bit) and the text must show
// it: 10^12 x 10^8 = 10^20, beyond 64 bits.
TEST_F(PreTradeRisk, HugeNotionalBeyond64BitsIsRefusedAndNamedExactly) {
  limits_.account_defaults.max_order_qty.reset();
  start();
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 1'000'000'000'000, "100000000"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderNotional,
                          {"order notional 100,000,000,000,000,000,000.00 EUR exceeds"}));
  const auto largest = refuse(kAlpha, buy("ACC1", "AIR", std::numeric_limits<Qty>::max(), "92233720367"));
  EXPECT_TRUE(refusedWith(largest.reject, largest.text, RejectCode::MaxOrderNotional,
                          {"order notional 850,705,917,288,070,609,971,314,761,169.00 EUR exceeds"}));
}

TEST(RiskFormatting, MoneyHasThousandsSeparatorsAndTwoDecimals) {
  EXPECT_EQ(formatMoney(notionalOf(px("1250000"), 1)), "1,250,000.00");
  EXPECT_EQ(formatMoney(notionalOf(px("0.01"), 1)), "0.01");
  EXPECT_EQ(formatMoney(notionalOf(px("999.995"), 1)), "1,000.00");
  EXPECT_EQ(formatMoney(-notionalOf(px("1000.01"), 1)), "-1,000.01");
  EXPECT_EQ(formatMoney(0), "0.00");
  // 2^64 whole units: one more than an unsigned 64-bit integer holds.
  EXPECT_EQ(formatMoney((static_cast<Notional>(1) << 64) * Price::kScale), "18,446,744,073,709,551,616.00");
}

}  // namespace
}  // namespace fixgate::core::risktest
