// Disconnects: a venue that reconnects is asked for the status of every order whose request was in flight
// when it dropped, and the answers are reconciled; a client session with cancel-on-disconnect has its open
// orders canceled at their venues when it drops - at once where the venue is connected, on reconnect where
// it is not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

using ::testing::HasSubstr;
using Lines = std::vector<std::string>;

ReferenceData alphaCancelsOnDisconnect() {
  ReferenceData r = standardReferenceData();
  r.cancel_on_disconnect = {true, false};  // ALPHA yes, BETA no
  return r;
}

class VenueReconnect : public EngineTest {
 protected:
  VenueReconnect() { bothVenuesUp(); }
};

class CancelOnDisconnect : public EngineTest {
 protected:
  CancelOnDisconnect() : EngineTest(alphaCancelsOnDisconnect()) {
    bothVenuesUp();
    apply(ClientSessionUp{kAlpha});
    apply(ClientSessionUp{kBeta});
  }
};

TEST_F(VenueReconnect, EveryOpenOrderIsQueriedAndInFlightRequestsAreReconciled) {
  const auto unacked = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto acked = placeAndAck(kAlpha, "A2", limit("AIR", 200, "10"));
  const auto resting = placeAndAck(kAlpha, "A3", limit("AIR", 300, "10"));
  const auto cancel_id = requestCancel(kAlpha, "A4", "A3");
  EXPECT_TRUE(describeAll(apply(VenueDown{kXpar})).empty());

  const auto queries = apply(VenueUp{kXpar});
  EXPECT_EQ(describeAll(queries),
            (Lines{"VenueStatusQuery v=0 id=" + unacked, "VenueStatusQuery v=0 id=" + acked,
                   "VenueStatusQuery v=0 id=" + resting}));
  // The venue never got A1 (it is sent again, PossResend=Y, same ClOrdID), still has A2, and did get the
  // cancel of A3.
  const auto replayed =
      apply(VenueOrderStatus{kXpar, unacked, "", false, OrdStatus::Rejected, 0, Price{}, "", ""});
  ASSERT_EQ(replayed.size(), 2U) << ::testing::PrintToString(describeAll(replayed));
  EXPECT_EQ(describe(replayed[0]),
            "VenueNewOrder v=0 id=" + unacked + " sym=AIR side=buy qty=100 px=10 replay");
  EXPECT_THAT(std::get<ExecReport>(replayed[1]).text, HasSubstr("fixgate sent it again with PossResend=Y"));
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::PendingNew);
  EXPECT_TRUE(apply(VenueOrderStatus{kXpar, acked, "X-1", true, OrdStatus::New, 0, Price{}, "", ""}).empty());
  const auto canceled = single<ExecReport>(
      apply(VenueOrderStatus{kXpar, cancel_id, "X-1", true, OrdStatus::Canceled, 0, Price{}, "", ""}));
  EXPECT_EQ(canceled.cl_ord_id, "A4");
  EXPECT_EQ(canceled.status, OrdStatus::Canceled);
  EXPECT_EQ(statusOf(kAlpha, "A2").status, OrdStatus::New);
  // Answered once: a repeated answer changes nothing.
  EXPECT_TRUE(
      apply(VenueOrderStatus{kXpar, acked, "X-1", false, OrdStatus::Rejected, 0, Price{}, "", ""}).empty());
}

TEST_F(VenueReconnect, AnAcknowledgedOrderTheVenueNoLongerKnowsIsCanceled) {
  const auto acked = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  apply(venueFill(kXpar, acked, 40, "10", "F1"));
  apply(VenueDown{kXpar});
  apply(VenueUp{kXpar});
  const auto actions =
      apply(VenueOrderStatus{kXpar, acked, "", false, OrdStatus::Rejected, 0, Price{}, "unknown order", ""});
  ASSERT_EQ(actions.size(), 2U) << ::testing::PrintToString(describeAll(actions));
  EXPECT_EQ(std::get<OperatorAlert>(actions[0]).code, "VenueLostOrder");
  const auto canceled = std::get<ExecReport>(actions[1]);
  EXPECT_EQ(canceled.kind, ExecKind::Canceled);
  EXPECT_EQ(canceled.cum_qty, 40);
  EXPECT_EQ(canceled.leaves_qty, 0);
  EXPECT_THAT(canceled.text, HasSubstr("venue XPAR no longer knows the order"));
  EXPECT_EQ(engine_.openOrderCount(), 0U);
}

