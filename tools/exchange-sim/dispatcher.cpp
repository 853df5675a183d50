#include "dispatcher.h"

#include <spdlog/spdlog.h>

#include "fix_inbound.h"

namespace fixgate::sim {
namespace {

OutboundInfo describeOutbound(const Outbound& out, std::uint64_t sessionMessageNumber) {
  OutboundInfo info;
  info.session = out.to.toString();
  info.msgType = fieldOf(out.message.getHeader(), FIX::FIELD::MsgType).value_or("");
  if (auto execType = fieldOf(out.message, FIX::FIELD::ExecType); execType && !execType->empty()) {
    info.execType = execType->front();
  }
  info.orderId = out.orderId;
  info.sessionMessageNumber = sessionMessageNumber;
  return info;
}

}  // namespace

Dispatcher::Dispatcher(FaultPlan plan, SendFn send)
    : plan_(plan), send_(std::move(send)), thread_([this] { run(); }) {}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::post(Outbound out) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  auto now = Clock::now();
  OutboundInfo info = describeOutbound(out, ++postedPerSession_[out.to.toString()]);
  FaultDecision decision = decide(plan_, info);
  if (decision.action == FaultAction::Drop) {
    ++dropped_;
    spdlog::info("fault: dropped {} to {} (order {})", info.msgType, info.session, info.orderId);
    return;
  }
  auto due = decision.action == FaultAction::Delay ? now + decision.delay : now;
  if (out.orderId != 0) {
    auto last = lastDue_.find(out.orderId);
    if (last != lastDue_.end()) {
      if (last->second > due) due = last->second;  // never overtake an earlier message about this order
      if (due <= now) lastDue_.erase(last);
    }
    if (due > now) lastDue_[out.orderId] = due;
  }
  queue_.emplace(std::pair{due, arrivals_++}, std::move(out));
  wake_.notify_one();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t Dispatcher::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void Dispatcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto due = queue_.begin()->first.first;
    if (due > Clock::now()) {
      wake_.wait_until(lock, due);
      continue;
    }
    auto node = queue_.extract(queue_.begin());
    if (lastDue_.size() > 1024)
      std::erase_if(lastDue_, [now = Clock::now()](const auto& e) { return e.second <= now; });
    // Send unlocked: QuickFIX may block on a slow socket, and posting must never wait for that.
    lock.unlock();
    Outbound& out = node.mapped();
    try {
      if (!send_(out.message, out.to)) {
        spdlog::debug("{} not logged on; message not delivered", out.to.toString());
      }
    } catch (const std::exception& e) {
      spdlog::warn("sending to {} failed: {}", out.to.toString(), e.what());
    }
    lock.lock();
  }
}

}  // namespace fixgate::sim
