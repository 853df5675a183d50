// One client order as the gateway tracks it, from the client's first ClOrdID to its final state.
#pragma once

#include <cstdint>
#include <string>

#include "core/events.h"
#include "core/types.h"

namespace fixgate::core {

enum class PendingChange : std::uint8_t { None, Cancel, Replace };

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

  std::string venue_cl_ord_id;  // the gateway's ClOrdID at the venue currently in force
  std::string venue_order_id;

  PendingChange pending = PendingChange::None;
  std::string pending_cl_ord_id;        // the client's ClOrdID of the pending cancel/replace
  std::string pending_venue_cl_ord_id;  // the gateway's ClOrdID of that request at the venue
  OrderTerms pending_terms;             // replace only

  [[nodiscard]] Qty leavesQty() const { return isFinal(status) ? 0 : terms.quantity - cum_qty; }
  [[nodiscard]] Price avgPx() const {
    return cum_qty == 0 ? Price{} : Price{static_cast<std::int64_t>(fill_notional / cum_qty)};
  }
  // OrdStatus (39) as the client must see it.
  [[nodiscard]] OrdStatus visibleStatus() const {
    if (isFinal(status)) return status;
    if (pending == PendingChange::Cancel) return OrdStatus::PendingCancel;
    if (pending == PendingChange::Replace) return OrdStatus::PendingReplace;
    return status;
  }
};

}  // namespace fixgate::core
