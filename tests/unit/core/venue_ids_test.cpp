// The gateway mints its own ClOrdIDs towards venues: client ClOrdIDs are only unique per session, venue ones
// must be unique across the gateway, and every venue answer must find its way back to the right session's
// order.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

class VenueClOrdIds : public EngineTest {
 protected:
  VenueClOrdIds() { bothVenuesUp(); }
};

TEST_F(VenueClOrdIds, TwoSessionsUsingTheSameClOrdIdGetDistinctVenueClOrdIds) {
  const auto alpha = place(kAlpha, "X1", limit("AIR", 100, "10"));
  const auto beta = place(kBeta, "X1", limit("AIR", 200, "11"));
  EXPECT_NE(alpha, beta);
  EXPECT_EQ(engine_.findByVenueClOrdId(alpha), engine_.findByClOrdId(kAlpha, "X1"));
  EXPECT_EQ(engine_.findByVenueClOrdId(beta), engine_.findByClOrdId(kBeta, "X1"));
}

TEST_F(VenueClOrdIds, EveryVenueAnswerMapsBackToTheRightSessionsOrder) {
  const auto alpha = place(kAlpha, "X1", limit("AIR", 100, "10"));
  const auto beta = place(kBeta, "X1", limit("AIR", 200, "11"));

  // Answers arrive for BETA first.
  auto r = single<ExecReport>(apply(venueAck(kXpar, beta, "XB")));
  EXPECT_EQ(r.session, kBeta);
  EXPECT_EQ(r.cl_ord_id, "X1");
  EXPECT_EQ(r.order_qty, 200);
  EXPECT_EQ(statusOf(kAlpha, "X1").status, OrdStatus::PendingNew);

  r = single<ExecReport>(apply(venueAck(kXpar, alpha, "XA")));
  EXPECT_EQ(r.session, kAlpha);
  EXPECT_EQ(r.order_qty, 100);

  r = single<ExecReport>(apply(venueFill(kXpar, beta, 50, "11")));
  EXPECT_EQ(r.session, kBeta);
  EXPECT_EQ(r.cum_qty, 50);
  EXPECT_EQ(statusOf(kAlpha, "X1").cum_qty, 0);

  r = single<ExecReport>(apply(venueFill(kXpar, alpha, 100, "10")));
  EXPECT_EQ(r.session, kAlpha);
  EXPECT_EQ(r.status, OrdStatus::Filled);
  EXPECT_EQ(statusOf(kBeta, "X1").status, OrdStatus::PartiallyFilled);

  // Both sessions cancel with the same ClOrdID; the venue's answers still find the right order.
  const auto beta_cancel = requestCancel(kBeta, "Y1", "X1");
  single<CancelReject>(apply(cancelOrder(kAlpha, "Y1", "X1")));  // ALPHA's order is already filled
  const auto canceled = single<ExecReport>(apply(venueCanceled(kXpar, beta_cancel)));
  EXPECT_EQ(canceled.session, kBeta);
  EXPECT_EQ(canceled.cl_ord_id, "Y1");
  EXPECT_EQ(canceled.orig_cl_ord_id, "X1");
  EXPECT_EQ(canceled.cum_qty, 50);
  EXPECT_EQ(statusOf(kAlpha, "X1").status, OrdStatus::Filled);
}

TEST_F(VenueClOrdIds, ReplacesAndCancelsOfBothSessionsMapBackCorrectly) {
  place(kAlpha, "X1", limit("AIR", 100, "10"));
  place(kBeta, "X1", limit("AIR", 100, "10"));
  const auto alpha_replace = requestReplace(kAlpha, "X2", "X1", limit("AIR", 150, "10"));
  const auto beta_replace = requestReplace(kBeta, "X2", "X1", limit("AIR", 250, "10"));
  EXPECT_NE(alpha_replace, beta_replace);

  auto r = single<ExecReport>(apply(venueReplaced(kXpar, beta_replace)));
  EXPECT_EQ(r.session, kBeta);
  EXPECT_EQ(r.order_qty, 250);
  EXPECT_EQ(statusOf(kAlpha, "X1").status, OrdStatus::PendingReplace);

  const auto refused = single<CancelReject>(apply(venueCancelRejected(kXpar, alpha_replace, "no")));
  EXPECT_EQ(refused.session, kAlpha);
  EXPECT_EQ(refused.cl_ord_id, "X2");
  EXPECT_EQ(statusOf(kAlpha, "X1").order_qty, 100);
  EXPECT_EQ(statusOf(kBeta, "X2").order_qty, 250);
}

TEST_F(VenueClOrdIds, EveryMintedIdIsUnique) {
  std::set<std::string> seen;
  auto fresh = [&](const std::string& id) {
    EXPECT_TRUE(seen.insert(id).second) << "venue ClOrdID reused: " << id;
    EXPECT_TRUE(id.starts_with(kIdPrefix)) << id;
  };
  for (SessionId s : {kAlpha, kBeta}) {
    for (int i = 0; i < 3; ++i) {
      const auto cl = "O" + std::to_string(i);
      fresh(placeAndAck(s, cl, limit("AIR", 100, "10")));
      fresh(requestReplace(s, "R" + std::to_string(i), cl, limit("AIR", 120, "10")));
    }
  }
  const auto mass = apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders));
  for (const auto& c : allOf<VenueCancel>(mass)) fresh(c.venue_cl_ord_id);
  EXPECT_EQ(seen.size(), 12u + allOf<VenueCancel>(mass).size());
}

}  // namespace
}  // namespace fixgate::core::testing
