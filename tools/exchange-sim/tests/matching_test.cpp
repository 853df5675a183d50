// Price-time priority and fill accounting of plain limit orders.
#include "book_helpers.h"

#include <gtest/gtest.h>

namespace fixgate::sim {
namespace {

using namespace fixgate::sim::testing;

TEST(Matching, NonCrossingOrdersRestInPriceThenTimeOrder) {
  MatchingEngine engine({});
  engine.submit(limit("b1", Side::Buy, 10, px(99)));
  engine.submit(limit("b2", Side::Buy, 10, px(100)));
  engine.submit(limit("b3", Side::Buy, 10, px(99)));
  engine.submit(limit("s1", Side::Sell, 10, px(102)));
  engine.submit(limit("s2", Side::Sell, 10, px(101)));

  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b2", "b1", "b3"}));
  EXPECT_EQ(queue(engine, Side::Sell), (std::vector<std::string>{"s2", "s1"}));
  EXPECT_EQ(engine.restingCount(), 5u);
}

TEST(Matching, AggressorSweepsBestLevelFirstAndFifoWithinLevel) {
  MatchingEngine engine({});
  engine.submit(limit("s101", Side::Sell, 100, px(101), TimeInForce::Day, "M1"));
  engine.submit(limit("s100a", Side::Sell, 100, px(100), TimeInForce::Day, "M2"));
  engine.submit(limit("s100b", Side::Sell, 100, px(100), TimeInForce::Day, "M3"));

  Events ev = engine.submit(limit("buy", Side::Buy, 250, px(101)));
  auto trades = ofKind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 6u);  // three matches, each reported to both sides
  // Aggressor and resting side of each match, in match order.
  EXPECT_EQ(trades[1].order.clOrdId, "s100a");
  EXPECT_EQ(trades[1].fill.qty, 100);
  EXPECT_EQ(trades[1].fill.price, px(100));
  EXPECT_EQ(trades[3].order.clOrdId, "s100b");
  EXPECT_EQ(trades[3].fill.price, px(100));
  EXPECT_EQ(trades[5].order.clOrdId, "s101");
  EXPECT_EQ(trades[5].fill.qty, 50);
  EXPECT_EQ(trades[5].fill.price, px(101));

  const Event& last = trades[4];
  EXPECT_EQ(last.order.clOrdId, "buy");
  EXPECT_EQ(last.order.cumQty, 250);
  EXPECT_EQ(leavesQty(last.order), 0);
  EXPECT_EQ(last.order.status, OrdStatus::Filled);
  // (200 * 100 + 50 * 101) / 250 = 100.2
  EXPECT_EQ(avgPx(last.order), Price{10'020'000'000});
  EXPECT_EQ(queue(engine, Side::Sell), (std::vector<std::string>{"s101"}));
}

TEST(Matching, BothSidesOfAMatchAreReportedToTheirOwners) {
  MatchingEngine engine({});
  engine.submit(limit("rest", Side::Sell, 10, px(50), TimeInForce::Day, "maker"));
  Events ev = engine.submit(limit("take", Side::Buy, 10, px(50), TimeInForce::Day, "taker"));

  auto trades = ofKind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].order.session, "taker");
  EXPECT_EQ(trades[0].fill.liquidity, Liquidity::Removed);
  EXPECT_EQ(trades[1].order.session, "maker");
  EXPECT_EQ(trades[1].fill.liquidity, Liquidity::Added);
  EXPECT_EQ(trades[0].fill.matchId, trades[1].fill.matchId);
  EXPECT_NE(trades[0].fill.matchId, 0u);
}

TEST(Matching, TradesAtTheRestingPriceGivingTheAggressorTheImprovement) {
  MatchingEngine engine({});
  engine.submit(limit("bid", Side::Buy, 10, px(100)));
  Events ev = engine.submit(limit("sell", Side::Sell, 10, px(90)));
  auto trades = ofKind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].fill.price, px(100));
  EXPECT_EQ(avgPx(trades[0].order), px(100));
}

