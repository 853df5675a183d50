// Test support for pre-trade risk, trading states and breakers: reference data with four sessions, two
// venues and instruments in two currencies; real core::Limits built in code (accounts, symbols with reference
// prices, sessions with entitlements and default accounts, breaker settings) that each test may tweak before
// the engine starts; and helpers that send orders and return what the engine decided.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
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

namespace fixgate::core::risktest {

// Sessions: ALPHA (any account, symbol and venue; default account ACC1; throttled), BETA (entitled to
// accounts ACC2 and ACME-1, symbols AIR SAN IBM ASML, venue XPAR; default account ACC2), GAMMA (configured in
// the gateway but missing from the limits), DELTA (entitled to everything, no default account).
inline constexpr SessionId kAlpha = 0;
inline constexpr SessionId kBeta = 1;
inline constexpr SessionId kGamma = 2;
inline constexpr SessionId kDelta = 3;
inline constexpr VenueId kXpar = 0;  // the default venue
inline constexpr VenueId kXams = 1;  // ASML routes here
inline constexpr Timestamp kStart = 1'700'000'000'000'000;
inline constexpr Timestamp kSecond = 1'000'000;
inline constexpr Timestamp kMilli = 1'000;

// Instruments: AIR, SAN, ASML, RSTR, NOREF (EUR, tick 0.01), MT (EUR, tick 0.05), IBM (USD, tick 0.01).
ReferenceData riskReferenceData();

// The limits every test starts from (version "limits-v1", source "risk-test-limits.yaml"):
//   account defaults: max_order_qty 100,000, max_order_notional 5,000,000.00
//   accounts ACC1, ACC2 (defaults), ACME-1 (max_order_notional 1,000,000.00, max_order_qty 20,000)
//   symbols: AIR ref 100, SAN ref 50 (max_order_qty 5,000, max_order_notional 200,000), MT ref 20,
//            ASML ref 600, IBM ref 125, RSTR ref 10 restricted; NOREF has no entry and no reference price
//   no collar; credit warning at 70%; duplicate window 1000 ms
//   breakers: symbol 10% in 60 s, cool-off 300 s; venue 3 failures, open 30 s; reject rate 50% of at least
//             50 requests in 60 s; repeated execution 10 in 10 s
Limits baseLimits();

Price px(std::string_view text);

OrderTerms buy(std::string account, std::string symbol, Qty qty, std::string_view price);
OrderTerms sell(std::string account, std::string symbol, Qty qty, std::string_view price);
OrderTerms marketBuy(std::string account, std::string symbol, Qty qty);

// What the engine did with one new order.
struct Decision {
  std::vector<Action> actions;
  std::optional<VenueNewOrder> sent;   // the order went to a venue
  std::optional<ExecReport> rejected;  // or it was refused
  [[nodiscard]] std::vector<OperatorAlert> alerts() const;
  [[nodiscard]] std::vector<StateChange> changes() const;
};

std::string describe(const Action& action);
std::string describeAll(const std::vector<Action>& actions);

template <typename T>
std::vector<T> allOf(const std::vector<Action>& actions) {
  std::vector<T> found;
  for (const auto& a : actions) {
    if (const auto* t = std::get_if<T>(&a)) found.push_back(*t);
  }
  return found;
}

// A Reject that must carry `code` and a text that starts with "FG<code> " and contains every fragment.
::testing::AssertionResult refusedWith(const std::optional<RejectCode>& code, const std::string& text,
                                       RejectCode expected, const std::vector<std::string>& fragments);

class RiskTest : public ::testing::Test {
 protected:
  RiskTest() : limits_(baseLimits()) {}

  // Builds the engine from limits_ (tests tweak limits_ first) and brings both venues up.
  void start();
  // Builds the engine without limits.
  void startWithoutLimits();
  Engine& engine() { return *engine_; }

  std::vector<Action> applyAt(Timestamp at, EventBody body);
  // One millisecond after the previous event.
  std::vector<Action> apply(EventBody body);
  [[nodiscard]] Timestamp now() const { return now_; }

  // New order with a generated ClOrdID ("C1", "C2", ...), one millisecond after the previous event (or at
  // `at`).
  Decision send(SessionId session, const OrderTerms& terms, std::optional<Timestamp> at = std::nullopt);
  Decision sendWithId(SessionId session, const std::string& cl_ord_id, const OrderTerms& terms,
                      std::optional<Timestamp> at = std::nullopt);
  // The order must reach a venue; returns its venue-side ClOrdID.
  std::string place(SessionId session, const OrderTerms& terms, std::optional<Timestamp> at = std::nullopt);
  // place() then the venue's acknowledgement.
  std::string placeAndAck(SessionId session, const OrderTerms& terms);
  // The order must be refused; returns the rejected ExecReport.
  ExecReport refuse(SessionId session, const OrderTerms& terms, std::optional<Timestamp> at = std::nullopt);
  // Places, acknowledges and fully fills an order at its limit price.
  void trade(SessionId session, const OrderTerms& terms);
  std::vector<Action> fill(VenueId venue, const std::string& venue_cl_ord_id, Qty qty, std::string_view price,
                           std::optional<Timestamp> at = std::nullopt);
  std::vector<Action> setState(Scope scope, std::string key, TradingState state, std::string by,
                               std::string reason = "test", bool cancel_open_orders = false);
  // Sends a replace (same ClOrdID scheme); returns the actions.
  std::vector<Action> replace(SessionId session, const std::string& orig_cl_ord_id, const OrderTerms& terms);
  [[nodiscard]] std::string lastClOrdId() const { return "C" + std::to_string(cl_counter_); }
  [[nodiscard]] VenueId venueOf(const std::string& venue_cl_ord_id) const;

  // The limits of account `name` in limits_, created when missing (tweak before start()).
  AccountLimits& account(const std::string& name) {
    AccountLimits& a = limits_.accounts[name];
    a.account = name;
    return a;
  }

  Limits limits_;
  std::unique_ptr<Engine> engine_;
  std::vector<RiskDecision> decisions_;  // every pre-trade verdict, in order (kept out of the outputs)
  Timestamp now_ = kStart;
  int cl_counter_ = 0;
};

}  // namespace fixgate::core::risktest
