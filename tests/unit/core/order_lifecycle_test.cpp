// The FIX order state machine event by event: acknowledgements, fills, cancels, replaces, venue refusals and
// expiry, with CumQty / LeavesQty / AvgPx bookkeeping checked after every step.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

using Lines = std::vector<std::string>;

class OrderLifecycle : public EngineTest {
 protected:
  OrderLifecycle() { bothVenuesUp(); }
};

TEST_F(OrderLifecycle, NewOrderIsPendingNewUntilTheVenueAcknowledges) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::PendingNew);
  EXPECT_EQ(status.leaves_qty, 100);
  EXPECT_EQ(status.cum_qty, 0);

  const auto ack = single<ExecReport>(applyAt(kStart + 500, venueAck(kXpar, venue_id, "XP-77")));
  EXPECT_EQ(ack.session, kAlpha);
  EXPECT_EQ(ack.kind, ExecKind::New);
  EXPECT_EQ(ack.status, OrdStatus::New);
  EXPECT_EQ(ack.cl_ord_id, "A1");
  EXPECT_EQ(ack.orig_cl_ord_id, "");
  EXPECT_TRUE(ack.order_id.starts_with(kIdPrefix)) << ack.order_id;
  EXPECT_TRUE(ack.exec_id.starts_with(kIdPrefix)) << ack.exec_id;
  EXPECT_EQ(ack.order_qty, 100);
  EXPECT_EQ(ack.price, px("10"));
  EXPECT_EQ(ack.leaves_qty, 100);
  EXPECT_EQ(ack.cum_qty, 0);
  EXPECT_EQ(ack.avg_px, Price{});
  EXPECT_EQ(ack.reject, std::nullopt);
  EXPECT_EQ(ack.transact_time, kStart + 500);
  EXPECT_EQ(engine_.findByClOrdId(kAlpha, "A1")->venue_order_id, "XP-77");

  status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::New);
  EXPECT_EQ(status.order_id, ack.order_id);
}

TEST_F(OrderLifecycle, RepeatedAcknowledgementChangesNothing) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  EXPECT_TRUE(apply(venueAck(kXpar, venue_id)).empty());
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::New);
}

TEST_F(OrderLifecycle, ARepeatedExecutionIsAppliedOnce) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 30, "10", "F1"))).cum_qty, 30);
  const auto repeated = single<OperatorAlert>(apply(venueFill(kXpar, venue_id, 30, "10", "F1")));
  EXPECT_EQ(repeated.code, "DuplicateExecution");
  EXPECT_EQ(statusOf(kAlpha, "A1").cum_qty, 30);
  // The last fill repeated after the order is filled is a repeat too, not a fill after final.
  apply(venueFill(kXpar, venue_id, 70, "10", "F2"));
  EXPECT_EQ(single<OperatorAlert>(apply(venueFill(kXpar, venue_id, 70, "10", "F2"))).code,
            "DuplicateExecution");
  EXPECT_EQ(statusOf(kAlpha, "A1").cum_qty, 100);
}

TEST_F(OrderLifecycle, PartialFillThenFillCompletesTheOrder) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10.5"));

  const auto first = single<ExecReport>(applyAt(kStart + 1000, venueFill(kXpar, venue_id, 30, "10", "F1")));
  EXPECT_EQ(first.kind, ExecKind::Trade);
  EXPECT_EQ(first.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(first.cl_ord_id, "A1");
  EXPECT_EQ(first.last_qty, 30);
  EXPECT_EQ(first.last_px, px("10"));
  EXPECT_EQ(first.cum_qty, 30);
  EXPECT_EQ(first.leaves_qty, 70);
  EXPECT_EQ(first.avg_px, px("10"));
  EXPECT_EQ(first.transact_time, kStart + 1000);

  const auto second = single<ExecReport>(apply(venueFill(kXpar, venue_id, 70, "10.5", "F2")));
  EXPECT_EQ(second.kind, ExecKind::Trade);
  EXPECT_EQ(second.status, OrdStatus::Filled);
  EXPECT_EQ(second.last_qty, 70);
  EXPECT_EQ(second.last_px, px("10.5"));
  EXPECT_EQ(second.cum_qty, 100);
  EXPECT_EQ(second.leaves_qty, 0);
  EXPECT_EQ(second.avg_px, px("10.35"));  // (30*10 + 70*10.5) / 100
  EXPECT_NE(second.exec_id, first.exec_id);
  EXPECT_EQ(engine_.openOrderCount(), 0u);

  const auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::Filled);
  EXPECT_EQ(status.cum_qty, 100);
  EXPECT_EQ(status.leaves_qty, 0);
  EXPECT_EQ(status.avg_px, px("10.35"));
}

