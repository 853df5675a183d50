// What the pre-trade checks measure against: per-account and per-position usage for the day, last-trade
// prices, throttles and recent orders. Updated by the engine on every order state change; no allocation per
// order once an account, position or session has been seen.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/events.h"
#include "core/reference_data.h"
#include "core/types.h"

namespace fixgate::core {

using Notional = __int128;  // Price::units * Qty: exact for any realistic order

struct PositionUsage {
  Qty position = 0;       // filled, signed: long > 0
  Qty open_buy_qty = 0;   // working buy orders
  Qty open_sell_qty = 0;  // working sell orders
  Notional cost = 0;      // units paid for the open position (signed with it), for realized P&L
};

struct AccountUsage {
  Notional open_buy = 0;
  Notional open_sell = 0;
  Notional filled_buy = 0;
  Notional filled_sell = 0;
  Notional realized_pnl = 0;
  int open_orders = 0;
  bool credit_warned = false;
  StringMap<PositionUsage> positions;  // by symbol
};

// A working order's share of its account's usage: what stays open at the venue.
struct WorkingContribution {
  Side side = Side::Buy;
  Qty qty = 0;
  Notional notional = 0;
};

class RiskState {
 public:
  AccountUsage& account(std::string_view name);
  PositionUsage& position(std::string_view account, std::string_view symbol);
  // The same for an account already looked up (its usage from account()): one lookup fewer.
  static PositionUsage& position(AccountUsage& usage, std::string_view symbol);
  [[nodiscard]] const AccountUsage* findAccount(std::string_view name) const;
  [[nodiscard]] AccountUsage* findAccount(std::string_view name);

  void addWorking(std::string_view account, std::string_view symbol, const WorkingContribution& c);
  void removeWorking(std::string_view account, std::string_view symbol, const WorkingContribution& c);
  void addFill(std::string_view account, std::string_view symbol, Side side, Qty qty, Price px);
  // A new trading day: every account's fills, realized P&L and credit warning start again from zero; its
  // positions (and their cost) and working orders carry over. Returns how many accounts were reset.
  std::size_t startDay();

  // Last trade price per symbol, the preferred reference price.
  void setLastPrice(std::string_view symbol, Price px);
  [[nodiscard]] std::optional<Price> lastPrice(std::string_view symbol) const;

  // Session message throttle: a ring of the last N message times. True when one more message fits.
  bool admitMessage(SessionId session, int max_per_second, Timestamp now);

 private:
  StringMap<AccountUsage> accounts_;
  StringMap<Price> last_prices_;
  std::vector<std::vector<Timestamp>> throttle_rings_;
  std::vector<std::size_t> throttle_heads_;
};

// "1,250,000.00" - money for humans: thousands separators, two decimals (rounded half away from zero).
std::string formatMoney(Notional units);
// A whole 128-bit number in decimal, e.g. a projected position: "-170141183460469231731687303715884105728".
std::string formatWhole(Notional value);
Notional notionalOf(Price px, Qty qty);

}  // namespace fixgate::core
