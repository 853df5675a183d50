// Cancel and cancel/replace: lookups, refusals and the queue-priority rules.
#include "book_helpers.h"

#include <gtest/gtest.h>

namespace fixgate::sim {
namespace {

using namespace fixgate::sim::testing;

class ThreeBids : public ::testing::Test {
 protected:
  void SetUp() override {
    engine.submit(limit("b1", Side::Buy, 100, px(10)));
    engine.submit(limit("b2", Side::Buy, 100, px(10)));
    engine.submit(limit("b3", Side::Buy, 100, px(10)));
  }
  MatchingEngine engine{EngineConfig{}};
};

TEST_F(ThreeBids, QuantityDecreaseAtSamePriceKeepsPriority) {
  Events ev = engine.replace(amend("b1r", "b1", Side::Buy, 60, px(10)));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Replaced}));
  EXPECT_EQ(ev[0].order.clOrdId, "b1r");
  EXPECT_EQ(ev[0].origClOrdId, "b1");
  EXPECT_EQ(ev[0].order.orderQty, 60);
  EXPECT_EQ(leavesQty(ev[0].order), 60);
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b1r", "b2", "b3"}));
}

TEST_F(ThreeBids, QuantityIncreaseLosesPriority) {
  engine.replace(amend("b1r", "b1", Side::Buy, 150, px(10)));
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b2", "b3", "b1r"}));
}

TEST_F(ThreeBids, PriceChangeLosesPriorityEvenWhenQuantityShrinks) {
  engine.replace(amend("b2r", "b2", Side::Buy, 50, px(11)));
  engine.replace(amend("b2rr", "b2r", Side::Buy, 50, px(10)));
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b1", "b3", "b2rr"}));
}

TEST_F(ThreeBids, FillsOfAReplacedOrderCarryTheNewClOrdIdAndKeepTheOrderId) {
  OrderId id = engine.find("A", "b1")->id;
  engine.replace(amend("b1r", "b1", Side::Buy, 80, px(10)));
  Events ev = engine.submit(limit("s", Side::Sell, 30, px(10), TimeInForce::Day, "B"));
  const Event fill = ofKind(ev, EventKind::Trade).at(1);
  EXPECT_EQ(fill.order.clOrdId, "b1r");
  EXPECT_EQ(fill.order.id, id);
  EXPECT_EQ(fill.order.orderQty, 80);
  EXPECT_EQ(leavesQty(fill.order), 50);
}

TEST_F(ThreeBids, ReplaceToACrossingPriceTradesAfterTheReplacedReport) {
  engine.submit(limit("ask", Side::Sell, 40, px(12), TimeInForce::Day, "B"));
  Events ev = engine.replace(amend("b3r", "b3", Side::Buy, 100, px(12)));
  EXPECT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Replaced, EventKind::Trade, EventKind::Trade}));
  EXPECT_EQ(ev[1].order.clOrdId, "b3r");
  EXPECT_EQ(ev[1].fill.price, px(12));
  EXPECT_EQ(queue(engine, Side::Buy), (std::vector<std::string>{"b3r", "b1", "b2"}));
}

TEST(Replace, BelowFilledQuantityIsRefusedAndDownToItCompletesTheOrder) {
  MatchingEngine engine({});
  engine.submit(limit("b", Side::Buy, 100, px(10)));
  engine.submit(limit("s", Side::Sell, 60, px(10), TimeInForce::Day, "B"));

  Events refused = engine.replace(amend("b2", "b", Side::Buy, 50, px(10)));
  ASSERT_EQ(kinds(refused), (std::vector<EventKind>{EventKind::CancelRejected}));
  EXPECT_EQ(refused[0].cancelReject.responseTo, CancelRejectResponseTo::Replace);
  EXPECT_EQ(refused[0].cancelReject.reason, CancelRejectReason::Other);
  EXPECT_EQ(refused[0].cancelReject.clOrdId, "b2");
  EXPECT_EQ(refused[0].origClOrdId, "b");
  EXPECT_EQ(refused[0].text, "OrderQty 50 is below CumQty 60: OrigClOrdID b");
  EXPECT_EQ(refused[0].order.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(engine.find("A", "b")->orderQty, 100);

  Events done = engine.replace(amend("b3", "b", Side::Buy, 60, px(10)));
  ASSERT_EQ(kinds(done), (std::vector<EventKind>{EventKind::Replaced}));
  EXPECT_EQ(done[0].order.status, OrdStatus::Filled);
  EXPECT_EQ(leavesQty(done[0].order), 0);
  EXPECT_EQ(engine.restingCount(), 0u);
}

TEST(Replace, CannotChangeSide) {
  MatchingEngine engine({});
  engine.submit(limit("b", Side::Buy, 100, px(10)));
  Events ev = engine.replace(amend("b2", "b", Side::Sell, 100, px(10)));
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::CancelRejected}));
  EXPECT_EQ(ev[0].text, "cannot change Side: OrigClOrdID b");
}

