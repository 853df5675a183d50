#include "message_inbox.h"

namespace fixgate::client {
namespace {

// Removes and returns the first match. Queues stay short (a test's worth of messages), so a full scan on
// every wake-up is cheaper to reason about than remembering what was already checked.
std::optional<FIX::Message> takeFirst(std::deque<FIX::Message>& pending, const MessagePredicate& predicate) {
  for (auto it = pending.begin(); it != pending.end(); ++it) {
    if (predicate(*it)) {
      FIX::Message found = *it;
      pending.erase(it);
      return found;
    }
  }
  return std::nullopt;
}

}  // namespace

void MessageInbox::push(const FIX::Message& message) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(message);
    history_.push_back(message);
  }
  arrived_.notify_all();
}

std::optional<FIX::Message> MessageInbox::waitFor(const MessagePredicate& predicate,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    if (auto found = takeFirst(pending_, predicate)) return found;
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return takeFirst(pending_, predicate);  // a message may have arrived together with the deadline
    }
  }
}

std::vector<FIX::Message> MessageInbox::history(std::size_t from) const {
  std::lock_guard lock(mutex_);
  if (from >= history_.size()) return {};
  return {history_.begin() + static_cast<std::ptrdiff_t>(from), history_.end()};
}

std::size_t MessageInbox::size() const {
  std::lock_guard lock(mutex_);
  return history_.size();
}

}  // namespace fixgate::client
