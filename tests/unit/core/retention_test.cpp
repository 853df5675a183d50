// Final orders are released from memory after gateway.final_order_retention_s: until then they answer as
// before; after it their ClOrdIDs are still refused as duplicates, a cancel or replace of them is "too late",
// a status request and a late venue message say the order is no longer held. Open orders are never released.
// A new trading day frees the ClOrdIDs of released orders.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/fingerprint_set.h"
#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

constexpr std::int64_t kRetentionUs = 10'000'000;  // 10 s

ReferenceData withRetention(std::int64_t retention_us, std::size_t expected_cl_ord_ids = 0) {
  auto refdata = standardReferenceData();
  refdata.final_order_retention_us = retention_us;
  refdata.expected_cl_ord_ids_per_day = expected_cl_ord_ids;
  return refdata;
}

class FinalOrderRetention : public EngineTest {
 protected:
  FinalOrderRetention() : EngineTest(withRetention(kRetentionUs)) { bothVenuesUp(); }

  // An order filled in full; returns its venue-side ClOrdID. It is final from lastTime().
  std::string filledOrder(const std::string& cl_ord_id) {
    const auto venue_id = placeAndAck(kAlpha, cl_ord_id, limit("AIR", 100, "10"));
    const auto fill = single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
    EXPECT_EQ(fill.status, OrdStatus::Filled);
    return venue_id;
  }
  std::vector<Action> tickAt(Timestamp at) { return applyAt(at, Tick{}); }
};

TEST_F(FinalOrderRetention, AFinalOrderAnswersInFullUntilItsRetentionEnds) {
  filledOrder("A1");
  const Timestamp final_at = lastTime();
  EXPECT_TRUE(tickAt(final_at + kRetentionUs - 2).empty());
  EXPECT_EQ(engine_.heldOrderCount(), 1u);
  const auto status = statusOf(kAlpha, "A1");  // one microsecond later
  EXPECT_EQ(status.status, OrdStatus::Filled);
  EXPECT_EQ(status.cum_qty, 100);
  EXPECT_EQ(status.reject, std::nullopt);

  EXPECT_TRUE(tickAt(final_at + kRetentionUs).empty());
  EXPECT_EQ(engine_.heldOrderCount(), 0u);
  EXPECT_EQ(engine_.releasedOrderCount(), 1u);
  EXPECT_EQ(engine_.findByClOrdId(kAlpha, "A1"), nullptr);
  const auto released = statusOf(kAlpha, "A1");
  EXPECT_EQ(released.reject, RejectCode::UnknownOrder);
  EXPECT_NE(released.text.find("final since more than 10 s"), std::string::npos) << released.text;
  EXPECT_NE(released.text.find("audit records"), std::string::npos) << released.text;
}

TEST_F(FinalOrderRetention, EveryClOrdIdOfAReleasedOrderIsStillRefusedAsADuplicate) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace_id = requestReplace(kAlpha, "A2", "A1", limit("AIR", 120, "10"));
  single<ExecReport>(apply(venueReplaced(kXpar, replace_id)));
  const auto cancel_id = requestCancel(kAlpha, "A3", "A2");
  EXPECT_EQ(single<ExecReport>(apply(venueCanceled(kXpar, cancel_id))).status, OrdStatus::Canceled);
  tickAt(lastTime() + kRetentionUs);
  ASSERT_EQ(engine_.releasedOrderCount(), 1u);

  for (const std::string id : {"A1", "A2", "A3"}) {
    const auto r = single<ExecReport>(apply(newOrder(kAlpha, id, limit("AIR", 1, "10"))));
    EXPECT_EQ(r.reject, RejectCode::DuplicateClOrdId) << id;
    EXPECT_EQ(r.status, OrdStatus::Rejected) << id;
  }
  // The same ids on another session are that session's own.
  EXPECT_FALSE(allOf<VenueNewOrder>(apply(newOrder(kBeta, "A1", limit("AIR", 1, "10")))).empty());
  // A fresh one on the first session still trades.
  EXPECT_FALSE(allOf<VenueNewOrder>(apply(newOrder(kAlpha, "A4", limit("AIR", 1, "10")))).empty());
  EXPECT_NE(venue_id, "");
}

TEST_F(FinalOrderRetention, CancelOrReplaceOfAReleasedOrderIsTooLate) {
  filledOrder("A1");
  tickAt(lastTime() + kRetentionUs);
  const auto cancel = single<CancelReject>(apply(cancelOrder(kAlpha, "C1", "A1")));
  EXPECT_EQ(cancel.reject, RejectCode::OrderAlreadyFinal);
  EXPECT_EQ(fixReasons(cancel.reject).cxl_rej_reason, 0);  // too late to cancel
  EXPECT_NE(cancel.text.find("too late to cancel: order 'A1' is final since more than 10 s"),
            std::string::npos)
      << cancel.text;
  const auto replace = single<CancelReject>(apply(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 200, "10"))));
  EXPECT_TRUE(replace.for_replace);
  EXPECT_EQ(replace.reject, RejectCode::OrderAlreadyFinal);
  // A request for an order that never existed is still "unknown".
  EXPECT_EQ(single<CancelReject>(apply(cancelOrder(kAlpha, "C2", "NEVER"))).reject, RejectCode::UnknownOrder);
}

