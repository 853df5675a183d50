// Usage-based checks: credit (gross and net notional over open orders and fills, with a warning level),
// positions per account and symbol counting working orders, daily realized loss, and replaces checked on
// their new terms against usage without the old order.
#include <limits>

#include "risk_fixture.h"

namespace fixgate::core::risktest {
namespace {

using CreditRisk = RiskTest;
using PositionRisk = CreditRisk;
using DailyLoss = CreditRisk;
using ReplaceRisk = CreditRisk;

// --- Gross and net credit (FG512, FG513) ------------------------------------------------------------------

TEST_F(CreditRisk, GrossNotionalPassesAtLimitAndRefusesOneCentOver) {
  account("CRED").max_gross_notional = px("1000000");
  start();
  place(kAlpha, buy("CRED", "AIR", 6'000, "100"));  // 600,000.00
  place(kAlpha, sell("CRED", "MT", 20'000, "20"));  // + 400,000.00: buys and sells both count
  const auto r = refuse(kAlpha, buy("CRED", "AIR", 1, "0.01"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::GrossCreditLimit,
                  {"account CRED gross notional would be 1,000,000.01 EUR, exceeding max_gross_notional "
                   "1,000,000.00 EUR"}));
  const auto s = refuse(kAlpha, sell("CRED", "AIR", 1, "0.01"));
  EXPECT_EQ(s.reject, RejectCode::GrossCreditLimit);
}

TEST_F(CreditRisk, GrossNotionalCountsFillsAndReleasesCanceledOrders) {
  account("CRED").max_gross_notional = px("1000000");
  start();
  trade(kAlpha, buy("CRED", "AIR", 5'000, "100"));                         // filled: 500,000.00
  const auto open = placeAndAck(kAlpha, buy("CRED", "AIR", 5'000, "99"));  // open: 495,000.00
  place(kAlpha, buy("CRED", "AIR", 50, "100"));                            // 5,000.00: exactly 1,000,000.00
  refuse(kAlpha, buy("CRED", "AIR", 1, "0.01"));
  apply(VenueCanceled{kXpar, open, ""});  // the open order no longer uses credit
  place(kAlpha, buy("CRED", "AIR", 4'950, "100"));
  const auto r = refuse(kAlpha, buy("CRED", "AIR", 1, "0.01"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::GrossCreditLimit, {"would be 1,000,000.01 EUR"}));
}

TEST_F(CreditRisk, NetNotionalPassesAtLimitAndRefusesOneCentOver) {
  account("NET").max_net_notional = px("500000");
  start();
  place(kAlpha, buy("NET", "AIR", 5'000, "100"));  // net 500,000.00
  const auto r = refuse(kAlpha, buy("NET", "AIR", 1, "0.01"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::NetCreditLimit,
                          {"account NET net notional would be 500,000.01 EUR, exceeding max_net_notional "
                           "500,000.00 EUR"}));
  place(kAlpha, sell("NET", "AIR", 1'000, "100"));  // net 400,000.00
  place(kAlpha, buy("NET", "AIR", 1'000, "100"));   // net 500,000.00 again
  EXPECT_EQ(refuse(kAlpha, buy("NET", "SAN", 1, "0.01")).reject, RejectCode::NetCreditLimit);
  // Sells beyond the buys are net exposure too: buys 600,000.00, sells 1,100,000.00.
  place(kAlpha, sell("NET", "AIR", 10'000, "100"));
  const auto s = refuse(kAlpha, sell("NET", "AIR", 1, "0.01"));
  EXPECT_TRUE(
      refusedWith(s.reject, s.text, RejectCode::NetCreditLimit, {"net notional would be 500,000.01 EUR"}));
}

TEST_F(CreditRisk, ZeroGrossLimitRefusesTheFirstOrder) {
  account("CRED").max_gross_notional = Price{0};
  start();
  const auto r = refuse(kAlpha, buy("CRED", "AIR", 1, "0.01"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::GrossCreditLimit,
                          {"would be 0.01 EUR, exceeding max_gross_notional 0.00 EUR"}));
}

TEST_F(CreditRisk, WarningIsReportedOnceWhenUsageReachesTheWarningLevel) {
  account("CRED").max_gross_notional = px("1000000");
  start();
  const auto below = send(kAlpha, buy("CRED", "AIR", 6'999, "100"));  // 699,900.00: 69.99%
  ASSERT_TRUE(below.sent);
  EXPECT_TRUE(below.alerts().empty()) << describeAll(below.actions);
  const auto at = send(kAlpha, buy("CRED", "AIR", 1, "100"));  // 700,000.00: 70%
  ASSERT_TRUE(at.sent) << describeAll(at.actions);
  const auto alerts = at.alerts();
  ASSERT_EQ(alerts.size(), 1u) << describeAll(at.actions);
  EXPECT_EQ(alerts.front().code, "CreditWarning");
  EXPECT_EQ(
      alerts.front().text,
      "account CRED uses 700,000.00 EUR of its max_gross_notional 1,000,000.00 EUR (70%, warning level 70%)");
  const auto again = send(kAlpha, buy("CRED", "AIR", 2, "100"));
  ASSERT_TRUE(again.sent);
  EXPECT_TRUE(again.alerts().empty()) << describeAll(again.actions);
}

// The one-time warning belongs to usage that really happened: an order refused by a later check neither
// raises it nor uses it up.
TEST_F(CreditRisk, RefusedOrderDoesNotUseUpTheCreditWarning) {
  auto& a = account("CRED");
  a.max_gross_notional = px("1000000");
  a.max_net_notional = px("600000");
  start();
  const auto refused = send(kAlpha, buy("CRED", "AIR", 8'000, "100"));  // gross 80% but net over its limit
  ASSERT_TRUE(refused.rejected);
  EXPECT_EQ(refused.rejected->reject, RejectCode::NetCreditLimit);
  EXPECT_TRUE(refused.alerts().empty()) << describeAll(refused.actions);
  const auto crossing = send(kAlpha, buy("CRED", "AIR", 5'000, "100"));  // net 500,000.00 = 83% of 600,000
  ASSERT_TRUE(crossing.sent) << describeAll(crossing.actions);
  EXPECT_EQ(crossing.alerts().size(), 1u)
      << "usage crossed the warning level but no CreditWarning was raised: " << describeAll(crossing.actions);
}

TEST_F(CreditRisk, OrderRefusedByAPositionLimitRaisesNoCreditWarning) {
  auto& a = account("CRED");
  a.max_gross_notional = px("1000000");
  a.max_long_position = 1'000;
  start();
  const auto refused = send(kAlpha, buy("CRED", "AIR", 8'000, "100"));
  ASSERT_TRUE(refused.rejected);
  EXPECT_EQ(refused.rejected->reject, RejectCode::LongPositionLimit);
  EXPECT_TRUE(refused.alerts().empty())
      << "a warning about usage of a refused order: " << describeAll(refused.actions);
}

// --- Positions (FG514, FG515) -----------------------------------------------------------------------------

TEST_F(PositionRisk, LongLimitCountsWorkingBuysPerSymbol) {
  account("POS").max_long_position = 1'000;
  start();
  place(kAlpha, buy("POS", "AIR", 600, "100"));
  place(kAlpha, buy("POS", "AIR", 400, "100"));
  const auto r = refuse(kAlpha, buy("POS", "AIR", 1, "100"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::LongPositionLimit,
                  {"account POS long position in AIR would reach 1001 (position 0 + working buys 1000 + "
                   "this order 1), exceeding max_long_position 1000"}));
  place(kAlpha, buy("POS", "SAN", 1'000, "50"));    // another symbol has its own position
  place(kAlpha, sell("POS", "AIR", 1'000, "100"));  // sells do not count against the long limit
}

TEST_F(PositionRisk, ShortLimitCountsWorkingSells) {
  account("POS").max_short_position = 500;
  start();
  place(kAlpha, sell("POS", "AIR", 300, "100"));
  place(kAlpha, sell("POS", "AIR", 200, "100"));
  const auto r = refuse(kAlpha, sell("POS", "AIR", 1, "100"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::ShortPositionLimit,
                  {"account POS short position in AIR would reach 501 (position 0 - working sells 500 - "
                   "this order 1), exceeding max_short_position 500"}));
  auto short_sell = sell("POS", "AIR", 1, "100.01");
  short_sell.side = Side::SellShort;
  EXPECT_EQ(refuse(kAlpha, short_sell).reject, RejectCode::ShortPositionLimit);
  place(kAlpha, buy("POS", "AIR", 10'000, "100"));
}

TEST_F(PositionRisk, FillsMoveUsageFromWorkingOrdersToThePosition) {
  auto& a = account("POS");
  a.max_long_position = 1'000;
  a.max_short_position = 500;
  start();
  const auto id = placeAndAck(kAlpha, buy("POS", "AIR", 1'000, "100"));
  fill(kXpar, id, 400, "100");
  const auto partial = refuse(kAlpha, buy("POS", "AIR", 1, "100"));
  EXPECT_TRUE(refusedWith(partial.reject, partial.text, RejectCode::LongPositionLimit,
                          {"would reach 1001 (position 400 + working buys 600 + this order 1)"}));
  fill(kXpar, id, 600, "100");
  const auto filled = refuse(kAlpha, buy("POS", "AIR", 2, "100"));
  EXPECT_TRUE(refusedWith(filled.reject, filled.text, RejectCode::LongPositionLimit,
                          {"would reach 1002 (position 1000 + working buys 0 + this order 2)"}));
  // Long 1,000: selling 1,500 ends at short 500, the short limit exactly; one more is over.
  place(kAlpha, sell("POS", "AIR", 1'500, "100"));
  const auto r = refuse(kAlpha, sell("POS", "AIR", 1, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::ShortPositionLimit,
                          {"would reach 501 (position 1000 - working sells 1500 - this order 1)"}));
}

TEST_F(PositionRisk, ZeroLongLimitRefusesBuysButNotSells) {
  account("POS").max_long_position = 0;
  start();
  EXPECT_EQ(refuse(kAlpha, buy("POS", "AIR", 1, "100")).reject, RejectCode::LongPositionLimit);
  place(kAlpha, sell("POS", "AIR", 1, "100"));
}

// Huge quantities must be refused without overflow: position + working + order does not fit in 64 bits here.
TEST_F(PositionRisk, HugeQuantityOnTopOfWorkingOrdersIsRefusedWithoutOverflow) {
  limits_.account_defaults = AccountLimits{};  // no quantity or notional limit to stop it earlier
  auto& a = account("POS");
  a.max_long_position = 1'000;
  a.max_short_position = 1'000;
  start();
  place(kAlpha, buy("POS", "AIR", 10, "100"));
  const auto d = send(kAlpha, buy("POS", "AIR", std::numeric_limits<Qty>::max(), "0.01"));
  EXPECT_TRUE(d.rejected) << "a buy of 2^63-1 on top of 10 working passed a long limit of 1,000: "
                          << describeAll(d.actions);
  if (d.rejected) {
    EXPECT_EQ(d.rejected->reject, RejectCode::LongPositionLimit);
  }
  place(kAlpha, sell("POS", "MT", 10, "20"));
  const auto s = send(kAlpha, sell("POS", "MT", std::numeric_limits<Qty>::max(), "0.05"));
  EXPECT_TRUE(s.rejected) << "a sell of 2^63-1 on top of 10 working passed a short limit of 1,000: "
                          << describeAll(s.actions);
  if (s.rejected) {
    EXPECT_EQ(s.rejected->reject, RejectCode::ShortPositionLimit);
  }
}

// --- Daily realized loss (FG516) --------------------------------------------------------------------------

class DailyLossTest : public CreditRisk {
 protected:
  void SetUp() override {
    auto& a = account("LOSS");
    a.max_daily_loss = px("1000");
    limits_.breakers.symbol_move_pct = 1e6;  // these round trips move prices a lot; not the subject here
  }
};

TEST_F(DailyLossTest, LossExactlyAtTheLimitStillTrades) {
  start();
  trade(kAlpha, buy("LOSS", "AIR", 1, "1000.01"));
  trade(kAlpha, sell("LOSS", "AIR", 1, "0.01"));  // realized -1,000.00
  const auto d = send(kAlpha, buy("LOSS", "SAN", 1, "50"));
  EXPECT_TRUE(d.sent) << "a realized loss of exactly max_daily_loss refused a new order: "
                      << describeAll(d.actions);
}

TEST_F(DailyLossTest, LossOneCentOverTheLimitRefusesNewPositions) {
  start();
  trade(kAlpha, buy("LOSS", "AIR", 1, "1000.02"));
  trade(kAlpha, sell("LOSS", "AIR", 1, "0.01"));  // realized -1,000.01
  const auto r = refuse(kAlpha, buy("LOSS", "SAN", 1, "50"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::DailyLossLimit,
                          {"account LOSS realized a loss of 1,000.01 today", "max_daily_loss 1,000.00"}));
  EXPECT_EQ(refuse(kAlpha, sell("LOSS", "SAN", 1, "50")).reject, RejectCode::DailyLossLimit);
}

TEST_F(DailyLossTest, RoundTripFeedsTheLossAndPositionReducingOrdersStillPass) {
  start();
  trade(kAlpha, buy("LOSS", "AIR", 101, "100"));
  trade(kAlpha, sell("LOSS", "AIR", 100, "89.99"));  // realized 100 x -10.01 = -1,001.00; long 1 left
  EXPECT_EQ(refuse(kAlpha, buy("LOSS", "AIR", 1, "90")).reject, RejectCode::DailyLossLimit);
  EXPECT_EQ(refuse(kAlpha, sell("LOSS", "AIR", 2, "90")).reject, RejectCode::DailyLossLimit);  // would flip
  place(kAlpha, sell("LOSS", "AIR", 1, "90"));  // closes the position: allowed
  // Once that sell is working the position is covered: another sell no longer reduces.
  EXPECT_EQ(refuse(kAlpha, sell("LOSS", "AIR", 1, "90.01")).reject, RejectCode::DailyLossLimit);
}

// Selling 10 at 100 and buying them back at 50 makes 500.00; buying back at 200 loses 1,000.00.
TEST_F(DailyLossTest, ShortRoundTripsRealizeTheirProfitAndLoss) {
  account("LOSS").max_daily_loss = px("1000000");  // only the P&L itself here
  start();
  trade(kAlpha, sell("LOSS", "AIR", 10, "100"));
  trade(kAlpha, buy("LOSS", "AIR", 10, "50"));
  const auto* usage = engine().risk().findAccount("LOSS");
  ASSERT_NE(usage, nullptr);
  EXPECT_EQ(formatMoney(usage->realized_pnl), "500.00");
  EXPECT_EQ(usage->positions.at("AIR").position, 0);
  EXPECT_EQ(formatMoney(usage->positions.at("AIR").cost), "0.00");
  trade(kAlpha, sell("LOSS", "SAN", 10, "100"));
  trade(kAlpha, buy("LOSS", "SAN", 10, "200"));
  EXPECT_EQ(formatMoney(usage->realized_pnl), "-500.00");
  EXPECT_EQ(formatMoney(usage->positions.at("SAN").cost), "0.00");
}

TEST_F(DailyLossTest, ProfitFromAShortOffsetsALoss) {
  start();
  trade(kAlpha, buy("LOSS", "SAN", 100, "50"));
  trade(kAlpha, sell("LOSS", "SAN", 100, "41"));  // -900.00
  trade(kAlpha, sell("LOSS", "AIR", 10, "100"));
  trade(kAlpha, buy("LOSS", "AIR", 10, "50"));  // +500.00: day total -400.00
  const auto d = send(kAlpha, buy("LOSS", "MT", 1, "20"));
  EXPECT_TRUE(d.sent) << "a day at -400.00 refused with max_daily_loss 1,000.00: " << describeAll(d.actions);
}

TEST_F(DailyLossTest, PartialCloseRealizesAtAverageCost) {
  start();
  trade(kAlpha, buy("LOSS", "AIR", 10, "100"));
  trade(kAlpha, buy("LOSS", "AIR", 10, "110"));  // long 20 at an average of 105
  trade(kAlpha, sell("LOSS", "AIR", 5, "95"));   // 5 x -10 = -50.00
  const auto* usage = engine().risk().findAccount("LOSS");
  ASSERT_NE(usage, nullptr);
  EXPECT_EQ(formatMoney(usage->realized_pnl), "-50.00");
  EXPECT_EQ(usage->positions.at("AIR").position, 15);
  EXPECT_EQ(formatMoney(usage->positions.at("AIR").cost), "1,575.00");
}

// --- Replaces: new terms against usage without the old order ----------------------------------------------

TEST_F(ReplaceRisk, ReplaceRaisingQuantityIsCheckedWithoutTheOldOrder) {
  account("POS").max_long_position = 1'000;
  start();
  placeAndAck(kAlpha, buy("POS", "AIR", 600, "100"));
  const auto order = lastClOrdId();
  // 600 old + 1,000 new would exceed 1,000, but the new terms replace the old ones.
  const auto ok = replace(kAlpha, order, buy("POS", "AIR", 1'000, "100"));
  ASSERT_EQ(allOf<VenueReplace>(ok).size(), 1u) << describeAll(ok);
  const auto replace_id = allOf<VenueReplace>(ok).front().venue_cl_ord_id;
  apply(VenueReplaced{kXpar, replace_id, ""});
  const auto over = replace(kAlpha, lastClOrdId(), buy("POS", "AIR", 1'001, "100"));
  const auto rejects = allOf<CancelReject>(over);
  ASSERT_EQ(rejects.size(), 1u) << describeAll(over);
  EXPECT_TRUE(rejects.front().for_replace);
  EXPECT_TRUE(refusedWith(rejects.front().reject, rejects.front().text, RejectCode::LongPositionLimit,
                          {"would reach 1001 (position 0 + working buys 0 + this order 1001)"}));
}

TEST_F(ReplaceRisk, ReplaceIsCheckedAgainstNotionalAndCreditOnItsNewTerms) {
  account("CRED").max_gross_notional = px("1000000");
  start();
  placeAndAck(kAlpha, buy("CRED", "AIR", 6'000, "100"));
  const auto ok = replace(kAlpha, lastClOrdId(), buy("CRED", "AIR", 10'000, "100"));
  ASSERT_EQ(allOf<VenueReplace>(ok).size(), 1u) << describeAll(ok);
  apply(VenueReplaced{kXpar, allOf<VenueReplace>(ok).front().venue_cl_ord_id, ""});
  const auto over = replace(kAlpha, lastClOrdId(), buy("CRED", "AIR", 10'000, "100.01"));
  const auto rejects = allOf<CancelReject>(over);
  ASSERT_EQ(rejects.size(), 1u) << describeAll(over);
  EXPECT_TRUE(refusedWith(rejects.front().reject, rejects.front().text, RejectCode::GrossCreditLimit,
                          {"gross notional would be 1,000,100.00 EUR"}));
  start();  // a fresh engine for the per-order notional
  placeAndAck(kBeta, buy("ACME-1", "IBM", 100, "125"));
  const auto big = replace(kBeta, lastClOrdId(), buy("ACME-1", "IBM", 8'001, "125"));
  ASSERT_EQ(allOf<CancelReject>(big).size(), 1u) << describeAll(big);
  EXPECT_TRUE(refusedWith(allOf<CancelReject>(big).front().reject, allOf<CancelReject>(big).front().text,
                          RejectCode::MaxOrderNotional, {"order notional 1,000,125.00 USD"}));
}

TEST_F(ReplaceRisk, ReplaceDoesNotCountAsAnotherOpenOrder) {
  account("OPEN3").max_open_orders = 3;
  start();
  placeAndAck(kAlpha, buy("OPEN3", "AIR", 1, "100"));
  placeAndAck(kAlpha, buy("OPEN3", "AIR", 2, "100"));
  placeAndAck(kAlpha, buy("OPEN3", "AIR", 3, "100"));
  const auto out = replace(kAlpha, lastClOrdId(), buy("OPEN3", "AIR", 4, "100"));
  EXPECT_EQ(allOf<VenueReplace>(out).size(), 1u) << describeAll(out);
}

// While a replace that raises an order is pending at the venue, the raise is not yet in the usage; a new
// order checked in that gap must still see it, or both pass and the limit is exceeded once the venue
// confirms.
TEST_F(ReplaceRisk, PendingReplaceReservesItsIncreaseAgainstNewOrders) {
  account("POS").max_long_position = 1'000;
  start();
  placeAndAck(kAlpha, buy("POS", "AIR", 500, "100"));
  const auto up = replace(kAlpha, lastClOrdId(), buy("POS", "AIR", 1'000, "100"));
  ASSERT_EQ(allOf<VenueReplace>(up).size(), 1u) << describeAll(up);
  const auto d = send(kAlpha, buy("POS", "AIR", 500, "100.01"));
  EXPECT_TRUE(d.rejected)
      << "with a replace to 1,000 pending, another buy of 500 passed a long limit of 1,000: "
      << describeAll(d.actions);
  if (d.sent) {
    apply(VenueReplaced{kXpar, allOf<VenueReplace>(up).front().venue_cl_ord_id, ""});
    EXPECT_LE(engine().risk().findAccount("POS")->positions.at("AIR").open_buy_qty, 1'000)
        << "working buys exceed max_long_position once the venue confirms the replace";
  }
}

// In Reducing state (and past the loss limit) a replace that keeps a position-reducing order reducing - here
// lowering its quantity - must pass: "a replace is checked on its new values against usage without the old
// order", and that includes whether it reduces the position.
TEST_F(ReplaceRisk, ReplaceLoweringAReducingOrderPassesInReducingState) {
  start();
  trade(kAlpha, buy("ACC1", "AIR", 100, "100"));  // long 100
  placeAndAck(kAlpha, sell("ACC1", "AIR", 100, "101"));
  const auto order = lastClOrdId();
  setState(Scope::Account, "ACC1", TradingState::Reducing, "ops-anna", "desk over limit");
  const auto out = replace(kAlpha, order, sell("ACC1", "AIR", 80, "101"));
  EXPECT_EQ(allOf<VenueReplace>(out).size(), 1u)
      << "lowering a position-reducing sell was refused in Reducing state: " << describeAll(out);
}

TEST_F(ReplaceRisk, ReplaceLoweringAReducingOrderPassesAfterTheLossLimit) {
  account("LOSS").max_daily_loss = px("100");
  limits_.breakers.symbol_move_pct = 1e6;
  start();
  trade(kAlpha, buy("LOSS", "AIR", 110, "100"));
  trade(kAlpha, sell("LOSS", "AIR", 10, "50"));  // realized -500.00; long 100
  placeAndAck(kAlpha, sell("LOSS", "AIR", 100, "101"));
  const auto out = replace(kAlpha, lastClOrdId(), sell("LOSS", "AIR", 80, "101"));
  EXPECT_EQ(allOf<VenueReplace>(out).size(), 1u)
      << "lowering a position-reducing sell was refused past the loss limit: " << describeAll(out);
}

}  // namespace
}  // namespace fixgate::core::risktest
