// Every request of a run and every order it creates, in slots allocated once before the first send. A
// request's ClOrdID is "<run tag>-<slot index>", so an answer finds its request by parsing, without a map
// or an allocation. The sender thread fills a slot and publishes it (release) before sending; receiver
// threads claim its first answer with a compare-and-swap, so a request is answered at most once.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fixgate::load {

enum class RequestKind : std::uint8_t { New, Cancel, Replace };
inline constexpr int kRequestKinds = 3;
[[nodiscard]] const char* toString(RequestKind kind);

enum class RequestPhase : std::uint8_t { Unused, Sent, Answered };

struct RequestSlot {
  // Written by the sender before `phase` becomes Sent, read-only afterwards.
  std::int64_t due_ns = 0;  // steady clock: when the open-loop schedule wanted it sent
  std::uint32_t order = 0;  // index into the order slots
  RequestKind kind = RequestKind::New;
  bool measured = false;              // due after the warmup
  std::int32_t new_price_tenths = 0;  // a replace's new price, in 0.10 steps
  std::atomic<RequestPhase> phase{RequestPhase::Unused};
};

enum class OrderState : std::uint8_t {
  PendingNew,  // sent, not yet acknowledged
  Live,        // acknowledged, nothing pending: a cancel or replace may be sent
  Changing,    // a cancel or replace is out
  Done,        // rejected, canceled, filled or expired
};

struct OrderSlot {
  // Fixed when the order is created.
  std::uint16_t session = 0;
  std::uint16_t account = 0;
  std::uint16_t symbol = 0;
  char side = '1';
  std::int32_t qty = 0;
  // Changed only by whoever moved `state` to Changing (the sender) or from Changing (the receiver).
  std::int32_t price_tenths = 0;
  std::uint32_t current_request = 0;  // whose ClOrdID is the order's current ClOrdID
  std::atomic<OrderState> state{OrderState::PendingNew};
};

class RequestTable {
 public:
  RequestTable(std::string run_tag, std::size_t capacity);

  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] RequestSlot& request(std::size_t index) { return requests_[index]; }
  [[nodiscard]] OrderSlot& order(std::size_t index) { return orders_[index]; }

  [[nodiscard]] std::string clOrdId(std::size_t request_index) const;
  // The request index a ClOrdID names; nullopt for one this run did not mint.
  [[nodiscard]] std::optional<std::size_t> requestOf(std::string_view cl_ord_id) const;

 private:
  std::string run_tag_;
  std::size_t capacity_;
  std::unique_ptr<RequestSlot[]> requests_;
  std::unique_ptr<OrderSlot[]> orders_;  // at most one order per request
};

}  // namespace fixgate::load
