// Fault injection: the one place that decides what happens to each outbound application message.
//
// The dispatcher calls decide() once for every application message (ExecutionReport, OrderCancelReject,
// OrderMassCancelReport, BusinessMessageReject) before it is queued. Session-level messages (Logon,
// Heartbeat, Reject 3...) never pass through here. decide() is a pure function of the plan and the message
// facts, so new knobs are a field in FaultPlan, a CLI flag in cli.cpp, and a rule here.
//
// TODO(faults): --drop-acks [RATE]: FaultAction::Drop for acknowledgements (see isAcknowledgement).
// TODO(faults): --disconnect-after N: new FaultAction::Disconnect when OutboundInfo::sessionMessageNumber ==
// N;
//               the dispatcher then calls FIX::Session::disconnect() for that session instead of sending.
// TODO(faults): --duplicate-execs [RATE]: new FaultAction::Duplicate for ExecType F; the dispatcher sends the
//               report twice with the same ExecID (second one with PossResend=Y, or not, per a sub-option).
// TODO(faults): --restart-after-s N [--keep-book]: not a per-message decision; belongs in main.cpp (stop and
//               re-create the acceptor; keep or rebuild the MatchingEngine). Listed here so all knobs are
//               found in one place.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace fixgate::sim {

struct FaultPlan {
  std::chrono::milliseconds ackDelay{0};  // --ack-delay-ms: hold ExecType 0/5/4 reports this long
};

// Facts about one outbound message, read off the message itself by the dispatcher.
struct OutboundInfo {
  std::string session;                     // FIX::SessionID::toString()
  std::string msgType;                     // "8", "9", "r", "j"
  std::optional<char> execType;            // tag 150 of an ExecutionReport
  std::uint64_t orderId = 0;               // the simulator's order id, 0 when not about one order
  std::uint64_t sessionMessageNumber = 0;  // 1-based count of application messages to this session
};

enum class FaultAction : std::uint8_t { Deliver, Delay, Drop };

struct FaultDecision {
  FaultAction action = FaultAction::Deliver;
  std::chrono::milliseconds delay{0};  // Delay only
};

// ExecType 0 (new), 5 (replaced) and 4 (canceled): the venue's answers to requests, as opposed to fills and
// unsolicited eliminations.
[[nodiscard]] bool isAcknowledgement(const OutboundInfo& info);

[[nodiscard]] FaultDecision decide(const FaultPlan& plan, const OutboundInfo& info);

// One line for the start-up log; "none" when no fault is active.
[[nodiscard]] std::string describe(const FaultPlan& plan);

}  // namespace fixgate::sim