TEST_F(OrderLifecycle, AvgPxIsExactOverSeveralFillsAtDifferentPrices) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 10, "101"));
  // 0.1 + 0.2 is not 0.3 in binary floating point; in the core it is.
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 1, "0.1", "F1"))).avg_px, px("0.1"));
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 1, "0.2", "F2"))).avg_px, px("0.15"));
  // (0.1 + 0.2 + 3*100.03) / 5 = 300.39 / 5
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 3, "100.03", "F3"))).avg_px, px("60.078"));
  // (300.39 + 5*100.01) / 10 = 800.44 / 10
  const auto last = single<ExecReport>(apply(venueFill(kXpar, venue_id, 5, "100.01", "F4")));
  EXPECT_EQ(last.status, OrdStatus::Filled);
  EXPECT_EQ(last.avg_px, px("80.044"));
}

TEST_F(OrderLifecycle, AvgPxStaysExactForLargeNotionals) {
  // 10^9 shares at 90000 would overflow 64-bit notional in price units; the average must still be exact.
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 3'000'000'000, "90000"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 1'000'000'000, "90000", "F1")));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 1'000'000'000, "90000.01", "F2")));
  const auto last = single<ExecReport>(apply(venueFill(kXpar, venue_id, 1'000'000'000, "90000.02", "F3")));
  EXPECT_EQ(last.cum_qty, 3'000'000'000);
  EXPECT_EQ(last.avg_px, px("90000.01"));
}

TEST_F(OrderLifecycle, FillBeforeAcknowledgementIsApplied) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto fill = single<ExecReport>(apply(venueFill(kXpar, venue_id, 40, "10")));
  EXPECT_EQ(fill.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(fill.cum_qty, 40);
  // The late acknowledgement does not take the order back to New.
  EXPECT_TRUE(apply(venueAck(kXpar, venue_id)).empty());
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PartiallyFilled);
}

TEST_F(OrderLifecycle, CancelIsPendingUntilTheVenueConfirms) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel = single<VenueCancel>(applyAt(kStart + 2000, cancelOrder(kAlpha, "C1", "A1")));
  EXPECT_EQ(cancel.venue, kXpar);
  EXPECT_EQ(cancel.orig_venue_cl_ord_id, venue_id);
  EXPECT_NE(cancel.venue_cl_ord_id, venue_id);
  EXPECT_TRUE(cancel.venue_cl_ord_id.starts_with(kIdPrefix));
  EXPECT_EQ(cancel.transact_time, kStart + 2000);

  // While the cancel is pending the client sees PendingCancel, and the order still has its own ClOrdID.
  auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::PendingCancel);
  EXPECT_EQ(status.leaves_qty, 100);
  EXPECT_EQ(engine_.openOrderCount(), 1u);

  const auto done = single<ExecReport>(applyAt(kStart + 3000, venueCanceled(kXpar, cancel.venue_cl_ord_id)));
  EXPECT_EQ(done.kind, ExecKind::Canceled);
  EXPECT_EQ(done.status, OrdStatus::Canceled);
  EXPECT_EQ(done.cl_ord_id, "C1");
  EXPECT_EQ(done.orig_cl_ord_id, "A1");
  EXPECT_EQ(done.order_id, status.order_id);
  EXPECT_EQ(done.leaves_qty, 0);
  EXPECT_EQ(done.cum_qty, 0);
  EXPECT_EQ(done.order_qty, 100);
  EXPECT_EQ(done.transact_time, kStart + 3000);
  EXPECT_EQ(engine_.openOrderCount(), 0u);

  status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::Canceled);
  EXPECT_EQ(status.leaves_qty, 0);
}

