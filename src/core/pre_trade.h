// The pre-trade check chain (SEC 15c3-5, MiFID II RTS 6 Art. 15-17). Fail-closed: whatever cannot be checked
// - no reference price, an account without limits - is refused, never skipped. Each check has its own code,
// and its text names the limit, the value and the account or symbol.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/events.h"
#include "core/limits.h"
#include "core/reject.h"
#include "core/risk_state.h"

namespace fixgate::core {

// The order's account, symbol and session looked up once (resolveOrder) for every stage of the chain,
// instead of once per stage. Finding only: resolving inserts nothing, so an order refused early leaves no
// usage entry behind; a null usage or position is created by runPreTradeChecks as before.
struct ResolvedOrder {
  bool done = false;  // false: every stage looks its keys up itself
  const SessionLimits* session_limits = nullptr;
  const AccountLimits* account_limits = nullptr;
  const SymbolLimits* symbol_limits = nullptr;
  AccountUsage* usage = nullptr;
  PositionUsage* position = nullptr;
};

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
  ResolvedOrder resolved{};  // filled by resolveOrder; optional
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

// Looks the order's session, account and symbol up in the limits and the risk state, once, into in.resolved;
// the stages below then use those instead of their own lookups. Calling it is optional (the stages fall
// back to looking up), and it changes no decision. Call it again if the risk state or limits change.
void resolveOrder(const Limits& limits, RiskState& risk, PreTradeInput& in);

// Session entitlements and account resolution, before anything else is measured.
std::optional<Reject> checkEntitlements(const Limits& limits, const PreTradeInput& in);

// Whether the order only reduces the account's position in the symbol (allowed in Reducing state).
// A replace passes the share of the order it replaces.
bool reducesPosition(const RiskState& risk, const OrderTerms& terms,
                     const std::optional<WorkingContribution>& replaced = std::nullopt);
// The same with the input's resolved position when resolveOrder ran (no lookup), else as above.
bool reducesPosition(const RiskState& risk, const PreTradeInput& in);

PreTradeResult runPreTradeChecks(const Limits& limits, RiskState& risk, const PreTradeInput& in);

// Duplicate-order guard: same account, symbol, side, quantity and price within the window.
// A table of cache-line buckets of (key, last seen), each key in one bucket chosen by its hash, so admitting
// an order touches one cache line and never the heap; entries older than the window count as free. The
// table only grows (doubling, keeping the live entries) when a key's bucket holds kBucketSlots live entries.
class DuplicateGuard {
 public:
  explicit DuplicateGuard(std::size_t initial_capacity = 1u << 16);
  static std::uint64_t keyOf(const OrderTerms& terms);
  // True (and remembered) when the order is new within the window; false when it repeats one.
  bool admit(std::uint64_t key, Timestamp now, int window_ms);
  std::size_t capacity() const { return buckets_.size() * kBucketSlots; }

 private:
  struct Slot {
    std::uint64_t key = 0;  // 0: never used
    Timestamp seen = 0;
  };
  static constexpr std::size_t kBucketSlots = 4;
  struct alignas(64) Bucket {
    Slot slots[kBucketSlots];
  };
  // nullptr when the key's bucket has no free slot; else the key's slot (found or newly taken).
  Slot* find(std::uint64_t key, Timestamp now, Timestamp window);
  void grow(Timestamp now, Timestamp window);

  std::vector<Bucket> buckets_;
};

}  // namespace fixgate::core
