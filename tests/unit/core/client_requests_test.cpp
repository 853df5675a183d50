// Cancel, replace and status requests the core answers itself: refusals are CancelRejects with a reject code
// and the FIX CxlRejReason it maps to; nothing reaches the venue and the order is unchanged.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

class ClientCancelReplace : public EngineTest {
 protected:
  ClientCancelReplace() { bothVenuesUp(); }

  // Applies a cancel or replace and checks it is refused with `code` and changes nothing about `orig`.
  CancelReject expectRefused(EventBody request, const std::string& orig, RejectCode code) {
    const auto before =
        engine_.findByClOrdId(kAlpha, orig) ? snapshot(statusOf(kAlpha, orig)) : OrderSnapshot{};
    const auto r = single<CancelReject>(apply(std::move(request)));
    EXPECT_EQ(r.session, kAlpha);
    EXPECT_EQ(r.reject, code);
    EXPECT_TRUE(r.text.starts_with(fmt::format("FG{} ", static_cast<int>(code)))) << r.text;
    EXPECT_EQ(r.transact_time, lastTime());
    if (engine_.findByClOrdId(kAlpha, orig) != nullptr) {
      EXPECT_EQ(snapshot(statusOf(kAlpha, orig)), before);
    }
    return r;
  }
};

TEST_F(ClientCancelReplace, CancelOfAFilledOrderIsTooLate) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
  const auto r = expectRefused(cancelOrder(kAlpha, "C1", "A1"), "A1", RejectCode::OrderAlreadyFinal);
  EXPECT_FALSE(r.for_replace);
  EXPECT_EQ(r.cl_ord_id, "C1");
  EXPECT_EQ(r.orig_cl_ord_id, "A1");
  EXPECT_EQ(r.order_id, statusOf(kAlpha, "A1").order_id);
  EXPECT_EQ(r.status, OrdStatus::Filled);
  EXPECT_NE(r.text.find("Filled"), std::string::npos) << r.text;
  EXPECT_EQ(fixReasons(r.reject).cxl_rej_reason, 0);  // "too late to cancel"
}

TEST_F(ClientCancelReplace, CancelOfACanceledOrderIsTooLate) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  single<ExecReport>(apply(venueCanceled(kXpar, cancel_id)));
  const auto r = expectRefused(cancelOrder(kAlpha, "C2", "A1"), "A1", RejectCode::OrderAlreadyFinal);
  EXPECT_EQ(r.status, OrdStatus::Canceled);
}

TEST_F(ClientCancelReplace, ReplaceOfAFilledOrderIsTooLate) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
  const auto r = expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 200, "10")), "A1",
                               RejectCode::OrderAlreadyFinal);
  EXPECT_TRUE(r.for_replace);
  EXPECT_EQ(r.status, OrdStatus::Filled);
}

TEST_F(ClientCancelReplace, CancelOfAnUnknownOrderIsRefused) {
  const auto r = expectRefused(cancelOrder(kAlpha, "C1", "GHOST"), "GHOST", RejectCode::UnknownOrder);
  EXPECT_FALSE(r.for_replace);
  EXPECT_EQ(r.cl_ord_id, "C1");
  EXPECT_EQ(r.orig_cl_ord_id, "GHOST");
  EXPECT_EQ(r.order_id, "NONE");
  EXPECT_EQ(r.status, OrdStatus::Rejected);
  EXPECT_NE(r.text.find("'GHOST'"), std::string::npos) << r.text;
  EXPECT_EQ(fixReasons(r.reject).cxl_rej_reason, 1);
}

TEST_F(ClientCancelReplace, ReplaceOfAnUnknownOrderIsRefused) {
  const auto r = expectRefused(replaceOrder(kAlpha, "R1", "GHOST", limit("AIR", 10, "10")), "GHOST",
                               RejectCode::UnknownOrder);
  EXPECT_TRUE(r.for_replace);
  EXPECT_EQ(r.order_id, "NONE");
  EXPECT_EQ(r.status, OrdStatus::Rejected);
}

TEST_F(ClientCancelReplace, AnotherSessionsOrderIsUnknown) {
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  const auto r = expectRefused(cancelOrder(kAlpha, "C1", "B1"), "B1", RejectCode::UnknownOrder);
  EXPECT_EQ(r.order_id, "NONE");
  EXPECT_EQ(statusOf(kBeta, "B1").status, OrdStatus::New);
}