TEST(Cancel, UnknownOrderIsRejectedAsUnknown) {
  MatchingEngine engine({});
  engine.submit(limit("b", Side::Buy, 100, px(10), TimeInForce::Day, "B"));  // other session's ClOrdID
  Events ev = engine.cancel(CancelRequest{.session = "A", .clOrdId = "c1", .origClOrdId = "b"});
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::CancelRejected}));
  EXPECT_EQ(ev[0].cancelReject.reason, CancelRejectReason::UnknownOrder);
  EXPECT_EQ(ev[0].cancelReject.responseTo, CancelRejectResponseTo::Cancel);
  EXPECT_EQ(ev[0].cancelReject.clOrdId, "c1");
  EXPECT_EQ(ev[0].order.id, 0u);
  EXPECT_EQ(ev[0].order.session, "A");
  EXPECT_EQ(ev[0].text, "unknown order: OrigClOrdID b");
  EXPECT_EQ(engine.restingCount(), 1u);
}

TEST(Cancel, LiveOrderIsCanceledUnderTheNewClOrdId) {
  MatchingEngine engine({});
  engine.submit(limit("b", Side::Buy, 100, px(10)));
  engine.submit(limit("s", Side::Sell, 30, px(10), TimeInForce::Day, "B"));
  Events ev = engine.cancel(CancelRequest{.session = "A", .clOrdId = "c1", .origClOrdId = "b"});
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::Canceled}));
  EXPECT_EQ(ev[0].order.clOrdId, "c1");
  EXPECT_EQ(ev[0].origClOrdId, "b");
  EXPECT_EQ(ev[0].order.status, OrdStatus::Canceled);
  EXPECT_EQ(ev[0].order.cumQty, 30);
  EXPECT_EQ(leavesQty(ev[0].order), 0);
  EXPECT_EQ(engine.restingCount(), 0u);
  // Both ClOrdIDs still find it, for status requests and late duplicates.
  EXPECT_EQ(engine.find("A", "b"), engine.find("A", "c1"));
}

TEST(Cancel, FinishedOrderIsTooLate) {
  MatchingEngine engine({});
  engine.submit(limit("b", Side::Buy, 10, px(10)));
  engine.submit(limit("s", Side::Sell, 10, px(10), TimeInForce::Day, "B"));
  Events ev = engine.cancel(CancelRequest{.session = "A", .clOrdId = "c1", .origClOrdId = "b"});
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::CancelRejected}));
  EXPECT_EQ(ev[0].cancelReject.reason, CancelRejectReason::TooLate);
  EXPECT_EQ(ev[0].order.status, OrdStatus::Filled);
  EXPECT_EQ(ev[0].text, "order is already filled: OrigClOrdID b");

  Events again = engine.cancel(CancelRequest{.session = "A", .clOrdId = "c2", .origClOrdId = "b"});
  EXPECT_EQ(again[0].cancelReject.reason, CancelRejectReason::TooLate);
}

TEST(Cancel, ReusedClOrdIdIsRefusedAsDuplicate) {
  MatchingEngine engine({});
  engine.submit(limit("b", Side::Buy, 10, px(10)));
  Events ev = engine.cancel(CancelRequest{.session = "A", .clOrdId = "b", .origClOrdId = "b"});
  ASSERT_EQ(kinds(ev), (std::vector<EventKind>{EventKind::CancelRejected}));
  EXPECT_EQ(ev[0].cancelReject.reason, CancelRejectReason::DuplicateClOrdId);
  EXPECT_EQ(engine.restingCount(), 1u);
}

}  // namespace
}  // namespace fixgate::sim