TEST_F(VenueReconnect, AnotherVenueReconnectingQueriesNothingOfThisOne) {
  place(kAlpha, "A1", limit("AIR", 100, "10"));
  apply(VenueDown{kXams});
  EXPECT_TRUE(apply(VenueUp{kXams}).empty());
}

// XPAR takes at most 2 status queries a second after a reconnect (status_queries_per_second); XAMS is
// unpaced.
ReferenceData xparPacedAtTwoPerSecond() {
  ReferenceData r = standardReferenceData();
  r.status_queries_per_second = {2, 0};
  return r;
}

class PacedStatusQueries : public EngineTest {
 protected:
  PacedStatusQueries() : EngineTest(xparPacedAtTwoPerSecond()) { bothVenuesUp(); }
  // Five acknowledged orders at XPAR, then a disconnect: their venue-side ClOrdIDs in arrival order.
  std::vector<std::string> fiveRestingOrdersAndADisconnect() {
    std::vector<std::string> ids;
    for (int i = 1; i <= 5; ++i)
      ids.push_back(placeAndAck(kAlpha, fmt::format("A{}", i), limit("AIR", 100, "10")));
    apply(VenueDown{kXpar});
    return ids;
  }
  static std::vector<std::string> queried(const std::vector<Action>& actions) {
    std::vector<std::string> ids;
    for (const auto& query : allOf<VenueStatusQuery>(actions)) ids.push_back(query.venue_cl_ord_id);
    return ids;
  }
};

TEST_F(PacedStatusQueries, AReconnectAsksAtTheVenuesRateAndQueuesTheRest) {
  const auto ids = fiveRestingOrdersAndADisconnect();
  const Timestamp up_at = lastTime() + 1;
  const auto up = apply(VenueUp{kXpar});
  EXPECT_EQ(queried(up), (Lines{ids[0], ids[1]})) << "one second's worth at once";
  const auto alerts = allOf<OperatorAlert>(up);
  ASSERT_EQ(alerts.size(), 1U);
  const auto& alert = alerts[0];
  EXPECT_EQ(alert.code, "StatusQueriesPaced");
  EXPECT_THAT(alert.text, HasSubstr("venue XPAR reconnected with more open orders than its "
                                    "status_queries_per_second (2) allows at once: 3 status queries wait "
                                    "and go out over about 2 s"));
  // Never more than two in any second: the next two when the first two leave the window, a Tick the runtime
  // sends when the engine's next deadline is due.
  EXPECT_EQ(engine_.nextDeadline(), up_at + 1'000'000);
  EXPECT_EQ(engine_.queuedStatusQueries(kXpar), 3U);
  EXPECT_EQ(engine_.queuedStatusQueries(kXams), 0U);
  EXPECT_TRUE(queried(applyAt(up_at + 999'999, Tick{up_at + 999'999})).empty()) << "still in the window";
  EXPECT_EQ(queried(applyAt(up_at + 1'000'000, Tick{up_at + 1'000'000})), (Lines{ids[2], ids[3]}));
  EXPECT_EQ(engine_.nextDeadline(), up_at + 2'000'000);
  EXPECT_EQ(engine_.queuedStatusQueries(kXpar), 1U);
  // A late Tick sends what fits by then (here the last one).
  EXPECT_EQ(queried(applyAt(up_at + 3'000'000, Tick{up_at + 2'000'000})), (Lines{ids[4]}));
  EXPECT_EQ(engine_.nextDeadline(), std::nullopt);
  EXPECT_EQ(engine_.queuedStatusQueries(kXpar), 0U);
  // Each answer is reconciled as an unpaced one would be.
  EXPECT_TRUE(
      apply(VenueOrderStatus{kXpar, ids[4], "X-5", true, OrdStatus::New, 0, Price{}, "", ""}).empty());
  EXPECT_EQ(statusOf(kAlpha, "A5").status, OrdStatus::New);
}

