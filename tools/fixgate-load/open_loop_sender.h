// The open-loop schedule: request i is due at start + i/rate, whatever has or has not come back. The
// sender sleeps until a request is due (its message is built before, so building costs no lateness), and
// when it is late it sends what is due at once, keeping each request's due time as its latency origin.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "load_sessions.h"
#include "load_stats.h"
#include "order_mix.h"
#include "request_table.h"

namespace fixgate::load {

struct Schedule {
  std::int64_t start_ns = 0;         // steady clock: when request 0 is due
  std::int64_t measure_from_ns = 0;  // requests due from here on are measured (the warmup is over)
  double rate = 1.0;                 // requests per second
  std::size_t requests = 0;          // how many in all

  [[nodiscard]] std::int64_t dueNs(std::size_t index) const;
};

// Runs the schedule on the calling thread; returns when every request is sent, or early when `stop` is set.
void runOpenLoop(const Schedule& schedule, OrderMix& mix, LoadSessions& sessions, RequestTable& table,
                 LoadStats& stats, const std::atomic<bool>& stop);

}  // namespace fixgate::load