TEST_F(FinalOrderRetention, AVenueMessageForAReleasedOrderIsAnAlertAndChangesNothing) {
  const auto venue_id = filledOrder("A1");
  tickAt(lastTime() + kRetentionUs);
  const auto alert = single<OperatorAlert>(apply(venueFill(kXpar, venue_id, 10, "10")));
  EXPECT_EQ(alert.code, "VenueMessageForReleasedOrder");
  EXPECT_NE(alert.text.find(venue_id), std::string::npos) << alert.text;
  EXPECT_NE(alert.text.find("reconcile"), std::string::npos) << alert.text;
  EXPECT_EQ(single<OperatorAlert>(apply(venueFill(kXpar, "NEVER-SENT", 10, "10"))).code, "UnknownVenueOrder");
  // An id in the gateway's form that it has not minted yet is unknown, not released.
  EXPECT_EQ(single<OperatorAlert>(apply(venueFill(kXpar, std::string(kIdPrefix) + "V999999", 10, "10"))).code,
            "UnknownVenueOrder");
}

TEST_F(FinalOrderRetention, OpenOrdersAreNeverReleased) {
  const auto open_id = placeAndAck(kAlpha, "OPEN", limit("AIR", 100, "10"));
  const auto partial_id = placeAndAck(kAlpha, "PART", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, partial_id, 40, "10")));
  filledOrder("DONE");
  tickAt(lastTime() + 10 * kRetentionUs);
  EXPECT_EQ(engine_.releasedOrderCount(), 1u);
  EXPECT_EQ(engine_.heldOrderCount(), 2u);
  EXPECT_EQ(statusOf(kAlpha, "PART").cum_qty, 40);
  const auto mass = apply(massCancel(kAlpha, "M1", MassCancelScope::AllOrders));
  const auto cancels = allOf<VenueCancel>(mass);
  ASSERT_EQ(cancels.size(), 2u);
  EXPECT_EQ(cancels[0].orig_venue_cl_ord_id, open_id);
  EXPECT_EQ(cancels[1].orig_venue_cl_ord_id, partial_id);
}

TEST_F(FinalOrderRetention, HeldOrdersFollowTheRetentionNotTheVolume) {
  // 5,000 orders, one every 10 ms, each filled at once: with a 10 s retention about 1,000 are held at a time.
  Timestamp at = lastTime();
  std::size_t most_held = 0;
  for (int i = 0; i < 5'000; ++i) {
    at += 10'000;
    const auto sent =
        allOf<VenueNewOrder>(applyAt(at, newOrder(kAlpha, "N" + std::to_string(i), limit("AIR", 1, "10"))));
    ASSERT_EQ(sent.size(), 1u) << i;
    applyAt(at, venueAck(kXpar, sent[0].venue_cl_ord_id));
    applyAt(at, venueFill(kXpar, sent[0].venue_cl_ord_id, 1, "10"));
    most_held = std::max(most_held, engine_.heldOrderCount());
  }
  EXPECT_LE(most_held, 1'001u);
  EXPECT_GE(engine_.releasedOrderCount(), 3'999u);
  EXPECT_EQ(engine_.heldOrderCount() + engine_.releasedOrderCount(), 5'000u);
  EXPECT_EQ(engine_.openOrderCount(), 0u);
}

class SmallClOrdIdTable : public EngineTest {
 protected:
  SmallClOrdIdTable() : EngineTest(withRetention(kRetentionUs, 10)) { bothVenuesUp(); }
};

TEST_F(SmallClOrdIdTable, GrowingPastTheExpectedDailyClOrdIdsTellsTheOperator) {
  std::vector<std::string> alerts;
  for (int i = 0; i < 30; ++i) {
    const auto venue_id = placeAndAck(kAlpha, "N" + std::to_string(i), limit("AIR", 1, "10"));
    single<ExecReport>(apply(venueFill(kXpar, venue_id, 1, "10")));
    for (const auto& alert : allOf<OperatorAlert>(applyAt(lastTime() + kRetentionUs, Tick{})))
      alerts.push_back(alert.code + ": " + alert.text);
  }
  // 16 slots for 10 ids: it grows to keep at most 12 (3/4), at the 13th and again at the 25th.
  ASSERT_EQ(alerts.size(), 2u) << ::testing::PrintToString(alerts);
  EXPECT_NE(alerts[0].find("ClOrdIdTableGrown: 13 ClOrdIDs of released orders"), std::string::npos)
      << alerts[0];
  EXPECT_NE(alerts[0].find("gateway.expected_cl_ord_ids_per_day (10): the table grew to 32 slots (0.0 MiB)"),
            std::string::npos)
      << alerts[0];
  // Every id is still refused after the growth.
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(
        single<ExecReport>(apply(newOrder(kAlpha, "N" + std::to_string(i), limit("AIR", 1, "10")))).reject,
        RejectCode::DuplicateClOrdId);
  }
}

TEST_F(SmallClOrdIdTable, ANewTradingDayFreesTheClOrdIdsOfReleasedOrders) {
  applyAt(lastTime() + 1, StartTradingDay{"2023-11-14"});
  const auto open_id = placeAndAck(kAlpha, "OPEN", limit("AIR", 1, "10"));
  for (int i = 0; i < 13; ++i) {  // the 13th release grows the table to 32 slots
    const auto venue_id = placeAndAck(kAlpha, "N" + std::to_string(i), limit("AIR", 1, "10"));
    single<ExecReport>(apply(venueFill(kXpar, venue_id, 1, "10")));
    applyAt(lastTime() + kRetentionUs, Tick{});
  }
  ASSERT_EQ(engine_.releasedOrderCount(), 13u);

  const auto alerts = allOf<OperatorAlert>(applyAt(lastTime() + 1, StartTradingDay{"2023-11-15"}));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].text.find("1 open order(s) carry over; 13 ClOrdID(s) of orders released earlier may be "
                                "used again"),
            std::string::npos)
      << alerts[0].text;
  // A released order's ClOrdID is free again; the open order's is not.
  EXPECT_FALSE(allOf<VenueNewOrder>(apply(newOrder(kAlpha, "N0", limit("AIR", 1, "10")))).empty());
  EXPECT_EQ(single<ExecReport>(apply(newOrder(kAlpha, "OPEN", limit("AIR", 1, "10")))).reject,
            RejectCode::DuplicateClOrdId);
  EXPECT_NE(open_id, "");
}

