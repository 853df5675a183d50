// What the core knows about the world it trades in: sessions, venues, instruments and routing rules.
// Built once from configuration; immutable while the engine runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/events.h"
#include "core/types.h"

namespace fixgate::core {

struct Instrument {
  std::string symbol;
  std::string isin;
  std::string mic;
  std::string currency;
  Price tick_size = Price{1'000'000};  // 0.01
};

enum class RouteMatch : std::uint8_t { Symbol, SecurityExchange, Account };

struct RoutingRule {
  RouteMatch match = RouteMatch::Symbol;
  std::string value;
  VenueId venue = 0;
};

struct RoutingTable {
  std::vector<RoutingRule> rules;  // first match wins
  std::optional<VenueId> default_venue;
};

// Transparent hashing so lookups by string_view do not allocate.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct ReferenceData {
  std::vector<std::string> session_names;  // indexed by SessionId
  std::vector<std::string> venue_names;    // indexed by VenueId
  StringMap<Instrument> instruments;       // by symbol
  RoutingTable routing;

  [[nodiscard]] const Instrument* instrument(std::string_view symbol) const;
  [[nodiscard]] std::optional<VenueId> venueByName(std::string_view name) const;
  [[nodiscard]] std::optional<SessionId> sessionByName(std::string_view name) const;
};

}  // namespace fixgate::core
