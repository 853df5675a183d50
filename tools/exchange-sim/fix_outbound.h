// Book events -> FIX 4.4 application messages, and the venue's identifiers. Every tag sent must be declared
// for its message in fix_spec/venue/FIX44.xml, which the gateway validates against.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "book/events.h"
#include "quickfix/quickfix.h"

namespace fixgate::sim {

// OrderID "<venue>-<run>-<n>", ExecID "<venue>-<run>-E<n>", mass cancel "<venue>-<run>-Q<n>". The run tag
// (start time in base 36) keeps ids unique across simulator restarts.
class IdGenerator {
 public:
  IdGenerator(const std::string& venue, const std::string& runTag) : prefix_(venue + "-" + runTag + "-") {}
  [[nodiscard]] std::string orderId(OrderId id) const;  // "NONE" for 0 (rejected or unknown)
  std::string nextExecId() { return prefix_ + "E" + std::to_string(nextExec_++); }
  std::string nextMassCancelId() { return prefix_ + "Q" + std::to_string(nextMassCancel_++); }

 private:
  std::string prefix_;
  std::uint64_t nextExec_ = 1;
  std::uint64_t nextMassCancel_ = 1;
};

[[nodiscard]] std::string makeRunTag();

[[nodiscard]] char execTypeOf(EventKind kind);
[[nodiscard]] char ordStatusOf(OrdStatus status);

// ExecutionReport for any event but CancelRejected.
[[nodiscard]] FIX::Message executionReport(const Event& event, IdGenerator& ids);
// ExecType I for an OrderStatusRequest about a known order.
[[nodiscard]] FIX::Message statusReport(const Order& order, IdGenerator& ids);
// ExecType I, OrdStatus 8, OrderID NONE: the FIX 4.4 answer to a status request for an unknown order.
[[nodiscard]] FIX::Message unknownOrderStatusReport(const FIX::Message& request, IdGenerator& ids);
[[nodiscard]] FIX::Message cancelReject(const Event& event, IdGenerator& ids);

struct MassCancelOutcome {
  std::string clOrdId;
  std::string requestType;  // MassCancelRequestType 530 as received
  std::optional<std::string> symbol;
  std::optional<std::string> side;
  std::size_t affected = 0;
  std::optional<int> rejectReason;  // MassCancelRejectReason 532 when refused
  std::string text;
};
[[nodiscard]] FIX::Message massCancelReport(const MassCancelOutcome& outcome, IdGenerator& ids);

[[nodiscard]] FIX::Message businessReject(const FIX::Message& request, int reason, const std::string& text);

// Overwrites a report's order fields with what the refused request actually carried, so a reject echoes the
// client's values even when they could not be decoded.
void echoRequestFields(const FIX::Message& request, FIX::Message& report);

}  // namespace fixgate::sim
