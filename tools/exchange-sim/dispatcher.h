// The only sender of application messages. One thread sends, in order, so reports reach each client in the
// order the book produced them, even when the FaultPlan holds some back.
//
// Ordering rule under delays: messages about the same order never overtake each other (a fill waits for the
// delayed ack of its order); messages about other orders are not held up.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "book/types.h"
#include "faults.h"
#include "quickfix/quickfix.h"

namespace fixgate::sim {

struct Outbound {
  FIX::SessionID to;
  FIX::Message message;
  OrderId orderId = 0;  // 0: not about one order (mass cancel report, business reject)
};

class Dispatcher {
 public:
  using Clock = std::chrono::steady_clock;
  // Sends one message; returns false when it could not be delivered (session gone or logged out).
  using SendFn = std::function<bool(FIX::Message&, const FIX::SessionID&)>;

  Dispatcher(FaultPlan plan, SendFn send);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Never sends on the caller's thread, so callers may hold their own locks.
  void post(Outbound out);
  // Drops whatever is still queued; idempotent.
  void stop();

  [[nodiscard]] std::uint64_t dropped() const;

 private:
  void run();

  FaultPlan plan_;
  SendFn send_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::pair<Clock::time_point, std::uint64_t>, Outbound> queue_;  // (due, arrival) order
  std::unordered_map<OrderId, Clock::time_point> lastDue_;  // only orders with something delayed
  std::unordered_map<std::string, std::uint64_t> postedPerSession_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fixgate::sim
