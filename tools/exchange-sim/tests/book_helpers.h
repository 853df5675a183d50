// Shorthand for building requests and picking events apart in the book tests.
#pragma once

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "book/matching_engine.h"

namespace fixgate::sim::testing {

inline Price px(std::int64_t whole) {
  return Price::fromWhole(whole);
}

inline NewOrderRequest limit(std::string clOrdId, Side side, Qty qty, Price price,
                             TimeInForce tif = TimeInForce::Day, std::string session = "A") {
  return NewOrderRequest{.session = std::move(session),
                         .clOrdId = std::move(clOrdId),
                         .symbol = "XYZ",
                         .side = side,
                         .type = OrdType::Limit,
                         .tif = tif,
                         .price = price,
                         .qty = qty};
}

inline NewOrderRequest market(std::string clOrdId, Side side, Qty qty, std::string session = "A",
                              TimeInForce tif = TimeInForce::Day) {
  return NewOrderRequest{.session = std::move(session),
                         .clOrdId = std::move(clOrdId),
                         .symbol = "XYZ",
                         .side = side,
                         .type = OrdType::Market,
                         .tif = tif,
                         .price = std::nullopt,
                         .qty = qty};
}

inline ReplaceRequest amend(std::string clOrdId, std::string origClOrdId, Side side, Qty qty, Price price,
                            std::string session = "A") {
  return ReplaceRequest{.session = std::move(session),
                        .clOrdId = std::move(clOrdId),
                        .origClOrdId = std::move(origClOrdId),
                        .symbol = "XYZ",
                        .side = side,
                        .type = OrdType::Limit,
                        .price = price,
                        .qty = qty};
}

inline std::vector<Event> ofKind(const Events& events, EventKind kind) {
  std::vector<Event> out;
  std::ranges::copy_if(events, std::back_inserter(out), [&](const Event& e) { return e.kind == kind; });
  return out;
}

inline std::vector<EventKind> kinds(const Events& events) {
  std::vector<EventKind> out;
  for (const Event& e : events) out.push_back(e.kind);
  return out;
}

// ClOrdIDs of one side's resting orders, best first.
inline std::vector<std::string> queue(const MatchingEngine& engine, Side side,
                                      std::string_view symbol = "XYZ") {
  std::vector<std::string> out;
  for (const Order* o : engine.resting(symbol, side)) out.push_back(o->clOrdId);
  return out;
}

}  // namespace fixgate::sim::testing
