#include "core/pre_trade.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

namespace fixgate::core {
namespace {

Reject refuse(RejectCode code, std::string detail) {
  return makeReject(code, detail);
}

Notional abs128(Notional v) {
  return v < 0 ? -v : v;
}

template <typename T>
std::optional<T> firstOf(std::optional<T> a, std::optional<T> b) {
  return a ? a : b;
}

// An empty list allows everything. A linear scan (entitlement lists are short), comparing lengths and then
// the bytes with inline loads rather than a memcmp call per entry.
bool contains(const std::vector<std::string>& list, std::string_view value) {
  if (list.empty()) return true;
  for (const auto& entry : list) {
    if (sameString(entry, value)) return true;
  }
  return false;
}

// referencePrice for a symbol whose limits were already looked up (nullptr: none configured).
std::optional<Price> referencePriceOf(const SymbolLimits* symbol_limits, const RiskState& risk,
                                      std::string_view symbol) {
  if (auto last = risk.lastPrice(symbol)) return last;
  if (symbol_limits != nullptr && symbol_limits->reference_price) return symbol_limits->reference_price;
  return std::nullopt;
}

}  // namespace

std::optional<Price> referencePrice(const Limits& limits, const RiskState& risk, std::string_view symbol) {
  const auto it = limits.symbols.find(symbol);
  return referencePriceOf(it == limits.symbols.end() ? nullptr : &it->second, risk, symbol);
}

std::optional<Price> pricingPrice(const OrderTerms& terms, std::optional<Price> reference) {
  if (terms.price) return terms.price;
  if (terms.stop_price) return terms.stop_price;
  return reference;
}

void resolveOrder(const Limits& limits, RiskState& risk, PreTradeInput& in) {
  const auto& t = *in.terms;
  ResolvedOrder r;
  r.done = true;
  if (const auto it = limits.sessions.find(in.session_name); it != limits.sessions.end())
    r.session_limits = &it->second;
  if (const auto it = limits.accounts.find(t.account); it != limits.accounts.end())
    r.account_limits = &it->second;
  if (const auto it = limits.symbols.find(t.symbol); it != limits.symbols.end())
    r.symbol_limits = &it->second;
  r.usage = risk.findAccount(t.account);
  if (r.usage != nullptr) {
    if (const auto it = r.usage->positions.find(t.symbol); it != r.usage->positions.end())
      r.position = &it->second;
  }
  in.resolved = r;
}

std::optional<Reject> checkEntitlements(const Limits& limits, const PreTradeInput& in) {
  const auto& t = *in.terms;
  const SessionLimits* session = nullptr;
  if (in.resolved.done) {
    session = in.resolved.session_limits;
  } else if (const auto it = limits.sessions.find(in.session_name); it != limits.sessions.end()) {
    session = &it->second;
  }
  if (session == nullptr) {
    return refuse(RejectCode::NotEntitled,
                  fmt::format("session {} has no entitlements in limits file {}; it may not trade until "
                              "operations add it",
                              in.session_name, limits.source));
  }
  if (t.account.empty()) {
    return refuse(
        RejectCode::UnknownAccount,
        fmt::format("the order has no Account (1) and session {} has no default account; send Account",
                    in.session_name));
  }
  if (in.resolved.done ? in.resolved.account_limits == nullptr : !limits.accounts.contains(t.account)) {
    return refuse(
        RejectCode::UnknownAccount,
        fmt::format("account {} has no risk limits configured; orders for it are refused until operations "
                    "add it",
                    t.account));
  }
  const auto& e = *session;
  if (!contains(e.accounts, t.account)) {
    return refuse(RejectCode::NotEntitled,
                  fmt::format("session {} is not entitled to trade account {}", in.session_name, t.account));
  }
  if (!contains(e.symbols, t.symbol)) {
    return refuse(RejectCode::NotEntitled,
                  fmt::format("session {} is not entitled to trade symbol {}", in.session_name, t.symbol));
  }
  if (!contains(e.venues, in.venue_name)) {
    return refuse(RejectCode::NotEntitled, fmt::format("session {} is not entitled to trade on venue {}",
                                                       in.session_name, in.venue_name));
  }
  return std::nullopt;
}

namespace {

bool reduces(const PositionUsage* position, const OrderTerms& terms,
             const std::optional<WorkingContribution>& replaced) {
  if (position == nullptr) return false;
  const auto& p = *position;
  // A replace's own working quantity is replaced, not added to.
  const Qty replaced_buy = replaced && sideIsBuy(replaced->side) ? replaced->qty : 0;
  const Qty replaced_sell = replaced && !sideIsBuy(replaced->side) ? replaced->qty : 0;
  if (sideIsBuy(terms.side)) {
    return p.position < 0 &&
           Notional{p.open_buy_qty} - replaced_buy + terms.quantity <= -Notional{p.position};
  }
  return p.position > 0 && Notional{p.open_sell_qty} - replaced_sell + terms.quantity <= Notional{p.position};
}

}  // namespace

bool reducesPosition(const RiskState& risk, const OrderTerms& terms,
                     const std::optional<WorkingContribution>& replaced) {
  const auto* usage = risk.findAccount(terms.account);
  if (usage == nullptr) return false;
  const auto it = usage->positions.find(terms.symbol);
  return reduces(it == usage->positions.end() ? nullptr : &it->second, terms, replaced);
}

bool reducesPosition(const RiskState& risk, const PreTradeInput& in) {
  if (!in.resolved.done) return reducesPosition(risk, *in.terms, in.replaced);
  return reduces(in.resolved.position, *in.terms, in.replaced);
}

PreTradeResult runPreTradeChecks(const Limits& limits, RiskState& risk, const PreTradeInput& in) {
  PreTradeResult result;
  const auto& t = *in.terms;
  const auto& currency = in.instrument->currency;
  const ResolvedOrder& resolved = in.resolved;
  const AccountLimits& account_limits =
      resolved.done ? *resolved.account_limits : limits.accounts.find(t.account)->second;
  const AccountLimits& defaults = limits.account_defaults;
  const SymbolLimits* symbol_limits = resolved.symbol_limits;
  if (!resolved.done) {
    const auto symbol_it = limits.symbols.find(t.symbol);
    symbol_limits = symbol_it == limits.symbols.end() ? nullptr : &symbol_it->second;
  }
  auto fail = [&](RejectCode code, std::string detail) {
    result.reject = refuse(code, std::move(detail));
    return result;
  };

  if (symbol_limits != nullptr && symbol_limits->restricted) {
    return fail(
        RejectCode::RestrictedSymbol,
        fmt::format("symbol {} is on the restricted list; no new orders are accepted for it", t.symbol));
  }
  const SessionLimits* session = resolved.session_limits;
  if (!resolved.done) {
    const auto session_it = limits.sessions.find(in.session_name);
    session = session_it == limits.sessions.end() ? nullptr : &session_it->second;
  }
  if (session != nullptr && session->max_messages_per_second &&
      !risk.admitMessage(in.session, *session->max_messages_per_second, in.now)) {
    return fail(RejectCode::ThrottleExceeded,
                fmt::format("session {} exceeded max_messages_per_second {}; slow down and resend",
                            in.session_name, *session->max_messages_per_second));
  }

  // Quantity, per account then per symbol, each with its default.
  const auto max_qty_account = firstOf(account_limits.max_order_qty, defaults.max_order_qty);
  if (max_qty_account && t.quantity > *max_qty_account) {
    return fail(RejectCode::MaxOrderQty,
                fmt::format("order quantity {} exceeds max_order_qty {} for account {}", t.quantity,
                            *max_qty_account, t.account));
  }
  const auto max_qty_symbol = firstOf(symbol_limits ? symbol_limits->max_order_qty : std::nullopt,
                                      limits.symbol_defaults.max_order_qty);
  if (max_qty_symbol && t.quantity > *max_qty_symbol) {
    return fail(RejectCode::MaxOrderQty,
                fmt::format("order quantity {} exceeds max_order_qty {} for symbol {}", t.quantity,
                            *max_qty_symbol, t.symbol));
  }

  // Prices: tick, reference, collar.
  const auto tick = in.instrument->tick_size.units;
  for (const auto& [label, px] : {std::pair{"Price", t.price}, std::pair{"StopPx", t.stop_price}}) {
    if (px && tick > 0 && px->units % tick != 0) {
      return fail(RejectCode::PriceOffTick,
                  fmt::format("{} {} is not a multiple of the tick size {} for {}", label, formatPrice(*px),
                              formatPrice(in.instrument->tick_size), t.symbol));
    }
  }
  const auto reference = referencePriceOf(symbol_limits, risk, t.symbol);
  const bool collar_on = limits.collar.max_deviation_pct || limits.collar.max_deviation_ticks;
  if (!reference && (t.ord_type == OrdType::Market || (collar_on && t.price))) {
    return fail(
        RejectCode::NoReferencePrice,
        fmt::format("no reference price for {} (no trade yet and none configured); a {} order cannot be "
                    "checked, so it is refused",
                    t.symbol, toString(t.ord_type)));
  }
  if (limits.collar.max_deviation_pct && std::isnan(*limits.collar.max_deviation_pct)) {
    return fail(RejectCode::PriceCollar,
                "the price collar is misconfigured (max_deviation_pct is not a number); orders are "
                "refused until operations fix limits.yaml");
  }
  if (reference && t.price) {
    const auto deviation = std::llabs(t.price->units - reference->units);
    if (limits.collar.max_deviation_pct &&
        100.0 * static_cast<double>(deviation) >
            *limits.collar.max_deviation_pct * static_cast<double>(reference->units)) {
      return fail(
          RejectCode::PriceCollar,
          fmt::format("limit price {} is {:.2f}% from the reference price {} for {}, beyond the collar of "
                      "{}%",
                      formatPrice(*t.price),
                      100.0 * static_cast<double>(deviation) / static_cast<double>(reference->units),
                      formatPrice(*reference), t.symbol, *limits.collar.max_deviation_pct));
    }
    if (limits.collar.max_deviation_ticks && tick > 0 &&
        deviation / tick > *limits.collar.max_deviation_ticks) {
      return fail(
          RejectCode::PriceCollar,
          fmt::format("limit price {} is {} ticks from the reference price {} for {}, beyond the collar of "
                      "{} ticks",
                      formatPrice(*t.price), deviation / tick, formatPrice(*reference), t.symbol,
                      *limits.collar.max_deviation_ticks));
    }
  }
  const auto pricing = pricingPrice(t, reference);
  if (!pricing) {
    return fail(
        RejectCode::NoReferencePrice,
        fmt::format("no price to value the order for {}: no limit price and no reference price", t.symbol));
  }
  result.reference = *pricing;
  const Notional notional = notionalOf(*pricing, t.quantity);

  const auto max_notional_account = firstOf(account_limits.max_order_notional, defaults.max_order_notional);
  if (max_notional_account && notional > notionalOf(*max_notional_account, 1)) {
    return fail(RejectCode::MaxOrderNotional,
                fmt::format("order notional {} {} exceeds max_order_notional {} {} for account {}",
                            formatMoney(notional), currency,
                            formatMoney(notionalOf(*max_notional_account, 1)), currency, t.account));
  }
  const auto max_notional_symbol = firstOf(symbol_limits ? symbol_limits->max_order_notional : std::nullopt,
                                           limits.symbol_defaults.max_order_notional);
  if (max_notional_symbol && notional > notionalOf(*max_notional_symbol, 1)) {
    return fail(RejectCode::MaxOrderNotional,
                fmt::format("order notional {} {} exceeds max_order_notional {} {} for symbol {}",
                            formatMoney(notional), currency, formatMoney(notionalOf(*max_notional_symbol, 1)),
                            currency, t.symbol));
  }

  // Usage: open orders, credit, positions and losses, without the order being replaced.
  // Created here on first sight, as before, when resolveOrder found none.
  AccountUsage& usage = resolved.usage != nullptr ? *resolved.usage : risk.account(t.account);
  PositionUsage& position =
      resolved.position != nullptr ? *resolved.position : RiskState::position(usage, t.symbol);
  Notional open_buy = usage.open_buy, open_sell = usage.open_sell;
  Qty open_buy_qty = position.open_buy_qty, open_sell_qty = position.open_sell_qty;
  int open_orders = usage.open_orders;
  if (in.replaced) {
    --open_orders;
    (sideIsBuy(in.replaced->side) ? open_buy : open_sell) -= in.replaced->notional;
    (sideIsBuy(in.replaced->side) ? open_buy_qty : open_sell_qty) -= in.replaced->qty;
  }
  const auto max_open = firstOf(account_limits.max_open_orders, defaults.max_open_orders);
  if (max_open && open_orders + 1 > *max_open) {
    return fail(RejectCode::MaxOpenOrders,
                fmt::format("account {} already has {} open orders, the max_open_orders limit is {}",
                            t.account, open_orders, *max_open));
  }
  const bool buy = sideIsBuy(t.side);
  const Notional buys = usage.filled_buy + open_buy + (buy ? notional : 0);
  const Notional sells = usage.filled_sell + open_sell + (buy ? 0 : notional);
  const auto check_credit = [&](RejectCode code, const char* name, std::optional<Money> limit,
                                Notional used) -> std::optional<Reject> {
    if (!limit) return std::nullopt;
    const Notional cap = notionalOf(*limit, 1);
    if (used > cap) {
      return refuse(code, fmt::format("account {} {} notional would be {} {}, exceeding {} {} {}", t.account,
                                      code == RejectCode::GrossCreditLimit ? "gross" : "net",
                                      formatMoney(used), currency, name, formatMoney(cap), currency));
    }
    if (!usage.credit_warned && !result.credit_warning &&
        static_cast<double>(used) >= limits.credit_warning_pct / 100.0 * static_cast<double>(cap)) {
      result.credit_warning = fmt::format(
          "account {} uses {} {} of its {} {} {} ({:.0f}%, warning level {}%)", t.account, formatMoney(used),
          currency, name, formatMoney(cap), currency,
          100.0 * static_cast<double>(used) / static_cast<double>(cap), limits.credit_warning_pct);
    }
    return std::nullopt;
  };
  if (auto r = check_credit(RejectCode::GrossCreditLimit, "max_gross_notional",
                            firstOf(account_limits.max_gross_notional, defaults.max_gross_notional),
                            buys + sells)) {
    result.credit_warning.reset();
    result.reject = std::move(r);
    return result;
  }
  if (auto r = check_credit(RejectCode::NetCreditLimit, "max_net_notional",
                            firstOf(account_limits.max_net_notional, defaults.max_net_notional),
                            abs128(buys - sells))) {
    result.credit_warning.reset();
    result.reject = std::move(r);
    return result;
  }

  const auto max_long = firstOf(account_limits.max_long_position, defaults.max_long_position);
  // 128-bit: a huge quantity on top of working orders must not wrap around below the limit.
  const Notional projected_long = Notional{position.position} + open_buy_qty + (buy ? t.quantity : 0);
  if (buy && max_long && projected_long > Notional{*max_long}) {
    return fail(
        RejectCode::LongPositionLimit,
        fmt::format("account {} long position in {} would reach {} (position {} + working buys {} + this "
                    "order {}), exceeding max_long_position {}",
                    t.account, t.symbol, formatWhole(projected_long), position.position, open_buy_qty,
                    t.quantity, *max_long));
  }
  const auto max_short = firstOf(account_limits.max_short_position, defaults.max_short_position);
  const Notional projected_short = -(Notional{position.position} - open_sell_qty - (buy ? 0 : t.quantity));
  if (!buy && max_short && projected_short > Notional{*max_short}) {
    return fail(
        RejectCode::ShortPositionLimit,
        fmt::format("account {} short position in {} would reach {} (position {} - working sells {} - this "
                    "order {}), exceeding max_short_position {}",
                    t.account, t.symbol, formatWhole(projected_short), position.position, open_sell_qty,
                    t.quantity, *max_short));
  }
  const auto max_loss = firstOf(account_limits.max_daily_loss, defaults.max_daily_loss);
  if (max_loss && -usage.realized_pnl > notionalOf(*max_loss, 1) && !reduces(&position, t, in.replaced)) {
    return fail(
        RejectCode::DailyLossLimit,
        fmt::format("account {} realized a loss of {} today, beyond max_daily_loss {}; only "
                    "position-reducing orders are accepted",
                    t.account, formatMoney(-usage.realized_pnl), formatMoney(notionalOf(*max_loss, 1))));
  }
  return result;
}

std::uint64_t DuplicateGuard::keyOf(const OrderTerms& t) {
  // The economic terms that make two orders "the same", mixed with the reference data's string hash (a few
  // multiplies, not a loop per byte: this runs for every order).
  const StringHash hash;
  std::uint64_t h = detail::mix(hash(t.account), hash(t.symbol) ^ 0x9e3779b97f4a7c15ull);
  h = detail::mix(h ^ static_cast<std::uint64_t>(t.side), static_cast<std::uint64_t>(t.quantity));
  return detail::mix(h, static_cast<std::uint64_t>(t.price ? t.price->units : -1));
}

DuplicateGuard::DuplicateGuard(std::size_t initial_capacity)
    : buckets_(std::bit_ceil(std::max<std::size_t>(initial_capacity / kBucketSlots, 1))) {}

bool DuplicateGuard::admit(std::uint64_t key, Timestamp now, int window_ms) {
  if (window_ms <= 0) return true;
  const Timestamp window = static_cast<Timestamp>(window_ms) * 1000;
  if (key == 0) key = 1;  // 0 marks a never-used slot
  Slot* slot = find(key, now, window);
  while (slot == nullptr) {
    grow(now, window);
    slot = find(key, now, window);
  }
  const bool admitted = slot->key != key || now - slot->seen >= window;
  if (admitted) *slot = Slot{key, now};
  return admitted;
}

DuplicateGuard::Slot* DuplicateGuard::find(std::uint64_t key, Timestamp now, Timestamp window) {
  Bucket& bucket = buckets_[key & (buckets_.size() - 1)];
  Slot* free_slot = nullptr;
  for (Slot& slot : bucket.slots) {
    if (slot.key == key) return &slot;
    if (free_slot == nullptr && (slot.key == 0 || now - slot.seen >= window)) free_slot = &slot;
  }
  return free_slot;
}

void DuplicateGuard::grow(Timestamp now, Timestamp window) {
  const std::vector<Bucket> old = std::move(buckets_);
  for (std::size_t size = old.size() * 2;; size *= 2) {
    buckets_.assign(size, Bucket{});
    bool all_placed = true;
    for (const Bucket& bucket : old) {
      for (const Slot& entry : bucket.slots) {
        if (entry.key == 0 || now - entry.seen >= window) continue;
        Slot* slot = find(entry.key, now, window);
        if (slot == nullptr) {
          all_placed = false;
          break;
        }
        *slot = entry;
      }
      if (!all_placed) break;
    }
    if (all_placed) return;
  }
}

}  // namespace fixgate::core