TEST_F(OrderLifecycle, CancelOfAPendingNewOrderIsForwarded) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel = single<VenueCancel>(apply(cancelOrder(kAlpha, "C1", "A1")));
  EXPECT_EQ(cancel.orig_venue_cl_ord_id, venue_id);
  EXPECT_EQ(cancel.venue_order_id, "");  // the venue has not told us its id yet
  const auto done = single<ExecReport>(apply(venueCanceled(kXpar, cancel.venue_cl_ord_id)));
  EXPECT_EQ(done.status, OrdStatus::Canceled);
  EXPECT_EQ(done.cl_ord_id, "C1");
}

TEST_F(OrderLifecycle, ReplaceIsPendingUntilTheVenueConfirmsThenTakesNewTerms) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace =
      single<VenueReplace>(apply(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 150, "10.25"))));
  EXPECT_EQ(replace.venue, kXpar);
  EXPECT_EQ(replace.orig_venue_cl_ord_id, venue_id);
  EXPECT_NE(replace.venue_cl_ord_id, venue_id);
  EXPECT_EQ(replace.terms.quantity, 150);

  auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::PendingReplace);
  EXPECT_EQ(status.order_qty, 100);  // the old terms are in force until the venue confirms
  EXPECT_EQ(status.price, px("10"));

  const auto done = single<ExecReport>(apply(venueReplaced(kXpar, replace.venue_cl_ord_id, "XP-2")));
  EXPECT_EQ(done.kind, ExecKind::Replaced);
  EXPECT_EQ(done.status, OrdStatus::New);
  EXPECT_EQ(done.cl_ord_id, "R1");
  EXPECT_EQ(done.orig_cl_ord_id, "A1");
  EXPECT_EQ(done.order_qty, 150);
  EXPECT_EQ(done.price, px("10.25"));
  EXPECT_EQ(done.leaves_qty, 150);
  EXPECT_EQ(done.cum_qty, 0);
  EXPECT_EQ(engine_.findByClOrdId(kAlpha, "R1")->venue_order_id, "XP-2");

  status = statusOf(kAlpha, "R1");
  EXPECT_EQ(status.status, OrdStatus::New);
  EXPECT_EQ(status.cl_ord_id, "R1");
  EXPECT_EQ(status.order_qty, 150);
  EXPECT_EQ(status.order_id, done.order_id);
}

TEST_F(OrderLifecycle, ReplaceOfAPartiallyFilledOrderKeepsFillsAndRecomputesLeaves) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 30, "10")));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 80, "9.5"));
  const auto done = single<ExecReport>(apply(venueReplaced(kXpar, replace_id)));
  EXPECT_EQ(done.kind, ExecKind::Replaced);
  EXPECT_EQ(done.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(done.cl_ord_id, "R1");
  EXPECT_EQ(done.orig_cl_ord_id, "A1");
  EXPECT_EQ(done.order_qty, 80);
  EXPECT_EQ(done.cum_qty, 30);
  EXPECT_EQ(done.leaves_qty, 50);  // newQty - CumQty
  EXPECT_EQ(done.avg_px, px("10"));

  // Fills after the replace count against the new quantity, whichever venue id they carry.
  const auto fill = single<ExecReport>(apply(venueFill(kXpar, replace_id, 50, "9.5")));
  EXPECT_EQ(fill.status, OrdStatus::Filled);
  EXPECT_EQ(fill.cl_ord_id, "R1");
  EXPECT_EQ(fill.cum_qty, 80);
  EXPECT_EQ(fill.avg_px, px("9.6875"));  // (30*10 + 50*9.5) / 80
}

TEST_F(OrderLifecycle, ChainedReplacesEachReferToThePreviousClOrdId) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto r1 = requestReplace(kAlpha, "R1", "A1", limit("AIR", 110, "10"));
  EXPECT_EQ(single<ExecReport>(apply(venueReplaced(kXpar, r1))).orig_cl_ord_id, "A1");
  const auto r2 = single<VenueReplace>(apply(replaceOrder(kAlpha, "R2", "R1", limit("AIR", 120, "10"))));
  EXPECT_EQ(r2.orig_venue_cl_ord_id, r1);
  const auto done = single<ExecReport>(apply(venueReplaced(kXpar, r2.venue_cl_ord_id)));
  EXPECT_EQ(done.cl_ord_id, "R2");
  EXPECT_EQ(done.orig_cl_ord_id, "R1");
  EXPECT_EQ(done.order_qty, 120);
}

