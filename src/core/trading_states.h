// Trading states per scope (global, account, session, symbol, venue) and the breakers that change them:
// operator halts and kill switches, symbol price-move halts, venue breakers, session reject-rate and
// repeated-execution breakers. Every change comes back as a StateChange for logs and the audit trail.
#pragma once

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/actions.h"
#include "core/events.h"
#include "core/limits.h"
#include "core/reference_data.h"
#include "core/reject.h"

namespace fixgate::core {

std::string_view toString(Scope s);
std::string_view toString(TradingState s);

struct ScopeState {
  TradingState state = TradingState::Active;
  std::string by;
  std::string reason;
  Timestamp until = 0;  // automatic return to Active (symbol cool-off); 0 = until an operator acts
};

struct KeyedScopeState {
  Scope scope = Scope::Global;
  std::string key;  // empty for Global
  ScopeState state;
};

class TradingStates {
 public:
  explicit TradingStates(const ReferenceData& refdata);

  // Sets a state; returns the change, or nullopt when nothing changed.
  std::optional<StateChange> set(Scope scope, std::string_view key, TradingState state, std::string by,
                                 std::string reason, Timestamp now, Timestamp until = 0);
  [[nodiscard]] const ScopeState& get(Scope scope, std::string_view key, Timestamp now);

  // The first scope that forbids a new order: Halted refuses it, Reducing unless it reduces the position.
  std::optional<Reject> checkNewOrder(SessionId session, std::string_view account, std::string_view symbol,
                                      VenueId venue, bool reduces_position, Timestamp now);

  // Symbol price-move breaker: feed each trade; returns a change when it halts the symbol.
  std::optional<StateChange> onTrade(std::string_view symbol, Price px, const BreakerSettings& cfg,
                                     Timestamp now);

  // Venue breaker (consecutive rejects or disconnects, then half-open probing).
  std::optional<StateChange> onVenueFailure(VenueId venue, std::string_view what, const BreakerSettings& cfg,
                                            Timestamp now);
  std::optional<StateChange> onVenueSuccess(VenueId venue, Timestamp now);
  void onVenueOrderSent(VenueId venue, Timestamp now);

  // Session reject-rate breaker: feed every client request and whether it was refused.
  std::optional<StateChange> onSessionRequest(SessionId session, bool rejected, const BreakerSettings& cfg,
                                              Timestamp now);
  // Repeated-execution breaker: feed every order sent, keyed by its economic terms.
  std::optional<StateChange> onOrderSent(SessionId session, std::uint64_t terms_key,
                                         const BreakerSettings& cfg, Timestamp now);
  std::optional<StateChange> resetSession(SessionId session, std::string by, Timestamp now);

  // Cool-offs that ran out since the last call, as state changes back to Active.
  std::vector<StateChange> takeExpired();
  [[nodiscard]] bool hasExpired() const { return !expired_.empty(); }

  // One line per scope that is not Active, and per open or latched breaker: for operators' status queries.
  [[nodiscard]] std::vector<std::string> describeNonActive(Timestamp now) const;
  // Every scope that is not Active at `now` (a cool-off that ran out counts as Active): for metrics.
  [[nodiscard]] std::vector<KeyedScopeState> nonActive(Timestamp now) const;
  [[nodiscard]] bool venueBreakerOpen(VenueId venue) const {
    return venue < venue_breakers_.size() && venue_breakers_[venue].open;
  }
  [[nodiscard]] bool sessionBreakerLatched(SessionId session) const {
    return session < session_breakers_.size() && session_breakers_[session].latched;
  }

 private:
  struct VenueBreaker {
    int consecutive_failures = 0;
    bool open = false;
    Timestamp open_until = 0;
    bool probe_in_flight = false;
  };
  struct SessionBreaker {
    bool latched = false;
    std::string why;
    std::deque<std::pair<Timestamp, bool>> requests;  // within reject_window_s
    int rejected_in_window = 0;
    std::deque<std::pair<Timestamp, std::uint64_t>> sent;  // within repeat_window_s
    std::unordered_map<std::uint64_t, int> sent_counts;    // per terms key, over `sent`
  };
  struct SymbolTrades {
    std::deque<std::pair<Timestamp, Price>> window;
  };

  ScopeState& slot(Scope scope, std::string_view key);
  StringMap<ScopeState>* mapOf(Scope scope);
  void expireIfDue(Scope scope, std::string_view key, ScopeState& s, Timestamp now);
  // Counts a change of one keyed scope's state in non_active_.
  void count(Scope scope, TradingState from, TradingState to);
  std::vector<StateChange> expired_;

  // Copies, not a reference: the engine that owns this object is moved into the runtime.
  std::vector<std::string> session_names_;
  std::vector<std::string> venue_names_;
  ScopeState global_;
  StringMap<ScopeState> accounts_, sessions_, symbols_, venues_;
  // Per scope (indexed by Scope), how many entries of its map are not Active. checkNewOrder looks a key up
  // only in a scope that has one: with every account, session, symbol and venue Active - the usual case - a
  // new order costs no lookup at all (an entry that is Active can neither refuse nor expire).
  std::array<int, 5> non_active_{};
  std::vector<VenueBreaker> venue_breakers_;
  std::vector<SessionBreaker> session_breakers_;
  StringMap<SymbolTrades> symbol_trades_;
};

}  // namespace fixgate::core
