// One order as the venue sees it, from acceptance to its final state.
#pragma once

#include <optional>
#include <string>

#include "book/types.h"

namespace fixgate::sim {

struct Order {
  OrderId id = 0;
  std::string session;  // owner: the FIX session that sent it
  std::string clOrdId;  // the owner's latest ClOrdID (changes on cancel/replace)
  std::string symbol;
  Side side = Side::Buy;
  OrdType type = OrdType::Limit;
  TimeInForce tif = TimeInForce::Day;
  std::optional<Price> price;  // limit orders only
  Qty orderQty = 0;
  Qty cumQty = 0;
  Notional notional = 0;  // sum of lastQty * lastPx.units, for an exact AvgPx
  OrdStatus status = OrdStatus::New;
};

[[nodiscard]] inline Qty leavesQty(const Order& o) {
  return isTerminal(o.status) ? 0 : o.orderQty - o.cumQty;
}

// Volume-weighted fill price, rounded half away from zero to the 1e-8 grid; 0 before the first fill.
[[nodiscard]] Price avgPx(const Order& o);

}  // namespace fixgate::sim
