// Serialises every event into the core (single writer) and hands each resulting action to its edge.
// QuickFIX calls in on its own threads; one mutex makes the core's apply() strictly sequential, and actions
// are dispatched before the next event is applied, so reports leave in decision order.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
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

  void submit(core::Event&& event);

  // Read access to the engine under the lock, for status queries and tests.
  template <typename F>
  auto inspect(F&& f) {
    std::lock_guard lock(mutex_);
    return f(static_cast<const core::Engine&>(engine_));
  }

 private:
  std::mutex mutex_;
  core::Engine engine_;
  ActionHandler handler_;
  std::vector<core::Action> actions_;  // reused: no allocation per event once warm
};

}  // namespace fixgate::runtime
