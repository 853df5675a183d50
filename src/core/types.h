// Value types shared by every module: fixed-point prices, whole-unit quantities, enums of the order model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fixgate::core {

// Microseconds since the Unix epoch, UTC. The core never reads a clock: edges stamp events (RTS 25).
using Timestamp = std::int64_t;

// Whole units (shares, contracts). Fractional quantities are refused at the edge of the core.
using Qty = std::int64_t;

// Fixed-point price with 8 decimal places, so fills and averages are exact for every listed tick size.
struct Price {
  static constexpr std::int64_t kScale = 100'000'000;
  std::int64_t units = 0;  // price * kScale

  friend constexpr auto operator<=>(const Price&, const Price&) = default;
  static constexpr Price fromUnits(std::int64_t u) { return Price{u}; }
  [[nodiscard]] double toDouble() const { return static_cast<double>(units) / kScale; }
};

// Parses a FIX decimal ("101.25", "-3", "0.000001") exactly; nullopt for anything else (NaN, "1e5", "",
// overflow, more than 8 decimals).
std::optional<Price> parsePrice(std::string_view text);
// Parses a whole, non-negative-or-negative integer quantity written as FIX Qty ("100", "100.0", "-5");
// nullopt for fractions, NaN, exponents and overflow.
std::optional<Qty> parseQty(std::string_view text);
// Shortest exact decimal form: 101.25 -> "101.25", 100 -> "100".
std::string formatPrice(Price p);

enum class Side : std::uint8_t { Buy, Sell, SellShort };
enum class OrdType : std::uint8_t { Market, Limit, Stop, StopLimit };
enum class TimeInForce : std::uint8_t { Day, GoodTillCancel, ImmediateOrCancel, FillOrKill, GoodTillDate };
enum class TradingCapacity : std::uint8_t { Unspecified, Agency, Principal, RisklessPrincipal };

// FIX order states (OrdStatus 39) the gateway tracks for every client order.
enum class OrdStatus : std::uint8_t {
  PendingNew,
  New,
  PartiallyFilled,
  Filled,
  PendingCancel,
  Canceled,
  PendingReplace,
  Replaced,
  Rejected,
  Expired,
  DoneForDay,
};

// Why an execution report is sent (ExecType 150, version-neutral; the FIX edge maps Trade to 1/2 or F).
enum class ExecKind : std::uint8_t {
  New,
  Trade,
  Canceled,
  Replaced,
  PendingCancel,
  PendingReplace,
  Rejected,
  Expired,
  DoneForDay,
  Status,
};

[[nodiscard]] bool isFinal(OrdStatus s);
[[nodiscard]] std::string_view toString(OrdStatus s);
[[nodiscard]] std::string_view toString(Side s);
[[nodiscard]] std::string_view toString(OrdType t);
[[nodiscard]] bool sideIsBuy(Side s);

// MiFID II party identification (RTS 24 / 2017/565 Annex IV): short codes as the client sent them.
struct PartyRef {
  std::string id;     // PartyID 448
  char source = 0;    // PartyIDSource 447 (e.g. 'P' short code), 0 when absent
  int qualifier = 0;  // PartyRoleQualifier 2376 (22 algorithm, 24 natural person), 0 when absent
  [[nodiscard]] bool empty() const { return id.empty(); }
};

struct Parties {
  PartyRef client;                 // PartyRole 3  (client ID)
  PartyRef investment_decision;    // PartyRole 122 (investment decision within firm)
  PartyRef execution_within_firm;  // PartyRole 12  (executing trader / algo)
};

}  // namespace fixgate::core