TEST(Matching, RestingOrderAccumulatesPartialFills) {
  MatchingEngine engine({});
  engine.submit(limit("ask", Side::Sell, 100, px(10), TimeInForce::Day, "maker"));

  Events first = engine.submit(limit("t1", Side::Buy, 30, px(10)));
  const Event maker1 = ofKind(first, EventKind::Trade).at(1);
  EXPECT_EQ(maker1.order.clOrdId, "ask");
  EXPECT_EQ(maker1.order.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(maker1.order.cumQty, 30);
  EXPECT_EQ(leavesQty(maker1.order), 70);
  EXPECT_EQ(maker1.fill.qty, 30);

  Events second = engine.submit(limit("t2", Side::Buy, 50, px(12)));
  const Event maker2 = ofKind(second, EventKind::Trade).at(1);
  EXPECT_EQ(maker2.order.cumQty, 80);
  EXPECT_EQ(leavesQty(maker2.order), 20);
  EXPECT_EQ(maker2.fill.qty, 50);
  EXPECT_EQ(maker2.fill.price, px(10));
  EXPECT_EQ(avgPx(maker2.order), px(10));
  EXPECT_EQ(queue(engine, Side::Sell), (std::vector<std::string>{"ask"}));

  Events third = engine.submit(limit("t3", Side::Buy, 40, px(10)));
  const Event maker3 = ofKind(third, EventKind::Trade).at(1);
  EXPECT_EQ(maker3.order.status, OrdStatus::Filled);
  EXPECT_EQ(maker3.order.cumQty, 100);
  EXPECT_EQ(maker3.fill.qty, 20);
  // The taker's remainder rests at its own limit.
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"t3"}));
  EXPECT_EQ(engine.find("A", "t3")->cumQty, 20);
}

TEST(Matching, AveragePriceAcrossLevels) {
  MatchingEngine engine({});
  engine.submit(limit("a1", Side::Sell, 100, px(10)));
  engine.submit(limit("a2", Side::Sell, 100, px(11)));
  Events ev = engine.submit(limit("b", Side::Buy, 200, px(11)));
  const Order taker = ofKind(ev, EventKind::Trade).at(2).order;
  EXPECT_EQ(taker.cumQty, 200);
  EXPECT_EQ(avgPx(taker), Price{1'050'000'000});
}

TEST(Matching, SymbolsHaveSeparateBooks) {
  MatchingEngine engine({});
  NewOrderRequest other = limit("o", Side::Sell, 10, px(10));
  other.symbol = "ABC";
  engine.submit(other);
  Events ev = engine.submit(limit("b", Side::Buy, 10, px(10)));
  EXPECT_TRUE(ofKind(ev, EventKind::Trade).empty());
  EXPECT_EQ(engine.restingCount(), 2u);
}

TEST(Matching, AcceptsFirstWithTheVenueOrderId) {
  MatchingEngine engine({});
  Events a = engine.submit(limit("x", Side::Buy, 10, px(10)));
  Events b = engine.submit(limit("y", Side::Buy, 10, px(10)));
  ASSERT_EQ(kinds(a), (std::vector<EventKind>{EventKind::Accepted}));
  EXPECT_EQ(a[0].order.status, OrdStatus::New);
  EXPECT_NE(a[0].order.id, 0u);
  EXPECT_NE(a[0].order.id, b[0].order.id);
}

TEST(Validation, RejectsNonPositiveQuantity) {
  MatchingEngine engine({});
  Events ev = engine.submit(limit("x", Side::Buy, 0, px(10)));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Rejected}));
  EXPECT_EQ(ev[0].text, "OrderQty must be positive, got 0");
  EXPECT_EQ(ev[0].order.id, 0u);
  EXPECT_EQ(ev[0].order.status, OrdStatus::Rejected);
  EXPECT_EQ(engine.find("A", "x"), nullptr);
}

TEST(Validation, RejectsLimitWithoutPrice) {
  MatchingEngine engine({});
  NewOrderRequest r = limit("x", Side::Buy, 10, px(10));
  r.price.reset();
  Events ev = engine.submit(r);
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Rejected}));
  EXPECT_EQ(ev[0].text, "limit order without Price (44)");
}

TEST(Validation, RejectsHaltedSymbolNamingTheVenue) {
  EngineConfig cfg;
  cfg.venue = "XNAS-SIM";
  cfg.haltedSymbols = {"XYZ"};
  MatchingEngine engine(cfg);
  Events ev = engine.submit(limit("x", Side::Buy, 10, px(10)));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Rejected}));
  EXPECT_EQ(ev[0].text, "symbol XYZ is halted at venue XNAS-SIM");
}

TEST(Validation, RejectsDuplicateClOrdIdPerSession) {
  MatchingEngine engine({});
  engine.submit(limit("x", Side::Buy, 10, px(10)));
  Events dup = engine.submit(limit("x", Side::Buy, 10, px(10)));
  ASSERT_EQ(kinds(dup), (std::vector<EventKind>{EventKind::Rejected}));
  EXPECT_EQ(dup[0].text, "duplicate ClOrdID x");
  // Another session may use the same ClOrdID.
  Events other = engine.submit(limit("x", Side::Buy, 10, px(10), TimeInForce::Day, "B"));
  EXPECT_EQ(other[0].kind, EventKind::Accepted);
}

}  // namespace
}  // namespace fixgate::sim