TEST_F(OrderLifecycle, VenueCancelRejectRestoresTheOrderAndAnswersTheCancel) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  const auto refused =
      single<CancelReject>(applyAt(kStart + 4000, venueCancelRejected(kXpar, cancel_id, "too late")));
  EXPECT_EQ(refused.session, kAlpha);
  EXPECT_FALSE(refused.for_replace);
  EXPECT_EQ(refused.cl_ord_id, "C1");
  EXPECT_EQ(refused.orig_cl_ord_id, "A1");
  EXPECT_EQ(refused.status, OrdStatus::New);
  EXPECT_EQ(refused.reject, RejectCode::VenueRejected);
  EXPECT_TRUE(refused.text.starts_with("FG401 ")) << refused.text;
  EXPECT_NE(refused.text.find("too late"), std::string::npos) << refused.text;
  EXPECT_NE(refused.text.find("XPAR"), std::string::npos) << refused.text;
  EXPECT_EQ(refused.transact_time, kStart + 4000);
  EXPECT_EQ(refused.order_id, statusOf(kAlpha, "A1").order_id);

  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::New);
  // Nothing is pending any more: fills apply and a new cancel is accepted.
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 10, "10"))).status,
            OrdStatus::PartiallyFilled);
  requestCancel(kAlpha, "C2", "A1");
}

TEST_F(OrderLifecycle, VenueReplaceRejectRestoresTheOrderAndAnswersTheReplace) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 20, "10")));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 200, "11"));
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PendingReplace);

  const auto refused = single<CancelReject>(apply(venueCancelRejected(kXpar, replace_id, "price band")));
  EXPECT_TRUE(refused.for_replace);
  EXPECT_EQ(refused.cl_ord_id, "R1");
  EXPECT_EQ(refused.orig_cl_ord_id, "A1");
  EXPECT_EQ(refused.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(refused.reject, RejectCode::VenueRejected);
  EXPECT_NE(refused.text.find("price band"), std::string::npos) << refused.text;

  const auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(status.cl_ord_id, "A1");
  EXPECT_EQ(status.order_qty, 100);
  EXPECT_EQ(status.price, px("10"));
  EXPECT_EQ(status.leaves_qty, 80);
  // The old quantity still bounds fills.
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 80, "10"))).status, OrdStatus::Filled);
}

TEST_F(OrderLifecycle, VenueRejectOfANewOrderRejectsItWithTheVenuesText) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto r = single<ExecReport>(apply(venueRejected(kXpar, venue_id, "outside price band")));
  EXPECT_EQ(r.kind, ExecKind::Rejected);
  EXPECT_EQ(r.status, OrdStatus::Rejected);
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_EQ(r.reject, RejectCode::VenueRejected);
  EXPECT_TRUE(r.text.starts_with("FG401 ")) << r.text;
  EXPECT_NE(r.text.find("outside price band"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("XPAR"), std::string::npos) << r.text;
  EXPECT_EQ(r.leaves_qty, 0);
  EXPECT_EQ(r.cum_qty, 0);
  EXPECT_EQ(engine_.openOrderCount(), 0u);
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::Rejected);
}

TEST_F(OrderLifecycle, VenueRejectWithoutTextSaysSo) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto r = single<ExecReport>(apply(venueRejected(kXpar, venue_id)));
  EXPECT_NE(r.text.find("no reason given"), std::string::npos) << r.text;
}

TEST_F(OrderLifecycle, ExpiryEndsTheOrderKeepingItsFills) {
  auto terms = limit("AIR", 100, "10");
  terms.time_in_force = TimeInForce::GoodTillDate;
  terms.expire = "20240105";
  const auto venue_id = placeAndAck(kAlpha, "A1", terms);
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 20, "10")));
  const auto r = single<ExecReport>(apply(venueExpired(kXpar, venue_id)));
  EXPECT_EQ(r.kind, ExecKind::Expired);
  EXPECT_EQ(r.status, OrdStatus::Expired);
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_EQ(r.cum_qty, 20);
  EXPECT_EQ(r.leaves_qty, 0);
  EXPECT_EQ(r.avg_px, px("10"));
  EXPECT_EQ(engine_.openOrderCount(), 0u);
  // A repeated expiry changes nothing.
  EXPECT_TRUE(apply(venueExpired(kXpar, venue_id)).empty());
}

