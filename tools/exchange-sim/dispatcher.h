// The only sender of application messages. One thread sends, in order, so reports reach each client in the
// order the book produced them, even when the FaultPlan holds some back.
//
// Ordering rule under delays: messages about the same order never overtake each other (a fill waits for the
// delayed ack of its order); messages about other orders are not held up.
//
// Fault actions (faults.h) take effect when a message's turn to be sent comes: a Disconnect closes the
// session at the point in the stream where its message would have gone, after everything queued before it.
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
  // Drops the session's connection; returns false when there is no such session.
  using DisconnectFn = std::function<bool(const FIX::SessionID&)>;

  Dispatcher(FaultPlan plan, SendFn send, DisconnectFn disconnect);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Never sends on the caller's thread, so callers may hold their own locks.
  void post(Outbound out);
  // Restarts the session's message count (OutboundInfo::sessionMessageNumber), which --disconnect-after uses.
  void sessionLoggedOn(const FIX::SessionID& id);
  // Stops sending until resume(), waiting for a send in progress to finish; posts still queue. Lets main.cpp
  // destroy an acceptor's sessions without a send racing it.
  void pause();
  void resume();
  // Forgets everything queued, as a crashed venue would; keeps running.
  void discardQueued();
  // Drops whatever is still queued; idempotent.
  void stop();

  [[nodiscard]] std::uint64_t dropped() const;

 private:
  struct Queued {
    Outbound out;
    FaultAction action = FaultAction::Deliver;
    std::uint64_t sessionMessageNumber = 0;
  };

  void run();
  void deliver(Queued& queued);
  void sendOne(FIX::Message& message, const FIX::SessionID& to);

  FaultPlan plan_;
  SendFn send_;
  DisconnectFn disconnect_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;                                         // signalled when a send finishes
  std::map<std::pair<Clock::time_point, std::uint64_t>, Queued> queue_;  // (due, arrival) order
  std::unordered_map<OrderId, Clock::time_point> lastDue_;               // only orders with something delayed
  std::unordered_map<std::string, std::uint64_t> postedPerSession_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t dropped_ = 0;
  bool stopping_ = false;
  bool paused_ = false;
  bool sending_ = false;
  std::thread thread_;
};

}  // namespace fixgate::sim
