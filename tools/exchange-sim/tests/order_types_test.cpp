// Market, immediate-or-cancel and fill-or-kill orders, and mass cancel.
#include "book_helpers.h"

#include <gtest/gtest.h>

namespace fixgate::sim {
namespace {

using namespace fixgate::sim::testing;

TEST(Market, TakesWhatIsThereAndExpiresTheRemainder) {
  MatchingEngine engine({});
  engine.submit(limit("a1", Side::Sell, 30, px(10)));
  engine.submit(limit("a2", Side::Sell, 20, px(15)));
  Events ev = engine.submit(market("m", Side::Buy, 80));

  EXPECT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade, EventKind::Trade,
                                               EventKind::Trade, EventKind::Trade, EventKind::Expired}));
  const Event& expired = ev.back();
  EXPECT_EQ(expired.order.clOrdId, "m");
  EXPECT_EQ(expired.order.status, OrdStatus::Expired);
  EXPECT_EQ(expired.order.cumQty, 50);
  EXPECT_EQ(leavesQty(expired.order), 0);
  EXPECT_EQ(avgPx(expired.order), px(12));  // (30*10 + 20*15) / 50
  EXPECT_EQ(expired.text, "market order remainder 30 canceled: no more liquidity on XYZ");
  EXPECT_TRUE(queue(engine, Side::Buy).empty());
  EXPECT_TRUE(queue(engine, Side::Sell).empty());
}

TEST(Market, WithNoLiquidityExpiresWithAReason) {
  MatchingEngine engine({});
  Events ev = engine.submit(market("m", Side::Sell, 10));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Expired}));
  EXPECT_EQ(ev[1].text, "no liquidity for market order on XYZ");
  EXPECT_EQ(engine.restingCount(), 0u);
}

TEST(ImmediateOrCancel, FillsWhatCrossesAndNeverRests) {
  MatchingEngine engine({});
  engine.submit(limit("a1", Side::Sell, 40, px(10)));
  engine.submit(limit("a2", Side::Sell, 50, px(11)));
  Events ev = engine.submit(limit("ioc", Side::Buy, 100, px(10), TimeInForce::ImmediateOrCancel));

  EXPECT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade, EventKind::Trade,
                                               EventKind::Expired}));
  EXPECT_EQ(ev.back().order.cumQty, 40);
  EXPECT_EQ(ev.back().order.status, OrdStatus::Expired);
  EXPECT_EQ(ev.back().text, "immediate-or-cancel remainder 60 canceled");
  EXPECT_TRUE(queue(engine, Side::Buy).empty());
  EXPECT_EQ(queue(engine, Side::Sell), (std::vector<std::string>{"a2"}));
}

TEST(FillOrKill, KillsWithoutTouchingTheBookWhenItCannotFillInFull) {
  MatchingEngine engine({});
  engine.submit(limit("a1", Side::Sell, 40, px(10)));
  engine.submit(limit("a2", Side::Sell, 50, px(11)));
  engine.submit(limit("a3", Side::Sell, 50, px(12)));
  Events ev = engine.submit(limit("fok", Side::Buy, 100, px(11), TimeInForce::FillOrKill));

  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Expired}));
  EXPECT_EQ(ev[1].order.cumQty, 0);
  EXPECT_EQ(ev[1].text, "fill-or-kill order for 100 cannot be filled in full (90 available)");
  ASSERT_EQ(engine.resting("XYZ", Side::Sell).size(), 3u);
  EXPECT_EQ(engine.resting("XYZ", Side::Sell)[0]->cumQty, 0);
  EXPECT_EQ(engine.resting("XYZ", Side::Sell)[1]->cumQty, 0);
}

TEST(FillOrKill, ExecutesEverythingWhenItCan) {
  MatchingEngine engine({});
  engine.submit(limit("a1", Side::Sell, 40, px(10)));
  engine.submit(limit("a2", Side::Sell, 50, px(11)));
  Events ev = engine.submit(limit("fok", Side::Buy, 90, px(11), TimeInForce::FillOrKill));

  auto trades = ofKind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 4u);
  EXPECT_EQ(trades[2].order.status, OrdStatus::Filled);
  EXPECT_EQ(trades[2].order.cumQty, 90);
  EXPECT_TRUE(ofKind(ev, EventKind::Expired).empty());
  EXPECT_EQ(engine.restingCount(), 0u);
}

TEST(MassCancel, CancelsOnlyTheSessionsOwnLiveOrdersMatchingTheFilter) {
  MatchingEngine engine({});
  engine.submit(limit("b1", Side::Buy, 10, px(10), TimeInForce::Day, "A"));
  engine.submit(limit("s1", Side::Sell, 10, px(20), TimeInForce::Day, "A"));
  engine.submit(limit("b2", Side::Buy, 10, px(11), TimeInForce::Day, "B"));
  NewOrderRequest elsewhere = limit("b3", Side::Buy, 10, px(10), TimeInForce::Day, "A");
  elsewhere.symbol = "ABC";
  engine.submit(elsewhere);

  Events bySymbol =
      engine.massCancel(MassCancelRequest{.session = "A", .symbol = "XYZ", .side = std::nullopt});
  ASSERT_EQ(kinds(bySymbol), (std::vector<EventKind>{EventKind::Canceled, EventKind::Canceled}));
  EXPECT_EQ(bySymbol[0].order.clOrdId, "b1");
  EXPECT_EQ(bySymbol[1].order.clOrdId, "s1");
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b2"}));
  EXPECT_EQ(queue(engine, Side::Buy, "ABC"), (std::vector<std::string>{"b3"}));

  Events all =
      engine.massCancel(MassCancelRequest{.session = "A", .symbol = std::nullopt, .side = Side::Buy});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].order.clOrdId, "b3");
  EXPECT_EQ(engine.restingCount(), 1u);
}

}  // namespace
}  // namespace fixgate::sim