TEST_F(PacedStatusQueries, AQueuedOrderThatEndsMeanwhileIsNotAskedAbout) {
  const auto ids = fiveRestingOrdersAndADisconnect();
  const Timestamp up_at = lastTime() + 1;
  apply(VenueUp{kXpar});
  // The venue's resend fills A3 while it waits: its place in the window goes to A5.
  apply(venueFill(kXpar, ids[2], 100, "10", "F3"));
  EXPECT_EQ(queried(applyAt(up_at + 1'000'000, Tick{up_at + 1'000'000})), (Lines{ids[3], ids[4]}));
}

TEST_F(PacedStatusQueries, ADisconnectDropsTheQueueAndTheNextReconnectAsksAgain) {
  const auto ids = fiveRestingOrdersAndADisconnect();
  const Timestamp up_at = lastTime() + 1;
  apply(VenueUp{kXpar});
  // Dropped before the event's own queries could go into the dead session.
  EXPECT_TRUE(queried(applyAt(up_at + 1'000'000, VenueDown{kXpar})).empty());
  EXPECT_EQ(engine_.nextDeadline(), std::nullopt);
  EXPECT_EQ(engine_.queuedStatusQueries(kXpar), 0U);
  // Back 500 ms later, the two sent at up_at out of the window: every open order is asked about again.
  const auto again = applyAt(up_at + 1'500'000, VenueUp{kXpar});
  EXPECT_EQ(queried(again), (Lines{ids[0], ids[1]}));
  const auto alerts = allOf<OperatorAlert>(again);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_THAT(alerts[0].text, HasSubstr("3 status queries wait"));
  EXPECT_EQ(engine_.nextDeadline(), up_at + 2'500'000);
}

TEST_F(PacedStatusQueries, LiftingTheRateByAReloadSendsTheQueueAtOnce) {
  const auto ids = fiveRestingOrdersAndADisconnect();
  apply(VenueUp{kXpar});
  auto unpaced = settingsOf(engine_.referenceData());
  ASSERT_TRUE(unpaced.status_pacing.has_value());
  unpaced.status_pacing->at(kXpar).queries_per_second = 0;
  EXPECT_EQ(queried(apply(unpaced)), (Lines{ids[2], ids[3], ids[4]}));
  EXPECT_EQ(engine_.nextDeadline(), std::nullopt);
}

TEST_F(PacedStatusQueries, LoweringTheRateByAReloadWaitsForTheWindowToHoldLess) {
  const auto ids = fiveRestingOrdersAndADisconnect();
  const Timestamp up_at = lastTime() + 1;
  apply(VenueUp{kXpar});  // A1 and A2 at up_at
  auto slower = settingsOf(engine_.referenceData());
  slower.status_pacing->at(kXpar).queries_per_second = 1;
  apply(slower);
  // One a second now: the next when both of up_at's have left the window.
  EXPECT_EQ(engine_.nextDeadline(), up_at + 1'000'000);
  EXPECT_EQ(queried(applyAt(up_at + 1'000'000, Tick{up_at + 1'000'000})), (Lines{ids[2]}));
  EXPECT_EQ(engine_.nextDeadline(), up_at + 2'000'000);
}

TEST_F(PacedStatusQueries, SettingsJournaledBeforePacingExistedReplayUnpaced) {
  auto journaled = settingsOf(engine_.referenceData());
  journaled.status_pacing.reset();  // as decoded from an older build's journal
  apply(journaled);
  const auto ids = fiveRestingOrdersAndADisconnect();
  const auto up = apply(VenueUp{kXpar});
  EXPECT_EQ(queried(up), ids);
  EXPECT_TRUE(allOf<OperatorAlert>(up).empty());
}

// XPAR paced at one status query a second, with 1 s acknowledgement timeouts.
ReferenceData xparPacedWithAckTimeouts() {
  ReferenceData r = standardReferenceData();
  r.status_queries_per_second = {1, 0};
  AckTimeouts t;
  t.new_order_us = 1'000'000;
  r.venue_ack_timeouts = {t, t};
  return r;
}

