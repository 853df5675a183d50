// What the core knows about the world it trades in: sessions, venues, instruments and routing rules.
// Built once from configuration. The settings ApplySettings carries change only at that (journaled) event.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/events.h"
#include "core/types.h"

namespace fixgate::core {

struct RoutingRule {
  RouteMatch match = RouteMatch::Symbol;
  std::string value;
  VenueId venue = 0;
};

struct RoutingTable {
  std::vector<RoutingRule> rules;  // first match wins
  std::optional<VenueId> default_venue;
};

namespace detail {
inline std::uint64_t load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline std::uint32_t load32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// 64x64->128 multiply, folded: the mixing step of wyhash.
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
}  // namespace detail

// Byte equality of two strings without a call to memcmp for the short keys the hot path uses (accounts,
// symbols, session and venue names are almost always 16 bytes or less): fixed-size overlapping loads.
inline bool sameString(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    if (n > 16) return std::memcmp(p, q, n) == 0;
    return detail::load64(p) == detail::load64(q) && detail::load64(p + n - 8) == detail::load64(q + n - 8);
  }
  if (n >= 4)
    return detail::load32(p) == detail::load32(q) && detail::load32(p + n - 4) == detail::load32(q + n - 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// Transparent hashing so lookups by string_view do not allocate. A short-key hash (wyhash-style: two
// overlapping 8-byte loads and one 128-bit multiply for keys up to 16 bytes) instead of std::hash's
// byte-wise murmur: the keys are account, symbol and session names looked up several times per order.
// Deliberately not noexcept: libstdc++ then caches each node's hash code, so a lookup compares hash codes
// before keys and walks a bucket without rehashing the keys it passes.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const {  // NOLINT: no noexcept on purpose, see above
    constexpr std::uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t a = 0, b = 0, seed = k0 ^ n;
    if (n <= 16) {
      if (n >= 8) {
        a = detail::load64(p);
        b = detail::load64(p + n - 8);
      } else if (n >= 4) {
        a = detail::load32(p);
        b = detail::load32(p + n - 4);
      } else if (n > 0) {
        a = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16) |
            (std::uint64_t{static_cast<unsigned char>(p[n >> 1])} << 8) |
            static_cast<unsigned char>(p[n - 1]);
      }
    } else {
      do {
        seed = detail::mix(detail::load64(p) ^ k1, detail::load64(p + 8) ^ seed);
        p += 16;
        n -= 16;
      } while (n > 16);
      a = detail::load64(p + n - 16);  // n is in (0, 16] and at least 16 bytes were consumed before p
      b = detail::load64(p + n - 8);
    }
    return detail::mix(k1 ^ s.size(), detail::mix(a ^ k1, b ^ seed));
  }
};
struct StringEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return sameString(a, b); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, StringEqual>;

struct ReferenceData {
  std::vector<std::string> session_names;  // indexed by SessionId
  std::vector<std::string> venue_names;    // indexed by VenueId
  // indexed by VenueId; missing entries use the defaults. Set by ApplySettings, as cancel_on_disconnect and
  // final_order_retention_us are.
  std::vector<AckTimeouts> venue_ack_timeouts;
  std::vector<bool> cancel_on_disconnect;  // indexed by SessionId; missing entries: false
  // Status queries per second to each venue after it reconnects, indexed by VenueId; missing entries: 0
  // (unpaced). Configured per venue as status_queries_per_second; see VenueStatusPacing.
  std::vector<std::uint32_t> status_queries_per_second;
  StringMap<Instrument> instruments;  // by symbol
  RoutingTable routing;
  // How long the engine keeps an order after it reached a final state (filled, canceled, rejected, expired):
  // status requests and late venue messages get its details until then. After it, only its ClOrdIDs are
  // remembered (the duplicate check, "too late to cancel"), so memory follows open orders, not the day's
  // volume. 0: keep every order until restart. Configured as gateway.final_order_retention_s.
  std::int64_t final_order_retention_us = 0;
  // ClOrdIDs expected per day over all sessions: the set remembering those of released orders is sized for
  // them at start, so it does not grow (and pause the order path) during the day. Configured as
  // gateway.expected_cl_ord_ids_per_day.
  std::size_t expected_cl_ord_ids_per_day = 0;
  // When each trading day starts, in seconds after 00:00 UTC (0 to 86399): the runtime starts the next day
  // (StartTradingDay) at that time. Configured as gateway.trading_day_start_utc.
  std::int64_t trading_day_start_s = 0;

  [[nodiscard]] const Instrument* instrument(std::string_view symbol) const;
  [[nodiscard]] std::optional<VenueId> venueByName(std::string_view name) const;
  [[nodiscard]] std::optional<SessionId> sessionByName(std::string_view name) const;
  [[nodiscard]] bool cancelsOnDisconnect(SessionId session) const {
    return session < cancel_on_disconnect.size() && cancel_on_disconnect[session];
  }
  [[nodiscard]] std::uint32_t statusQueriesPerSecond(VenueId venue) const {
    return venue < status_queries_per_second.size() ? status_queries_per_second[venue] : 0;
  }
  [[nodiscard]] AckTimeouts ackTimeouts(VenueId venue) const {
    return venue < venue_ack_timeouts.size() ? venue_ack_timeouts[venue] : AckTimeouts{};
  }
};

// The settings ApplySettings journals, as `refdata` holds them.
[[nodiscard]] ApplySettings settingsOf(const ReferenceData& refdata);

// Whether `refdata` gives every venue and session that `settings` (journaled by an earlier run) lists the
// same position (VenueId, SessionId), which journaled events refer to them by. What differs, and what to do
// about it, when not.
[[nodiscard]] std::optional<std::string> indexMismatch(const ApplySettings& settings,
                                                       const ReferenceData& refdata);

// The status queries per second `settings` gives `venue`: 0 (unpaced) for a venue it does not list and for
// settings journaled before pacing existed.
[[nodiscard]] std::uint32_t statusQueriesPerSecond(const ApplySettings& settings, std::string_view venue);

// What `after` changes from `before`, one line each in gateway.yaml's key names ("instruments: added
// NEW; removed OLD", "venue SIM-B: hold_while_disconnected_ms 0 -> 60000"): for the reply to a reload.
[[nodiscard]] std::vector<std::string> settingsChanges(const ApplySettings& before,
                                                       const ApplySettings& after);

}  // namespace fixgate::core
