// Pre-trade risk limits and breaker settings: one immutable snapshot, loaded from config/limits.yaml and
// swapped into the engine whole at an event boundary. Every key is documented in config/limits.yaml.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/reference_data.h"
#include "core/types.h"

namespace fixgate::core {

// Money in the instrument's currency, fixed-point like Price (8 decimals). Notional = Price.units * Qty.
using Money = Price;

struct AccountLimits {
  std::string account;
  std::optional<Qty> max_order_qty;         // falls back to defaults
  std::optional<Money> max_order_notional;  // falls back to defaults
  std::optional<Money> max_gross_notional;  // open orders + fills today, buys plus sells
  std::optional<Money> max_net_notional;    // |buys - sells|, open orders + fills today
  std::optional<Qty> max_long_position;     // per symbol, counting working buy orders
  std::optional<Qty> max_short_position;    // per symbol, counting working sell orders (a positive number)
  std::optional<int> max_open_orders;
  std::optional<Money> max_daily_loss;  // realized loss for the day (a positive number)
};

struct SymbolLimits {
  std::string symbol;
  std::optional<Qty> max_order_qty;
  std::optional<Money> max_order_notional;
  std::optional<Price> reference_price;  // used until the first fill sets a last-trade price
  bool restricted = false;               // no new orders at all (restricted list)
};

struct SessionLimits {
  std::string session;                // session name from gateway.yaml
  std::vector<std::string> accounts;  // empty: any configured account
  std::vector<std::string> symbols;   // empty: any instrument
  std::vector<std::string> venues;    // empty: any venue
  std::string default_account;  // used when an order carries no Account (1); empty: such orders rejected
  std::optional<int> max_messages_per_second;
};

struct CollarSettings {
  std::optional<double> max_deviation_pct;  // limit price vs reference, percent
  std::optional<int> max_deviation_ticks;   // limit price vs reference, in ticks
};

struct BreakerSettings {
  // Symbol halt: the reference price moves more than move_pct within window_s -> halted for cooloff_s.
  double symbol_move_pct = 10.0;
  int symbol_window_s = 60;
  int symbol_cooloff_s = 300;
  // Venue breaker: this many consecutive rejects or disconnects open it for open_s, then one probe order.
  int venue_consecutive_failures = 5;
  int venue_open_s = 30;
  // Session reject-rate breaker (RTS 6 Art. 15(3)): at least min_messages in window_s with reject_pct or more
  // rejected latches the session halted until a named person resets it.
  int reject_window_s = 60;
  int reject_min_messages = 20;
  double reject_pct = 50.0;
  // Repeated-execution breaker: the same account/symbol/side/qty/price sent this many times in window_s.
  int repeat_max = 10;
  int repeat_window_s = 10;
};

struct Limits {
  std::string version;  // SHA-256 of the file's bytes, hex: which limits applied to each decision
  std::string source;   // the file it came from
  std::string content;  // the file's bytes: journaled so a replay rebuilds exactly this snapshot
  AccountLimits account_defaults;
  SymbolLimits symbol_defaults;
  CollarSettings collar;
  double credit_warning_pct = 70.0;
  int duplicate_window_ms = 1000;     // 0 disables the duplicate-order check
  StringMap<AccountLimits> accounts;  // by account; an account not here is refused (fail closed)
  StringMap<SymbolLimits> symbols;    // by symbol; optional overrides of symbol_defaults
  StringMap<SessionLimits> sessions;  // by session name; a session not here may trade nothing
  BreakerSettings breakers;
};

}  // namespace fixgate::core
