#include "open_loop_sender.h"

#include <sys/prctl.h>

#include <chrono>
#include <cmath>
#include <thread>

namespace fixgate::load {

std::int64_t Schedule::dueNs(std::size_t index) const {
  return start_ns + std::llround(static_cast<double>(index) * 1e9 / rate);
}

void runOpenLoop(const Schedule& schedule, OrderMix& mix, LoadSessions& sessions, RequestTable& table,
                 LoadStats& stats, const std::atomic<bool>& stop) {
  // Linux lets a sleep overrun by the thread's timer slack (50 us by default) to batch wake-ups; that
  // lateness would be charged to every request. 1 ns asks for the timer's own precision. No spinning: on a
  // two-core machine that would steal a core from the system under test.
  ::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  for (std::size_t index = 0; index < schedule.requests && !stop.load(std::memory_order_relaxed); ++index) {
    PlannedRequest planned = mix.plan(index);
    RequestSlot& request = table.request(index);
    request.due_ns = schedule.dueNs(index);
    request.measured = request.due_ns >= schedule.measure_from_ns;
    if (steadyNowNs() < request.due_ns) {
      // With rate >= 1/s this sleep is at most a second, so `stop` is seen within one.
      std::this_thread::sleep_until(
          std::chrono::steady_clock::time_point(std::chrono::nanoseconds(request.due_ns)));
    }
    const std::int64_t send_ns = steadyNowNs();
    // Published before the send: the answer may arrive on another thread before send() returns.
    request.phase.store(RequestPhase::Sent, std::memory_order_release);
    const auto kind = static_cast<int>(request.kind);
    if (!sessions.send(planned.message, planned.session)) {
      stats.send_failed.fetch_add(1, std::memory_order_relaxed);
      // Nobody will answer: keep the order out of later cancels and replaces.
      table.order(request.order).state.store(OrderState::Done, std::memory_order_release);
      stats.orders_done.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    stats.sent.fetch_add(1, std::memory_order_relaxed);
    stats.sent_by_kind[kind].fetch_add(1, std::memory_order_relaxed);
    if (request.measured) {
      stats.measured_sent.fetch_add(1, std::memory_order_relaxed);
      stats.send_lag.record(send_ns - request.due_ns);
      storeMax(stats.last_measured_send_ns, send_ns);
    }
  }
}

}  // namespace fixgate::load
