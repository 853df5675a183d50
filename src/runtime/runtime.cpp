#include "runtime/runtime.h"

#include <utility>

namespace fixgate::runtime {

Runtime::Runtime(core::Engine engine, ActionHandler handler)
    : engine_(std::move(engine)), handler_(std::move(handler)) {
  actions_.reserve(64);
  posted_thread_ = std::thread([this] { postedLoop(); });
}

Runtime::~Runtime() {
  shutdown();
}

void Runtime::submit(core::Event&& event, std::vector<core::Action>* operator_actions) {
  std::lock_guard lock(mutex_);
  engine_.apply(event, actions_);
  // Follow-ups append to actions_ as they are applied; index-based so growth is safe.
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    if (operator_actions != nullptr && (std::holds_alternative<core::StateChange>(actions_[i]) ||
                                        std::holds_alternative<core::OperatorAlert>(actions_[i]) ||
                                        std::holds_alternative<core::LimitsApplied>(actions_[i]) ||
                                        std::holds_alternative<core::VenueCancel>(actions_[i]))) {
      operator_actions->push_back(actions_[i]);
    }
    if (auto follow_up = handler_(actions_[i])) engine_.apply(*follow_up, actions_);
  }
  actions_.clear();
}

void Runtime::post(core::Event&& event) {
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(event));
  }
  posted_cv_.notify_one();
}

void Runtime::shutdown() {
  {
    std::lock_guard lock(posted_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  posted_cv_.notify_one();
  if (posted_thread_.joinable()) posted_thread_.join();
}

void Runtime::postedLoop() {
  std::unique_lock lock(posted_mutex_);
  for (;;) {
    posted_cv_.wait(lock, [this] { return stopping_ || !posted_.empty(); });
    while (!posted_.empty()) {
      auto event = std::move(posted_.front());
      posted_.pop_front();
      lock.unlock();
      submit(std::move(event));
      lock.lock();
    }
    if (stopping_) return;
  }
}

}  // namespace fixgate::runtime