TEST_F(OrderLifecycle, UnsolicitedVenueCancelReportsWithTheOrdersOwnClOrdId) {
  auto terms = limit("AIR", 100, "10");
  terms.time_in_force = TimeInForce::ImmediateOrCancel;
  const auto venue_id = placeAndAck(kAlpha, "A1", terms);
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 40, "10")));
  const auto r = single<ExecReport>(apply(venueCanceled(kXpar, venue_id, "IOC remainder")));
  EXPECT_EQ(r.kind, ExecKind::Canceled);
  EXPECT_EQ(r.status, OrdStatus::Canceled);
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_EQ(r.orig_cl_ord_id, "");
  EXPECT_EQ(r.cum_qty, 40);
  EXPECT_EQ(r.leaves_qty, 0);
  EXPECT_NE(r.text.find("XPAR"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("IOC remainder"), std::string::npos) << r.text;
  // A repeated cancel changes nothing.
  EXPECT_TRUE(apply(venueCanceled(kXpar, venue_id)).empty());
}

TEST_F(OrderLifecycle, FillsDuringAPendingCancelAreReportedAsPendingCancel) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  const auto fill = single<ExecReport>(apply(venueFill(kXpar, venue_id, 40, "10.1")));
  EXPECT_EQ(fill.kind, ExecKind::Trade);
  EXPECT_EQ(fill.status, OrdStatus::PendingCancel);
  EXPECT_EQ(fill.cl_ord_id, "A1");
  EXPECT_EQ(fill.cum_qty, 40);
  EXPECT_EQ(fill.leaves_qty, 60);

  const auto done = single<ExecReport>(apply(venueCanceled(kXpar, cancel_id)));
  EXPECT_EQ(done.status, OrdStatus::Canceled);
  EXPECT_EQ(done.cl_ord_id, "C1");
  EXPECT_EQ(done.orig_cl_ord_id, "A1");
  EXPECT_EQ(done.cum_qty, 40);
  EXPECT_EQ(done.leaves_qty, 0);
  EXPECT_EQ(done.avg_px, px("10.1"));
}

TEST_F(OrderLifecycle, FillCompletingTheOrderWhileCancelPendingThenCancelRejectReportsFilled) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  const auto fill = single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
  EXPECT_EQ(fill.status, OrdStatus::Filled);
  EXPECT_EQ(fill.leaves_qty, 0);
  EXPECT_EQ(fill.cum_qty, 100);

  const auto refused = single<CancelReject>(apply(venueCancelRejected(kXpar, cancel_id, "order filled")));
  EXPECT_FALSE(refused.for_replace);
  EXPECT_EQ(refused.cl_ord_id, "C1");
  EXPECT_EQ(refused.orig_cl_ord_id, "A1");
  EXPECT_EQ(refused.status, OrdStatus::Filled);
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::Filled);
}

TEST_F(OrderLifecycle, FillCompletingTheOrderWhileReplacePendingThenReplaceRejectReportsFilled) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 150, "10"));
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10"))).status, OrdStatus::Filled);
  const auto refused = single<CancelReject>(apply(venueCancelRejected(kXpar, replace_id, "order filled")));
  EXPECT_TRUE(refused.for_replace);
  EXPECT_EQ(refused.status, OrdStatus::Filled);
}

// A venue sends its answers in order: a fill that completes the order, then a "replaced" for a replace sent
// earlier is inconsistent (the venue filled the original quantity, so it had not applied the replace). A
// final order must stay final; the core must refuse the confirmation and tell an operator, as it does for a
// fill after a cancel.
TEST_F(OrderLifecycle, ReplaceConfirmationAfterTheOrderFilledDoesNotReopenIt) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 150, "10"));
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10"))).status, OrdStatus::Filled);

  const auto actions = apply(venueReplaced(kXpar, replace_id));
  EXPECT_TRUE(allOf<ExecReport>(actions).empty()) << ::testing::PrintToString(describeAll(actions));
  EXPECT_EQ(allOf<OperatorAlert>(actions).size(), 1u) << ::testing::PrintToString(describeAll(actions));
  const auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::Filled);
  EXPECT_EQ(status.order_qty, 100);
  EXPECT_EQ(status.leaves_qty, 0);
  EXPECT_EQ(engine_.openOrderCount(), 0u);
}

