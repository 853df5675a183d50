// Order mass cancel: the report comes first and announces exactly the cancels that follow; only the
// requesting session's open orders without a pending cancel are touched.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

using Lines = std::vector<std::string>;

class MassCancelRequest : public EngineTest {
 protected:
  MassCancelRequest() { bothVenuesUp(); }

  // ALPHA: A-open (AIR, XPAR), A-partial (SAN, 40 of 100 filled), A-filled, A-pending-cancel, A-rejected,
  //        A-asml (ASML on XAMS, pending new).  BETA: B-open (AIR).
  void populate() {
    v_open_ = placeAndAck(kAlpha, "A-open", limit("AIR", 100, "10"));
    v_partial_ = placeAndAck(kAlpha, "A-partial", limit("SAN", 100, "90"));
    single<ExecReport>(apply(venueFill(kXpar, v_partial_, 40, "90")));
    const auto filled = placeAndAck(kAlpha, "A-filled", limit("AIR", 10, "10"));
    single<ExecReport>(apply(venueFill(kXpar, filled, 10, "10")));
    placeAndAck(kAlpha, "A-pending-cancel", limit("AIR", 10, "10"));
    requestCancel(kAlpha, "A-cancel", "A-pending-cancel");
    const auto rejected = place(kAlpha, "A-rejected", limit("AIR", 10, "10"));
    single<ExecReport>(apply(venueRejected(kXpar, rejected)));
    v_asml_ = place(kAlpha, "A-asml", limit("ASML", 5, "600"), kXams);
    v_beta_ = placeAndAck(kBeta, "B-open", limit("AIR", 100, "10"));
  }

  std::string v_open_, v_partial_, v_asml_, v_beta_;
};

TEST_F(MassCancelRequest, AllOrdersCancelsOnlyThisSessionsOpenOrders) {
  populate();
  const auto out = applyAt(kStart + 50'000, massCancel(kAlpha, "M1", MassCancelScope::AllOrders));
  ASSERT_FALSE(out.empty());
  const auto report = std::get<MassCancelReport>(out.front());
  EXPECT_EQ(report.session, kAlpha);
  EXPECT_EQ(report.cl_ord_id, "M1");
  EXPECT_EQ(report.raw_scope, '7');
  EXPECT_EQ(report.reject, std::nullopt);
  EXPECT_TRUE(report.order_id.starts_with(kIdPrefix)) << report.order_id;
  EXPECT_EQ(report.transact_time, kStart + 50'000);

  const auto cancels = allOf<VenueCancel>(out);
  EXPECT_EQ(out.size(), 1 + cancels.size());
  EXPECT_EQ(report.affected_orders, static_cast<int>(cancels.size()));
  ASSERT_EQ(cancels.size(), 3u);
  EXPECT_EQ(cancels[0].orig_venue_cl_ord_id, v_open_);
  EXPECT_EQ(cancels[0].venue, kXpar);
  EXPECT_EQ(cancels[1].orig_venue_cl_ord_id, v_partial_);
  EXPECT_EQ(cancels[1].symbol, "SAN");
  EXPECT_EQ(cancels[2].orig_venue_cl_ord_id, v_asml_);
  EXPECT_EQ(cancels[2].venue, kXams);
  for (const auto& c : cancels) EXPECT_NE(c.orig_venue_cl_ord_id, v_beta_);

  EXPECT_EQ(statusOf(kAlpha, "A-open").status, OrdStatus::PendingCancel);
  EXPECT_EQ(statusOf(kAlpha, "A-filled").status, OrdStatus::Filled);
  EXPECT_EQ(statusOf(kBeta, "B-open").status, OrdStatus::New);
}

TEST_F(MassCancelRequest, ReportComesFirstThenExactlyTheAnnouncedCancels) {
  const auto v1 = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto v2 = placeAndAck(kAlpha, "A2", limit("SAN", 50, "90"));
  const auto out = apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders));
  ASSERT_EQ(out.size(), 3u);
  const auto c1 = std::get<VenueCancel>(out[1]).venue_cl_ord_id;
  const auto c2 = std::get<VenueCancel>(out[2]).venue_cl_ord_id;
  const Lines expected{
      "MassCancelReport s=0 cl=M1 affected=2 rej=-",
      "VenueCancel v=0 id=" + c1 + " orig=" + v1 + " sym=AIR qty=100",
      "VenueCancel v=0 id=" + c2 + " orig=" + v2 + " sym=SAN qty=50",
  };
  EXPECT_EQ(describeAll(out), expected);
}

