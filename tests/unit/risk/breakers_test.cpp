// Breakers: symbol price-move halt with a cool-off, venue breaker (consecutive rejects or disconnects, then
// half-open probing), session reject-rate and repeated-execution breakers that latch until a named person
// resets them; and limits swapped at an event boundary.
#include "risk_fixture.h"

namespace fixgate::core::risktest {
namespace {

using ::testing::HasSubstr;

StateChange onlyChange(const std::vector<Action>& out) {
  const auto changes = allOf<StateChange>(out);
  EXPECT_EQ(changes.size(), 1u) << describeAll(out);
  return changes.empty() ? StateChange{} : changes.front();
}

// --- Symbol price-move breaker (FG605) --------------------------------------------------------------------

using SymbolMoveBreaker = RiskTest;

TEST_F(SymbolMoveBreaker, MoveOfExactlyTheLimitPassesOneTickMoreHaltsUntilTheCoolOff) {
  start();
  const auto id = placeAndAck(kAlpha, buy("ACC1", "AIR", 100, "120"));
  const Timestamp t0 = now() + kSecond;
  EXPECT_TRUE(allOf<StateChange>(fill(kXpar, id, 1, "100", t0)).empty());
  const auto ten_pct = fill(kXpar, id, 1, "110", t0 + kSecond);  // exactly 10%
  EXPECT_TRUE(allOf<StateChange>(ten_pct).empty()) << describeAll(ten_pct);
  const auto over = fill(kXpar, id, 1, "110.01", t0 + 2 * kSecond);
  const auto halt = onlyChange(over);
  EXPECT_EQ(halt.scope, Scope::Symbol);
  EXPECT_EQ(halt.key, "AIR");
  EXPECT_EQ(halt.from, TradingState::Active);
  EXPECT_EQ(halt.to, TradingState::Halted);
  EXPECT_EQ(halt.by, "symbol move breaker");
  EXPECT_EQ(halt.reason,
            "price moved 10.01% (from 100 to 110.01) within 60 s, more than 10%; cooling off 300 s");
  EXPECT_EQ(halt.at, t0 + 2 * kSecond);
  const Timestamp until = t0 + 2 * kSecond + 300 * kSecond;

  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 1, "110"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::SymbolMoveHalt,
                          {"symbol AIR is halted until", "price moved 10.01%", "resend after the cool-off"}));
  place(kAlpha, buy("ACC1", "SAN", 1, "50"));  // other symbols trade on
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 2, "110"), until - 1).reject, RejectCode::SymbolMoveHalt);
  place(kAlpha, buy("ACC1", "AIR", 3, "110"), until);
}

TEST_F(SymbolMoveBreaker, OnlyMovesWithinTheWindowCount) {
  start();
  const auto air = placeAndAck(kAlpha, buy("ACC1", "AIR", 100, "130"));
  const auto san = placeAndAck(kAlpha, buy("ACC1", "SAN", 100, "130"));
  const Timestamp t0 = now() + kSecond;
  fill(kXpar, air, 1, "100", t0);
  fill(kXpar, san, 1, "100", t0 + 1);
  const auto outside = fill(kXpar, air, 1, "120", t0 + 60 * kSecond + 1);  // the 100 is out of the window
  EXPECT_TRUE(allOf<StateChange>(outside).empty()) << describeAll(outside);
  const auto inside = fill(kXpar, san, 1, "120", t0 + 1 + 60 * kSecond);  // exactly the window: still in it
  EXPECT_EQ(onlyChange(inside).key, "SAN");
}

TEST_F(SymbolMoveBreaker, ZeroWindowOnlyComparesTradesOfTheSameInstant) {
  limits_.breakers.symbol_window_s = 0;
  start();
  const auto id = placeAndAck(kAlpha, buy("ACC1", "AIR", 100, "130"));
  const Timestamp t0 = now() + kSecond;
  fill(kXpar, id, 1, "100", t0);
  EXPECT_TRUE(
      allOf<StateChange>(fill(kXpar, id, 1, "120", t0 + 1)).empty());   // a zero window holds one instant
  EXPECT_EQ(onlyChange(fill(kXpar, id, 1, "100", t0 + 1)).key, "AIR");  // same instant: 20%
}