class PacedAfterATimeout : public EngineTest {
 protected:
  PacedAfterATimeout() : EngineTest(xparPacedWithAckTimeouts()) { bothVenuesUp(); }
};

TEST_F(PacedAfterATimeout, AQueryFromBeforeTheDropIsNeitherRetriedNorItsAnswerTheLatest) {
  const Timestamp sent = lastTime() + 1;
  const auto a1 = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto a2 = place(kAlpha, "A2", limit("AIR", 100, "10"));
  // Both acknowledgements time out: each order is asked about (not paced: no reconnect), answers due 1 s on.
  const auto old_queries = allOf<VenueStatusQuery>(applyAt(sent + 1'000'001, Tick{sent + 1'000'001}));
  ASSERT_EQ(old_queries.size(), 2U);
  apply(VenueDown{kXpar});
  // Back before those answers were due: A1 is asked again at once, A2 waits its turn.
  const Timestamp up_at = sent + 1'500'000;
  EXPECT_EQ(allOf<VenueStatusQuery>(applyAt(up_at, VenueUp{kXpar})).size(), 1U);
  // A2's old deadline passes while it waits: no retry outside the pacing (nor the alert after three).
  EXPECT_TRUE(allOf<VenueStatusQuery>(applyAt(sent + 2'000'001, Tick{sent + 2'000'001})).empty());
  // The venue's answer to the query from before the drop proves nothing about what followed: not the
  // latest, so "unknown order" neither replays nor rejects A2.
  EXPECT_TRUE(apply(VenueOrderStatus{kXpar, a2, "", false, OrdStatus::Rejected, 0, Price{}, "unknown",
                                     old_queries[1].query_id})
                  .empty());
  // Its turn: asked under a new query id.
  const auto turn = allOf<VenueStatusQuery>(applyAt(up_at + 1'000'000, Tick{up_at + 1'000'000}));
  const auto for_a2 = std::ranges::find(turn, a2, &VenueStatusQuery::venue_cl_ord_id);
  ASSERT_NE(for_a2, turn.end()) << "A2 not asked about at its turn";
  EXPECT_NE(for_a2->query_id, old_queries[1].query_id);
  EXPECT_EQ(old_queries[0].venue_cl_ord_id, a1);
}

TEST_F(CancelOnDisconnect, OpenOrdersOfTheSessionAreCanceledAtTheirVenues) {
  const auto a1 = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto a2 = placeAndAck(kAlpha, "A2", limit("ASML", 100, "10"), kXams);
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  const auto actions = apply(ClientSessionDown{kAlpha});
  const auto cancels = allOf<VenueCancel>(actions);
  ASSERT_EQ(cancels.size(), 2U) << ::testing::PrintToString(describeAll(actions));
  EXPECT_EQ(cancels[0].orig_venue_cl_ord_id, a1);
  EXPECT_EQ(cancels[1].orig_venue_cl_ord_id, a2);
  const auto alerts = allOf<OperatorAlert>(actions);
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts[0].code, "CancelOnDisconnect");
  EXPECT_THAT(alerts[0].text, HasSubstr("session ALPHA disconnected: canceling its 2 open order(s)"));

  const auto canceled = single<ExecReport>(apply(venueCanceled(kXpar, cancels[0].venue_cl_ord_id)));
  EXPECT_EQ(canceled.session, kAlpha);
  EXPECT_EQ(canceled.cl_ord_id, "A1");
  EXPECT_THAT(canceled.text, HasSubstr("cancel-on-disconnect, session ALPHA disconnected"));
  EXPECT_EQ(statusOf(kBeta, "B1").status, OrdStatus::New);  // BETA has no cancel-on-disconnect
}

TEST_F(CancelOnDisconnect, ASessionWithoutItOrASecondDownChangesNothing) {
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  EXPECT_TRUE(apply(ClientSessionDown{kBeta}).empty());
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  EXPECT_FALSE(apply(ClientSessionDown{kAlpha}).empty());
  EXPECT_TRUE(apply(ClientSessionDown{kAlpha}).empty());  // already down: no second round
}

