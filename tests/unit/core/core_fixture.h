// Test support for the core: reference data with two sessions and two venues, builders for every event, an
// Engine fixture that applies events at given timestamps and returns what they produced, and printers that
// turn actions into one-line strings so whole sequences can be compared exactly (an event recorder).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/actions.h"
#include "core/engine.h"
#include "core/events.h"
#include "core/limits.h"
#include "core/reference_data.h"
#include "core/reject.h"
#include "core/types.h"

namespace fixgate::core::testing {

// Sessions and venues of the standard reference data.
inline constexpr SessionId kAlpha = 0;
inline constexpr SessionId kBeta = 1;
inline constexpr VenueId kXpar = 0;  // also the default venue
inline constexpr VenueId kXams = 1;
inline constexpr std::string_view kIdPrefix = "T1-";
inline constexpr Timestamp kStart = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z in microseconds

// Sessions ALPHA, BETA; venues XPAR (0), XAMS (1); instruments AIR, SAN, MT, ASML, INGA. Rules, first match
// wins:
//   symbol AIR -> XPAR, symbol ASML -> XAMS, symbol ASML -> XPAR (shadowed), exchange XAMS -> XAMS,
//   account AMSACCT -> XAMS; default venue XPAR.
ReferenceData standardReferenceData();

// Parses a price literal that must be valid ("101.25").
Price px(std::string_view text);

// Limit order terms, buy side, day order.
OrderTerms limit(std::string symbol, Qty qty, std::string_view price, Side side = Side::Buy);
OrderTerms market(std::string symbol, Qty qty, Side side = Side::Buy);

// Event bodies.
NewOrder newOrder(SessionId session, std::string cl_ord_id, OrderTerms terms);
CancelOrder cancelOrder(SessionId session, std::string cl_ord_id, std::string orig_cl_ord_id,
                        std::string symbol = "AIR", Side side = Side::Buy);
ReplaceOrder replaceOrder(SessionId session, std::string cl_ord_id, std::string orig_cl_ord_id,
                          OrderTerms terms);
StatusRequest statusRequest(SessionId session, std::string cl_ord_id, std::string symbol = "AIR");
MassCancel massCancel(SessionId session, std::string cl_ord_id, MassCancelScope scope,
                      std::string symbol = "");
VenueAccepted venueAck(VenueId venue, std::string venue_cl_ord_id, std::string venue_order_id = "X-1");
// A venue execution; without `exec_id` it gets a fresh one (venues never repeat an ExecID on purpose).
VenueFill venueFill(VenueId venue, std::string venue_cl_ord_id, Qty qty, std::string_view price,
                    std::string exec_id = "");
VenueCanceled venueCanceled(VenueId venue, std::string venue_cl_ord_id, std::string text = "");
VenueReplaced venueReplaced(VenueId venue, std::string venue_cl_ord_id, std::string venue_order_id = "");
VenueRejected venueRejected(VenueId venue, std::string venue_cl_ord_id, std::string text = "");
VenueCancelRejected venueCancelRejected(VenueId venue, std::string venue_cl_ord_id, std::string text = "");
VenueExpired venueExpired(VenueId venue, std::string venue_cl_ord_id);

// One line per action with every field, generated ids included: the form compared by the determinism tests.
std::string describeFully(const Action& action);
// One line per action with the fields a client or venue acts on, without generated ExecIDs/OrderIDs
// (venue-side ClOrdIDs are printed because they are what the venue answers with). Used for exact sequence
// assertions.
std::string describe(const Action& action);
std::vector<std::string> describeAll(const std::vector<Action>& actions);

// The one action of type T in `actions`; fails the test (and returns a default T) if there is not exactly one
// action or it has another type.
template <typename T>
T single(const std::vector<Action>& actions) {
  EXPECT_EQ(actions.size(), 1u) << ::testing::PrintToString(describeAll(actions));
  if (actions.size() != 1 || !std::holds_alternative<T>(actions.front())) {
    ADD_FAILURE() << "expected exactly one action of the requested type, got "
                  << ::testing::PrintToString(describeAll(actions));
    return T{};
  }
  return std::get<T>(actions.front());
}

// Every action of type T, in order.
template <typename T>
std::vector<T> allOf(const std::vector<Action>& actions) {
  std::vector<T> found;
  for (const auto& a : actions) {
    if (const auto* t = std::get_if<T>(&a)) found.push_back(*t);
  }
  return found;
}

// Limits that let every order of the order-model tests through: every session entitled to everything, the
// accounts those tests use, a reference price per instrument, no duplicate window and breakers out of reach.
// Risk and breaker behaviour has its own tests, with real limits.
std::shared_ptr<const Limits> permissiveLimits(const ReferenceData& refdata);

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : EngineTest(standardReferenceData()) {}
  explicit EngineTest(ReferenceData refdata)
      : engine_(refdata, std::string(kIdPrefix), permissiveLimits(refdata)) {}

  // Applies one event at `at` and returns only the actions it produced.
  std::vector<Action> applyAt(Timestamp at, EventBody body);
  // Applies one event one microsecond after the previous one.
  std::vector<Action> apply(EventBody body);
  Timestamp lastTime() const { return now_; }

  void bothVenuesUp();
  // Sends a new order, expects it to go to `expected_venue` and returns its venue-side ClOrdID.
  std::string place(SessionId session, const std::string& cl_ord_id, const OrderTerms& terms,
                    VenueId expected_venue = kXpar);
  // place() then the venue's acknowledgement; returns the venue-side ClOrdID.
  std::string placeAndAck(SessionId session, const std::string& cl_ord_id, const OrderTerms& terms,
                          VenueId expected_venue = kXpar);
  // Sends a cancel the engine must forward; returns the cancel's venue-side ClOrdID.
  std::string requestCancel(SessionId session, const std::string& cl_ord_id,
                            const std::string& orig_cl_ord_id, const std::string& symbol = "AIR");
  // Sends a replace the engine must forward; returns the replace's venue-side ClOrdID.
  std::string requestReplace(SessionId session, const std::string& cl_ord_id,
                             const std::string& orig_cl_ord_id, const OrderTerms& terms);
  // The engine's answer to an order status request (an ExecReport of kind Status).
  ExecReport statusOf(SessionId session, const std::string& cl_ord_id, const std::string& symbol = "AIR");

  Engine engine_;
  std::vector<RiskDecision> decisions_;  // every pre-trade verdict, in order (kept out of the outputs)
  Timestamp now_ = kStart;
};

// Fields of a status report that make up the order's observable state, for before/after comparisons.
struct OrderSnapshot {
  OrdStatus status;
  Qty order_qty;
  Qty cum_qty;
  Qty leaves_qty;
  Price avg_px;
  std::optional<Price> price;
  std::string cl_ord_id;
  friend bool operator==(const OrderSnapshot&, const OrderSnapshot&) = default;
  friend void PrintTo(const OrderSnapshot& s, std::ostream* os);
};
OrderSnapshot snapshot(const ExecReport& status_report);

}  // namespace fixgate::core::testing
