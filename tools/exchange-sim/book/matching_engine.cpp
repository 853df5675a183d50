#include "book/matching_engine.h"

#include <algorithm>

#include <fmt/format.h>

namespace fixgate::sim {
namespace {

std::string indexKey(std::string_view session, std::string_view clOrdId) {
  std::string key;
  key.reserve(session.size() + 1 + clOrdId.size());
  key.append(session).append(1, '\x1f').append(clOrdId);
  return key;
}

void applyFill(Order& o, Qty qty, Price px) {
  o.cumQty += qty;
  o.notional += static_cast<Notional>(qty) * px.units;
  o.status = o.cumQty >= o.orderQty ? OrdStatus::Filled : OrdStatus::PartiallyFilled;
}

Event orderEvent(EventKind kind, const Order& o, std::string text = {}) {
  Event e;
  e.kind = kind;
  e.order = o;
  e.text = std::move(text);
  return e;
}

Event tradeEvent(const Order& o, Fill fill) {
  Event e = orderEvent(EventKind::Trade, o);
  e.fill = fill;
  return e;
}

Event cancelRejectEvent(const Order* target, std::string_view session, CancelRejectResponseTo to,
                        CancelRejectReason reason, std::string clOrdId, std::string origClOrdId,
                        std::string text) {
  Event e;
  e.kind = EventKind::CancelRejected;
  if (target) {
    e.order = *target;
  } else {
    e.order.session = std::string(session);
    e.order.status = OrdStatus::Rejected;
  }
  e.origClOrdId = std::move(origClOrdId);
  e.text = std::move(text);
  e.cancelReject = CancelReject{to, reason, std::move(clOrdId)};
  return e;
}

std::string_view tooLateText(OrdStatus s) {
  switch (s) {
    case OrdStatus::Filled:
      return "order is already filled";
    case OrdStatus::Canceled:
      return "order is already canceled";
    case OrdStatus::Expired:
      return "order has already expired";
    default:
      return "order is no longer live";
  }
}

}  // namespace

Order* MatchingEngine::lookup(std::string_view session, std::string_view clOrdId) {
  auto it = byClOrdId_.find(indexKey(session, clOrdId));
  return it == byClOrdId_.end() ? nullptr : &orders_.at(it->second);
}

const Order* MatchingEngine::find(std::string_view session, std::string_view clOrdId) const {
  auto it = byClOrdId_.find(indexKey(session, clOrdId));
  return it == byClOrdId_.end() ? nullptr : &orders_.at(it->second);
}

void MatchingEngine::index(const Order& order) {
  byClOrdId_[indexKey(order.session, order.clOrdId)] = order.id;
}

std::vector<const Order*> MatchingEngine::resting(std::string_view symbol, Side side) const {
  auto it = books_.find(symbol);
  return it == books_.end() ? std::vector<const Order*>{} : it->second.orders(side);
}

std::size_t MatchingEngine::restingCount() const {
  std::size_t n = 0;
  for (const auto& [symbol, book] : books_) n += book.size();
  return n;
}

std::string MatchingEngine::validate(const NewOrderRequest& r) const {
  if (r.clOrdId.empty()) return "ClOrdID (11) missing";
  if (r.symbol.empty()) return "Symbol (55) missing";
  if (r.qty <= 0) return fmt::format("OrderQty must be positive, got {}", r.qty);
  if (r.type == OrdType::Limit && !r.price) return "limit order without Price (44)";
  if (config_.haltedSymbols.contains(r.symbol)) {
    return fmt::format("symbol {} is halted at venue {}", r.symbol, config_.venue);
  }
  if (find(r.session, r.clOrdId)) return fmt::format("duplicate ClOrdID {}", r.clOrdId);
  return {};
}

std::optional<Price> MatchingEngine::venuePrice(const Order& order) const {
  if (config_.fill.model == FillModel::Rest) return std::nullopt;
  if (order.type == OrdType::Limit) return order.price;
  auto ref = config_.referencePrices.find(order.symbol);
  return ref == config_.referencePrices.end() ? std::nullopt : std::optional<Price>(ref->second);
}

bool MatchingEngine::canFillCompletely(const Order& order, const OrderBook& book) const {
  Qty fromBook = book.available(order.side, order.price, order.orderQty);
  Qty fromVenue = venuePrice(order) ? venueFillQty(config_.fill, order.orderQty - fromBook) : 0;
  return fromBook + fromVenue >= order.orderQty;
}

void MatchingEngine::matchAgainstBook(Order& incoming, OrderBook& book, Events& out) {
  while (leavesQty(incoming) > 0) {
    Order* resting = book.bestMatch(incoming.side, incoming.price);
    if (!resting) break;
    Qty qty = std::min(leavesQty(incoming), leavesQty(*resting));
    Price px = *resting->price;  // the resting order set the price; the aggressor gets any improvement
    std::uint64_t matchId = nextMatchId_++;
    applyFill(incoming, qty, px);
    applyFill(*resting, qty, px);
    if (leavesQty(*resting) == 0) book.remove(*resting);
    out.push_back(tradeEvent(incoming, Fill{qty, px, matchId, Liquidity::Removed}));
    out.push_back(tradeEvent(*resting, Fill{qty, px, matchId, Liquidity::Added}));
  }
}

void MatchingEngine::fillFromVenue(Order& order, Events& out) {
  auto px = venuePrice(order);
  if (!px) return;
  Qty qty = venueFillQty(config_.fill, leavesQty(order));
  if (qty <= 0) return;
  applyFill(order, qty, *px);
  out.push_back(tradeEvent(order, Fill{qty, *px, 0, Liquidity::Venue}));
}

void MatchingEngine::expire(Order& order, std::string text, Events& out) {
  order.status = OrdStatus::Expired;
  out.push_back(orderEvent(EventKind::Expired, order, std::move(text)));
}

Events MatchingEngine::submit(const NewOrderRequest& r) {
  Events out;
  Order draft{.session = r.session,
              .clOrdId = r.clOrdId,
              .symbol = r.symbol,
              .side = r.side,
              .type = r.type,
              .tif = r.tif,
              .price = r.type == OrdType::Limit ? r.price : std::nullopt,
              .orderQty = r.qty};
  if (std::string why = validate(r); !why.empty()) {
    draft.price = r.price;  // echo what was sent
    draft.status = OrdStatus::Rejected;
    out.push_back(orderEvent(EventKind::Rejected, draft, std::move(why)));
    return out;
  }
  draft.id = nextOrderId_++;
  Order& order = orders_.emplace(draft.id, std::move(draft)).first->second;
  index(order);
  out.push_back(orderEvent(EventKind::Accepted, order));

  OrderBook& book = books_[order.symbol];
  if (order.tif == TimeInForce::FillOrKill && !canFillCompletely(order, book)) {
    Qty available = book.available(order.side, order.price, order.orderQty);
    expire(order,
           fmt::format("fill-or-kill order for {} cannot be filled in full ({} available)", order.orderQty,
                       available),
           out);
    return out;
  }
  matchAgainstBook(order, book, out);
  fillFromVenue(order, out);

  Qty remaining = leavesQty(order);
  if (remaining == 0) return out;
  if (order.type == OrdType::Market) {
    if (order.cumQty > 0) {
      expire(
          order,
          fmt::format("market order remainder {} canceled: no more liquidity on {}", remaining, order.symbol),
          out);
    } else if (config_.fill.model != FillModel::Rest) {
      expire(order, fmt::format("no liquidity for market order on {} and no reference price", order.symbol),
             out);
    } else {
      expire(order, fmt::format("no liquidity for market order on {}", order.symbol), out);
    }
  } else if (order.tif == TimeInForce::ImmediateOrCancel || order.tif == TimeInForce::FillOrKill) {
    expire(order, fmt::format("immediate-or-cancel remainder {} canceled", remaining), out);
  } else {
    book.add(order);
  }
  return out;
}

std::string MatchingEngine::checkAmendable(const Order* order, std::string_view clOrdId,
                                           std::string_view session, CancelRejectReason& reason) const {
  if (!order) {
    reason = CancelRejectReason::UnknownOrder;
    return "unknown order";
  }
  if (isTerminal(order->status)) {
    reason = CancelRejectReason::TooLate;
    return std::string(tooLateText(order->status));
  }
  reason = CancelRejectReason::Other;
  if (clOrdId.empty()) return "ClOrdID (11) missing";
  if (find(session, clOrdId)) {
    reason = CancelRejectReason::DuplicateClOrdId;
    return fmt::format("duplicate ClOrdID {}", clOrdId);
  }
  return {};
}

Events MatchingEngine::cancel(const CancelRequest& r) {
  Order* order = lookup(r.session, r.origClOrdId);
  CancelRejectReason reason{};
  if (std::string why = checkAmendable(order, r.clOrdId, r.session, reason); !why.empty()) {
    return {cancelRejectEvent(order, r.session, CancelRejectResponseTo::Cancel, reason, r.clOrdId,
                              r.origClOrdId, fmt::format("{}: OrigClOrdID {}", why, r.origClOrdId))};
  }
  books_[order->symbol].remove(*order);
  order->status = OrdStatus::Canceled;
  order->clOrdId = r.clOrdId;
  index(*order);
  Event e = orderEvent(EventKind::Canceled, *order);
  e.origClOrdId = r.origClOrdId;
  return {e};
}

Events MatchingEngine::replace(const ReplaceRequest& r) {
  Order* order = lookup(r.session, r.origClOrdId);
  CancelRejectReason reason{};
  std::string why = checkAmendable(order, r.clOrdId, r.session, reason);
  if (why.empty()) {
    reason = CancelRejectReason::Other;
    if (!r.symbol.empty() && r.symbol != order->symbol) {
      why = fmt::format("cannot change Symbol from {} to {}", order->symbol, r.symbol);
    } else if (r.side != order->side) {
      why = "cannot change Side";
    } else if (r.type != OrdType::Limit) {
      why = "only limit orders can be replaced";
    } else if (!r.price) {
      why = "limit order without Price (44)";
    } else if (r.qty <= 0) {
      why = fmt::format("OrderQty must be positive, got {}", r.qty);
    } else if (r.qty < order->cumQty) {
      why = fmt::format("OrderQty {} is below CumQty {}", r.qty, order->cumQty);
    }
  }
  if (!why.empty()) {
    return {cancelRejectEvent(order, r.session, CancelRejectResponseTo::Replace, reason, r.clOrdId,
                              r.origClOrdId, fmt::format("{}: OrigClOrdID {}", why, r.origClOrdId))};
  }

  OrderBook& book = books_[order->symbol];
  // Venues keep queue position only for changes that cannot hurt the orders behind: same price, no more size.
  bool keepsPriority = *r.price == *order->price && r.qty <= order->orderQty;
  if (!keepsPriority) book.remove(*order);  // must happen while the old price still locates its level
  std::string origClOrdId = order->clOrdId;
  order->price = r.price;
  order->orderQty = r.qty;
  order->clOrdId = r.clOrdId;
  index(*order);
  if (order->cumQty == order->orderQty) {
    order->status = OrdStatus::Filled;
    book.remove(*order);
  }
  Events out;
  Event e = orderEvent(EventKind::Replaced, *order);
  e.origClOrdId = std::move(origClOrdId);
  out.push_back(std::move(e));
  if (!keepsPriority && leavesQty(*order) > 0) {
    matchAgainstBook(*order, book, out);
    if (leavesQty(*order) > 0) book.add(*order);
  }
  return out;
}

Events MatchingEngine::massCancel(const MassCancelRequest& r) {
  std::vector<Order*> hits;
  for (auto& [symbol, book] : books_) {
    if (r.symbol && symbol != *r.symbol) continue;
    for (Side side : {Side::Buy, Side::Sell}) {
      if (r.side && side != *r.side) continue;
      for (const Order* o : book.orders(side)) {
        if (o->session == r.session) hits.push_back(&orders_.at(o->id));
      }
    }
  }
  std::ranges::sort(hits, {}, &Order::id);
  Events out;
  for (Order* o : hits) {
    books_[o->symbol].remove(*o);
    o->status = OrdStatus::Canceled;
    out.push_back(orderEvent(EventKind::Canceled, *o, "canceled by mass cancel request"));
  }
  return out;
}

}  // namespace fixgate::sim