TEST_F(CancelOnDisconnect, OrdersAtADisconnectedVenueAreCanceledWhenItReconnects) {
  const auto a1 = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  apply(VenueDown{kXpar});
  const auto down = apply(ClientSessionDown{kAlpha});
  EXPECT_TRUE(allOf<VenueCancel>(down).empty());
  EXPECT_THAT(single<OperatorAlert>(down).text, HasSubstr("(1 when their venue reconnects)"));

  const auto up = apply(VenueUp{kXpar});
  const auto cancels = allOf<VenueCancel>(up);
  ASSERT_EQ(cancels.size(), 1U) << ::testing::PrintToString(describeAll(up));
  EXPECT_EQ(cancels[0].orig_venue_cl_ord_id, a1);
  // Once sent, never again.
  apply(VenueDown{kXpar});
  const auto again = apply(VenueUp{kXpar});
  EXPECT_TRUE(allOf<VenueCancel>(again).empty()) << ::testing::PrintToString(describeAll(again));
}

// A venue that holds new orders for 3 s while it is disconnected.
constexpr std::int64_t kHoldUs = 3'000'000;
ReferenceData holdingVenues() {
  ReferenceData r = standardReferenceData();
  AckTimeouts t;
  t.hold_while_disconnected_us = kHoldUs;
  r.venue_ack_timeouts = {t, t};
  return r;
}

class HeldWhileDisconnected : public EngineTest {
 protected:
  HeldWhileDisconnected() : EngineTest(holdingVenues()) {
    bothVenuesUp();
    apply(VenueDown{kXpar});
  }
  // Sends A1 while XPAR is down and expects it held: one status report (PendingNew) saying so, nothing sent.
  void placeHeld() {
    const auto held = single<ExecReport>(apply(newOrder(kAlpha, "A1", limit("AIR", 100, "10"))));
    EXPECT_EQ(held.kind, ExecKind::Status);
    EXPECT_EQ(held.status, OrdStatus::PendingNew);
    EXPECT_THAT(held.text, HasSubstr("held: venue XPAR is not connected"));
    EXPECT_EQ(engine_.risk().findAccount("ACC1")->open_orders, 1);  // its risk is reserved while held
  }
};

TEST_F(HeldWhileDisconnected, AHeldOrderIsSentWhenTheVenueReconnects) {
  placeHeld();
  const auto sent = apply(VenueUp{kXpar});
  ASSERT_EQ(allOf<VenueNewOrder>(sent).size(), 1U) << ::testing::PrintToString(describeAll(sent));
  EXPECT_TRUE(allOf<VenueStatusQuery>(sent).empty()) << "never sent: nothing to ask the venue about";
  const auto venue_id = allOf<VenueNewOrder>(sent)[0].venue_cl_ord_id;
  const auto acked = single<ExecReport>(apply(VenueAccepted{kXpar, venue_id, "XP-1"}));
  EXPECT_EQ(acked.kind, ExecKind::New);
  // The end of the hold passing later changes nothing.
  EXPECT_TRUE(applyAt(lastTime() + kHoldUs, Tick{lastTime() + kHoldUs}).empty());
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::New);
}

TEST_F(HeldWhileDisconnected, AHeldOrderIsRejectedWhenTheHoldEndsFirst) {
  const Timestamp placed = lastTime() + 1;
  placeHeld();
  EXPECT_EQ(engine_.nextDeadline(), placed + kHoldUs);
  const auto rejected = single<ExecReport>(applyAt(placed + kHoldUs, Tick{placed + kHoldUs}));
  EXPECT_EQ(rejected.kind, ExecKind::Rejected);
  EXPECT_EQ(rejected.reject, RejectCode::VenueDisconnected);
  EXPECT_THAT(rejected.text, HasSubstr("venue XPAR did not reconnect within 3000 ms"));
  EXPECT_EQ(engine_.risk().findAccount("ACC1")->open_orders, 0);
  EXPECT_TRUE(allOf<VenueNewOrder>(apply(VenueUp{kXpar})).empty());
}

