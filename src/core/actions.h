// Everything the core asks the edges to do. Actions are self-contained values: an edge needs nothing else
// from the core to turn one into a FIX message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/alerts.h"
#include "core/events.h"
#include "core/reject.h"
#include "core/types.h"

namespace fixgate::core {

struct ExecReport {
  SessionId session = 0;
  ExecKind kind = ExecKind::New;
  OrdStatus status = OrdStatus::New;
  std::string order_id;  // OrderID 37, the gateway's id for the order
  std::string exec_id;   // ExecID 17
  std::string cl_ord_id;
  std::string orig_cl_ord_id;  // set on cancel/replace answers
  std::string account;
  std::string symbol;
  Side side = Side::Buy;
  OrdType ord_type = OrdType::Limit;
  TimeInForce time_in_force = TimeInForce::Day;
  Qty order_qty = 0;
  std::optional<Price> price;
  std::optional<Price> stop_price;
  Qty last_qty = 0;
  Price last_px;
  Qty leaves_qty = 0;
  Qty cum_qty = 0;
  Price avg_px;
  std::optional<RejectCode> reject;
  std::string text;
  Timestamp transact_time = 0;
};

struct CancelReject {
  SessionId session = 0;
  bool for_replace = false;  // CxlRejResponseTo 434: 1 cancel, 2 replace
  std::string cl_ord_id;
  std::string orig_cl_ord_id;
  std::string order_id;  // "NONE" when the order is unknown
  OrdStatus status = OrdStatus::Rejected;
  RejectCode reject = RejectCode::UnknownOrder;
  std::string text;
  Timestamp transact_time = 0;
};

struct MassCancelReport {
  SessionId session = 0;
  std::string cl_ord_id;
  std::string order_id;  // id of this mass-cancel request
  char raw_scope = '7';
  std::string symbol;
  int affected_orders = 0;
  std::optional<RejectCode> reject;  // set when the request is refused (MassCancelResponse 0)
  std::string text;
  Timestamp transact_time = 0;
};

struct VenueNewOrder {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  OrderTerms terms;
  Timestamp transact_time = 0;
  std::string order_id;  // the gateway's OrderID: links the venue request to the client order in the audit
  // true: a replay of an order the venue's status answer showed it never received, sent with PossResend=Y
  // (97). Optional because records journaled before replays existed end without it.
  std::optional<bool> replay;
};

struct VenueCancel {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string orig_venue_cl_ord_id;
  std::string venue_order_id;
  std::string symbol;
  Side side = Side::Buy;
  Qty order_qty = 0;
  Timestamp transact_time = 0;
  std::string order_id;  // the gateway's OrderID, for the audit
};

struct VenueReplace {
  VenueId venue = 0;
  std::string venue_cl_ord_id;
  std::string orig_venue_cl_ord_id;
  std::string venue_order_id;
  OrderTerms terms;
  Timestamp transact_time = 0;
  std::string order_id;  // the gateway's OrderID, for the audit
};

// Asks the venue what it holds for an order (OrderStatusRequest), after an acknowledgement timed out.
struct VenueStatusQuery {
  VenueId venue = 0;
  std::string venue_cl_ord_id;  // the venue-side ClOrdID whose answer is missing
  std::string venue_order_id;   // empty when the venue never acknowledged the order
  std::string symbol;
  Side side = Side::Buy;
  Timestamp transact_time = 0;
  std::string order_id;  // the gateway's OrderID, for the audit
  std::string query_id;  // OrdStatusReqID (790): which query an answer is to
};

// A scope's trading state changed: who or what did it, and why. Logged, and journaled by the audit issue.
struct StateChange {
  Scope scope = Scope::Global;
  std::string key;
  TradingState from = TradingState::Active;
  TradingState to = TradingState::Active;
  std::string by;  // operator name, or the breaker that tripped
  std::string reason;
  Timestamp at = 0;
};

// A new limits snapshot is in force from this event on.
struct LimitsApplied {
  std::string old_version;
  std::string new_version;
  std::string source;
  std::string by;
  Timestamp at = 0;
  std::shared_ptr<const std::string> content;  // the limits file's text (shares the snapshot's string)
};

// The pre-trade controls' verdict on a new order or a replace (entitlements, trading states, limits,
// duplicates), with the limits version in force: the audit trail's risk decision (RTS 6 Art. 15). No edge
// acts on it; the journal records it.
struct RiskDecision {
  SessionId session = 0;
  bool replace = false;
  std::string cl_ord_id;
  std::string account;
  std::string symbol;
  std::optional<RejectCode> reject;  // nullopt: accepted
  std::string text;
  std::shared_ptr<const std::string> limits_version;  // shares the snapshot's string: no copy per order
  Timestamp at = 0;
  // The symbol's reference price when the order arrived (nullopt: none known): the benchmark the
  // execution-quality report measures slippage against.
  std::optional<Price> arrival_price;
};

// Something an operator must look at: the core refused a venue answer that would corrupt an order's state.
struct OperatorAlert {
  std::string code;  // one of core/alerts.h's alert_code, which also says how urgent it is
  std::string text;
};

using Action =
    std::variant<ExecReport, CancelReject, MassCancelReport, VenueNewOrder, VenueCancel, VenueReplace,
                 OperatorAlert, StateChange, LimitsApplied, RiskDecision, VenueStatusQuery>;

// Moves the RiskDecision actions out of `actions`, keeping the order of both: for readers (tests, the
// admin reply) that look at what the edges act on.
inline std::vector<RiskDecision> takeRiskDecisions(std::vector<Action>& actions) {
  std::vector<RiskDecision> decisions;
  std::erase_if(actions, [&](Action& a) {
    auto* d = std::get_if<RiskDecision>(&a);
    if (d != nullptr) decisions.push_back(std::move(*d));
    return d != nullptr;
  });
  return decisions;
}

}  // namespace fixgate::core
