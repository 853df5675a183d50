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
  info.symbol = fieldOf(out.message, FIX::FIELD::Symbol).value_or("");
  info.orderId = out.orderId;
  info.sessionMessageNumber = sessionMessageNumber;
  return info;
}

}  // namespace

Dispatcher::Dispatcher(FaultPlan plan, SendFn send, DisconnectFn disconnect)
    : plan_(std::move(plan)),
      send_(std::move(send)),
      disconnect_(std::move(disconnect)),
      thread_([this] { run(); }) {}

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
  if (decision.action == FaultAction::Disconnect) {
    spdlog::info(
        "fault: {} will be disconnected instead of receiving application message {} ({} about order {})",
        info.session, info.sessionMessageNumber, info.msgType, info.orderId);
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
  queue_.emplace(std::pair{due, arrivals_++},
                 Queued{std::move(out), decision.action, info.sessionMessageNumber});
  wake_.notify_one();
}

void Dispatcher::sessionLoggedOn(const FIX::SessionID& id) {
  std::lock_guard lock(mutex_);
  postedPerSession_.erase(id.toString());
}

void Dispatcher::pause() {
  std::unique_lock lock(mutex_);
  paused_ = true;
  idle_.wait(lock, [this] { return !sending_; });
}

void Dispatcher::resume() {
  {
    std::lock_guard lock(mutex_);
    paused_ = false;
  }
  wake_.notify_one();
}

void Dispatcher::discardQueued() {
  std::lock_guard lock(mutex_);
  queue_.clear();
  lastDue_.clear();
  postedPerSession_.clear();
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
    if (paused_ || queue_.empty()) {
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
    sending_ = true;
    lock.unlock();
    deliver(node.mapped());
    lock.lock();
    sending_ = false;
    idle_.notify_all();
  }
}

void Dispatcher::deliver(Queued& queued) {
  Outbound& out = queued.out;
  switch (queued.action) {
    case FaultAction::Disconnect:
      // The book already applied what this message reports; the client recovers it with H after relogon.
      if (disconnect_(out.to)) {
        spdlog::info("fault: disconnected {} instead of sending application message {}", out.to.toString(),
                     queued.sessionMessageNumber);
      } else {
        spdlog::warn("fault: no session {} to disconnect", out.to.toString());
      }
      return;
    case FaultAction::Duplicate: {
      // Copied before the first send, which stamps its own MsgSeqNum and SendingTime into the header.
      FIX::Message again = out.message;
      again.getHeader().setField(FIX::PossResend(true));
      sendOne(out.message, out.to);
      sendOne(again, out.to);
      spdlog::info("fault: sent execution {} to {} twice, the second with PossResend=Y",
                   fieldOf(out.message, FIX::FIELD::ExecID).value_or("?"), out.to.toString());
      return;
    }
    case FaultAction::Deliver:
    case FaultAction::Delay:
    case FaultAction::Drop:  // never queued
      sendOne(out.message, out.to);
      return;
  }
}

void Dispatcher::sendOne(FIX::Message& message, const FIX::SessionID& to) {
  try {
    if (!send_(message, to)) spdlog::debug("{} not logged on; message not delivered", to.toString());
  } catch (const std::exception& e) {
    spdlog::warn("sending to {} failed: {}", to.toString(), e.what());
  }
}

}  // namespace fixgate::sim