TEST_F(MassCancelRequest, BySymbolCancelsOnlyThatSymbol) {
  populate();
  const auto out = apply(massCancel(kAlpha, "M1", MassCancelScope::BySymbol, "SAN"));
  ASSERT_EQ(out.size(), 2u);
  const auto report = std::get<MassCancelReport>(out[0]);
  EXPECT_EQ(report.affected_orders, 1);
  EXPECT_EQ(report.raw_scope, '1');
  EXPECT_EQ(report.symbol, "SAN");
  EXPECT_EQ(std::get<VenueCancel>(out[1]).orig_venue_cl_ord_id, v_partial_);
  EXPECT_EQ(statusOf(kAlpha, "A-open").status, OrdStatus::New);
}

TEST_F(MassCancelRequest, BySymbolWithNoMatchingOrderAffectsNone) {
  populate();
  const auto report =
      single<MassCancelReport>(apply(massCancel(kAlpha, "M1", MassCancelScope::BySymbol, "MT")));
  EXPECT_EQ(report.affected_orders, 0);
  EXPECT_EQ(report.reject, std::nullopt);
}

TEST_F(MassCancelRequest, SessionWithoutOpenOrdersAffectsNone) {
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  const auto report = single<MassCancelReport>(apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders)));
  EXPECT_EQ(report.affected_orders, 0);
  EXPECT_EQ(report.reject, std::nullopt);
  EXPECT_EQ(statusOf(kBeta, "B1").status, OrdStatus::New);
}

TEST_F(MassCancelRequest, UnsupportedScopeIsRefusedWithoutCancels) {
  populate();
  auto request = massCancel(kAlpha, "M1", MassCancelScope::Unsupported);
  request.raw_scope = '3';
  const auto report = single<MassCancelReport>(apply(request));
  EXPECT_EQ(report.reject, RejectCode::MassCancelUnsupportedScope);
  EXPECT_EQ(report.affected_orders, 0);
  EXPECT_EQ(report.raw_scope, '3');
  EXPECT_EQ(report.cl_ord_id, "M1");
  EXPECT_TRUE(report.text.starts_with("FG207 ")) << report.text;
  EXPECT_NE(report.text.find("'3'"), std::string::npos) << report.text;
  EXPECT_EQ(statusOf(kAlpha, "A-open").status, OrdStatus::New);
}

TEST_F(MassCancelRequest, VenueCancelsThenProduceCanceledReports) {
  populate();
  const auto out = apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders));
  const auto cancels = allOf<VenueCancel>(out);
  ASSERT_EQ(cancels.size(), 3u);

  auto r = single<ExecReport>(apply(venueCanceled(kXpar, cancels[0].venue_cl_ord_id)));
  EXPECT_EQ(r.session, kAlpha);
  EXPECT_EQ(r.kind, ExecKind::Canceled);
  EXPECT_EQ(r.status, OrdStatus::Canceled);
  EXPECT_EQ(r.cl_ord_id, "A-open");
  EXPECT_EQ(r.leaves_qty, 0);

  r = single<ExecReport>(apply(venueCanceled(kXpar, cancels[1].venue_cl_ord_id)));
  EXPECT_EQ(r.cl_ord_id, "A-partial");
  EXPECT_EQ(r.cum_qty, 40);
  EXPECT_EQ(r.leaves_qty, 0);

  r = single<ExecReport>(apply(venueCanceled(kXams, cancels[2].venue_cl_ord_id)));
  EXPECT_EQ(r.cl_ord_id, "A-asml");
  EXPECT_EQ(r.status, OrdStatus::Canceled);

  EXPECT_EQ(statusOf(kBeta, "B-open").status, OrdStatus::New);
  // The order that already had its own cancel pending is still waiting for that one.
  EXPECT_EQ(statusOf(kAlpha, "A-pending-cancel").status, OrdStatus::PendingCancel);
  // A second mass cancel finds nothing left to cancel: every open order has a cancel pending.
  EXPECT_EQ(
      single<MassCancelReport>(apply(massCancel(kAlpha, "M2", MassCancelScope::AllOrders))).affected_orders,
      0);
}

