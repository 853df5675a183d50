// Where orders go: ExDestination, then the first matching rule, then the default venue. Cancels and replaces
// follow the order to the venue it was sent to.
#include <gtest/gtest.h>

#include <string>

#include "core/routing.h"
#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

class Routing : public EngineTest {
 protected:
  Routing() { bothVenuesUp(); }
};

TEST_F(Routing, RoutesBySymbolRule) {
  place(kAlpha, "A1", limit("ASML", 10, "600"), kXams);
}

TEST_F(Routing, FirstMatchingRuleWins) {
  // ASML matches "symbol ASML -> XAMS" before the later "symbol ASML -> XPAR".
  place(kAlpha, "A1", limit("ASML", 10, "600"), kXams);
  // AIR from the Amsterdam account matches "symbol AIR -> XPAR" before "account AMSACCT -> XAMS".
  auto terms = limit("AIR", 10, "100");
  terms.account = "AMSACCT";
  place(kAlpha, "A2", terms, kXpar);
  // AIR quoted on XAMS matches the symbol rule before the exchange rule.
  terms = limit("AIR", 10, "100");
  terms.security_exchange = "XAMS";
  place(kAlpha, "A3", terms, kXpar);
}

TEST_F(Routing, RoutesBySecurityExchangeRule) {
  auto terms = limit("SAN", 10, "90");
  terms.security_exchange = "XAMS";
  place(kAlpha, "A1", terms, kXams);
}

TEST_F(Routing, RoutesByAccountRule) {
  auto terms = limit("INGA", 10, "12");
  terms.account = "AMSACCT";
  place(kAlpha, "A1", terms, kXams);
  terms.account = "OTHER";
  place(kAlpha, "A2", terms, kXpar);  // no rule for INGA itself: default venue
}

TEST_F(Routing, FallsBackToTheDefaultVenue) {
  place(kAlpha, "A1", limit("SAN", 10, "90"), kXpar);
  place(kAlpha, "A2", limit("MT", 10, "25"), kXpar);
}

TEST_F(Routing, ExDestinationOverridesRules) {
  auto terms = limit("ASML", 10, "600");
  terms.ex_destination = "XPAR";
  place(kAlpha, "A1", terms, kXpar);
  terms = limit("AIR", 10, "100");
  terms.ex_destination = "XAMS";
  place(kAlpha, "A2", terms, kXams);
}

TEST_F(Routing, ExDestinationNamingADownVenueIsRefusedNotRerouted) {
  EXPECT_TRUE(apply(VenueDown{kXams}).empty());
  auto terms = limit("AIR", 10, "100");
  terms.ex_destination = "XAMS";
  const auto r = single<ExecReport>(apply(newOrder(kAlpha, "A1", terms)));
  EXPECT_EQ(r.reject, RejectCode::VenueDisconnected);
}

TEST_F(Routing, VenueNewOrderCarriesTheClientTerms) {
  auto terms = limit("SAN", 250, "90.05", Side::SellShort);
  terms.parties.client = PartyRef{"12345", 'P', 0};
  terms.parties.execution_within_firm = PartyRef{"ALGO7", 'P', 22};
  const auto sent = single<VenueNewOrder>(apply(newOrder(kAlpha, "A1", terms)));
  EXPECT_EQ(sent.terms.side, Side::SellShort);
  EXPECT_EQ(sent.terms.quantity, 250);
  EXPECT_EQ(sent.terms.price, px("90.05"));
  EXPECT_EQ(sent.terms.account, "ACC1");
  EXPECT_EQ(sent.terms.parties.client.id, "12345");
  EXPECT_EQ(sent.terms.parties.execution_within_firm.qualifier, 22);
}

