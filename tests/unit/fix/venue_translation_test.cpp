// The FIX 4.4 venue adapter's pure translations: core venue actions become FIX 4.4 orders, cancels and
// replaces keyed by the gateway's venue-side ClOrdID; the venue's ExecutionReports and OrderCancelRejects
// become core events.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "fix/field_codes.h"
#include "fix_test_messages.h"
#include "venues/fix44_venue.h"

namespace fixgate::venues {
namespace {

namespace tag = fix::tag;
using fix::testing::get;
using fix::testing::headerField;
using fix::testing::makeMessage;

constexpr core::VenueId kVenue = 1;
constexpr core::Timestamp kTransactTime = 1'700'000'000'123'456;
const std::string kAbsent = "<absent>";

core::OrderTerms fullTerms() {
  core::OrderTerms t;
  t.account = "ACC-7";
  t.symbol = "VOD.L";
  t.security_id = "GB00BH4HKS39";
  t.security_id_source = '4';
  t.security_exchange = "XLON";
  t.ex_destination = "SIM-B";
  t.currency = "GBP";
  t.side = core::Side::SellShort;
  t.ord_type = core::OrdType::StopLimit;
  t.time_in_force = core::TimeInForce::GoodTillDate;
  t.quantity = 1500;
  t.price = core::Price::fromUnits(10'125'000'000);       // 101.25
  t.stop_price = core::Price::fromUnits(10'150'000'000);  // 101.5
  t.expire = "20231115-16:30:00.000";
  t.capacity = core::TradingCapacity::Principal;
  t.parties.client = {"90001", 'P', 0};
  t.parties.investment_decision = {"4711", 'P', 24};
  t.parties.execution_within_firm = {"ALGO-9", 'P', 22};
  return t;
}

struct PartyFields {
  std::string id, source, role, qualifier;
};

PartyFields party(const FIX::Message& m, int index) {
  const FIX::FieldMap& g = m.getGroupRef(index, tag::NoPartyIDs);
  return {get(g, tag::PartyID), get(g, tag::PartyIDSource), get(g, tag::PartyRole),
          get(g, tag::PartyRoleQualifier)};
}

void expectTerms(const FIX::Message& m) {
  EXPECT_EQ(get(m, tag::Account), "ACC-7");
  EXPECT_EQ(get(m, tag::Symbol), "VOD.L");
  EXPECT_EQ(get(m, tag::SecurityID), "GB00BH4HKS39");
  EXPECT_EQ(get(m, tag::SecurityIDSource), "4");
  EXPECT_EQ(get(m, tag::SecurityExchange), "XLON");
  EXPECT_EQ(get(m, tag::Currency), "GBP");
  EXPECT_EQ(get(m, tag::Side), "5");
  EXPECT_EQ(get(m, tag::OrdType), "4");
  EXPECT_EQ(get(m, tag::TimeInForce), "6");
  EXPECT_EQ(get(m, tag::ExpireTime), "20231115-16:30:00.000");
  EXPECT_EQ(get(m, tag::OrderQty), "1500");
  EXPECT_EQ(get(m, tag::Price), "101.25");
  EXPECT_EQ(get(m, tag::StopPx), "101.5");
  EXPECT_EQ(get(m, tag::OrderCapacity), "P");
  EXPECT_EQ(get(m, tag::Rule80A), kAbsent);  // the venue speaks 4.4
  EXPECT_EQ(get(m, tag::TransactTime), "20231114-22:13:20.123456");

  ASSERT_EQ(m.groupCount(tag::NoPartyIDs), 3u);
  EXPECT_EQ(get(m, tag::NoPartyIDs), "3");
  const auto client = party(m, 1);
  EXPECT_EQ(client.id, "90001");
  EXPECT_EQ(client.source, "P");
  EXPECT_EQ(client.role, "3");
  EXPECT_EQ(client.qualifier, kAbsent);
  const auto decision = party(m, 2);
  EXPECT_EQ(decision.id, "4711");
  EXPECT_EQ(decision.source, "P");
  EXPECT_EQ(decision.role, "122");
  EXPECT_EQ(decision.qualifier, "24");
  const auto execution = party(m, 3);
  EXPECT_EQ(execution.id, "ALGO-9");
  EXPECT_EQ(execution.source, "P");
  EXPECT_EQ(execution.role, "12");
  EXPECT_EQ(execution.qualifier, "22");
}

// ---------------------------------------------------------------------------------------------------------------
// Outbound

TEST(VenueNewOrder, CarriesTheVenueClOrdIdHandlInstTermsAndParties) {
  core::VenueNewOrder order{kVenue, "FG1-V1", fullTerms(), kTransactTime, "O1", false};
  const auto m = buildVenueNewOrder(order);
  EXPECT_EQ(headerField(m, tag::MsgType), "D");
  EXPECT_EQ(get(m, tag::ClOrdID), "FG1-V1");
  EXPECT_EQ(get(m, tag::HandlInst), "1");
  EXPECT_EQ(get(m, tag::OrigClOrdID), kAbsent);
  EXPECT_EQ(get(m, tag::ExDestination), kAbsent);  // the venue name is the gateway's routing, not the venue's
  expectTerms(m);
}

TEST(VenueNewOrder, LeavesOutWhatTheClientDidNotSend) {
  core::OrderTerms t;
  t.symbol = "AAPL";
  t.side = core::Side::Buy;
  t.ord_type = core::OrdType::Market;
  t.quantity = 10;
  const auto m = buildVenueNewOrder(core::VenueNewOrder{kVenue, "FG1-V2", t, kTransactTime, "O1", false});
  EXPECT_EQ(get(m, tag::OrdType), "1");
  EXPECT_EQ(get(m, tag::TimeInForce), "0");
  EXPECT_EQ(get(m, tag::Price), kAbsent);
  EXPECT_EQ(get(m, tag::StopPx), kAbsent);
  EXPECT_EQ(get(m, tag::Account), kAbsent);
  EXPECT_EQ(get(m, tag::SecurityID), kAbsent);
  EXPECT_EQ(get(m, tag::SecurityIDSource), kAbsent);
  EXPECT_EQ(get(m, tag::OrderCapacity), kAbsent);
  EXPECT_EQ(get(m, tag::ExpireTime), kAbsent);
  EXPECT_EQ(get(m, tag::ExpireDate), kAbsent);
  EXPECT_EQ(m.groupCount(tag::NoPartyIDs), 0u);
  EXPECT_EQ(get(m, tag::NoPartyIDs), kAbsent);
}

TEST(VenueNewOrder, AnExpireDateGoesOutAsExpireDate) {
  auto t = fullTerms();
  t.expire = "20231115";
  const auto m = buildVenueNewOrder(core::VenueNewOrder{kVenue, "FG1-V3", t, kTransactTime, "O1", false});
  EXPECT_EQ(get(m, tag::ExpireDate), "20231115");
  EXPECT_EQ(get(m, tag::ExpireTime), kAbsent);
}

TEST(VenueNewOrder, OnlyAReplayCarriesPossResend) {
  const auto first =
      buildVenueNewOrder(core::VenueNewOrder{kVenue, "FG1-V5", fullTerms(), kTransactTime, "O1", false});
  EXPECT_EQ(headerField(first, tag::PossResend), kAbsent);
  const auto replay =
      buildVenueNewOrder(core::VenueNewOrder{kVenue, "FG1-V5", fullTerms(), kTransactTime, "O1", true});
  EXPECT_EQ(headerField(replay, tag::PossResend), "Y");
  EXPECT_EQ(get(replay, tag::ClOrdID), "FG1-V5");  // the same ClOrdID: the venue can tell a copy
}

TEST(VenueCancel, CarriesClOrdIdOrigClOrdIdAndOrderId) {
  core::VenueCancel c;
  c.venue = kVenue;
  c.venue_cl_ord_id = "FG1-V4";
  c.orig_venue_cl_ord_id = "FG1-V1";
  c.venue_order_id = "SIM-777";
  c.symbol = "VOD.L";
  c.side = core::Side::Sell;
  c.order_qty = 1500;
  c.transact_time = kTransactTime;
  const auto m = buildVenueCancel(c);
  EXPECT_EQ(headerField(m, tag::MsgType), "F");
  EXPECT_EQ(get(m, tag::ClOrdID), "FG1-V4");
  EXPECT_EQ(get(m, tag::OrigClOrdID), "FG1-V1");
  EXPECT_EQ(get(m, tag::OrderID), "SIM-777");
  EXPECT_EQ(get(m, tag::Symbol), "VOD.L");
  EXPECT_EQ(get(m, tag::Side), "2");
  EXPECT_EQ(get(m, tag::OrderQty), "1500");
  EXPECT_EQ(get(m, tag::TransactTime), "20231114-22:13:20.123456");
}

TEST(VenueCancel, LeavesOutAnOrderIdTheVenueHasNotGivenYet) {
  core::VenueCancel c;
  c.venue_cl_ord_id = "FG1-V4";
  c.orig_venue_cl_ord_id = "FG1-V1";
  c.symbol = "VOD.L";
  const auto m = buildVenueCancel(c);
  EXPECT_EQ(get(m, tag::OrderID), kAbsent);
}

TEST(VenueReplace, CarriesClOrdIdOrigClOrdIdOrderIdAndTheNewTerms) {
  core::VenueReplace r{kVenue, "FG1-V5", "FG1-V1", "SIM-777", fullTerms(), kTransactTime, "O1"};
  const auto m = buildVenueReplace(r);
  EXPECT_EQ(headerField(m, tag::MsgType), "G");
  EXPECT_EQ(get(m, tag::ClOrdID), "FG1-V5");
  EXPECT_EQ(get(m, tag::OrigClOrdID), "FG1-V1");
  EXPECT_EQ(get(m, tag::OrderID), "SIM-777");
  EXPECT_EQ(get(m, tag::HandlInst), "1");
  expectTerms(m);
}

// ---------------------------------------------------------------------------------------------------------------
// Inbound

FIX::Message venueReport(const std::string& exec_type, const std::string& ord_status) {
  return makeMessage("8",
                     {{tag::OrderID, "SIM-777"},
                      {tag::ExecID, "SIM-E9"},
                      {tag::ExecType, exec_type},
                      {tag::OrdStatus, ord_status},
                      {tag::ClOrdID, "FG1-V1"},
                      {tag::Symbol, "VOD.L"},
                      {tag::Side, "1"},
                      {tag::LeavesQty, "1500"},
                      {tag::CumQty, "0"},
                      {tag::AvgPx, "0"}},
                     "FIX.4.4", 12);
}

template <typename T>
const T* as(const std::optional<core::EventBody>& e) {
  return e ? std::get_if<T>(&*e) : nullptr;
}

TEST(VenueInbound, ExecType0IsVenueAccepted) {
  const auto e = translateVenueMessage(venueReport("0", "0"), kVenue);
  const auto* accepted = as<core::VenueAccepted>(e);
  ASSERT_NE(accepted, nullptr);
  EXPECT_EQ(accepted->venue, kVenue);
  EXPECT_EQ(accepted->venue_cl_ord_id, "FG1-V1");
  EXPECT_EQ(accepted->venue_order_id, "SIM-777");
}

TEST(VenueInbound, ExecTypeFIsAFillWithExactQuantityAndPrice) {
  auto m = venueReport("F", "1");
  m.setField(tag::LastQty, "300");
  m.setField(tag::LastPx, "101.23456789");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* fill = as<core::VenueFill>(e);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->venue, kVenue);
  EXPECT_EQ(fill->venue_cl_ord_id, "FG1-V1");
  EXPECT_EQ(fill->venue_order_id, "SIM-777");
  EXPECT_EQ(fill->venue_exec_id, "SIM-E9");
  EXPECT_EQ(fill->last_qty, 300);
  EXPECT_EQ(fill->last_px.units, 10'123'456'789);
}

TEST(VenueInbound, Fix42StyleExecTypes1And2AreFills) {
  for (const char* exec_type : {"1", "2"}) {
    auto m = venueReport(exec_type, exec_type);
    m.setField(tag::LastQty, "1500");
    m.setField(tag::LastPx, "99.98");
    const auto e = translateVenueMessage(m, kVenue);
    const auto* fill = as<core::VenueFill>(e);
    ASSERT_NE(fill, nullptr) << exec_type;
    EXPECT_EQ(fill->last_qty, 1500) << exec_type;
    EXPECT_EQ(fill->last_px.units, 9'998'000'000) << exec_type;
    EXPECT_EQ(fill->venue_exec_id, "SIM-E9") << exec_type;
  }
}

// A fill whose LastPx or LastQty cannot be read exactly is passed on with 0 in that field: the engine refuses
// fills with a non-positive quantity or price and raises an OperatorAlert instead of booking them.
TEST(VenueInbound, FillWithUnreadableLastPxCarriesPriceZeroForTheEngineToRefuse) {
  auto m = venueReport("F", "1");
  m.setField(tag::LastQty, "300");
  m.setField(tag::LastPx, "101.123456789");  // 9 decimals: not exact in 8-place fixed point
  const auto e = translateVenueMessage(m, kVenue);
  const auto* fill = as<core::VenueFill>(e);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->last_qty, 300);
  EXPECT_EQ(fill->last_px.units, 0);
}

TEST(VenueInbound, FillWithoutLastQtyCarriesQuantityZeroForTheEngineToRefuse) {
  auto m = venueReport("F", "1");
  m.setField(tag::LastPx, "101");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* fill = as<core::VenueFill>(e);
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->last_qty, 0);
  EXPECT_EQ(fill->last_px.units, 10'100'000'000);
}

TEST(VenueInbound, ExecType4IsVenueCanceledWithText) {
  auto m = venueReport("4", "4");
  m.setField(tag::ClOrdID, "FG1-V4");
  m.setField(tag::Text, "canceled by request");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* canceled = as<core::VenueCanceled>(e);
  ASSERT_NE(canceled, nullptr);
  EXPECT_EQ(canceled->venue, kVenue);
  EXPECT_EQ(canceled->venue_cl_ord_id, "FG1-V4");
  EXPECT_EQ(canceled->text, "canceled by request");
}

TEST(VenueInbound, ExecType5IsVenueReplaced) {
  auto m = venueReport("5", "0");
  m.setField(tag::ClOrdID, "FG1-V5");
  m.setField(tag::OrderID, "SIM-778");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* replaced = as<core::VenueReplaced>(e);
  ASSERT_NE(replaced, nullptr);
  EXPECT_EQ(replaced->venue_cl_ord_id, "FG1-V5");
  EXPECT_EQ(replaced->venue_order_id, "SIM-778");
}

TEST(VenueInbound, ExecType8IsVenueRejectedWithText) {
  auto m = venueReport("8", "8");
  m.setField(tag::Text, "price outside collar");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* rejected = as<core::VenueRejected>(e);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->venue, kVenue);
  EXPECT_EQ(rejected->venue_cl_ord_id, "FG1-V1");
  EXPECT_EQ(rejected->text, "price outside collar");
}

TEST(VenueInbound, ExecTypeCIsVenueExpired) {
  const auto e = translateVenueMessage(venueReport("C", "C"), kVenue);
  const auto* expired = as<core::VenueExpired>(e);
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->venue, kVenue);
  EXPECT_EQ(expired->venue_cl_ord_id, "FG1-V1");
}

TEST(VenueInbound, OrderCancelRejectIsVenueCancelRejected) {
  const auto m = makeMessage("9",
                             {{tag::OrderID, "SIM-777"},
                              {tag::ClOrdID, "FG1-V4"},
                              {tag::OrigClOrdID, "FG1-V1"},
                              {tag::OrdStatus, "2"},
                              {tag::CxlRejResponseTo, "1"},
                              {tag::CxlRejReason, "0"},
                              {tag::Text, "too late to cancel"}},
                             "FIX.4.4", 13);
  const auto e = translateVenueMessage(m, kVenue);
  const auto* rejected = as<core::VenueCancelRejected>(e);
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->venue, kVenue);
  EXPECT_EQ(rejected->venue_cl_ord_id, "FG1-V4");
  EXPECT_EQ(rejected->text, "too late to cancel");
}

TEST(VenueStatusQuery, IsAnOrderStatusRequestForTheVenueSideIds) {
  core::VenueStatusQuery q;
  q.venue = kVenue;
  q.venue_cl_ord_id = "FG1-V1";
  q.venue_order_id = "SIM-777";
  q.symbol = "VOD.L";
  q.side = core::Side::Sell;
  q.query_id = "FG1-Q7";
  const auto m = buildVenueStatusQuery(q);
  EXPECT_EQ(get(m, tag::OrdStatusReqID), "FG1-Q7");
  EXPECT_EQ(headerField(m, tag::MsgType), "H");
  EXPECT_EQ(get(m, tag::ClOrdID), "FG1-V1");
  EXPECT_EQ(get(m, tag::OrderID), "SIM-777");
  EXPECT_EQ(get(m, tag::Symbol), "VOD.L");
  EXPECT_EQ(get(m, tag::Side), "2");
  q.venue_order_id.clear();  // never acknowledged: no OrderID to send
  EXPECT_FALSE(buildVenueStatusQuery(q).isSetField(tag::OrderID));
}

TEST(VenueInbound, ExecTypeIIsAStatusAnswer) {
  auto m = venueReport("I", "1");
  m.setField(tag::CumQty, "40");
  m.setField(tag::AvgPx, "10.5");
  m.setField(tag::OrdStatusReqID, "FG1-Q7");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* status = as<core::VenueOrderStatus>(e);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->venue, kVenue);
  EXPECT_EQ(status->venue_cl_ord_id, "FG1-V1");
  EXPECT_EQ(status->venue_order_id, "SIM-777");
  EXPECT_TRUE(status->known);
  EXPECT_EQ(status->status, core::OrdStatus::PartiallyFilled);
  EXPECT_EQ(status->cum_qty, 40);
  EXPECT_EQ(status->avg_px, core::parsePrice("10.5"));
  EXPECT_EQ(status->query_id, "FG1-Q7");
}

TEST(VenueInbound, AStatusAnswerForAnUnknownOrderSaysSo) {
  auto m = venueReport("I", "8");
  m.setField(tag::OrderID, "NONE");
  m.setField(tag::Text, "unknown order: ClOrdID FG1-V1");
  const auto e = translateVenueMessage(m, kVenue);
  const auto* status = as<core::VenueOrderStatus>(e);
  ASSERT_NE(status, nullptr);
  EXPECT_FALSE(status->known);
  EXPECT_EQ(status->venue_order_id, "");
  EXPECT_EQ(status->text, "unknown order: ClOrdID FG1-V1");
}

TEST(VenueInbound, StatusPendingAndOtherMessagesNeedNoDecision) {
  EXPECT_FALSE(translateVenueMessage(venueReport("6", "6"), kVenue).has_value());
  EXPECT_FALSE(translateVenueMessage(venueReport("A", "A"), kVenue).has_value());
  EXPECT_FALSE(
      translateVenueMessage(
          makeMessage("j", {{tag::RefSeqNum, "3"}, {tag::RefMsgType, "D"}, {tag::BusinessRejectReason, "3"}}),
          kVenue)
          .has_value());
}

}  // namespace
}  // namespace fixgate::venues
