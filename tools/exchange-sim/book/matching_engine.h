// The venue: every symbol's book, every order ever accepted, and the rules that turn requests into events.
// Single-threaded by design; the FIX glue serialises calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "book/events.h"
#include "book/fill_model.h"
#include "book/order_book.h"
#include "book/requests.h"

namespace fixgate::sim {

struct EngineConfig {
  std::string venue = "SIM";  // only for reject texts
  FillModelConfig fill;
  std::map<std::string, Price, std::less<>>
      referencePrices;  // market orders fill here under immediate/partial
  std::set<std::string, std::less<>> haltedSymbols;
};

class MatchingEngine {
 public:
  explicit MatchingEngine(EngineConfig config) : config_(std::move(config)) {}

  // Every accepted order gets Accepted first, then Trades (both sides of each book match), then Expired if
  // time in force eliminates a remainder.
  Events submit(const NewOrderRequest& request);
  Events cancel(const CancelRequest& request);
  // Replaced, then Trades if the new price crosses the book.
  Events replace(const ReplaceRequest& request);
  Events massCancel(const MassCancelRequest& request);

  // Terminal orders stay findable so late cancels are "too late" rather than "unknown", and status works.
  [[nodiscard]] const Order* find(std::string_view session, std::string_view clOrdId) const;
  [[nodiscard]] std::vector<const Order*> resting(std::string_view symbol, Side side) const;
  [[nodiscard]] std::size_t restingCount() const;
  [[nodiscard]] const EngineConfig& config() const { return config_; }

 private:
  Order* lookup(std::string_view session, std::string_view clOrdId);
  void index(const Order& order);
  [[nodiscard]] std::string validate(const NewOrderRequest& request) const;
  [[nodiscard]] bool canFillCompletely(const Order& order, const OrderBook& book) const;
  [[nodiscard]] std::optional<Price> venuePrice(const Order& order) const;
  void matchAgainstBook(Order& incoming, OrderBook& book, Events& out);
  void fillFromVenue(Order& order, Events& out);
  void expire(Order& order, std::string text, Events& out);
  [[nodiscard]] std::string checkAmendable(const Order* order, std::string_view clOrdId,
                                           std::string_view session, CancelRejectReason& reason) const;

  EngineConfig config_;
  OrderId nextOrderId_ = 1;
  std::uint64_t nextMatchId_ = 1;
  std::unordered_map<OrderId, Order> orders_;           // node-based: books keep pointers into it
  std::unordered_map<std::string, OrderId> byClOrdId_;  // session + '\x1f' + every ClOrdID the order had
  std::map<std::string, OrderBook, std::less<>> books_;
};

}  // namespace fixgate::sim