TEST_F(Routing, CancelGoesToTheOrdersVenueEvenWhenRulesPointElsewhere) {
  // SAN would go to the default venue XPAR; the client sent it to XAMS.
  auto terms = limit("SAN", 100, "90");
  terms.ex_destination = "XAMS";
  const auto venue_id = placeAndAck(kAlpha, "A1", terms, kXams);
  const auto cancel = single<VenueCancel>(apply(cancelOrder(kAlpha, "C1", "A1", "SAN")));
  EXPECT_EQ(cancel.venue, kXams);
  EXPECT_EQ(cancel.orig_venue_cl_ord_id, venue_id);
  EXPECT_EQ(cancel.venue_order_id, "X-" + venue_id);
  EXPECT_EQ(cancel.symbol, "SAN");
  EXPECT_EQ(cancel.side, Side::Buy);
  EXPECT_EQ(cancel.order_qty, 100);
}

TEST_F(Routing, ReplaceGoesToTheOrdersVenueAndCannotMoveIt) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("SAN", 100, "90"), kXpar);
  // Every routing-relevant field of the replace points at XAMS; the order stays on XPAR. (A replace may not
  // change the account at all: risk usage is per account; see ClientCancelReplace.)
  auto terms = limit("SAN", 150, "91");
  terms.security_exchange = "XAMS";
  terms.ex_destination = "XAMS";
  const auto sent = single<VenueReplace>(apply(replaceOrder(kAlpha, "R1", "A1", terms)));
  EXPECT_EQ(sent.venue, kXpar);
  EXPECT_EQ(sent.orig_venue_cl_ord_id, venue_id);
  EXPECT_EQ(sent.venue_order_id, "X-" + venue_id);
  EXPECT_EQ(sent.terms.ex_destination, "");
  EXPECT_EQ(sent.terms.quantity, 150);
  EXPECT_EQ(sent.terms.price, px("91"));
}

TEST_F(Routing, CancelOfAReplacedOrderStillGoesToItsVenue) {
  auto terms = limit("AIR", 100, "100");
  terms.ex_destination = "XAMS";
  const auto venue_id = placeAndAck(kAlpha, "A1", terms, kXams);
  auto new_terms = limit("AIR", 120, "101");
  const auto replace_id = requestReplace(kAlpha, "R1", "A1", new_terms);
  single<ExecReport>(apply(venueReplaced(kXams, replace_id)));
  const auto cancel = single<VenueCancel>(apply(cancelOrder(kAlpha, "C1", "R1")));
  EXPECT_EQ(cancel.venue, kXams);
  EXPECT_EQ(cancel.orig_venue_cl_ord_id, replace_id);
  EXPECT_NE(cancel.orig_venue_cl_ord_id, venue_id);
  EXPECT_EQ(cancel.order_qty, 120);
}

// reject.h documents FG302 for "a rule or ExDestination names a venue that is not configured". Reference data
// built by hand (or by a future config path) can carry such a rule; the order must be refused as a value.
TEST(RoutingTable, RuleNamingAnUnconfiguredVenueIsRefusedAsUnknownVenue) {
  auto refdata = standardReferenceData();
  refdata.routing.rules.insert(refdata.routing.rules.begin(),
                               RoutingRule{RouteMatch::Symbol, "SAN", VenueId{7}});
  const std::vector<bool> up{true, true};
  auto terms = limit("SAN", 10, "90");
  std::expected<VenueId, Reject> routed = VenueId{0};
  ASSERT_NO_THROW(routed = routeOrder(refdata, up, terms));
  ASSERT_FALSE(routed.has_value());
  EXPECT_EQ(routed.error().code, RejectCode::UnknownVenue);
  EXPECT_TRUE(routed.error().text.starts_with("FG302 ")) << routed.error().text;
}

TEST(RoutingTable, RoutesWithoutAnEngine) {
  const auto refdata = standardReferenceData();
  const std::vector<bool> up{true, true};
  EXPECT_EQ(routeOrder(refdata, up, limit("ASML", 1, "1")), VenueId{kXams});
  EXPECT_EQ(routeOrder(refdata, up, limit("SAN", 1, "1")), VenueId{kXpar});
  const std::vector<bool> xams_down{true, false};
  const auto refused = routeOrder(refdata, xams_down, limit("ASML", 1, "1"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, RejectCode::VenueDisconnected);
}

}  // namespace
}  // namespace fixgate::core::testing
