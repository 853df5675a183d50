#include "core/trading_states.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace fixgate::core {
namespace {

constexpr Timestamp kSecond = 1'000'000;

}  // namespace

std::string_view toString(Scope s) {
  switch (s) {
    case Scope::Global:
      return "global";
    case Scope::Account:
      return "account";
    case Scope::Session:
      return "session";
    case Scope::Symbol:
      return "symbol";
    case Scope::Venue:
      return "venue";
  }
  return "?";
}

std::string_view toString(TradingState s) {
  switch (s) {
    case TradingState::Active:
      return "Active";
    case TradingState::Reducing:
      return "Reducing";
    case TradingState::Halted:
      return "Halted";
  }
  return "?";
}

TradingStates::TradingStates(const ReferenceData& refdata)
    : session_names_(refdata.session_names),
      venue_names_(refdata.venue_names),
      venue_breakers_(refdata.venue_names.size()),
      session_breakers_(refdata.session_names.size()) {}

StringMap<ScopeState>* TradingStates::mapOf(Scope scope) {
  switch (scope) {
    case Scope::Global:
      break;
    case Scope::Account:
      return &accounts_;
    case Scope::Session:
      return &sessions_;
    case Scope::Symbol:
      return &symbols_;
    case Scope::Venue:
      return &venues_;
  }
  return nullptr;
}

ScopeState& TradingStates::slot(Scope scope, std::string_view key) {
  StringMap<ScopeState>* map = mapOf(scope);
  if (map == nullptr) return global_;
  auto it = map->find(key);
  if (it == map->end()) it = map->emplace(std::string(key), ScopeState{}).first;
  return it->second;
}

const ScopeState& TradingStates::get(Scope scope, std::string_view key, Timestamp now) {
  ScopeState& s = slot(scope, key);
  expireIfDue(scope, key, s, now);
  return s;
}

void TradingStates::count(Scope scope, TradingState from, TradingState to) {
  if (scope == Scope::Global) return;
  non_active_[static_cast<std::size_t>(scope)] +=
      static_cast<int>(to != TradingState::Active) - static_cast<int>(from != TradingState::Active);
}

void TradingStates::expireIfDue(Scope scope, std::string_view key, ScopeState& s, Timestamp now) {
  if (s.until == 0 || now < s.until) return;
  // A cool-off has run out: that is a state change too, reported like any other.
  expired_.push_back(
      StateChange{scope, std::string(key), s.state, TradingState::Active, s.by, "cool-off over", s.until});
  count(scope, s.state, TradingState::Active);
  s = ScopeState{};
}

std::vector<StateChange> TradingStates::takeExpired() {
  return std::exchange(expired_, {});
}

std::optional<StateChange> TradingStates::set(Scope scope, std::string_view key, TradingState state,
                                              std::string by, std::string reason, Timestamp now,
                                              Timestamp until) {
  ScopeState& s = slot(scope, key);
  expireIfDue(scope, key, s, now);
  const TradingState from = s.state;
  count(scope, from, state);
  s.state = state;
  s.by = by;
  s.reason = reason;
  s.until = state == TradingState::Active ? 0 : until;
  if (from == state && until == 0) return std::nullopt;
  return StateChange{scope, std::string(key), from, state, std::move(by), std::move(reason), now};
}