// "Every state change is an event with who or what caused it": the return to Active at the end of the
// cool-off is a change too, and must be reported (here: with the first event at or after the deadline).
TEST_F(SymbolMoveBreaker, EndOfTheCoolOffIsReportedAsAStateChange) {
  start();
  const auto id = placeAndAck(kAlpha, buy("ACC1", "AIR", 100, "130"));
  const Timestamp t0 = now() + kSecond;
  fill(kXpar, id, 1, "100", t0);
  ASSERT_EQ(allOf<StateChange>(fill(kXpar, id, 1, "120", t0 + kSecond)).size(), 1u);
  const Timestamp until = t0 + kSecond + 300 * kSecond;
  const auto d = send(kAlpha, buy("ACC1", "AIR", 1, "120"), until);
  EXPECT_TRUE(d.sent) << describeAll(d.actions);
  const auto changes = d.changes();
  ASSERT_EQ(changes.size(), 1u) << "symbol AIR went back to Active without a StateChange: "
                                << describeAll(d.actions);
  EXPECT_EQ(changes.front().scope, Scope::Symbol);
  EXPECT_EQ(changes.front().key, "AIR");
  EXPECT_EQ(changes.front().from, TradingState::Halted);
  EXPECT_EQ(changes.front().to, TradingState::Active);
  EXPECT_EQ(changes.front().by, "symbol move breaker");
}

// An operator's halt stays until an operator lifts it: a price-move halt with its cool-off on top of it must
// not lift it when the cool-off ends.
TEST_F(SymbolMoveBreaker, CoolOffDoesNotLiftAnOperatorHalt) {
  start();
  const auto id = placeAndAck(kAlpha, buy("ACC1", "AIR", 100, "130"));
  const Timestamp t0 = now() + kSecond;
  fill(kXpar, id, 1, "100", t0);
  setState(Scope::Symbol, "AIR", TradingState::Halted, "ops-olga", "corporate action");
  fill(kXpar, id, 1, "120", t0 + 2 * kSecond);  // trades on the working order still arrive
  const Timestamp after_cool_off = t0 + 2 * kSecond + 301 * kSecond;
  const auto d = send(kAlpha, buy("ACC1", "AIR", 1, "120"), after_cool_off);
  ASSERT_TRUE(d.rejected) << "the end of the breaker's cool-off lifted the operator's halt: "
                          << describeAll(d.actions);
  EXPECT_TRUE(refusedWith(d.rejected->reject, d.rejected->text, RejectCode::TradingHalted,
                          {"symbol AIR is halted by ops-olga: corporate action"}));
}

// --- Venue breaker (FG603) --------------------------------------------------------------------------------

class VenueBreaker : public RiskTest {
 protected:
  // Sends a new AIR order (routed to XPAR) and has the venue reject it; returns what the reject produced.
  std::vector<Action> rejectedAtVenue() {
    const auto id = place(kAlpha, buy("ACC1", "AIR", ++qty_, "100"));
    return apply(VenueRejected{kXpar, id, "market closed"});
  }
  void open() {
    rejectedAtVenue();
    rejectedAtVenue();
    ASSERT_EQ(allOf<StateChange>(rejectedAtVenue()).size(), 1u);
    opened_at_ = now();
  }
  Qty qty_ = 0;
  Timestamp opened_at_ = 0;
};

TEST_F(VenueBreaker, OpensOnTheThirdConsecutiveRejectThenLetsOneProbeThrough) {
  start();
  EXPECT_TRUE(allOf<StateChange>(rejectedAtVenue()).empty());
  EXPECT_TRUE(allOf<StateChange>(rejectedAtVenue()).empty());
  const auto third = rejectedAtVenue();
  const auto opened = onlyChange(third);
  EXPECT_EQ(opened.scope, Scope::Venue);
  EXPECT_EQ(opened.key, "XPAR");
  EXPECT_EQ(opened.to, TradingState::Halted);
  EXPECT_EQ(opened.by, "venue breaker");
  EXPECT_EQ(
      opened.reason,
      "opened after 3 consecutive failures (last: order rejected); open for 30 s, then one probe order");
  const Timestamp t = now();

  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 100, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::VenueBreakerOpen,
                          {"venue XPAR breaker is open after 3 consecutive failures"}));
  place(kAlpha, buy("ACC1", "ASML", 1, "600"));  // XAMS is fine
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 101, "100"), t + 30 * kSecond - 1).reject,
            RejectCode::VenueBreakerOpen);

  const auto probe = place(kAlpha, buy("ACC1", "AIR", 102, "100"), t + 30 * kSecond);
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 103, "100")).reject, RejectCode::VenueBreakerOpen)
      << "only one probe while half-open";
  const auto accepted = apply(VenueAccepted{kXpar, probe, "XP"});
  const auto closed = onlyChange(accepted);
  EXPECT_EQ(closed.key, "XPAR");
  EXPECT_EQ(closed.from, TradingState::Halted);
  EXPECT_EQ(closed.to, TradingState::Active);
  EXPECT_EQ(closed.by, "venue breaker");
  EXPECT_EQ(closed.reason, "closed: the probe order was accepted");
  place(kAlpha, buy("ACC1", "AIR", 104, "100"));
  place(kAlpha, buy("ACC1", "AIR", 105, "100"));
}

