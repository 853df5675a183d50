#include "book/order_book.h"

#include <cassert>

namespace fixgate::sim {
namespace {

bool crosses(Side incomingSide, std::optional<Price> limit, Price resting) {
  if (!limit) return true;
  return incomingSide == Side::Buy ? resting <= *limit : resting >= *limit;
}

template <typename Levels>
void eraseFrom(Levels& levels, Price price, std::list<Order*>::iterator it) {
  auto level = levels.find(price);
  assert(level != levels.end());
  level->second.erase(it);
  if (level->second.empty()) levels.erase(level);
}

template <typename Levels>
Order* firstCrossing(const Levels& levels, Side incomingSide, std::optional<Price> limit) {
  if (levels.empty()) return nullptr;
  const auto& [price, level] = *levels.begin();
  return crosses(incomingSide, limit, price) ? level.front() : nullptr;
}

template <typename Levels>
Qty sumCrossing(const Levels& levels, Side incomingSide, std::optional<Price> limit, Qty cap) {
  Qty total = 0;
  for (const auto& [price, level] : levels) {
    if (!crosses(incomingSide, limit, price)) break;
    for (const Order* o : level) {
      total += leavesQty(*o);
      if (total >= cap) return cap;
    }
  }
  return total;
}

template <typename Levels>
void collect(const Levels& levels, std::vector<const Order*>& out) {
  for (const auto& [price, level] : levels) out.insert(out.end(), level.begin(), level.end());
}

}  // namespace

void OrderBook::add(Order& order) {
  assert(order.price && leavesQty(order) > 0 && !where_.contains(order.id));
  Level& level = order.side == Side::Buy ? bids_[*order.price] : asks_[*order.price];
  where_.emplace(order.id, level.insert(level.end(), &order));
}

void OrderBook::remove(const Order& order) {
  auto found = where_.find(order.id);
  if (found == where_.end()) return;
  if (order.side == Side::Buy) {
    eraseFrom(bids_, *order.price, found->second);
  } else {
    eraseFrom(asks_, *order.price, found->second);
  }
  where_.erase(found);
}

Order* OrderBook::bestMatch(Side incomingSide, std::optional<Price> limit) const {
  return incomingSide == Side::Buy ? firstCrossing(asks_, incomingSide, limit)
                                   : firstCrossing(bids_, incomingSide, limit);
}

Qty OrderBook::available(Side incomingSide, std::optional<Price> limit, Qty cap) const {
  return incomingSide == Side::Buy ? sumCrossing(asks_, incomingSide, limit, cap)
                                   : sumCrossing(bids_, incomingSide, limit, cap);
}

std::vector<const Order*> OrderBook::orders(Side side) const {
  std::vector<const Order*> out;
  out.reserve(where_.size());
  if (side == Side::Buy) {
    collect(bids_, out);
  } else {
    collect(asks_, out);
  }
  return out;
}

}  // namespace fixgate::sim
