// The settings from gateway.yaml (and its instruments file) that the core decides with and that are
// journaled at each start (ApplySettings), so that a replay decides each run's events as that run did.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

namespace fixgate::core {

// How long a venue may take to acknowledge each kind of request before the order's state there is
// "unknown" (the client is told, the venue is asked for the order's status, the venue breaker counts it).
// A zero timeout never fires; a venue without settings has none (config/gateway.yaml gives each venue its
// defaults).
struct AckTimeouts {
  std::int64_t new_order_us = 0;
  std::int64_t cancel_us = 0;
  std::int64_t replace_us = 0;
  bool cancel_unacknowledged_new = false;  // also cancel a new order at the venue when its ack times out
  // Send a new order again (PossResend=Y, same venue ClOrdID) when the venue's status answer shows it never
  // received it; false: reject it to the client (FG402).
  bool replay_unreceived_new = true;
  // How long a new order for the venue is held while the venue is disconnected, to be sent when it
  // reconnects; 0: such orders are rejected at once (FG303 VenueDisconnected).
  std::int64_t hold_while_disconnected_us = 0;

  bool operator==(const AckTimeouts&) const = default;
};

struct Instrument {
  std::string symbol;
  std::string isin;
  std::string mic;
  std::string currency;
  Price tick_size = Price{1'000'000};  // 0.01

  bool operator==(const Instrument&) const = default;
};

enum class RouteMatch : std::uint8_t { Symbol, SecurityExchange, Account };

// Journaled events name venues and sessions by index (VenueId, SessionId), so each run lists its venues and
// sessions in index order with their names: a replay refuses a configuration that moved or removed one
// (indexMismatch), and applies the settings by name.
struct VenueSettings {
  std::string venue;
  AckTimeouts ack_timeouts;

  bool operator==(const VenueSettings&) const = default;
};

// How fast the gateway asks a venue for the status of its open orders after the venue reconnects: at most
// this many OrderStatusRequests in any one-second window, the rest queued and sent as earlier ones leave
// the window. 0: all at once. Venues throttle their sessions; a burst of one query per
// open order could trip that throttle and get the session refused or dropped.
struct VenueStatusPacing {
  std::string venue;
  std::uint32_t queries_per_second = 0;

  bool operator==(const VenueStatusPacing&) const = default;
};

struct SessionSettings {
  std::string session;
  bool cancel_on_disconnect = false;

  bool operator==(const SessionSettings&) const = default;
};

struct RouteSettings {
  RouteMatch match = RouteMatch::Symbol;
  std::string value;
  std::string venue;  // by name

  bool operator==(const RouteSettings&) const = default;
};

// The settings the engine's decisions depend on, other than limits (ApplyLimits) and the trading day's start
// (StartTradingDay is journaled itself), as the run journaling this configured them: gateway.yaml's venue
// and session settings, final-order retention and routing, and the instruments file. Journaled at each
// start, so that a replay decides each run's events with that run's settings even when the files changed
// since. Instruments, routing and retention replace the configured ones whole; venues and sessions are
// applied to those of the same name (a venue or session added since keeps its configured settings).
struct ApplySettings {
  std::vector<VenueSettings> venues;      // in VenueId order
  std::vector<SessionSettings> sessions;  // in SessionId order
  std::int64_t final_order_retention_us = 0;
  std::vector<Instrument> instruments;  // sorted by symbol
  std::vector<RouteSettings> routes;    // first match wins
  std::optional<std::string> default_venue;
  // In VenueId order. Absent in journals written before status queries were paced: those runs sent them
  // all at once, and a replay decides their events so.
  std::optional<std::vector<VenueStatusPacing>> status_pacing;

  bool operator==(const ApplySettings&) const = default;
};

}  // namespace fixgate::core
