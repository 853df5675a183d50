// Venue answers that would corrupt an order's state are refused: the core raises an OperatorAlert, sends
// nothing to the client, and the order is exactly as it was (checked through a status request).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

class RefusedVenueTransition : public EngineTest {
 protected:
  RefusedVenueTransition() { bothVenuesUp(); }

  // Applies `body` and checks the only outcome is an alert with `code`; returns its text.
  std::string expectAlertOnly(EventBody body, const std::string& code) {
    const auto alert = single<OperatorAlert>(apply(std::move(body)));
    EXPECT_EQ(alert.code, code);
    EXPECT_FALSE(alert.text.empty());
    return alert.text;
  }

  // Applies `body` to the order `cl_ord_id` of ALPHA and checks it is refused with `code` and changes
  // nothing.
  std::string expectRefused(const std::string& cl_ord_id, EventBody body, const std::string& code) {
    const auto before = snapshot(statusOf(kAlpha, cl_ord_id));
    const auto open_before = engine_.openOrderCount();
    auto text = expectAlertOnly(std::move(body), code);
    EXPECT_EQ(snapshot(statusOf(kAlpha, cl_ord_id)), before);
    EXPECT_EQ(engine_.openOrderCount(), open_before);
    return text;
  }
};

TEST_F(RefusedVenueTransition, FillAfterCancelIsRefusedAndAlerted) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 10, "10")));
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  single<ExecReport>(apply(venueCanceled(kXpar, cancel_id)));
  const auto text = expectRefused("A1", venueFill(kXpar, venue_id, 50, "10", "LATE-7"), "FillAfterFinal");
  EXPECT_NE(text.find("LATE-7"), std::string::npos) << text;
  EXPECT_NE(text.find("Canceled"), std::string::npos) << text;
  EXPECT_NE(text.find(statusOf(kAlpha, "A1").order_id), std::string::npos) << text;
}

TEST_F(RefusedVenueTransition, FillAfterFillIsRefusedAsFillAfterFinal) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
  expectRefused("A1", venueFill(kXpar, venue_id, 1, "10", "DUP"), "FillAfterFinal");
}

TEST_F(RefusedVenueTransition, FillAfterVenueRejectIsRefused) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueRejected(kXpar, venue_id, "no")));
  expectRefused("A1", venueFill(kXpar, venue_id, 10, "10"), "FillAfterFinal");
}

TEST_F(RefusedVenueTransition, FillAfterExpiryIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueExpired(kXpar, venue_id)));
  expectRefused("A1", venueFill(kXpar, venue_id, 10, "10"), "FillAfterFinal");
}

TEST_F(RefusedVenueTransition, OverfillIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 60, "10")));
  const auto text = expectRefused("A1", venueFill(kXpar, venue_id, 41, "10", "OVER"), "InvalidFill");
  EXPECT_NE(text.find("OVER"), std::string::npos) << text;
  // Exactly the remaining quantity is still accepted.
  EXPECT_EQ(single<ExecReport>(apply(venueFill(kXpar, venue_id, 40, "10"))).status, OrdStatus::Filled);
}

TEST_F(RefusedVenueTransition, ZeroQuantityFillIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  expectRefused("A1", venueFill(kXpar, venue_id, 0, "10"), "InvalidFill");
}

TEST_F(RefusedVenueTransition, NegativeQuantityFillIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 30, "10")));
  expectRefused("A1", venueFill(kXpar, venue_id, -10, "10"), "InvalidFill");
}

TEST_F(RefusedVenueTransition, ZeroPriceFillIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  expectRefused("A1", venueFill(kXpar, venue_id, 10, "0"), "InvalidFill");
}

TEST_F(RefusedVenueTransition, NegativePriceFillIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  expectRefused("A1", venueFill(kXpar, venue_id, 10, "-10"), "InvalidFill");
}

TEST_F(RefusedVenueTransition, VenueEventsForAnUnknownVenueClOrdIdAreRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const std::string unknown = "NEVER-SENT";
  const std::vector<EventBody> events{
      venueAck(kXpar, unknown),      venueFill(kXpar, unknown, 10, "10"), venueCanceled(kXpar, unknown),
      venueReplaced(kXpar, unknown), venueRejected(kXpar, unknown),       venueCancelRejected(kXpar, unknown),
      venueExpired(kXpar, unknown),
  };
  for (const auto& event : events) {
    SCOPED_TRACE(event.index());
    const auto text = expectRefused("A1", event, "UnknownVenueOrder");
    EXPECT_NE(text.find(unknown), std::string::npos) << text;
  }
}

TEST_F(RefusedVenueTransition, VenueEventsFromTheWrongVenueAreRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"), kXpar);
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  const std::vector<EventBody> events{
      venueAck(kXams, venue_id),      venueFill(kXams, venue_id, 10, "10"),
      venueCanceled(kXams, venue_id), venueCanceled(kXams, cancel_id),
      venueRejected(kXams, venue_id), venueCancelRejected(kXams, cancel_id),
      venueExpired(kXams, venue_id),  venueFill(VenueId{9}, venue_id, 10, "10"),
  };
  for (const auto& event : events) {
    SCOPED_TRACE(event.index());
    expectRefused("A1", event, "UnknownVenueOrder");
  }
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PendingCancel);
}

TEST_F(RefusedVenueTransition, ReplaceConfirmationWithoutAPendingReplaceIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto text = expectRefused("A1", venueReplaced(kXpar, venue_id), "UnexpectedReplace");
  EXPECT_NE(text.find(venue_id), std::string::npos) << text;
}

TEST_F(RefusedVenueTransition, ReplaceConfirmationOfACancelRequestIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel_id = requestCancel(kAlpha, "C1", "A1");
  expectRefused("A1", venueReplaced(kXpar, cancel_id), "UnexpectedReplace");
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PendingCancel);
}

TEST_F(RefusedVenueTransition, ReplaceConfirmationOfAnEarlierRefusedReplaceIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto first = requestReplace(kAlpha, "R1", "A1", limit("AIR", 120, "10"));
  single<CancelReject>(apply(venueCancelRejected(kXpar, first)));
  const auto second = requestReplace(kAlpha, "R2", "A1", limit("AIR", 130, "10"));
  expectRefused("A1", venueReplaced(kXpar, first), "UnexpectedReplace");
  // The replace that is pending still completes.
  const auto done = single<ExecReport>(apply(venueReplaced(kXpar, second)));
  EXPECT_EQ(done.cl_ord_id, "R2");
  EXPECT_EQ(done.order_qty, 130);
}

TEST_F(RefusedVenueTransition, RejectAfterTheVenueAcceptedIsRefused) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  expectRefused("A1", venueRejected(kXpar, venue_id, "changed my mind"), "UnexpectedReject");
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::New);
}

TEST_F(RefusedVenueTransition, RejectAfterAPartialFillIsRefused) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 10, "10")));
  expectRefused("A1", venueRejected(kXpar, venue_id), "UnexpectedReject");
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PartiallyFilled);
}

}  // namespace
}  // namespace fixgate::core::testing