TEST_F(ClientCancelReplace, SecondCancelWhileOneIsPendingIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  requestCancel(kAlpha, "C1", "A1");
  const auto r = expectRefused(cancelOrder(kAlpha, "C2", "A1"), "A1", RejectCode::OrderPendingChange);
  EXPECT_EQ(r.cl_ord_id, "C2");
  EXPECT_EQ(r.status, OrdStatus::PendingCancel);
  EXPECT_EQ(fixReasons(r.reject).cxl_rej_reason, 3);  // "already pending"
}

TEST_F(ClientCancelReplace, ReplaceWhileACancelIsPendingIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  requestCancel(kAlpha, "C1", "A1");
  const auto r = expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 50, "10")), "A1",
                               RejectCode::OrderPendingChange);
  EXPECT_TRUE(r.for_replace);
  EXPECT_NE(r.text.find("cancel"), std::string::npos) << r.text;
}

TEST_F(ClientCancelReplace, CancelWhileAReplaceIsPendingIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  requestReplace(kAlpha, "R1", "A1", limit("AIR", 50, "10"));
  const auto r = expectRefused(cancelOrder(kAlpha, "C1", "A1"), "A1", RejectCode::OrderPendingChange);
  EXPECT_EQ(r.status, OrdStatus::PendingReplace);
  EXPECT_NE(r.text.find("replace"), std::string::npos) << r.text;
}

TEST_F(ClientCancelReplace, ReplaceChangingSideIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto r = expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 100, "10", Side::Sell)), "A1",
                               RejectCode::ReplaceChangesSide);
  EXPECT_TRUE(r.for_replace);
  EXPECT_EQ(r.status, OrdStatus::New);
  EXPECT_NE(r.text.find("sell"), std::string::npos) << r.text;
}

TEST_F(ClientCancelReplace, ReplaceChangingSymbolIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto r = expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("SAN", 100, "10")), "A1",
                               RejectCode::ReplaceChangesSymbol);
  EXPECT_TRUE(r.for_replace);
  EXPECT_NE(r.text.find("'SAN'"), std::string::npos) << r.text;
}

TEST_F(ClientCancelReplace, ReplaceQuantityEqualToCumQtyIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 40, "10")));
  const auto r = expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 40, "10")), "A1",
                               RejectCode::ReplaceQtyBelowFilled);
  EXPECT_EQ(r.status, OrdStatus::PartiallyFilled);
  EXPECT_NE(r.text.find("40"), std::string::npos) << r.text;
}

TEST_F(ClientCancelReplace, ReplaceQuantityBelowCumQtyIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 40, "10")));
  expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 39, "10")), "A1",
                RejectCode::ReplaceQtyBelowFilled);
  // One above CumQty is accepted.
  requestReplace(kAlpha, "R2", "A1", limit("AIR", 41, "10"));
}

TEST_F(ClientCancelReplace, ReplaceWithInvalidTermsIsRefusedWithTheValidationCode) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  expectRefused(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 0, "10")), "A1", RejectCode::InvalidQuantity);
  expectRefused(replaceOrder(kAlpha, "R2", "A1", limit("AIR", 100, "-1")), "A1", RejectCode::InvalidPrice);
}

TEST_F(ClientCancelReplace, CancelReusingAClOrdIdIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  placeAndAck(kAlpha, "A2", limit("AIR", 100, "10"));
  // The order's own ClOrdID, and another order's.
  auto r = expectRefused(cancelOrder(kAlpha, "A1", "A1"), "A1", RejectCode::DuplicateClOrdId);
  EXPECT_FALSE(r.for_replace);
  EXPECT_EQ(r.order_id, statusOf(kAlpha, "A1").order_id);
  r = expectRefused(cancelOrder(kAlpha, "A2", "A1"), "A1", RejectCode::DuplicateClOrdId);
  EXPECT_NE(r.text.find("'A2'"), std::string::npos) << r.text;
  // Neither refusal left a cancel pending.
  requestCancel(kAlpha, "C1", "A1");
}

TEST_F(ClientCancelReplace, ReplaceReusingAClOrdIdIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  placeAndAck(kAlpha, "A2", limit("AIR", 100, "10"));
  const auto r = expectRefused(replaceOrder(kAlpha, "A2", "A1", limit("AIR", 50, "10")), "A1",
                               RejectCode::DuplicateClOrdId);
  EXPECT_TRUE(r.for_replace);
  // A cancel's ClOrdID, even a refused-by-the-venue one, stays used.
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  single<CancelReject>(apply(venueCancelRejected(kXpar, cancel_id)));
  expectRefused(replaceOrder(kAlpha, "C1", "A1", limit("AIR", 50, "10")), "A1", RejectCode::DuplicateClOrdId);
}