TEST_F(VenueBreaker, AnAcceptanceResetsTheCount) {
  start();
  rejectedAtVenue();
  rejectedAtVenue();
  const auto ok = place(kAlpha, buy("ACC1", "AIR", 50, "100"));
  apply(VenueAccepted{kXpar, ok, "X"});
  EXPECT_TRUE(allOf<StateChange>(rejectedAtVenue()).empty());
  EXPECT_TRUE(allOf<StateChange>(rejectedAtVenue()).empty());
  place(kAlpha, buy("ACC1", "AIR", 51, "100"));
  EXPECT_EQ(allOf<StateChange>(rejectedAtVenue()).size(), 1u);
}

TEST_F(VenueBreaker, ARejectedProbeReopensIt) {
  start();
  open();
  const auto probe = place(kAlpha, buy("ACC1", "AIR", 200, "100"), opened_at_ + 30 * kSecond);
  const auto out = apply(VenueRejected{kXpar, probe, "still closed"});
  const auto reopened = onlyChange(out);
  EXPECT_EQ(reopened.key, "XPAR");
  EXPECT_EQ(reopened.to, TradingState::Halted);
  EXPECT_THAT(reopened.reason, HasSubstr("probe failed, reopened"));
  const Timestamp t = now();
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 201, "100"), t + 30 * kSecond - 1).reject,
            RejectCode::VenueBreakerOpen);
  place(kAlpha, buy("ACC1", "AIR", 202, "100"), t + 30 * kSecond);
}

TEST_F(VenueBreaker, OpensAfterConsecutiveDisconnects) {
  start();
  EXPECT_TRUE(allOf<StateChange>(apply(VenueDown{kXpar})).empty());
  apply(VenueUp{kXpar});
  EXPECT_TRUE(allOf<StateChange>(apply(VenueDown{kXpar})).empty());
  apply(VenueUp{kXpar});
  place(kAlpha, buy("ACC1", "AIR", 1, "100"));  // two disconnects: still closed
  const auto third = apply(VenueDown{kXpar});
  const auto opened = onlyChange(third);
  EXPECT_EQ(opened.key, "XPAR");
  EXPECT_EQ(opened.by, "venue breaker");
  EXPECT_THAT(opened.reason, HasSubstr("(last: disconnect)"));
  apply(VenueUp{kXpar});
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 2, "100"));
  EXPECT_EQ(r.reject, RejectCode::VenueBreakerOpen) << r.text;
}

// --- Session reject-rate breaker (FG604) ------------------------------------------------------------------

class RejectRateBreaker : public RiskTest {
 protected:
  void SetUp() override {
    limits_.breakers.reject_min_messages = 10;
    limits_.breakers.reject_pct = 50.0;
    limits_.breakers.reject_window_s = 60;
  }
  std::vector<Action> accepted(int n) {
    std::vector<Action> all;
    for (int i = 0; i < n; ++i) {
      const auto d = send(kAlpha, buy("ACC1", "AIR", ++qty_, "100"));
      EXPECT_TRUE(d.sent) << describeAll(d.actions);
      all.insert(all.end(), d.actions.begin(), d.actions.end());
    }
    return all;
  }
  std::vector<Action> refused(int n) {
    std::vector<Action> all;
    for (int i = 0; i < n; ++i) {
      const auto d = send(kAlpha, buy("NOPE", "AIR", ++qty_, "100"));
      EXPECT_TRUE(d.rejected) << describeAll(d.actions);
      all.insert(all.end(), d.actions.begin(), d.actions.end());
    }
    return all;
  }
  Qty qty_ = 0;
};

