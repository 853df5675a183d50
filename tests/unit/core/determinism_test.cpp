// The core is a deterministic state machine: the journal replays events into a fresh engine on restart and
// expects the very same decisions. A long, varied script is generated against one engine, then replayed into
// fresh ones; every action (ids and timestamps included) must come out identical.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

using Transcript = std::vector<std::vector<std::string>>;  // per event, the printed actions it produced

ReferenceData referenceData(std::int64_t final_order_retention_us) {
  auto refdata = standardReferenceData();
  refdata.final_order_retention_us = final_order_retention_us;
  return refdata;
}

Transcript replay(const std::vector<Event>& events, std::string_view prefix = kIdPrefix,
                  std::int64_t final_order_retention_us = 0) {
  Engine engine(referenceData(final_order_retention_us), std::string(prefix),
                permissiveLimits(standardReferenceData()));
  Transcript t;
  for (const auto& e : events) {
    std::vector<Action> out;
    engine.apply(e, out);
    auto& lines = t.emplace_back();
    for (const auto& a : out) lines.push_back(describeFully(a));
  }
  return t;
}

// Builds a script by playing client and venues against a live engine, choosing at random (fixed seed) among
// new orders, cancels, replaces, status requests, mass cancels, venue outages and every kind of venue answer,
// including wrong and late ones.
class ScriptBuilder {
 public:
  explicit ScriptBuilder(std::uint32_t seed, std::string_view prefix = kIdPrefix,
                         std::int64_t final_order_retention_us = 0)
      : rng_(seed),
        engine_(referenceData(final_order_retention_us), std::string(prefix),
                permissiveLimits(standardReferenceData())) {}

  std::vector<Event> build(int steps) {
    push(VenueUp{kXpar});
    push(VenueUp{kXams});
    for (int i = 0; i < steps; ++i) step();
    return events_;
  }

  const std::set<std::string>& kindsSeen() const { return kinds_; }
  const Transcript& liveTranscript() const { return live_; }

 private:
  struct Outstanding {
    VenueId venue;
    std::string venue_cl_ord_id;
    char what;  // 'N' new, 'C' cancel, 'R' replace
  };

