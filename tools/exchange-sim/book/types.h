// Value types of the simulated venue's order book. Deliberately independent of src/core: the simulator is the
// reference the gateway is tested against, so it must not share the gateway's parsing or order model.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fixgate::sim {

// Whole units; the FIX edge refuses fractional quantities.
using Qty = std::int64_t;

// The simulator's own order id. 0 means "never accepted" (rejected new orders, unknown orders).
using OrderId = std::uint64_t;

// Fixed point with 8 decimals so matching, cum/avg and reference fills are exact.
struct Price {
  static constexpr std::int64_t kScale = 100'000'000;
  std::int64_t units = 0;

  friend constexpr auto operator<=>(const Price&, const Price&) = default;
  static constexpr Price fromUnits(std::int64_t u) { return Price{u}; }
  static constexpr Price fromWhole(std::int64_t whole) { return Price{whole * kScale}; }
};

// Sum of qty * price units; 128 bits because 1e6 shares at 1e5 (1e13 units) already overflows 64 bits.
using Notional = __int128;

enum class Side : std::uint8_t { Buy, Sell };
enum class OrdType : std::uint8_t { Market, Limit };
enum class TimeInForce : std::uint8_t { Day, GoodTillCancel, ImmediateOrCancel, FillOrKill };
enum class OrdStatus : std::uint8_t { New, PartiallyFilled, Filled, Canceled, Rejected, Expired };

[[nodiscard]] constexpr Side opposite(Side s) {
  return s == Side::Buy ? Side::Sell : Side::Buy;
}
[[nodiscard]] constexpr bool isTerminal(OrdStatus s) {
  return s == OrdStatus::Filled || s == OrdStatus::Canceled || s == OrdStatus::Rejected ||
         s == OrdStatus::Expired;
}

// Exact decimal parsing ("101.25", "-3", "0.00000001"); nullopt for exponents, NaN, >8 decimals, overflow.
[[nodiscard]] std::optional<Price> parsePrice(std::string_view text);
// Whole quantities written as FIX Qty ("100", "100.00", "-5"); nullopt for fractions and garbage.
[[nodiscard]] std::optional<Qty> parseQty(std::string_view text);
// Shortest exact decimal: 101.25 -> "101.25", 100 -> "100", -0.5 -> "-0.5".
[[nodiscard]] std::string formatPrice(Price p);

[[nodiscard]] std::string_view toString(Side s);
[[nodiscard]] std::string_view toString(OrdStatus s);
[[nodiscard]] std::string_view toString(TimeInForce t);

}  // namespace fixgate::sim