TEST_F(HeldWhileDisconnected, AHeldOrderIsCanceledWithoutTheVenueAndCannotBeReplaced) {
  placeHeld();
  const auto refused = single<CancelReject>(apply(replaceOrder(kAlpha, "A2", "A1", limit("AIR", 50, "10"))));
  EXPECT_EQ(refused.reject, RejectCode::OrderPendingChange);
  EXPECT_THAT(refused.text, HasSubstr("held until venue XPAR reconnects"));
  const auto canceled = single<ExecReport>(apply(cancelOrder(kAlpha, "A3", "A1")));
  EXPECT_EQ(canceled.kind, ExecKind::Canceled);
  EXPECT_EQ(canceled.cl_ord_id, "A3");
  EXPECT_EQ(canceled.orig_cl_ord_id, "A1");
  EXPECT_THAT(canceled.text, HasSubstr("canceled before it was sent"));
  EXPECT_EQ(engine_.risk().findAccount("ACC1")->open_orders, 0);
  EXPECT_TRUE(allOf<VenueNewOrder>(apply(VenueUp{kXpar})).empty());
}

TEST_F(HeldWhileDisconnected, AHeldOrderIsNotSentIntoAKillSwitch) {
  placeHeld();
  apply(SetTradingState{Scope::Symbol, "AIR", TradingState::Halted, false, "ops", "halted while down"});
  const auto actions = apply(VenueUp{kXpar});
  EXPECT_TRUE(allOf<VenueNewOrder>(actions).empty()) << ::testing::PrintToString(describeAll(actions));
  const auto rejected = allOf<ExecReport>(actions);
  ASSERT_EQ(rejected.size(), 1U) << ::testing::PrintToString(describeAll(actions));
  EXPECT_EQ(rejected[0].kind, ExecKind::Rejected);
  EXPECT_THAT(rejected[0].text, HasSubstr("held order not sent when venue XPAR reconnected"));
  EXPECT_EQ(engine_.risk().findAccount("ACC1")->open_orders, 0);
  EXPECT_EQ(engine_.openOrderCount(), 0U);
}

TEST_F(VenueReconnect, WithoutAHoldAnOrderForADisconnectedVenueIsRejectedAtOnce) {
  apply(VenueDown{kXpar});
  const auto rejected = single<ExecReport>(apply(newOrder(kAlpha, "A1", limit("AIR", 100, "10"))));
  EXPECT_EQ(rejected.reject, RejectCode::VenueDisconnected);
  EXPECT_THAT(rejected.text, HasSubstr("venue XPAR is not connected"));
}

// ApplySettings replaces the configured venue and session settings from that event on, as the journal
// replays them: a restart with a changed gateway.yaml decides each earlier run's events with its settings.
class JournaledSettings : public EngineTest {};  // configured: no hold, no cancel-on-disconnect

TEST_F(JournaledSettings, AVenuesHoldAppliesFromTheEventOn) {
  bothVenuesUp();
  apply(VenueDown{kXpar});
  const auto refused = single<ExecReport>(apply(newOrder(kAlpha, "A1", limit("AIR", 100, "10"))));
  EXPECT_EQ(refused.reject, RejectCode::VenueDisconnected);

  apply(settingsOf(holdingVenues()));
  const auto held = single<ExecReport>(apply(newOrder(kAlpha, "A2", limit("AIR", 100, "10"))));
  EXPECT_EQ(held.status, OrdStatus::PendingNew);
  EXPECT_THAT(held.text, HasSubstr("held: venue XPAR is not connected"));
  ASSERT_EQ(allOf<VenueNewOrder>(apply(VenueUp{kXpar})).size(), 1U);
}

TEST_F(JournaledSettings, CancelOnDisconnectFollowsTheEventPerSession) {
  bothVenuesUp();
  apply(ClientSessionUp{kAlpha});
  apply(ClientSessionUp{kBeta});
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  placeAndAck(kBeta, "B1", limit("AIR", 100, "10"));
  apply(settingsOf(alphaCancelsOnDisconnect()));
  EXPECT_EQ(allOf<VenueCancel>(apply(ClientSessionDown{kAlpha})).size(), 1U);
  EXPECT_TRUE(apply(ClientSessionDown{kBeta}).empty());
}

