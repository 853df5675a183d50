#include "runtime/runtime.h"

#include <utility>

namespace fixgate::runtime {

Runtime::Runtime(core::Engine engine, ActionHandler handler)
    : engine_(std::move(engine)), handler_(std::move(handler)) {
  actions_.reserve(64);
}

void Runtime::submit(core::Event&& event) {
  std::lock_guard lock(mutex_);
  engine_.apply(event, actions_);
  // Follow-ups append to actions_ as they are applied; index-based so growth is safe.
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    if (auto follow_up = handler_(actions_[i])) engine_.apply(*follow_up, actions_);
  }
  actions_.clear();
}

}  // namespace fixgate::runtime