std::optional<Reject> TradingStates::checkNewOrder(SessionId session, std::string_view account,
                                                   std::string_view symbol, VenueId venue,
                                                   bool reduces_position, Timestamp now) {
  const std::string_view session_name = session_names_.at(session);
  const std::string_view venue_name = venue_names_.at(venue);
  const std::pair<Scope, std::string_view> scopes[] = {{Scope::Global, ""},
                                                       {Scope::Session, session_name},
                                                       {Scope::Account, account},
                                                       {Scope::Symbol, symbol},
                                                       {Scope::Venue, venue_name}};
  for (const auto& [scope, key] : scopes) {
    ScopeState* found = &global_;
    if (scope != Scope::Global) {
      // No entry of this scope is other than Active: the key's state is Active whether it has an entry or
      // not, and nothing can expire. The usual case: no lookup.
      if (non_active_[static_cast<std::size_t>(scope)] == 0) continue;
      // Looked up, not inserted: a key without an entry is Active, and checking an order must not grow the
      // map (or allocate) for every new account or symbol it names.
      auto& map = *mapOf(scope);
      const auto it = map.find(key);
      if (it == map.end()) continue;
      found = &it->second;
    }
    expireIfDue(scope, key, *found, now);
    const ScopeState& s = *found;
    if (s.state == TradingState::Active) continue;  // the usual case: no text is built
    const std::string where =
        scope == Scope::Global ? std::string("all trading") : fmt::format("{} {}", toString(scope), key);
    if (s.state == TradingState::Halted) {
      if (s.until != 0) {
        return makeReject(
            RejectCode::SymbolMoveHalt,
            fmt::format("{} is halted until {} s after the epoch: {}; resend after the cool-off", where,
                        s.until / kSecond, s.reason));
      }
      return makeReject(RejectCode::TradingHalted,
                        fmt::format("{} is halted by {}: {}; contact the trading desk", where, s.by,
                                    s.reason.empty() ? "no reason given" : s.reason));
    }
    if (s.state == TradingState::Reducing && !reduces_position) {
      return makeReject(
          RejectCode::ReducingOnly,
          fmt::format("{} accepts only position-reducing orders (set by {}: {}); this order would "
                      "increase the position",
                      where, s.by, s.reason.empty() ? "no reason given" : s.reason));
    }
  }
  auto& vb = venue_breakers_.at(venue);
  if (vb.open) {
    if (now < vb.open_until || vb.probe_in_flight) {
      return makeReject(
          RejectCode::VenueBreakerOpen,
          fmt::format("venue {} breaker is open after {} consecutive failures; orders resume once a "
                      "probe order is accepted",
                      venue_name, vb.consecutive_failures));
    }
  }
  auto& sb = session_breakers_.at(session);
  if (sb.latched) {
    return makeReject(RejectCode::SessionBreakerLatched,
                      fmt::format("session {} is stopped by the {}; a named operator must reset it "
                                  "(fixgate-admin reset-breaker)",
                                  session_name, sb.why));
  }
  return std::nullopt;
}

std::vector<KeyedScopeState> TradingStates::nonActive(Timestamp now) const {
  std::vector<KeyedScopeState> found;
  const auto add = [&](Scope scope, std::string_view key, const ScopeState& s) {
    if (s.state == TradingState::Active || (s.until != 0 && now >= s.until)) return;
    found.push_back({scope, std::string(key), s});
  };
  add(Scope::Global, "", global_);
  for (const auto& [scope, map] :
       {std::pair{Scope::Account, &accounts_}, std::pair{Scope::Session, &sessions_},
        std::pair{Scope::Symbol, &symbols_}, std::pair{Scope::Venue, &venues_}}) {
    for (const auto& [key, s] : *map) add(scope, key, s);
  }
  return found;
}

std::vector<std::string> TradingStates::describeNonActive(Timestamp now) const {
  std::vector<std::string> lines;
  for (const auto& [scope, key, s] : nonActive(now)) {
    lines.push_back(fmt::format("{} {}: {} by {} ({})", toString(scope), key.empty() ? "-" : key,
                                toString(s.state), s.by, s.reason.empty() ? "no reason given" : s.reason));
  }
  for (std::size_t v = 0; v < venue_breakers_.size(); ++v) {
    if (venue_breakers_[v].open) lines.push_back(fmt::format("venue breaker {}: open", venue_names_[v]));
  }
  for (std::size_t s = 0; s < session_breakers_.size(); ++s) {
    if (session_breakers_[s].latched) {
      lines.push_back(
          fmt::format("session breaker {}: latched ({})", session_names_[s], session_breakers_[s].why));
    }
  }
  return lines;
}

std::optional<StateChange> TradingStates::onTrade(std::string_view symbol, Price px,
                                                  const BreakerSettings& cfg, Timestamp now) {
  auto it = symbol_trades_.find(symbol);
  if (it == symbol_trades_.end()) it = symbol_trades_.emplace(std::string(symbol), SymbolTrades{}).first;
  auto& window = it->second.window;
  while (!window.empty() && window.front().first < now - cfg.symbol_window_s * kSecond) window.pop_front();
  window.emplace_back(now, px);
  const auto [lo, hi] = std::minmax_element(window.begin(), window.end(),
                                            [](const auto& a, const auto& b) { return a.second < b.second; });
  if (lo->second.units <= 0) return std::nullopt;
  const double move_pct = 100.0 * static_cast<double>(hi->second.units - lo->second.units) /
                          static_cast<double>(lo->second.units);
  if (move_pct <= cfg.symbol_move_pct) return std::nullopt;
  window.clear();
  // An operator's halt or reduce-only stands: a timed breaker halt must not lift it when it cools off.
  if (get(Scope::Symbol, symbol, now).state != TradingState::Active) return std::nullopt;
  return set(Scope::Symbol, symbol, TradingState::Halted, "symbol move breaker",
             fmt::format("price moved {:.2f}% (from {} to {}) within {} s, more than {}%; cooling off {} s",
                         move_pct, formatPrice(lo->second), formatPrice(hi->second), cfg.symbol_window_s,
                         cfg.symbol_move_pct, cfg.symbol_cooloff_s),
             now, now + cfg.symbol_cooloff_s * kSecond);
}