TEST_F(MassCancelRequest, OrdersWithACancelPendingAreNotCanceledTwice) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  requestCancel(kAlpha, "C1", "A1");
  const auto report = single<MassCancelReport>(apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders)));
  EXPECT_EQ(report.affected_orders, 0);
}

// An order with a replace in flight is canceled by a mass cancel, but the replace is still at the venue: its
// answer must still reach the client (and keep the gateway's terms in step with the venue's).
TEST_F(MassCancelRequest, VenueConfirmingAReplaceSentBeforeTheMassCancelIsStillApplied) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 200, "10"));
  apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders));

  const auto actions = apply(venueReplaced(kXpar, replace_id));
  EXPECT_TRUE(allOf<OperatorAlert>(actions).empty()) << ::testing::PrintToString(describeAll(actions));
  const auto reports = allOf<ExecReport>(actions);
  ASSERT_EQ(reports.size(), 1u) << ::testing::PrintToString(describeAll(actions));
  EXPECT_EQ(reports[0].kind, ExecKind::Replaced);
  EXPECT_EQ(reports[0].cl_ord_id, "R1");
  EXPECT_EQ(reports[0].order_qty, 200);
}

TEST_F(MassCancelRequest, VenueRefusingAReplaceSentBeforeTheMassCancelIsStillAnswered) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 200, "10"));
  apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders));

  const auto actions = apply(venueCancelRejected(kXpar, replace_id, "price band"));
  const auto refusals = allOf<CancelReject>(actions);
  ASSERT_EQ(refusals.size(), 1u) << ::testing::PrintToString(describeAll(actions));
  EXPECT_TRUE(refusals[0].for_replace);
  EXPECT_EQ(refusals[0].cl_ord_id, "R1");
  EXPECT_EQ(refusals[0].orig_cl_ord_id, "A1");
}

// The venue applies the client's replace, then the mass cancel: the Canceled report must name the order by
// the ClOrdID now in force (R1), as it does for orders that were not replaced, not by its superseded ClOrdID
// (A1).
TEST_F(MassCancelRequest, CancelOfAnOrderReplacedMeanwhileReportsItsCurrentClOrdId) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", limit("AIR", 200, "10"));
  const auto cancels = allOf<VenueCancel>(apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders)));
  ASSERT_EQ(cancels.size(), 1u);
  const auto replaced = allOf<ExecReport>(apply(venueReplaced(kXpar, replace_id)));
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].cl_ord_id, "R1");

  const auto r = single<ExecReport>(apply(venueCanceled(kXpar, cancels[0].venue_cl_ord_id)));
  EXPECT_EQ(r.kind, ExecKind::Canceled);
  EXPECT_EQ(r.status, OrdStatus::Canceled);
  EXPECT_EQ(r.cl_ord_id, "R1") << "OrigClOrdID " << r.orig_cl_ord_id;
  EXPECT_EQ(r.order_qty, 200);
}

}  // namespace
}  // namespace fixgate::core::testing