TEST_F(RejectRateBreaker, BelowTheRateDoesNotLatch) {
  start();
  EXPECT_TRUE(allOf<StateChange>(accepted(6)).empty());
  EXPECT_TRUE(allOf<StateChange>(refused(4)).empty());  // 4 of 10: 40%
  place(kAlpha, buy("ACC1", "AIR", 1'000, "100"));
}

TEST_F(RejectRateBreaker, FewerThanMinMessagesDoNotLatchEvenAllRejected) {
  start();
  EXPECT_TRUE(allOf<StateChange>(refused(9)).empty());
  EXPECT_EQ(allOf<StateChange>(refused(1)).size(), 1u);
}

TEST_F(RejectRateBreaker, LatchesAtTheRateAndStaysLatchedUntilANamedReset) {
  start();
  placeAndAck(kAlpha, buy("ACC1", "AIR", 999, "100"));
  const auto working = lastClOrdId();
  EXPECT_TRUE(allOf<StateChange>(accepted(4)).empty());
  EXPECT_TRUE(allOf<StateChange>(refused(4)).empty());
  const auto tenth = refused(1);  // 5 of 10: exactly 50%
  const auto latched = onlyChange(tenth);
  EXPECT_EQ(latched.scope, Scope::Session);
  EXPECT_EQ(latched.key, "ALPHA");
  EXPECT_EQ(latched.from, TradingState::Active);
  EXPECT_EQ(latched.to, TradingState::Halted);
  EXPECT_EQ(latched.by, "reject-rate breaker");
  EXPECT_EQ(latched.reason, "reject-rate breaker (5 of 10 requests rejected within 60 s, limit 50%)");

  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 1'000, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::SessionBreakerLatched,
                          {"session ALPHA is stopped by the reject-rate breaker (5 of 10 requests rejected",
                           "a named operator must reset it"}));
  const auto cancel = apply(CancelOrder{kAlpha, "CXL", working, "AIR", Side::Buy});
  EXPECT_EQ(allOf<VenueCancel>(cancel).size(), 1u) << "cancels still pass: " << describeAll(cancel);
  place(kBeta, buy("ACC2", "AIR", 1'001, "100"));  // other sessions trade on

  // Latched: time alone does not clear it.
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 1'002, "100"), now() + 3'600 * kSecond).reject,
            RejectCode::SessionBreakerLatched);

  const auto nameless = apply(ResetSessionBreaker{"ALPHA", ""});
  EXPECT_TRUE(allOf<StateChange>(nameless).empty()) << describeAll(nameless);
  ASSERT_EQ(allOf<OperatorAlert>(nameless).size(), 1u) << describeAll(nameless);
  EXPECT_EQ(allOf<OperatorAlert>(nameless).front().code, "InvalidOperatorCommand");
  EXPECT_THAT(allOf<OperatorAlert>(nameless).front().text, HasSubstr("a named operator is required"));
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 1'003, "100")).reject, RejectCode::SessionBreakerLatched);

  const auto unknown = apply(ResetSessionBreaker{"OMEGA", "dave"});
  EXPECT_EQ(allOf<OperatorAlert>(unknown).size(), 1u) << describeAll(unknown);

  const auto reset = apply(ResetSessionBreaker{"ALPHA", "dave"});
  const auto change = onlyChange(reset);
  EXPECT_EQ(change.scope, Scope::Session);
  EXPECT_EQ(change.key, "ALPHA");
  EXPECT_EQ(change.from, TradingState::Halted);
  EXPECT_EQ(change.to, TradingState::Active);
  EXPECT_EQ(change.by, "dave");
  EXPECT_EQ(change.at, now());
  place(kAlpha, buy("ACC1", "AIR", 1'004, "100"));
}

// --- Repeated-execution breaker (FG604) -------------------------------------------------------------------

class RepeatBreaker : public RiskTest {
 protected:
  void SetUp() override {
    limits_.duplicate_window_ms = 0;  // otherwise the duplicate check refuses the repeats first
    limits_.breakers.repeat_max = 3;
    limits_.breakers.repeat_window_s = 10;
  }
};

TEST_F(RepeatBreaker, LatchesOnRepeatMaxPlusOneIdenticalOrdersUntilReset) {
  start();
  const auto same = buy("ACC1", "AIR", 100, "100");
  for (int i = 0; i < 3; ++i) {
    const auto d = send(kAlpha, same);
    ASSERT_TRUE(d.sent) << describeAll(d.actions);
    EXPECT_TRUE(d.changes().empty()) << describeAll(d.actions);
  }
  const auto fourth = send(kAlpha, same);
  EXPECT_TRUE(fourth.sent) << "the order that trips it has been checked and goes out";
  const auto latched = onlyChange(fourth.actions);
  EXPECT_EQ(latched.scope, Scope::Session);
  EXPECT_EQ(latched.key, "ALPHA");
  EXPECT_EQ(latched.to, TradingState::Halted);
  EXPECT_EQ(latched.by, "repeated-execution breaker");
  EXPECT_EQ(latched.reason, "repeated-execution breaker (4 identical orders within 10 s, limit 3)");

  const auto r = refuse(kAlpha, buy("ACC1", "SAN", 1, "50"));
  EXPECT_TRUE(
      refusedWith(r.reject, r.text, RejectCode::SessionBreakerLatched,
                  {"session ALPHA is stopped by the repeated-execution breaker (4 identical orders within "
                   "10 s, limit 3)"}));
  place(kBeta, buy("ACC2", "AIR", 100, "100"));

  EXPECT_EQ(onlyChange(apply(ResetSessionBreaker{"ALPHA", "erin"})).by, "erin");
  place(kAlpha, same);
}

TEST_F(RepeatBreaker, IdenticalOrdersSpreadBeyondTheWindowDoNotLatch) {
  start();
  const auto same = buy("ACC1", "AIR", 100, "100");
  const Timestamp t0 = now() + kSecond;
  place(kAlpha, same, t0);
  place(kAlpha, same, t0 + 1);
  place(kAlpha, same, t0 + 2);
  const auto late = send(kAlpha, same, t0 + 10 * kSecond + 1);  // the first has left the window
  EXPECT_TRUE(late.sent);
  EXPECT_TRUE(late.changes().empty()) << describeAll(late.actions);
}

TEST_F(RepeatBreaker, OrderExactlyAWindowAfterTheFirstStillCounts) {
  start();
  const auto same = buy("ACC1", "AIR", 100, "100");
  const Timestamp t0 = now() + kSecond;
  place(kAlpha, same, t0);
  place(kAlpha, same, t0 + 1);
  place(kAlpha, same, t0 + 2);
  const auto edge = send(kAlpha, same, t0 + 10 * kSecond);
  EXPECT_EQ(edge.changes().size(), 1u) << describeAll(edge.actions);
}

// --- Limits swapped at an event boundary ------------------------------------------------------------------

using LimitsSwap = RiskTest;

TEST_F(LimitsSwap, OrdersBeforeTheSwapUseTheOldLimitsAndAfterItTheNew) {
  start();
  place(kAlpha, buy("ACC1", "AIR", 100'000, "1"));
  auto next = baseLimits();
  next.version = "limits-v2";
  next.source = "limits-v2.yaml";
  next.account_defaults.max_order_qty = 50'000;
  const auto out = apply(ApplyLimits{std::make_shared<const Limits>(next), "frank"});
  const auto applied = allOf<LimitsApplied>(out);
  ASSERT_EQ(applied.size(), 1u) << describeAll(out);
  EXPECT_EQ(applied.front().old_version, "limits-v1");
  EXPECT_EQ(applied.front().new_version, "limits-v2");
  EXPECT_EQ(applied.front().source, "limits-v2.yaml");
  EXPECT_EQ(applied.front().by, "frank");
  EXPECT_EQ(applied.front().at, now());
  EXPECT_EQ(engine().limits()->version, "limits-v2");

  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 50'001, "1"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::MaxOrderQty, {"exceeds max_order_qty 50000"}));
  place(kAlpha, buy("ACC1", "AIR", 50'000, "1"));
}

TEST_F(LimitsSwap, LimitsAppliedToAnEngineWithoutLimitsStartTrading) {
  startWithoutLimits();
  EXPECT_EQ(refuse(kAlpha, buy("ACC1", "AIR", 1, "100")).reject, RejectCode::NoLimitsLoaded);
  const auto out = apply(ApplyLimits{std::make_shared<const Limits>(limits_), "frank"});
  const auto applied = allOf<LimitsApplied>(out);
  ASSERT_EQ(applied.size(), 1u) << describeAll(out);
  EXPECT_EQ(applied.front().old_version, "none");
  EXPECT_EQ(applied.front().new_version, "limits-v1");
  place(kAlpha, buy("ACC1", "AIR", 2, "100"));
}

TEST_F(LimitsSwap, NewEntitlementsApplyFromTheSwap) {
  start();
  EXPECT_EQ(refuse(kGamma, buy("ACC1", "AIR", 1, "100")).reject, RejectCode::NotEntitled);
  auto next = baseLimits();
  next.version = "limits-v2";
  SessionLimits gamma;
  gamma.session = "GAMMA";
  next.sessions.emplace(gamma.session, gamma);
  next.symbols["AIR"].restricted = true;
  apply(ApplyLimits{std::make_shared<const Limits>(next), "frank"});
  place(kGamma, buy("ACC1", "SAN", 1, "50"));
  EXPECT_EQ(refuse(kGamma, buy("ACC1", "AIR", 2, "100")).reject, RejectCode::RestrictedSymbol);
}

}  // namespace
}  // namespace fixgate::core::risktest