// The exact sequence one order produces, end to end, as the client and the venue see it.
TEST_F(OrderLifecycle, RecordsTheExactSequenceOfAPartiallyFilledReplacedThenCanceledOrder) {
  Lines seen;
  auto record = [&](const std::vector<Action>& actions) {
    for (const auto& line : describeAll(actions)) seen.push_back(line);
  };
  std::vector<Action> out = apply(newOrder(kAlpha, "A1", limit("AIR", 100, "10")));
  const auto v1 = std::get<VenueNewOrder>(out.at(0)).venue_cl_ord_id;
  record(out);
  record(apply(venueAck(kXpar, v1)));
  record(apply(venueFill(kXpar, v1, 25, "10")));
  out = apply(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 60, "10.5")));
  const auto v2 = std::get<VenueReplace>(out.at(0)).venue_cl_ord_id;
  record(out);
  record(apply(venueFill(kXpar, v1, 5, "10.2")));
  record(apply(venueReplaced(kXpar, v2)));
  out = apply(cancelOrder(kAlpha, "C1", "R1"));
  const auto v3 = std::get<VenueCancel>(out.at(0)).venue_cl_ord_id;
  record(out);
  record(apply(venueCanceled(kXpar, v3)));

  const Lines expected{
      "VenueNewOrder v=0 id=" + v1 + " sym=AIR side=buy qty=100 px=10",
      "ExecReport s=0 New/New cl=A1 orig= qty=100 px=10 last=0@0 cum=0 leaves=100 avg=0",
      "ExecReport s=0 Trade/PartiallyFilled cl=A1 orig= qty=100 px=10 last=25@10 cum=25 leaves=75 avg=10",
      "VenueReplace v=0 id=" + v2 + " orig=" + v1 + " qty=60 px=10.5",
      "ExecReport s=0 Trade/PendingReplace cl=A1 orig= qty=100 px=10 last=5@10.2 cum=30 leaves=70 "
      "avg=10.03333333",
      "ExecReport s=0 Replaced/PartiallyFilled cl=R1 orig=A1 qty=60 px=10.5 last=0@0 cum=30 leaves=30 "
      "avg=10.03333333",
      "VenueCancel v=0 id=" + v3 + " orig=" + v2 + " sym=AIR qty=60",
      "ExecReport s=0 Canceled/Canceled cl=C1 orig=R1 qty=60 px=10.5 last=0@0 cum=30 leaves=0 "
      "avg=10.03333333",
  };
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace fixgate::core::testing

namespace fixgate::core::testing {
namespace {

// Open orders are counted per venue as orders change state (metrics and status read the count instead of
// scanning every order the engine ever held).
TEST_F(OrderLifecycle, OpenOrdersAreCountedPerVenueUntilEachEnds) {
  const auto filled = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto canceled = placeAndAck(kAlpha, "A2", limit("AIR", 50, "10"));
  const auto rejected = place(kBeta, "B1", limit("ASML", 10, "600"), kXams);
  place(kBeta, "B2", limit("ASML", 10, "600"), kXams);
  EXPECT_EQ(engine_.openOrderCount(kXpar), 2u);
  EXPECT_EQ(engine_.openOrderCount(kXams), 2u);
  EXPECT_EQ(engine_.openOrderCount(), 4u);

  apply(venueFill(kXpar, filled, 40, "10", "F1"));  // partly filled: still open
  EXPECT_EQ(engine_.openOrderCount(kXpar), 2u);
  apply(venueFill(kXpar, filled, 60, "10", "F2"));
  EXPECT_EQ(engine_.openOrderCount(kXpar), 1u);
  apply(venueRejected(kXams, rejected, "no"));
  EXPECT_EQ(engine_.openOrderCount(kXams), 1u);
  apply(venueCanceled(kXpar, requestCancel(kAlpha, "A2-X", "A2")));
  EXPECT_EQ(engine_.openOrderCount(kXpar), 0u);
  apply(venueFill(kXpar, filled, 60, "10", "F2"));  // a repeat after the end changes nothing
  EXPECT_EQ(engine_.openOrderCount(kXpar), 0u);
  EXPECT_EQ(engine_.openOrderCount(), 1u);
  EXPECT_EQ(engine_.openOrderCount(7), 0u);  // a venue that never had an order
}

}  // namespace
}  // namespace fixgate::core::testing
