#include "core/risk_state.h"

#include <fmt/format.h>

#include <algorithm>

namespace fixgate::core {

Notional notionalOf(Price px, Qty qty) {
  return static_cast<Notional>(px.units) * qty;
}

std::string formatWhole(Notional value) {
  const bool negative = value < 0;
  if (negative) value = -value;
  std::string digits;  // 128-bit: std::to_string has no overload for it
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return negative ? "-" + digits : digits;
}

std::string formatMoney(Notional units) {
  const bool negative = units < 0;
  if (negative) units = -units;
  constexpr Notional kCent = Price::kScale / 100;
  const Notional cents = (units + kCent / 2) / kCent;
  const auto fraction = static_cast<int>(cents % 100);
  const std::string digits = formatWhole(cents / 100);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return fmt::format("{}{}.{:02}", negative ? "-" : "", grouped, fraction);
}

AccountUsage& RiskState::account(std::string_view name) {
  auto it = accounts_.find(name);
  if (it == accounts_.end()) it = accounts_.emplace(std::string(name), AccountUsage{}).first;
  return it->second;
}

const AccountUsage* RiskState::findAccount(std::string_view name) const {
  const auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : &it->second;
}

AccountUsage* RiskState::findAccount(std::string_view name) {
  const auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : &it->second;
}

PositionUsage& RiskState::position(std::string_view account_name, std::string_view symbol) {
  return position(account(account_name), symbol);
}

PositionUsage& RiskState::position(AccountUsage& usage, std::string_view symbol) {
  auto& positions = usage.positions;
  auto it = positions.find(symbol);
  if (it == positions.end()) it = positions.emplace(std::string(symbol), PositionUsage{}).first;
  return it->second;
}

void RiskState::addWorking(std::string_view account_name, std::string_view symbol,
                           const WorkingContribution& c) {
  auto& usage = account(account_name);
  auto& pos = position(usage, symbol);
  ++usage.open_orders;
  if (sideIsBuy(c.side)) {
    usage.open_buy += c.notional;
    pos.open_buy_qty += c.qty;
  } else {
    usage.open_sell += c.notional;
    pos.open_sell_qty += c.qty;
  }
}

void RiskState::removeWorking(std::string_view account_name, std::string_view symbol,
                              const WorkingContribution& c) {
  auto& usage = account(account_name);
  auto& pos = position(usage, symbol);
  --usage.open_orders;
  if (sideIsBuy(c.side)) {
    usage.open_buy -= c.notional;
    pos.open_buy_qty -= c.qty;
  } else {
    usage.open_sell -= c.notional;
    pos.open_sell_qty -= c.qty;
  }
}

std::size_t RiskState::startDay() {
  for (auto& [name, usage] : accounts_) {
    usage.filled_buy = 0;
    usage.filled_sell = 0;
    usage.realized_pnl = 0;
    usage.credit_warned = false;
  }
  return accounts_.size();
}

void RiskState::addFill(std::string_view account_name, std::string_view symbol, Side side, Qty qty,
                        Price px) {
  auto& usage = account(account_name);
  auto& pos = position(usage, symbol);
  const Notional value = notionalOf(px, qty);
  const Qty signed_qty = sideIsBuy(side) ? qty : -qty;
  if (sideIsBuy(side)) {
    usage.filled_buy += value;
  } else {
    usage.filled_sell += value;
  }
  // Average-cost P&L: the part of the fill that closes the open position realizes against its average cost.
  const bool closing = (pos.position > 0 && signed_qty < 0) || (pos.position < 0 && signed_qty > 0);
  if (closing) {
    const Qty closed = std::min(qty, pos.position > 0 ? pos.position : -pos.position);
    const Notional closed_cost = pos.cost * closed / (pos.position > 0 ? pos.position : -pos.position);
    const Notional closed_value = notionalOf(px, closed);
    // cost carries the position's sign: a short's closed_cost is negative (what was received for it).
    usage.realized_pnl += pos.position > 0 ? closed_value - closed_cost : -closed_cost - closed_value;
    pos.cost -= closed_cost;
    pos.position += pos.position > 0 ? -closed : closed;
    const Qty rest = qty - closed;
    if (rest > 0) {  // the fill flips the position: the rest opens at this price
      pos.position += sideIsBuy(side) ? rest : -rest;
      pos.cost = sideIsBuy(side) ? notionalOf(px, rest) : -notionalOf(px, rest);
    }
  } else {
    pos.position += signed_qty;
    pos.cost += sideIsBuy(side) ? value : -value;
  }
}

void RiskState::setLastPrice(std::string_view symbol, Price px) {
  auto it = last_prices_.find(symbol);
  if (it == last_prices_.end()) {
    last_prices_.emplace(std::string(symbol), px);
  } else {
    it->second = px;
  }
}

std::optional<Price> RiskState::lastPrice(std::string_view symbol) const {
  if (last_prices_.empty()) return std::nullopt;  // before the first fill: no key to hash
  const auto it = last_prices_.find(symbol);
  return it == last_prices_.end() ? std::nullopt : std::optional(it->second);
}

bool RiskState::admitMessage(SessionId session, int max_per_second, Timestamp now) {
  if (max_per_second <= 0) return false;
  if (session >= throttle_rings_.size()) {
    throttle_rings_.resize(session + 1);
    throttle_heads_.resize(session + 1, 0);
  }
  auto& ring = throttle_rings_[session];
  if (ring.size() != static_cast<std::size_t>(max_per_second)) {  // first use, or the limit changed
    ring.assign(static_cast<std::size_t>(max_per_second), Timestamp{-1'000'000'000});
    throttle_heads_[session] = 0;
  }
  auto& head = throttle_heads_[session];  // the oldest of the last N message times
  if (ring[head] > now - 1'000'000) return false;
  ring[head] = now;
  head = (head + 1) % ring.size();
  return true;
}

}  // namespace fixgate::core
