// One symbol's resting orders in price-time priority. Holds pointers into the engine's order table, which
// owns the orders; the book only orders them.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "book/order.h"

namespace fixgate::sim {

class OrderBook {
 public:
  // Joins the back of its price level. The order must be a limit order with leaves > 0.
  void add(Order& order);
  // Must be called before the order's side or price changes, so its level can be found.
  void remove(const Order& order);
  [[nodiscard]] bool contains(OrderId id) const { return where_.contains(id); }

  // The resting order an incoming order on `incomingSide` trades with next, or nullptr if none crosses
  // `limit` (nullopt = market, anything crosses).
  [[nodiscard]] Order* bestMatch(Side incomingSide, std::optional<Price> limit) const;
  // Quantity the incoming order could take from the book, counted up to `cap` (for fill-or-kill).
  [[nodiscard]] Qty available(Side incomingSide, std::optional<Price> limit, Qty cap) const;

  // Resting orders of one side, best first.
  [[nodiscard]] std::vector<const Order*> orders(Side side) const;
  [[nodiscard]] std::size_t size() const { return where_.size(); }

 private:
  using Level = std::list<Order*>;
  std::map<Price, Level, std::greater<>> bids_;  // best (highest) first
  std::map<Price, Level, std::less<>> asks_;     // best (lowest) first
  std::unordered_map<OrderId, Level::iterator> where_;
};

}  // namespace fixgate::sim
