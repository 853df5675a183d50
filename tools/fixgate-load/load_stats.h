// What a run measures, shared by the sender thread, the receiver threads (one per FIX session) and the
// progress line: latency histograms and counters, all lock-free.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "latency_histogram.h"
#include "request_table.h"

namespace fixgate::load {

using Counter = std::atomic<std::uint64_t>;

struct LoadStats {
  LatencyHistogram latency;                             // measured requests, every kind
  std::array<LatencyHistogram, kRequestKinds> by_kind;  // measured requests, per RequestKind
  LatencyHistogram send_lag;                            // actual send - due time, measured requests

  Counter sent{0};         // requests handed to a logged-on session
  Counter send_failed{0};  // the session refused the send (not logged on): never answered
  Counter answered{0};
  Counter rejected{0};  // answered with ExecType 8 or OrderCancelReject
  std::array<Counter, kRequestKinds> sent_by_kind{};
  std::array<Counter, kRequestKinds> rejected_by_kind{};
  Counter measured_sent{0};
  Counter measured_answered{0};
  Counter fallback_to_new{0};  // a cancel/replace was due but no order was free for it: sent a new one
  Counter orders_done{0};      // orders that ended (rejected, canceled, filled): open = placed - done
  Counter unmatched{0};        // a report whose ClOrdID this run never sent
  Counter duplicate_answers{0};
  Counter other_reports{0};     // fills, expiries, status reports: not answers to a request
  Counter session_rejects{0};   // 35=3
  Counter business_rejects{0};  // 35=j
  Counter logouts{0};           // sessions that went down while the run was sending

  std::atomic<std::int64_t> last_measured_send_ns{0};
  std::atomic<std::int64_t> last_measured_answer_ns{0};
};

// Steady clock in nanoseconds: the one time base of due times, send times and arrival times.
[[nodiscard]] inline std::int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Raises `target` to `value` if it is larger.
inline void storeMax(std::atomic<std::int64_t>& target, std::int64_t value) {
  std::int64_t seen = target.load(std::memory_order_relaxed);
  while (value > seen && !target.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

}  // namespace fixgate::load
