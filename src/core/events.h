// Everything that enters the core: client commands (normalized from any FIX version), venue answers and
// connectivity changes. Each carries what the core needs to decide; time arrives in Event::at.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "core/settings.h"
#include "core/types.h"

namespace fixgate::core {

using SessionId = std::uint16_t;  // index of a client session in the configuration
using VenueId = std::uint16_t;    // index of a venue in the configuration

// The economic terms of an order, shared by new orders and replaces.
struct OrderTerms {
  std::string account;            // Account 1
  std::string symbol;             // Symbol 55
  std::string security_id;        // SecurityID 48 (ISIN when security_id_source is '4')
  char security_id_source = 0;    // SecurityIDSource 22
  std::string security_exchange;  // SecurityExchange 207 (MIC)
  std::string ex_destination;     // ExDestination 100: a venue name, when the client chooses one
  std::string currency;           // Currency 15
  Side side = Side::Buy;
  OrdType ord_type = OrdType::Limit;
  TimeInForce time_in_force = TimeInForce::Day;
  Qty quantity = 0;
  std::optional<Price> price;       // Price 44
  std::optional<Price> stop_price;  // StopPx 99
  std::string expire;               // ExpireTime 126 or ExpireDate 432, as sent (GTD only)
  TradingCapacity capacity = TradingCapacity::Unspecified;
  Parties parties;
};

struct NewOrder {
  SessionId session = 0;
  std::string cl_ord_id;
  OrderTerms terms;
  // PossDupFlag (43) = Y: the client resends it (the gateway asked for a resend). Optional only so that
  // journals from before it decode: absent is N.
  std::optional<bool> poss_dup = std::nullopt;
};

struct CancelOrder {
  SessionId session = 0;
  std::string cl_ord_id;
  std::string orig_cl_ord_id;
  std::string symbol;
  Side side = Side::Buy;
  std::optional<bool> poss_dup = std::nullopt;  // as in NewOrder
};

struct ReplaceOrder {
  SessionId session = 0;
  std::string cl_ord_id;
  std::string orig_cl_ord_id;
  OrderTerms terms;
  std::optional<bool> poss_dup = std::nullopt;  // as in NewOrder
};

struct StatusRequest {
  SessionId session = 0;
  std::string cl_ord_id;
  std::string order_id;  // OrderID 37 when the client sent it
  std::string symbol;
  Side side = Side::Buy;
};

enum class MassCancelScope : std::uint8_t { BySymbol, AllOrders, Unsupported };

struct MassCancel {
  SessionId session = 0;
  std::string cl_ord_id;
  MassCancelScope scope = MassCancelScope::AllOrders;
  char raw_scope = '7';  // MassCancelRequestType 530 as sent, echoed back
  std::string symbol;
};

struct ClientSessionUp {
  SessionId session = 0;
};
struct ClientSessionDown {
  SessionId session = 0;
};
struct VenueUp {
  VenueId venue = 0;
};
struct VenueDown {
  VenueId venue = 0;
};

// Venue answers are keyed by the venue-side ClOrdID the gateway assigned (never the client's).
struct VenueAccepted {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string venue_order_id;
};
struct VenueFill {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string venue_order_id;
  std::string venue_exec_id;
  Qty last_qty = 0;
  Price last_px;
};
struct VenueCanceled {  // answers a cancel (venue_cl_ord_id is the cancel's) or an unsolicited cancel/IOC
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string text;
};
struct VenueReplaced {
  VenueId venue = 0;
  std::string venue_cl_ord_id;  // the replace request's id
  std::string venue_order_id;
};
struct VenueRejected {  // the venue refused a new order
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string text;
};
// A new order's request could not be written: its venue's session had dropped before the core learnt it
// (the VenueDown comes later). Applied as that drop, then as if the order had arrived with the venue down:
// held (hold_while_disconnected_ms) or rejected (FG303), not reported as refused by the venue.
struct VenueNewOrderUnsent {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
};
struct VenueCancelRejected {  // the venue refused a cancel or a replace
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string text;
};
struct VenueExpired {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
};

// The venue's answer to a status query (OrderStatusRequest): what it holds for the order whose venue-side
// ClOrdID is venue_cl_ord_id. `known` is false when the venue has no such order.
struct VenueOrderStatus {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string venue_order_id;
  bool known = false;
  OrdStatus status = OrdStatus::New;  // the venue's OrdStatus (39) when known
  Qty cum_qty = 0;
  Price avg_px;  // AvgPx (6) over cum_qty
  std::string text;
  std::string query_id;  // the OrdStatusReqID (790) the venue echoed; empty when it echoes none
};

// Time has passed: deadlines the core holds (acknowledgement timeouts) that are due by Event::at fire. The
// runtime sends one only when the engine's next deadline is due, so a quiet gateway journals none.
struct Tick {
  Timestamp due = 0;  // the deadline that made the runtime send it (informational)
};

// Operator controls (admin channel, SIGHUP). Each carries who did it, for the audit trail.
enum class Scope : std::uint8_t { Global, Account, Session, Symbol, Venue };
enum class TradingState : std::uint8_t { Active, Reducing, Halted };

struct Limits;

// Sets a scope's trading state. Halted with cancel_open_orders is the kill switch (RTS 6 Art. 12).
struct SetTradingState {
  Scope scope = Scope::Global;
  std::string key;  // account, session name, symbol or venue; empty for Global
  TradingState state = TradingState::Halted;
  bool cancel_open_orders = false;
  std::string by;  // operator name, required
  std::string reason;
};

// Clears a session's latched reject-rate / repeated-execution breaker.
struct ResetSessionBreaker {
  std::string session;
  std::string by;
};

// Swaps in a new limits snapshot, validated before it gets here.
struct ApplyLimits {
  std::shared_ptr<const Limits> limits;
  std::string by;
};

// A gateway process starts trading: ids minted from here on carry this prefix. Journaled, so a replay mints
// exactly the ids each earlier run sent.
struct BeginRun {
  std::string id_prefix;
};

// A new trading day begins (gateway.trading_day_start_utc): the day's risk usage (fills, realized P&L, the
// credit warning) starts again from zero, and the ClOrdIDs of orders released on earlier days may be used
// again. Positions and working orders carry over. Journaled, so a replay starts each day at the same point.
struct StartTradingDay {
  std::string trade_date;  // YYYY-MM-DD (tradingDayOf)
};

// New alternatives go at the end: the journal records an event's index in this variant.
using EventBody = std::variant<NewOrder, CancelOrder, ReplaceOrder, StatusRequest, MassCancel,
                               ClientSessionUp, ClientSessionDown, VenueUp, VenueDown, VenueAccepted,
                               VenueFill, VenueCanceled, VenueReplaced, VenueRejected, VenueCancelRejected,
                               VenueExpired, SetTradingState, ResetSessionBreaker, ApplyLimits, BeginRun,
                               VenueOrderStatus, Tick, StartTradingDay, ApplySettings, VenueNewOrderUnsent>;

struct Event {
  Timestamp at = 0;
  EventBody body;
};

}  // namespace fixgate::core
