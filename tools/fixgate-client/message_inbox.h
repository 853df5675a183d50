// Everything a client receives, in arrival order, shared between QuickFIX's threads (which push) and the
// caller (which waits). waitFor() takes the first matching message out so a second wait for the same kind
// of message finds the next one; history() keeps every message for diagnostics.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "quickfix/quickfix.h"

namespace fixgate::client {

using MessagePredicate = std::function<bool(const FIX::Message&)>;

class MessageInbox {
 public:
  void push(const FIX::Message& message);

  // The first not-yet-taken message matching `predicate`, waiting at most `timeout` for it to arrive.
  [[nodiscard]] std::optional<FIX::Message> waitFor(const MessagePredicate& predicate,
                                                    std::chrono::milliseconds timeout);

  // Every message received so far, starting at index `from`; taken messages stay in the history.
  [[nodiscard]] std::vector<FIX::Message> history(std::size_t from = 0) const;
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<FIX::Message> pending_;
  std::vector<FIX::Message> history_;
};

}  // namespace fixgate::client
