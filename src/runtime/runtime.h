// Serialises every event into the core (single writer) and hands each resulting action to its edge.
// QuickFIX calls in on its own threads; one mutex makes the core's apply() strictly sequential, and actions
// are dispatched before the next event is applied, so reports leave in decision order.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/actions.h"
#include "core/engine.h"
#include "core/events.h"

namespace fixgate::runtime {

// Carries out one action. May return a follow-up event (e.g. the venue connection refused a send), which is
// applied right after the current event, under the same lock.
using ActionHandler = std::function<std::optional<core::Event>(const core::Action&)>;

class Runtime {
 public:
  Runtime(core::Engine engine, ActionHandler handler);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Applies the event now, on the caller's thread. When `operator_actions` is given, the state changes,
  // alerts, limit swaps and venue cancels the event caused are copied there (for the admin channel's reply).
  void submit(core::Event&& event, std::vector<core::Action>* operator_actions = nullptr);

  // Applies the event soon, on the runtime's own thread. For callers that may hold a lock the dispatch path
  // also takes: QuickFIX calls onLogout with the session's mutex held, and dispatching sends through that
  // same session, so applying there directly could deadlock against another thread's send.
  void post(core::Event&& event);

  // Applies what was posted, then stops the posting thread. Call after the edges have stopped.
  void shutdown();

  // Read access to the engine under the lock, for status queries and tests.
  template <typename F>
  auto inspect(F&& f) {
    std::lock_guard lock(mutex_);
    return f(static_cast<const core::Engine&>(engine_));
  }

 private:
  void postedLoop();

  std::mutex mutex_;
  core::Engine engine_;
  ActionHandler handler_;
  std::vector<core::Action> actions_;  // reused: no allocation per event once warm

  std::mutex posted_mutex_;
  std::condition_variable posted_cv_;
  std::deque<core::Event> posted_;
  bool stopping_ = false;
  std::thread posted_thread_;
};

}  // namespace fixgate::runtime
