// Fault injection: the one place that decides what happens to each outbound application message.
//
// The dispatcher calls decide() once for every application message (ExecutionReport, OrderCancelReject,
// OrderMassCancelReport, BusinessMessageReject) before it is queued. Session-level messages (Logon,
// Heartbeat, Reject 3...) never pass through here. decide() is a pure function of the plan and the message
// facts, so new knobs are a field in FaultPlan, a CLI flag in cli.cpp, and a rule here.
//
// Random knobs (--drop-acks, --duplicate-execs) draw from a hash of (--fault-seed, knob, session, message
// number) rather than from a stateful generator: the same seed and the same messages give the same faults
// whatever order the sessions' threads happen to run in.
//
// The restart knob (--restart-after-s) is not a per-message decision: main.cpp stops and re-creates the
// acceptor. Its settings live here so every knob is found in one place.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>

namespace fixgate::sim {

struct RestartPlan {
  int afterS = 0;         // --restart-after-s: 0 never restarts
  int count = 1;          // --restart-count: at most this many restarts
  bool keepBook = false;  // --keep-book: orders survive a restart; otherwise the book is wiped
};

struct FaultPlan {
  std::chrono::milliseconds ackDelay{0};              // --ack-delay-ms: hold ExecType 0/5/4 reports
  double dropAckRate = 0.0;                           // --drop-acks: probability an ack is not sent
  std::set<std::string, std::less<>> dropAckSymbols;  // --drop-acks-for-symbol: every ack dropped
  // --lose-new-for-symbol: a NewOrderSingle in S is ignored as if lost on the wire unless PossResend=Y
  std::set<std::string, std::less<>> loseNewSymbols;
  std::uint64_t disconnectAfter = 0;  // --disconnect-after: message N+1 since logon disconnects; 0 off
  double duplicateExecRate = 0.0;     // --duplicate-execs: probability a fill goes twice
  // --stop-reading-after: the connection that brings the Nth application message (counted over every
  // session since start) stops reading its socket for stopReadingFor, once; 0 off
  std::uint64_t stopReadingAfter = 0;
  std::chrono::milliseconds stopReadingFor{10000};  // --stop-reading-ms
  std::uint64_t seed = 1;                           // --fault-seed
  RestartPlan restart;
};

// Facts about one outbound message, read off the message itself by the dispatcher.
struct OutboundInfo {
  std::string session;                     // FIX::SessionID::toString()
  std::string msgType;                     // "8", "9", "r", "j"
  std::optional<char> execType;            // tag 150 of an ExecutionReport
  std::string symbol;                      // tag 55, empty when absent
  std::uint64_t orderId = 0;               // the simulator's order id, 0 when not about one order
  std::uint64_t sessionMessageNumber = 0;  // 1-based count of application messages to this session since
                                           // its last logon (dropped ones included)
};

enum class FaultAction : std::uint8_t {
  Deliver,
  Delay,       // send after FaultDecision::delay
  Drop,        // never send
  Duplicate,   // send, then send again with PossResend(97)=Y
  Disconnect,  // do not send; disconnect the session instead
};

struct FaultDecision {
  FaultAction action = FaultAction::Deliver;
  std::chrono::milliseconds delay{0};  // Delay only
};

// ExecType 0 (new), 5 (replaced) and 4 (canceled): the venue's answers to requests, as opposed to fills and
// unsolicited eliminations.
[[nodiscard]] bool isAcknowledgement(const OutboundInfo& info);
// ExecType F.
[[nodiscard]] bool isFill(const OutboundInfo& info);

// Precedence when several knobs apply: Disconnect, then Drop, then Delay (acks) or Duplicate (fills).
[[nodiscard]] FaultDecision decide(const FaultPlan& plan, const OutboundInfo& info);

// True for the inbound application message (1-based, counted over every session since start) whose connection
// stops reading: the reader thread waits plan.stopReadingFor before it handles this message.
[[nodiscard]] bool stopsReadingAt(const FaultPlan& plan, std::uint64_t inboundMessageNumber);

// The active knobs as space-separated key=value pairs for the start-up log; "none" when no fault is active.
[[nodiscard]] std::string describe(const FaultPlan& plan);

}  // namespace fixgate::sim
