// Every refusal the gateway can give, with a stable code. A newcomer looking for where a reject comes from
// searches for its RejectCode name: each is raised in exactly one place in src/core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fixgate::core {

enum class RejectCode : std::uint16_t {
  // Order validation (1xx)
  InvalidQuantity = 101,    // zero, negative, fractional, NaN or unparsable OrderQty
  MissingLimitPrice = 102,  // limit or stop-limit order without Price (44)
  MissingStopPrice = 103,   // stop or stop-limit order without StopPx (99)
  InvalidPrice = 104,       // unparsable or non-positive price
  UnexpectedPrice = 105,    // market order carrying a Price
  UnknownSymbol = 106,      // symbol not in the instrument reference data
  DuplicateClOrdId = 107,   // ClOrdID already used on this session today
  MissingExpireTime = 108,  // GTD without ExpireTime/ExpireDate
  UnsupportedValue = 109,   // a field value the gateway's rules of engagement do not support
  // Cancel / replace / status (2xx)
  UnknownOrder = 201,       // OrigClOrdID (or ClOrdID for status) not a known order of this session
  OrderAlreadyFinal = 202,  // too late to cancel/replace: the order is filled, canceled, rejected...
  ReplaceChangesSide = 203,
  ReplaceChangesSymbol = 204,
  ReplaceQtyBelowFilled = 205,  // new OrderQty not above CumQty
  OrderPendingChange = 206,     // a cancel or replace is already pending for this order
  MassCancelUnsupportedScope = 207,
  // Routing (3xx)
  NoRouteForOrder = 301,    // no routing rule matched and no default venue
  UnknownVenue = 302,       // a rule or ExDestination names a venue that is not configured
  VenueDisconnected = 303,  // the venue session is not logged on
  // Venue answers (4xx)
  VenueRejected = 401,      // the venue refused the order; its text is passed on
  VenueUnknownOrder = 402,  // after an ack timeout the venue's status answer shows it never had the order
  VenueRequestLost = 403,   // after an ack timeout the venue's status answer shows the cancel/replace undone
  // Pre-trade risk (5xx): SEC 15c3-5, MiFID II RTS 6. Raised in src/core/pre_trade.cpp.
  UnknownAccount = 501,  // no Account and no session default, or an account without limits
  NotEntitled = 502,     // the session may not trade this account, symbol or venue
  RestrictedSymbol = 503,
  ThrottleExceeded = 504,  // the session's messages per second (RTS 6 Art. 15)
  MaxOrderQty = 505,
  MaxOrderNotional = 506,
  NoReferencePrice = 507,  // market order, or collar check, with no reference price
  PriceOffTick = 508,
  PriceCollar = 509,
  MaxOpenOrders = 510,
  DuplicateOrder = 511,
  GrossCreditLimit = 512,
  NetCreditLimit = 513,
  LongPositionLimit = 514,
  ShortPositionLimit = 515,
  DailyLossLimit = 516,
  NoLimitsLoaded = 517,
  // Trading states and breakers (6xx). Raised in src/core/trading_states.cpp.
  TradingHalted = 601,  // a scope is halted (kill switch or operator halt)
  ReducingOnly = 602,   // a scope only accepts position-reducing orders
  VenueBreakerOpen = 603,
  SessionBreakerLatched = 604,  // reject-rate or repeated-execution breaker, until a named person resets it
  SymbolMoveHalt = 605,         // the symbol moved too far too fast; cooling off
};

// FIX OrdRejReason (103) / CxlRejReason (102) to send with a given code.
struct FixReasons {
  int ord_rej_reason;
  int cxl_rej_reason;
};

[[nodiscard]] std::string_view name(RejectCode code);
[[nodiscard]] FixReasons fixReasons(RejectCode code);

// A refusal as a value: the code for machines, the text for the person reading the client's log.
struct Reject {
  RejectCode code;
  std::string text;
};

// "FG106 unknown symbol 'XYZ' ..." - the code leads so clients can grep and alert on it.
[[nodiscard]] Reject makeReject(RejectCode code, std::string_view detail);

}  // namespace fixgate::core