TEST_F(ClientCancelReplace, TheSameCancelClOrdIdOnAnotherSessionIsAccepted) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  requestCancel(kAlpha, "C1", "A1");
  requestCancel(kBeta, "C1", "B1");
}

class OrderStatusRequest : public EngineTest {
 protected:
  OrderStatusRequest() { bothVenuesUp(); }
};

TEST_F(OrderStatusRequest, KnownOrderReportsItsCurrentState) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 30, "10")));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 10, "10.4")));
  const auto r = single<ExecReport>(applyAt(kStart + 9000, statusRequest(kAlpha, "A1")));
  EXPECT_EQ(r.session, kAlpha);
  EXPECT_EQ(r.kind, ExecKind::Status);
  EXPECT_EQ(r.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_TRUE(r.order_id.starts_with(kIdPrefix)) << r.order_id;
  EXPECT_FALSE(r.exec_id.empty());
  EXPECT_EQ(r.symbol, "AIR");
  EXPECT_EQ(r.order_qty, 100);
  EXPECT_EQ(r.cum_qty, 40);
  EXPECT_EQ(r.leaves_qty, 60);
  EXPECT_EQ(r.avg_px, px("10.1"));
  EXPECT_EQ(r.last_qty, 0);
  EXPECT_EQ(r.reject, std::nullopt);
  EXPECT_EQ(r.transact_time, kStart + 9000);
}

TEST_F(OrderStatusRequest, AnsweringChangesNothing) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto first = snapshot(statusOf(kAlpha, "A1"));
  EXPECT_EQ(snapshot(statusOf(kAlpha, "A1")), first);
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10"))).cum_qty, 100);
}

TEST_F(OrderStatusRequest, UnknownOrderIsReportedAsRejectedStatus) {
  const auto r = single<ExecReport>(apply(statusRequest(kAlpha, "GHOST", "SAN")));
  EXPECT_EQ(r.session, kAlpha);
  EXPECT_EQ(r.kind, ExecKind::Status);
  EXPECT_EQ(r.status, OrdStatus::Rejected);
  EXPECT_EQ(r.reject, RejectCode::UnknownOrder);
  EXPECT_EQ(r.cl_ord_id, "GHOST");
  EXPECT_EQ(r.order_id, "NONE");
  EXPECT_EQ(r.symbol, "SAN");
  EXPECT_EQ(r.leaves_qty, 0);
  EXPECT_EQ(r.cum_qty, 0);
  EXPECT_TRUE(r.text.starts_with("FG201 ")) << r.text;
  EXPECT_NE(r.text.find("'GHOST'"), std::string::npos) << r.text;
}

TEST_F(OrderStatusRequest, AnotherSessionsOrderIsUnknown) {
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  const auto r = single<ExecReport>(apply(statusRequest(kAlpha, "B1")));
  EXPECT_EQ(r.status, OrdStatus::Rejected);
  EXPECT_EQ(r.reject, RejectCode::UnknownOrder);
}

TEST_F(OrderStatusRequest, EchoesTheClOrdIdTheClientAskedAbout) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 150, "10"));
  single<ExecReport>(apply(venueReplaced(kXpar, replace_id)));
  // Asking by the order's earlier ClOrdID finds the same order, in its current state.
  const auto r = statusOf(kAlpha, "A1");
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_EQ(r.order_qty, 150);
  EXPECT_EQ(r.order_id, statusOf(kAlpha, "R1").order_id);
}

TEST_F(OrderStatusRequest, ReportsEveryStateOfTheOrder) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PendingNew);
  single<ExecReport>(apply(venueAck(kXpar, venue_id)));
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::New);
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 90, "10"));
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PendingReplace);
  single<ExecReport>(apply(venueReplaced(kXpar, replace_id)));
  EXPECT_EQ(statusOf(kAlpha, "R1").status, OrdStatus::New);
  single<ExecReport>(apply(venueFill(kXpar, replace_id, 30, "10")));
  EXPECT_EQ(statusOf(kAlpha, "R1").status, OrdStatus::PartiallyFilled);
  const auto cancel_id = requestCancel(kAlpha, "C1", "R1");
  EXPECT_EQ(statusOf(kAlpha, "R1").status, OrdStatus::PendingCancel);
  single<ExecReport>(apply(venueCanceled(kXpar, cancel_id)));
  const auto last = statusOf(kAlpha, "R1");
  EXPECT_EQ(last.status, OrdStatus::Canceled);
  EXPECT_EQ(last.cum_qty, 30);
  EXPECT_EQ(last.leaves_qty, 0);
}

}  // namespace
}  // namespace fixgate::core::testing