TEST_F(JournaledSettings, NamesTheConfigurationNoLongerHasAreSkippedAndTheRestApplied) {
  auto settings = settingsOf(holdingVenues());
  settings.venues.insert(settings.venues.begin(), {"GONE", AckTimeouts{1, 2, 3, true, false, 4}});
  settings.sessions.push_back({"LEFT", true});
  settings.final_order_retention_us = 42'000'000;
  apply(settings);

  auto expected = settingsOf(holdingVenues());
  expected.final_order_retention_us = 42'000'000;
  EXPECT_EQ(settingsOf(engine_.referenceData()), expected);
  EXPECT_EQ(engine_.referenceData().venue_ack_timeouts.size(), engine_.referenceData().venue_names.size());
}

TEST_F(JournaledSettings, RoutingAndInstrumentsAreReplacedWhole) {
  bothVenuesUp();
  auto settings = settingsOf(standardReferenceData());
  settings.routes = {{RouteMatch::Symbol, "AIR", "XAMS"}, {RouteMatch::Symbol, "SAN", "NO-SUCH-VENUE"}};
  settings.default_venue = "XAMS";
  std::erase_if(settings.instruments, [](const Instrument& i) { return i.symbol == "MT"; });
  apply(settings);

  place(kAlpha, "A1", limit("AIR", 100, "10"), kXams);
  place(kAlpha, "A2", limit("SAN", 100, "10"), kXams);  // its rule's venue is unknown: the default applies
  const auto refused = single<ExecReport>(apply(newOrder(kAlpha, "A3", limit("MT", 100, "10"))));
  EXPECT_EQ(refused.reject, RejectCode::UnknownSymbol);
  EXPECT_EQ(settingsOf(engine_.referenceData()).instruments, settings.instruments);
}

