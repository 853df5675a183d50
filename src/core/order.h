// One client order as the gateway tracks it, from the client's first ClOrdID to its final state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/events.h"
#include "core/risk_state.h"
#include "core/types.h"

namespace fixgate::core {

// A cancel or replace the gateway sent to the venue and that the venue has not answered yet.
struct PendingRequest {
  std::string client_cl_ord_id;  // the client's ClOrdID of the request; empty for a mass cancel
  std::string venue_cl_ord_id;   // the gateway's ClOrdID of the request at the venue
  std::string text;              // why, when the gateway itself cancels (kill switch)
  Timestamp ack_deadline = 0;    // when the venue's answer is overdue; 0: no timeout
  bool timed_out = false;        // the deadline passed without an answer: the venue was asked for status
};

struct Order {
  std::uint32_t index = 0;  // position in the engine's order store
  std::string order_id;     // the gateway's OrderID (37) towards the client
  SessionId session = 0;
  VenueId venue = 0;
  std::string cl_ord_id;  // the client's ClOrdID currently in force (changes with each accepted replace)
  OrderTerms terms;       // terms currently in force at the venue

  // The order's own state: PendingNew, New, PartiallyFilled or a final state. A pending cancel or replace is
  // kept apart (below) so that a refused one restores nothing: the client-visible status is derived.
  OrdStatus status = OrdStatus::PendingNew;
  Qty cum_qty = 0;
  __int128 fill_notional = 0;  // sum of last_px.units * last_qty, for an exact AvgPx

  Price valuation_px;  // the price its open quantity is valued at for risk (limit, stop or reference)
  WorkingContribution reserved;  // exactly what this order adds to its account's usage while it is working
  std::string venue_cl_ord_id;   // the gateway's ClOrdID at the venue currently in force
  std::string venue_order_id;
  Timestamp new_ack_deadline = 0;  // while PendingNew: when the venue's acknowledgement is overdue
  bool new_ack_timed_out = false;
  // Accepted while its venue was disconnected and not sent yet: sent when the venue reconnects, rejected
  // when new_ack_deadline (the end of the hold) passes first, canceled here without the venue.
  bool held = false;
  std::uint8_t replays = 0;  // times sent again because the venue's status answer showed it never had it
  // Why the gateway must cancel the order as soon as its venue is connected (cancel-on-disconnect while the
  // venue was down); empty when not.
  std::string cancel_when_venue_up;
  // The venue was asked for the order's status after it reconnected; its answer is reconciled.
  bool status_queried = false;
  // Waits in its venue's status backlog (queries after a reconnect are paced); any query sent clears it.
  bool status_queued = false;
  std::string status_query_id;              // the latest status query sent for the order
  Timestamp status_deadline = 0;            // when the answer to it is overdue (0: none awaited)
  std::uint8_t status_retries = 0;          // queries re-sent because the answer never came
  std::vector<std::string> venue_exec_ids;  // every execution the venue reported, to ignore repeats
  // Every ClOrdID the order answers to on its session (its own, each cancel's and each replace's) and every
  // venue-side ClOrdID minted for it: the engine forgets them with the order when it releases it.
  std::vector<std::string> client_cl_ord_ids;
  std::vector<std::string> venue_cl_ord_ids;

  // A client may have one request pending; a mass cancel can add a cancel on top of a pending replace, and
  // the venue answers each on its own.
  std::optional<PendingRequest> pending_cancel;
  std::optional<PendingRequest> pending_replace;
  OrderTerms pending_terms;  // the terms of pending_replace
  Price pending_valuation_px;

  [[nodiscard]] bool hasPending() const { return pending_cancel || pending_replace; }
  // An acknowledgement timed out and the venue was asked for the order's status: until its answer arrives,
  // nobody knows what the venue holds.
  [[nodiscard]] bool venueStateUnknown() const {
    return (status == OrdStatus::PendingNew && new_ack_timed_out) ||
           (pending_cancel && pending_cancel->timed_out) || (pending_replace && pending_replace->timed_out);
  }

  [[nodiscard]] Qty leavesQty() const { return isFinal(status) ? 0 : terms.quantity - cum_qty; }
  [[nodiscard]] Price avgPx() const {
    return cum_qty == 0 ? Price{} : Price{static_cast<std::int64_t>(fill_notional / cum_qty)};
  }
  // OrdStatus (39) as the client must see it.
  [[nodiscard]] OrdStatus visibleStatus() const {
    if (isFinal(status)) return status;
    if (pending_cancel) return OrdStatus::PendingCancel;
    if (pending_replace) return OrdStatus::PendingReplace;
    return status;
  }
};

}  // namespace fixgate::core