std::optional<StateChange> TradingStates::onVenueFailure(VenueId venue, std::string_view what,
                                                         const BreakerSettings& cfg, Timestamp now) {
  auto& vb = venue_breakers_.at(venue);
  ++vb.consecutive_failures;
  const bool probe_failed = vb.open && vb.probe_in_flight;
  vb.probe_in_flight = false;
  if (!probe_failed && (vb.open || vb.consecutive_failures < cfg.venue_consecutive_failures))
    return std::nullopt;
  vb.open = true;
  vb.open_until = now + cfg.venue_open_s * kSecond;
  return StateChange{
      Scope::Venue,
      venue_names_.at(venue),
      TradingState::Active,
      TradingState::Halted,
      "venue breaker",
      fmt::format("{} after {} consecutive failures (last: {}); open for {} s, then one probe order",
                  probe_failed ? "probe failed, reopened" : "opened", vb.consecutive_failures, what,
                  cfg.venue_open_s),
      now};
}

std::optional<StateChange> TradingStates::onVenueSuccess(VenueId venue, Timestamp now) {
  auto& vb = venue_breakers_.at(venue);
  vb.consecutive_failures = 0;
  if (!vb.open) return std::nullopt;
  vb.open = false;
  vb.probe_in_flight = false;
  return StateChange{Scope::Venue,
                     venue_names_.at(venue),
                     TradingState::Halted,
                     TradingState::Active,
                     "venue breaker",
                     "closed: the probe order was accepted",
                     now};
}

void TradingStates::onVenueOrderSent(VenueId venue, Timestamp now) {
  auto& vb = venue_breakers_.at(venue);
  if (vb.open && now >= vb.open_until) vb.probe_in_flight = true;  // half-open: this order is the probe
}

std::optional<StateChange> TradingStates::onSessionRequest(SessionId session, bool rejected,
                                                           const BreakerSettings& cfg, Timestamp now) {
  auto& sb = session_breakers_.at(session);
  while (!sb.requests.empty() && sb.requests.front().first < now - cfg.reject_window_s * kSecond) {
    sb.rejected_in_window -= sb.requests.front().second ? 1 : 0;
    sb.requests.pop_front();
  }
  sb.requests.emplace_back(now, rejected);
  sb.rejected_in_window += rejected ? 1 : 0;
  const auto total = static_cast<int>(sb.requests.size());
  if (sb.latched || total < cfg.reject_min_messages ||
      100.0 * sb.rejected_in_window < cfg.reject_pct * total) {
    return std::nullopt;
  }
  sb.latched = true;
  sb.why = fmt::format("reject-rate breaker ({} of {} requests rejected within {} s, limit {}%)",
                       sb.rejected_in_window, total, cfg.reject_window_s, cfg.reject_pct);
  return StateChange{Scope::Session,
                     session_names_.at(session),
                     TradingState::Active,
                     TradingState::Halted,
                     "reject-rate breaker",
                     sb.why,
                     now};
}

std::optional<StateChange> TradingStates::onOrderSent(SessionId session, std::uint64_t terms_key,
                                                      const BreakerSettings& cfg, Timestamp now) {
  auto& sb = session_breakers_.at(session);
  while (!sb.sent.empty() && sb.sent.front().first < now - cfg.repeat_window_s * kSecond) {
    if (--sb.sent_counts[sb.sent.front().second] == 0) sb.sent_counts.erase(sb.sent.front().second);
    sb.sent.pop_front();
  }
  sb.sent.emplace_back(now, terms_key);
  const int repeats = ++sb.sent_counts[terms_key];
  if (sb.latched || repeats <= cfg.repeat_max) return std::nullopt;
  sb.latched = true;
  sb.why = fmt::format("repeated-execution breaker ({} identical orders within {} s, limit {})", repeats,
                       cfg.repeat_window_s, cfg.repeat_max);
  return StateChange{Scope::Session,
                     session_names_.at(session),
                     TradingState::Active,
                     TradingState::Halted,
                     "repeated-execution breaker",
                     sb.why,
                     now};
}

std::optional<StateChange> TradingStates::resetSession(SessionId session, std::string by, Timestamp now) {
  auto& sb = session_breakers_.at(session);
  if (!sb.latched) return std::nullopt;
  sb.latched = false;
  sb.requests.clear();
  sb.rejected_in_window = 0;
  sb.sent.clear();
  sb.sent_counts.clear();
  return StateChange{Scope::Session,
                     session_names_.at(session),
                     TradingState::Halted,
                     TradingState::Active,
                     std::move(by),
                     "session breaker reset",
                     now};
}

}  // namespace fixgate::core
