#include "order_mix.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "message_builders.h"

namespace fixgate::load {
namespace {

constexpr int kMaxStepsFromReference = 50;
// How many random open orders a cancel or replace looks at before giving up on this request.
constexpr int kClaimAttempts = 8;

std::string priceText(std::int32_t tenths) {
  return fmt::format("{}.{}0", tenths / 10, tenths % 10);
}

// Price `steps` 0.10-steps on the passive side of the reference: below for a buy, above for a sell.
std::int32_t passivePrice(std::int32_t reference_tenths, char side, int steps) {
  return side == '1' ? std::max(1, reference_tenths - steps) : reference_tenths + steps;
}

}  // namespace

OrderMix::OrderMix(const LoadOptions& options, RequestTable& table, LoadStats& stats)
    : options_(options), table_(table), stats_(stats), random_(options.seed) {
  for (const SymbolSpec& symbol : options.symbols)
    reference_tenths_.push_back(static_cast<std::int32_t>(std::lround(symbol.reference_price * 10.0)));
  open_orders_.reserve(table.capacity());
}

PlannedRequest OrderMix::plan(std::size_t index) {
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  const bool at_bound =
      options_.max_open_orders > 0 &&
      orders_ - stats_.orders_done.load(std::memory_order_relaxed) >= options_.max_open_orders;
  const bool wants_cancel = at_bound || draw < options_.cancel_ratio;
  const bool wants_replace = !wants_cancel && draw < options_.cancel_ratio + options_.replace_ratio;
  if (wants_cancel || wants_replace) {
    if (const auto order = claimLiveOrder())
      return wants_cancel ? planCancel(index, *order) : planReplace(index, *order);
    stats_.fallback_to_new.fetch_add(1, std::memory_order_relaxed);
  }
  return planNew(index);
}

std::optional<std::uint32_t> OrderMix::claimLiveOrder() {
  for (int attempt = 0; attempt < kClaimAttempts && !open_orders_.empty(); ++attempt) {
    const std::size_t pick = std::uniform_int_distribution<std::size_t>(0, open_orders_.size() - 1)(random_);
    const std::uint32_t candidate = open_orders_[pick];
    OrderSlot& order = table_.order(candidate);
    OrderState live = OrderState::Live;
    if (order.state.compare_exchange_strong(live, OrderState::Changing, std::memory_order_acq_rel))
      return candidate;
    if (live == OrderState::Done) {  // forget it: swap with the last and drop
      open_orders_[pick] = open_orders_.back();
      open_orders_.pop_back();
    }
  }
  return std::nullopt;
}

PlannedRequest OrderMix::planNew(std::size_t index) {
  const std::uint32_t order_index = orders_++;
  OrderSlot& order = table_.order(order_index);
  order.session = static_cast<std::uint16_t>(next_session_);
  next_session_ = (next_session_ + 1) % options_.sender_comp_ids.size();
  order.account = static_cast<std::uint16_t>(
      std::uniform_int_distribution<std::size_t>(0, options_.accounts.size() - 1)(random_));
  order.symbol = static_cast<std::uint16_t>(
      std::uniform_int_distribution<std::size_t>(0, options_.symbols.size() - 1)(random_));
  order.side = std::uniform_int_distribution<int>(0, 1)(random_) == 0 ? '1' : '2';
  order.qty = 100 * std::uniform_int_distribution<int>(1, 10)(random_);
  order.price_tenths = passivePrice(reference_tenths_[order.symbol], order.side,
                                    std::uniform_int_distribution<int>(1, kMaxStepsFromReference)(random_));
  order.current_request = static_cast<std::uint32_t>(index);
  order.state.store(OrderState::PendingNew, std::memory_order_release);
  open_orders_.push_back(order_index);

  RequestSlot& request = table_.request(index);
  request.kind = RequestKind::New;
  request.order = order_index;

  client::NewOrderParams params =
      client::limitOrder(table_.clOrdId(index), options_.symbols[order.symbol].symbol, order.side,
                         std::to_string(order.qty), priceText(order.price_tenths));
  params.account = options_.accounts[order.account];
  params.time_in_force = '0';  // Day
  return {client::newOrderSingle(client::FixVersion::Fix44, params), order.session};
}

PlannedRequest OrderMix::planCancel(std::size_t index, std::uint32_t order_index) {
  const OrderSlot& order = table_.order(order_index);
  RequestSlot& request = table_.request(index);
  request.kind = RequestKind::Cancel;
  request.order = order_index;
  const client::CancelParams params{.cl_ord_id = table_.clOrdId(index),
                                    .orig_cl_ord_id = table_.clOrdId(order.current_request),
                                    .symbol = options_.symbols[order.symbol].symbol,
                                    .side = order.side,
                                    .qty = std::to_string(order.qty)};
  return {client::cancel(client::FixVersion::Fix44, params), order.session};
}

PlannedRequest OrderMix::planReplace(std::size_t index, std::uint32_t order_index) {
  const OrderSlot& order = table_.order(order_index);
  RequestSlot& request = table_.request(index);
  request.kind = RequestKind::Replace;
  request.order = order_index;
  // A new passive price for the same quantity: what a quoting strategy does most.
  request.new_price_tenths =
      passivePrice(reference_tenths_[order.symbol], order.side,
                   std::uniform_int_distribution<int>(1, kMaxStepsFromReference)(random_));
  client::ReplaceParams params = client::limitReplace(
      table_.clOrdId(index), table_.clOrdId(order.current_request), options_.symbols[order.symbol].symbol,
      order.side, std::to_string(order.qty), priceText(request.new_price_tenths));
  params.account = options_.accounts[order.account];
  params.time_in_force = '0';
  return {client::replace(client::FixVersion::Fix44, params), order.session};
}

}  // namespace fixgate::load
