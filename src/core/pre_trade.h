// The pre-trade check chain (SEC 15c3-5, MiFID II RTS 6 Art. 15-17). Fail-closed: whatever cannot be checked
// - no reference price, an account without limits - is refused, never skipped. Each check has its own code,
// and its text names the limit, the value and the account or symbol.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "core/events.h"
#include "core/limits.h"
#include "core/reject.h"
#include "core/risk_state.h"

namespace fixgate::core {

struct PreTradeInput {
  SessionId session = 0;
  std::string_view session_name;
  VenueId venue = 0;
  std::string_view venue_name;
  const OrderTerms* terms = nullptr;  // account already resolved
  const Instrument* instrument = nullptr;
  // For a replace: the old order's working share, which the new terms replace (checked without it).
  std::optional<WorkingContribution> replaced;
  Timestamp now = 0;
};

struct PreTradeResult {
  std::optional<Reject> reject;
  // Usage would cross credit_warning_pct: the caller tells operators and marks the account warned, only once
  // the order is accepted.
  std::optional<std::string> credit_warning;
  Price reference{};  // the price the notional was computed with
};

// The price an order's notional is measured at: its limit price, else its stop, else the reference price.
std::optional<Price> referencePrice(const Limits& limits, const RiskState& risk, std::string_view symbol);
std::optional<Price> pricingPrice(const OrderTerms& terms, std::optional<Price> reference);

// Session entitlements and account resolution, before anything else is measured.
std::optional<Reject> checkEntitlements(const Limits& limits, const PreTradeInput& in);

// Whether the order only reduces the account's position in the symbol (allowed in Reducing state).
// A replace passes the share of the order it replaces.
bool reducesPosition(const RiskState& risk, const OrderTerms& terms,
                     const std::optional<WorkingContribution>& replaced = std::nullopt);

PreTradeResult runPreTradeChecks(const Limits& limits, RiskState& risk, const PreTradeInput& in);

// Duplicate-order guard: same account, symbol, side, quantity and price within the window.
class DuplicateGuard {
 public:
  static std::uint64_t keyOf(const OrderTerms& terms);
  // True (and remembered) when the order is new within the window; false when it repeats one.
  bool admit(std::uint64_t key, Timestamp now, int window_ms);

 private:
  std::unordered_map<std::uint64_t, Timestamp> last_seen_;
  std::size_t prune_at_ = 1024;
};

}  // namespace fixgate::core