  std::uint32_t pick(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

  void push(EventBody body) {
    now_ += 1 + pick(1000);
    Event e{now_, std::move(body)};
    std::vector<Action> out;
    engine_.apply(e, out);
    events_.push_back(std::move(e));
    auto& lines = live_.emplace_back();
    for (const auto& a : out) {
      lines.push_back(describeFully(a));
      const auto line = describe(a);
      kinds_.insert(line.substr(0, line.find(' ')));
      if (const auto* n = std::get_if<VenueNewOrder>(&a))
        outstanding_.push_back({n->venue, n->venue_cl_ord_id, 'N'});
      if (const auto* c = std::get_if<VenueCancel>(&a))
        outstanding_.push_back({c->venue, c->venue_cl_ord_id, 'C'});
      if (const auto* r = std::get_if<VenueReplace>(&a))
        outstanding_.push_back({r->venue, r->venue_cl_ord_id, 'R'});
      if (const auto* r = std::get_if<ExecReport>(&a)) {
        if (r->kind == ExecKind::Trade) kinds_.insert("Trade");
        if (r->kind == ExecKind::Replaced) kinds_.insert("Replaced");
        if (r->kind == ExecKind::Canceled) kinds_.insert("Canceled");
      }
      if (const auto* alert = std::get_if<OperatorAlert>(&a)) kinds_.insert(alert->code);
    }
  }

  std::string someClOrdId(SessionId s) {
    if (client_ids_[s].empty() || pick(10) == 0) return "UNKNOWN";
    return client_ids_[s][pick(static_cast<std::uint32_t>(client_ids_[s].size()))];
  }

  std::string newClOrdId(SessionId s) {
    // Now and then reuse an old ClOrdID to exercise duplicate detection.
    if (!client_ids_[s].empty() && pick(20) == 0) return someClOrdId(s);
    auto id = "C" + std::to_string(++counter_);
    client_ids_[s].push_back(id);
    return id;
  }

  OrderTerms someTerms() {
    static const std::vector<std::string> symbols{"AIR", "SAN", "MT", "ASML", "INGA", "NOPE"};
    auto terms = limit(symbols[pick(static_cast<std::uint32_t>(symbols.size()))],
                       static_cast<Qty>(pick(20) == 0 ? 0 : 1 + pick(500)),
                       std::to_string(1 + pick(200)) + "." + std::to_string(pick(100)),
                       pick(3) == 0 ? Side::Sell : Side::Buy);
    if (pick(8) == 0) terms.account = "AMSACCT";
    if (pick(10) == 0) terms.ex_destination = pick(2) == 0 ? "XAMS" : "XLON";
    if (pick(12) == 0) terms = market(terms.symbol, terms.quantity, terms.side);
    return terms;
  }

  void answerVenue() {
    if (outstanding_.empty()) return;
    const auto idx = pick(static_cast<std::uint32_t>(outstanding_.size()));
    const auto o = outstanding_[idx];
    if (pick(3) != 0) outstanding_.erase(outstanding_.begin() + idx);  // sometimes answer twice
    const VenueId venue = pick(25) == 0 ? static_cast<VenueId>(1 - o.venue) : o.venue;
    const auto qty = static_cast<Qty>(pick(15) == 0 ? 0 : 1 + pick(300));
    const auto price = std::to_string(pick(15) == 0 ? 0 : 1 + pick(150)) + "." + std::to_string(pick(100));
    switch (o.what) {
      case 'N':
        switch (pick(6)) {
          case 0:
            push(venueRejected(venue, o.venue_cl_ord_id, "venue says no"));
            break;
          case 1:
            push(venueExpired(venue, o.venue_cl_ord_id));
            break;
          case 2:
            push(venueCanceled(venue, o.venue_cl_ord_id, "IOC"));
            break;
          case 3:
          case 4:
            push(venueFill(venue, o.venue_cl_ord_id, qty, price, "E" + std::to_string(++counter_)));
            break;
          default:
            push(venueAck(venue, o.venue_cl_ord_id, "VO" + std::to_string(++counter_)));
            break;
        }
        if (pick(2) == 0) outstanding_.push_back(o);  // keep orders alive for more fills
        break;
      case 'C':
        if (pick(3) == 0) {
          push(venueCancelRejected(venue, o.venue_cl_ord_id, "too late"));
        } else {
          push(venueCanceled(venue, o.venue_cl_ord_id));
        }
        break;
      default:
        if (pick(3) == 0) {
          push(venueCancelRejected(venue, o.venue_cl_ord_id, "no"));
        } else {
          push(venueReplaced(venue, o.venue_cl_ord_id, "VR" + std::to_string(++counter_)));
        }
        break;
    }
  }

  void step() {
    const SessionId s = pick(2) == 0 ? kAlpha : kBeta;
    switch (pick(20)) {
      case 0:
      case 1:
      case 2:
      case 3:
        push(newOrder(s, newClOrdId(s), someTerms()));
        break;
      case 4:
      case 5: {
        const auto orig = someClOrdId(s);
        const Order* order = engine_.findByClOrdId(s, orig);
        push(cancelOrder(s, newClOrdId(s), orig, order ? order->terms.symbol : "AIR"));
        break;
      }
      case 6:
      case 7: {
        const auto orig = someClOrdId(s);
        const Order* order = engine_.findByClOrdId(s, orig);
        auto terms = someTerms();
        if (order != nullptr && pick(4) != 0) {
          terms = order->terms;
          terms.quantity = order->cum_qty + static_cast<Qty>(pick(200)) - 5;
        }
        push(replaceOrder(s, newClOrdId(s), orig, terms));
        break;
      }
      case 8:
        push(statusRequest(s, someClOrdId(s)));
        break;
      case 9:
        if (pick(4) == 0) {
          push(massCancel(s, "M" + std::to_string(++counter_),
                          pick(3) == 0   ? MassCancelScope::Unsupported
                          : pick(2) == 0 ? MassCancelScope::BySymbol
                                         : MassCancelScope::AllOrders,
                          "AIR"));
        } else {
          push(statusRequest(s, someClOrdId(s)));
        }
        break;
      case 10:
        if (pick(8) == 0) {
          const VenueId v = pick(2) == 0 ? kXpar : kXams;
          push(VenueDown{v});
          push(VenueUp{v});
        }
        break;
      default:
        answerVenue();
        break;
    }
  }

  std::mt19937 rng_;
  Engine engine_;
  Timestamp now_ = kStart;
  std::uint64_t counter_ = 0;
  std::vector<Event> events_;
  std::vector<Outstanding> outstanding_;
  std::vector<std::string> client_ids_[2];
  std::set<std::string> kinds_;
  Transcript live_;
};

TEST(Determinism, TheSameEventsYieldIdenticalActionsInFreshEngines) {
  ScriptBuilder builder(20240611);
  const auto events = builder.build(2000);
  ASSERT_GT(events.size(), 1500u);

  const auto first = replay(events);
  const auto second = replay(events);
  ASSERT_EQ(first.size(), events.size());
  ASSERT_EQ(second.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(first[i], second[i]) << "event #" << i << " produced different actions";
  }
}

TEST(Determinism, TheGeneratedScriptExercisesTheWholeStateMachine) {
  // Guards the test above against a generator that drifts into trivial scripts.
  ScriptBuilder builder(20240611);
  builder.build(2000);
  for (const char* kind : {"ExecReport", "CancelReject", "MassCancelReport", "VenueNewOrder", "VenueCancel",
                           "VenueReplace", "OperatorAlert", "Trade", "Replaced", "Canceled", "FillAfterFinal",
                           "InvalidFill", "UnknownVenueOrder", "UnexpectedReplace"}) {
    EXPECT_TRUE(builder.kindsSeen().contains(kind)) << kind;
  }
}

TEST(Determinism, ReleasingFinalOrdersIsDecidedByEventTimeSoAReplayAgrees) {
  // Events 1-1000 us apart, final orders released after 20 ms: many are released while the script still
  // cancels, replaces, queries and answers for them.
  constexpr std::int64_t kRetentionUs = 20'000;
  ScriptBuilder builder(99, kIdPrefix, kRetentionUs);
  const auto events = builder.build(3000);
  const auto replayed = replay(events, kIdPrefix, kRetentionUs);
  const auto& live = builder.liveTranscript();
  ASSERT_EQ(live.size(), replayed.size());
  for (std::size_t i = 0; i < live.size(); ++i) ASSERT_EQ(live[i], replayed[i]) << "event #" << i;
  EXPECT_TRUE(builder.kindsSeen().contains("VenueMessageForReleasedOrder"));
  // And the retention changes what the engine says, not just how much it holds.
  EXPECT_NE(replay(events), replayed);
}

TEST(Determinism, ReplayingTheJournalReproducesTheLiveEnginesDecisions) {
  // The live engine interleaved with the script's author (which read its state to choose the next event); a
  // replay of the recorded events alone must reproduce every one of its actions, ids included.
  ScriptBuilder builder(7);
  const auto events = builder.build(500);
  const auto& live = builder.liveTranscript();
  const auto replayed = replay(events);
  ASSERT_EQ(live.size(), replayed.size());
  std::size_t venue_orders = 0;
  for (std::size_t i = 0; i < live.size(); ++i) {
    ASSERT_EQ(live[i], replayed[i]) << "event #" << i;
    for (const auto& line : live[i]) venue_orders += line.starts_with("VenueNewOrder") ? 1 : 0;
  }
  EXPECT_GT(venue_orders, 20u);
}

TEST(Determinism, IdsDependOnThePrefixOnly) {
  // The same script against engines with different id prefixes (venue answers carry each engine's own ids).
  ScriptBuilder one(99, "T1-");
  ScriptBuilder two(99, "T2-");
  const auto a = replay(one.build(300), "T1-");
  const auto b = replay(two.build(300), "T2-");
  ASSERT_EQ(a.size(), b.size());
  // Same decisions, different ids: replacing the prefix in one transcript yields the other.
  bool any_id = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size()) << "event #" << i;
    for (std::size_t j = 0; j < a[i].size(); ++j) {
      std::string line = a[i][j];
      for (auto pos = line.find("T1-"); pos != std::string::npos; pos = line.find("T1-", pos + 3)) {
        line.replace(pos, 3, "T2-");
        any_id = true;
      }
      EXPECT_EQ(line, b[i][j]) << "event #" << i;
    }
  }
  EXPECT_TRUE(any_id);
}

}  // namespace
}  // namespace fixgate::core::testing