TEST(SettingsChanges, EachChangeIsOneLineInGatewayYamlTerms) {
  const auto before = settingsOf(standardReferenceData());
  EXPECT_TRUE(settingsChanges(before, before).empty());

  auto after = before;
  after.final_order_retention_us += 30'000'000;
  after.venues[1].ack_timeouts.hold_while_disconnected_us = 60'000'000;
  after.status_pacing->at(0).queries_per_second = 300;
  after.sessions[0].cancel_on_disconnect = !before.sessions[0].cancel_on_disconnect;
  after.instruments.push_back({"NEW", "NL0000000001", "XAMS", "EUR", Price{1'000'000}});
  std::erase_if(after.instruments, [](const Instrument& i) { return i.symbol == "MT"; });
  for (auto& i : after.instruments) {
    if (i.symbol == "SAN") i.isin = "FR0000000000";
  }
  after.routes.push_back({RouteMatch::Symbol, "NEW", "XAMS"});
  const auto lines = settingsChanges(before, after);
  const auto has = [&lines](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(has(fmt::format("gateway: final_order_retention_s {} -> {}",
                              before.final_order_retention_us / 1'000'000,
                              after.final_order_retention_us / 1'000'000)));
  EXPECT_TRUE(has("venue XAMS: hold_while_disconnected_ms 0 -> 60000"));
  EXPECT_TRUE(has("venue XPAR: status_queries_per_second 0 -> 300"));
  EXPECT_TRUE(
      has(fmt::format("client session ALPHA: cancel_on_disconnect {} -> {}",
                      before.sessions[0].cancel_on_disconnect, after.sessions[0].cancel_on_disconnect)));
  EXPECT_TRUE(has("instruments: added NEW"));
  EXPECT_TRUE(has("instruments: removed MT"));
  EXPECT_TRUE(has("instruments: changed SAN"));
  EXPECT_TRUE(has(fmt::format("routing: {} rule(s), default venue {} (was {} rule(s), default venue {})",
                              after.routes.size(), after.default_venue.value_or("none"), before.routes.size(),
                              before.default_venue.value_or("none"))));
  EXPECT_EQ(lines.size(), 8U) << fmt::format("{}", fmt::join(lines, "\n"));
}

TEST(SettingsIndices, AVenueOrSessionMovedOrRemovedSinceTheJournalIsNamedAddedOnesAreFine) {
  const auto journaled = settingsOf(standardReferenceData());
  EXPECT_EQ(indexMismatch(journaled, standardReferenceData()), std::nullopt);

  auto added = standardReferenceData();
  added.venue_names.push_back("XLON");
  added.session_names.push_back("GAMMA");
  EXPECT_EQ(indexMismatch(journaled, added), std::nullopt);

  auto swapped = standardReferenceData();
  std::swap(swapped.venue_names[0], swapped.venue_names[1]);
  const auto moved = indexMismatch(journaled, swapped);
  ASSERT_TRUE(moved);
  EXPECT_THAT(*moved,
              HasSubstr("venue 'XPAR' at position 1 of venues where the configuration now has 'XAMS'"));
  EXPECT_THAT(*moved, HasSubstr("Put the venues back in their order"));

  auto removed = standardReferenceData();
  removed.session_names.pop_back();
  const auto gone = indexMismatch(journaled, removed);
  ASSERT_TRUE(gone);
  EXPECT_THAT(
      *gone,
      HasSubstr("session 'BETA' at position 2 of client_sessions where the configuration now has none"));
}

// A new order whose request could not be written because the venue's session had dropped before the core
// learnt it: the drop is applied, and the order is treated as one that arrived with the venue down.
class UnsentNewOrder : public EngineTest {
 protected:
  UnsentNewOrder() : UnsentNewOrder(standardReferenceData()) {}
  explicit UnsentNewOrder(ReferenceData refdata) : EngineTest(std::move(refdata)) { bothVenuesUp(); }
};

TEST_F(UnsentNewOrder, IsRejectedAsForADisconnectedVenueNotAsAVenueReject) {
  const auto sent = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto actions = apply(VenueNewOrderUnsent{kXpar, sent});
  const auto rejected = single<ExecReport>(actions);
  EXPECT_EQ(rejected.kind, ExecKind::Rejected);
  EXPECT_EQ(rejected.reject, RejectCode::VenueDisconnected);
  EXPECT_THAT(rejected.text, HasSubstr("venue XPAR is not connected"));
  EXPECT_FALSE(engine_.venueUp(kXpar));
  EXPECT_EQ(engine_.risk().findAccount("ACC1")->open_orders, 0);
  EXPECT_TRUE(apply(VenueDown{kXpar}).empty()) << "the drop was applied twice";
  // The next order sees the venue down at once.
  EXPECT_EQ(single<ExecReport>(apply(newOrder(kAlpha, "A2", limit("AIR", 100, "10")))).reject,
            RejectCode::VenueDisconnected);
}

class UnsentNewOrderAtAHoldingVenue : public UnsentNewOrder {
 protected:
  UnsentNewOrderAtAHoldingVenue() : UnsentNewOrder(holdingVenues()) {}
};

TEST_F(UnsentNewOrderAtAHoldingVenue, IsHeldAndSentOnceWhenTheVenueReconnects) {
  const Timestamp placed = lastTime() + 1;
  const auto sent = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto held = single<ExecReport>(apply(VenueNewOrderUnsent{kXpar, sent}));
  EXPECT_EQ(held.kind, ExecKind::Status);
  EXPECT_EQ(held.status, OrdStatus::PendingNew);
  EXPECT_THAT(held.text, HasSubstr("held: venue XPAR is not connected"));
  EXPECT_EQ(engine_.risk().findAccount("ACC1")->open_orders, 1);

  const auto back = apply(VenueUp{kXpar});
  const auto resent = allOf<VenueNewOrder>(back);
  ASSERT_EQ(resent.size(), 1U) << ::testing::PrintToString(describeAll(back));
  EXPECT_EQ(resent[0].venue_cl_ord_id, sent);
  EXPECT_TRUE(allOf<VenueStatusQuery>(back).empty()) << "never sent: nothing to ask the venue about";
  const auto acked = single<ExecReport>(apply(VenueAccepted{kXpar, sent, "XP-1"}));
  EXPECT_EQ(acked.kind, ExecKind::New);
  const Timestamp after_hold = placed + 2 * kHoldUs;
  EXPECT_TRUE(applyAt(after_hold, Tick{after_hold}).empty()) << "the hold's end fired after all";
}

}  // namespace
}  // namespace fixgate::core::testing
