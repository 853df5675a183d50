// Operator commands of the admin channel, parsed from one line of text into a plain value, and mapped to
// the core events that carry them (with the operator's name, for the audit trail).
//
//   status
//   reload-limits by=<operator>
//   reload-settings by=<operator>   instruments, routing, venue and session policies from gateway.yaml
//   halt    scope=<global|account|session|symbol|venue> [key=<name>] by=<operator> [reason="..."]
//   reduce  (same arguments)   only cancels and position-reducing orders pass
//   kill    (same arguments)   halted, and every open order in scope is canceled
//   resume  (same arguments)   back to active
//   reset-breaker session=<name> by=<operator>
//   sessions | venues | breakers | limits    read-only lists
//   log-level level=<trace|debug|info|warn|error|critical> by=<operator>
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "core/events.h"

namespace fixgate::admin {

enum class Verb : std::uint8_t {
  Status,
  ReloadLimits,
  ReloadSettings,
  Halt,
  Reduce,
  Kill,
  Resume,
  ResetBreaker,
  Sessions,
  Venues,
  Breakers,
  Limits,
  LogLevel,
  ResetVenueSequence,
};

// Reads change nothing and need no by=; the admin server records the peer's uid for them instead.
[[nodiscard]] bool isRead(Verb verb);

std::string_view toString(Verb verb);      // as typed: "reload-limits"
std::string_view toString(core::Scope s);  // as typed: "account"

struct AdminCommand {
  Verb verb = Verb::Status;
  core::Scope scope = core::Scope::Global;  // halt, reduce, kill, resume
  std::string key;                          // the account, session, symbol or venue; empty for global
  std::string session;                      // reset-breaker
  std::string by;                           // the operator; empty only for status
  std::string reason;                       // optional, halt/reduce/kill/resume
  std::string level;                        // log-level
  std::string venue;                        // reset-venue-seq

  bool operator==(const AdminCommand&) const = default;
};

// Parses one line. An error names what is wrong and shows the expected form of the command.
std::expected<AdminCommand, std::string> parseAdminCommand(std::string_view line);

// The command written back in its canonical form (parses to the same value): for logs and replies.
std::string formatCommand(const AdminCommand& command);

// The core event a command becomes: SetTradingState for halt/reduce/kill/resume, ResetSessionBreaker for
// reset-breaker. Nothing for status (a read), reload-limits and reload-settings (the app loads and validates
// the files first, then submits ApplyLimits or ApplySettings itself).
std::optional<core::EventBody> toEvent(const AdminCommand& command);

// Every command's form, one per line, for --help and for the answer to an unknown command.
std::string commandUsage();

}  // namespace fixgate::admin
