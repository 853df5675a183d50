// The fill models: what happens to the part of an incoming order the book could not fill.
#include "book_helpers.h"

#include <gtest/gtest.h>

namespace fixgate::sim {
namespace {

using namespace fixgate::sim::testing;

EngineConfig withModel(FillModel model, double ratio = 0.5) {
  EngineConfig cfg;
  cfg.fill = FillModelConfig{model, ratio};
  return cfg;
}

TEST(FillModelRest, RemainderRestsUntilSomethingCrosses) {
  MatchingEngine engine(withModel(FillModel::Rest));
  Events ev = engine.submit(limit("b", Side::Buy, 10, px(10)));
  EXPECT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted}));
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b"}));
}

TEST(FillModelImmediate, VenueTakesTheWholeRemainderAtTheLimit) {
  MatchingEngine engine(withModel(FillModel::Immediate));
  Events ev = engine.submit(limit("b", Side::Buy, 10, px(10)));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade}));
  EXPECT_EQ(ev[1].fill.qty, 10);
  EXPECT_EQ(ev[1].fill.price, px(10));
  EXPECT_EQ(ev[1].fill.liquidity, Liquidity::Venue);
  EXPECT_EQ(ev[1].fill.matchId, 0u);
  EXPECT_EQ(ev[1].order.status, OrdStatus::Filled);
  EXPECT_EQ(engine.restingCount(), 0u);
}

TEST(FillModelImmediate, MarketOrderFillsAtTheReferencePrice) {
  EngineConfig cfg = withModel(FillModel::Immediate);
  cfg.referencePrices = {{"XYZ", Price{12'345'000'000}}};
  MatchingEngine engine(cfg);
  Events ev = engine.submit(market("m", Side::Buy, 7));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade}));
  EXPECT_EQ(ev[1].fill.price, Price{12'345'000'000});
  EXPECT_EQ(ev[1].order.cumQty, 7);
}

TEST(FillModelImmediate, MarketOrderWithoutReferencePriceExpiresSayingSo) {
  MatchingEngine engine(withModel(FillModel::Immediate));
  Events ev = engine.submit(market("m", Side::Buy, 7));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Expired}));
  EXPECT_EQ(ev[1].text, "no liquidity for market order on XYZ and no reference price");
}

TEST(FillModelPartial, FillsTheRatioRoundedDownAndRestsTheRest) {
  MatchingEngine engine(withModel(FillModel::Partial, 0.5));
  Events ev = engine.submit(limit("b", Side::Buy, 7, px(10)));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade}));
  EXPECT_EQ(ev[1].fill.qty, 3);
  EXPECT_EQ(ev[1].order.status, OrdStatus::PartiallyFilled);
  const Order* resting = engine.find("A", "b");
  ASSERT_NE(resting, nullptr);
  EXPECT_EQ(leavesQty(*resting), 4);
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b"}));
}

TEST(FillModelPartial, FillsAtLeastOne) {
  MatchingEngine engine(withModel(FillModel::Partial, 0.1));
  Events ev = engine.submit(limit("b", Side::Buy, 5, px(10)));
  EXPECT_EQ(ofKind(ev, EventKind::Trade).at(0).fill.qty, 1);
  Events one = engine.submit(limit("c", Side::Buy, 1, px(10)));
  EXPECT_EQ(ofKind(one, EventKind::Trade).at(0).order.status, OrdStatus::Filled);
}

TEST(FillModelPartial, AppliesToWhatTheBookLeft) {
  MatchingEngine engine(withModel(FillModel::Partial, 0.5));
  engine.submit(limit("a", Side::Sell, 10, px(9), TimeInForce::Day, "B"));  // venue takes 5, 5 rest
  ASSERT_EQ(leavesQty(*engine.find("B", "a")), 5);
  Events ev = engine.submit(limit("b", Side::Buy, 15, px(10)));  // 5 from book @9, venue 5 of 10 @10, 5 rest
  auto trades = ofKind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades[0].fill.price, px(9));
  EXPECT_EQ(trades[2].fill.qty, 5);
  EXPECT_EQ(trades[2].fill.price, px(10));
  EXPECT_EQ(leavesQty(*engine.find("A", "b")), 5);
}

TEST(FillModelPartial, MarketOrderTakesTheRatioAtReferenceAndExpiresTheRest) {
  EngineConfig cfg = withModel(FillModel::Partial, 0.5);
  cfg.referencePrices = {{"XYZ", px(50)}};
  MatchingEngine engine(cfg);
  Events ev = engine.submit(market("m", Side::Sell, 9));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade, EventKind::Expired}));
  EXPECT_EQ(ev[1].fill.qty, 4);
  EXPECT_EQ(ev[1].fill.price, px(50));
  EXPECT_EQ(ev[2].order.cumQty, 4);
}

TEST(FillModelPartial, FillOrKillCountsOnlyWhatWouldReallyFill) {
  MatchingEngine engine(withModel(FillModel::Partial, 0.5));
  Events ev = engine.submit(limit("f", Side::Buy, 10, px(10), TimeInForce::FillOrKill));
  EXPECT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Accepted, EventKind::Expired}));
  MatchingEngine immediate(withModel(FillModel::Immediate));
  Events ok = immediate.submit(limit("f", Side::Buy, 10, px(10), TimeInForce::FillOrKill));
  EXPECT_EQ(kinds(ok), (std::vector<EventKind>{EventKind::Accepted, EventKind::Trade}));
}

TEST(VenueFillQty, FollowsTheModel) {
  EXPECT_EQ(venueFillQty({FillModel::Rest, 0.5}, 10), 0);
  EXPECT_EQ(venueFillQty({FillModel::Immediate, 0.5}, 10), 10);
  EXPECT_EQ(venueFillQty({FillModel::Partial, 0.5}, 9), 4);
  EXPECT_EQ(venueFillQty({FillModel::Partial, 0.01}, 9), 1);
  EXPECT_EQ(venueFillQty({FillModel::Partial, 1.0}, 9), 9);
  EXPECT_EQ(venueFillQty({FillModel::Partial, 0.5}, 0), 0);
}

}  // namespace
}  // namespace fixgate::sim
