// Decides each request of the run: its kind by the configured ratios, and for a new order its session,
// account, symbol, side, quantity and price; a cancel or replace goes to a random earlier order that is
// acknowledged and has nothing pending (there is none: a new order goes instead). Buys are priced below
// and sells above the symbol's reference price, 1 to 50 steps of 0.10 away (0.10 is a multiple of every
// common tick size), so the load never trades with itself and every order rests. With --max-open-orders a
// request due while that many orders are open is a cancel. Used by the sender thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "load_options.h"
#include "load_stats.h"
#include "quickfix/quickfix.h"
#include "request_table.h"

namespace fixgate::load {

struct PlannedRequest {
  FIX::Message message;
  std::size_t session = 0;
};

class OrderMix {
 public:
  OrderMix(const LoadOptions& options, RequestTable& table, LoadStats& stats);

  // Fills request slot `index` (all but its due time and phase) and builds its message.
  [[nodiscard]] PlannedRequest plan(std::size_t index);

 private:
  PlannedRequest planNew(std::size_t index);
  PlannedRequest planCancel(std::size_t index, std::uint32_t order);
  PlannedRequest planReplace(std::size_t index, std::uint32_t order);
  // An order moved from Live to Changing for this request, or nullopt when a few draws find none.
  std::optional<std::uint32_t> claimLiveOrder();

  const LoadOptions& options_;
  RequestTable& table_;
  LoadStats& stats_;
  std::mt19937_64 random_;
  std::vector<std::int32_t> reference_tenths_;  // per symbol
  std::vector<std::uint32_t> open_orders_;      // orders not yet seen Done
  std::uint32_t orders_ = 0;
  std::size_t next_session_ = 0;
};

}  // namespace fixgate::load