TEST(FingerprintSet, ClearForgetsEveryIdAndReturnsToTheReservedSize) {
  FingerprintSet ids(1'000);
  for (int i = 0; i < 5'000; ++i) ids.insert(std::to_string(i));
  ASSERT_EQ(ids.slots(), 8'192u);
  ids.clear();
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_EQ(ids.slots(), 2'048u);
  EXPECT_FALSE(ids.contains("0"));
  EXPECT_FALSE(ids.contains("4999"));
  EXPECT_EQ(ids.insert("0"), FingerprintSet::Inserted::Added);
}

class KeepAllOrders : public EngineTest {
 protected:
  KeepAllOrders() : EngineTest(withRetention(0)) { bothVenuesUp(); }
};

TEST_F(KeepAllOrders, ZeroRetentionKeepsEveryOrderUntilRestart) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
  applyAt(lastTime() + 86'400'000'000LL, Tick{});
  EXPECT_EQ(engine_.releasedOrderCount(), 0u);
  EXPECT_EQ(statusOf(kAlpha, "A1").status, OrdStatus::Filled);
}

TEST(FingerprintSet, SizedForTheExpectedIdsItDoesNotGrowUntilThreeQuartersFull) {
  FingerprintSet ids(1'000);
  EXPECT_EQ(ids.slots(), 2'048u);
  for (int i = 0; i < 1'536; ++i)
    EXPECT_NE(ids.insert(std::to_string(i)), FingerprintSet::Inserted::AddedAfterGrowing);
  EXPECT_EQ(ids.insert("one more"), FingerprintSet::Inserted::AddedAfterGrowing);
  EXPECT_EQ(ids.slots(), 4'096u);
  EXPECT_EQ(ids.insert("one more"), FingerprintSet::Inserted::AlreadyThere);
  // The same id under another salt (session) is another fingerprint.
  EXPECT_FALSE(ids.contains("one more", 1));
  EXPECT_TRUE(ids.contains("one more", 0));
}

TEST(FingerprintSet, RemembersEveryIdThroughGrowthAndCountsEachOnce) {
  FingerprintSet ids;
  EXPECT_FALSE(ids.contains("X"));
  for (int i = 0; i < 100'000; ++i) ids.insert("CL-" + std::to_string(i));
  for (int i = 0; i < 100'000; i += 7) ids.insert("CL-" + std::to_string(i));  // again: no change
  EXPECT_EQ(ids.size(), 100'000u);
  int missing = 0;
  int false_hits = 0;
  for (int i = 0; i < 100'000; ++i) {
    missing += ids.contains("CL-" + std::to_string(i)) ? 0 : 1;
    false_hits += ids.contains("OTHER-" + std::to_string(i)) ? 1 : 0;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(false_hits, 0);
  EXPECT_LE(ids.bytes(), 100'000u * 21);  // at most 21 bytes an id at its lowest load
}

}  // namespace
}  // namespace fixgate::core::testing
