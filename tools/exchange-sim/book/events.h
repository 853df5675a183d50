// What the book reports back: one Event per execution report / cancel reject the FIX edge must send.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "book/order.h"

namespace fixgate::sim {

enum class EventKind : std::uint8_t {
  Accepted,        // ExecType 0
  Rejected,        // ExecType 8 (new order refused; order.id == 0)
  Trade,           // ExecType F
  Canceled,        // ExecType 4 (on request, or by mass cancel)
  Replaced,        // ExecType 5
  Expired,         // ExecType C: remainder eliminated by time in force (IOC, FOK, market)
  CancelRejected,  // OrderCancelReject 9
};

// Which side of a match an order was on (LastLiquidityInd 851).
enum class Liquidity : std::uint8_t { Added, Removed, Venue };

struct Fill {
  Qty qty = 0;
  Price price;
  std::uint64_t matchId = 0;  // shared by both sides of a book match; 0 for fills against the venue
  Liquidity liquidity = Liquidity::Removed;
};

enum class CancelRejectResponseTo : std::uint8_t { Cancel, Replace };
// FIX 4.4 CxlRejReason 102 values the simulator uses.
enum class CancelRejectReason : std::uint8_t {
  TooLate = 0,
  UnknownOrder = 1,
  DuplicateClOrdId = 6,
  Other = 99
};

struct CancelReject {
  CancelRejectResponseTo responseTo = CancelRejectResponseTo::Cancel;
  CancelRejectReason reason = CancelRejectReason::UnknownOrder;
  std::string clOrdId;  // of the refused request
};

struct Event {
  EventKind kind = EventKind::Accepted;
  // The order after this event. Rejected: what was asked, id 0. CancelRejected: the targeted order as it
  // stands, or id 0 with only the session set when unknown.
  Order order;
  std::string origClOrdId;  // Canceled/Replaced on request and CancelRejected: the ClOrdID that was targeted
  std::string text;
  Fill fill;                  // Trade only
  CancelReject cancelReject;  // CancelRejected only
};

using Events = std::vector<Event>;

}  // namespace fixgate::sim
