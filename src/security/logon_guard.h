// Who may log on to a client session (SEC 15c3-5 (c)(2)(iii): only pre-approved, authorised persons reach
// the market). A logon must come from one of the session's allowed networks and, when the session has a
// username, carry that Username (553) and a Password (554) matching the credentials file. Repeated failures
// from one source address lock that address out for a while, whatever session it tries.
//
// Refusals tell a legitimate client what to fix without telling an attacker which half of the credentials
// was wrong; the operator's log text says exactly what failed (never the password).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "security/credentials.h"
#include "security/network.h"

namespace fixgate::security {

struct SessionLogonPolicy {
  std::string username;          // empty: no credentials asked
  std::vector<Network> allowed;  // empty: any source address
};

struct LockoutPolicy {
  int max_failures = 5;                        // failed logons from one address within `window` ...
  std::chrono::seconds window{300};            // ...
  std::chrono::seconds lockout{900};           // ... refuse every logon from it for this long
  std::size_t max_tracked_addresses = 10'000;  // memory bound; the oldest entries go first
};

enum class LogonOutcome { Accepted, AddressNotAllowed, LockedOut, BadCredentials, CertificateMismatch };
[[nodiscard]] std::string_view toString(LogonOutcome outcome);  // "accepted", "address-not-allowed", ...

struct LogonDecision {
  LogonOutcome outcome = LogonOutcome::Accepted;
  std::string client_text;    // the Logout Text (58) for a refusal
  std::string operator_text;  // for the log and the audit trail
  [[nodiscard]] bool accepted() const { return outcome == LogonOutcome::Accepted; }
};

struct LogonAttempt {
  std::size_t session = 0;  // index into the policies
  std::string_view session_name;
  std::string_view address;  // source address as text; "" when unknown
  std::optional<std::string_view> username;
  std::optional<std::string_view> password;
  // What is wrong with the TLS client certificate for this session (found by the edge, which sees the
  // connection); a mismatch is a failed logon like a wrong password and counts toward the lockout.
  std::optional<std::string_view> certificate_problem;
};

class LogonGuard {
 public:
  using Clock = std::chrono::steady_clock;
  LogonGuard(std::vector<SessionLogonPolicy> sessions, Credentials credentials, LockoutPolicy policy);

  // Thread-safe (QuickFIX calls in on one thread per connection). A credential check costs one PBKDF2 run.
  [[nodiscard]] LogonDecision check(const LogonAttempt& attempt, Clock::time_point now = Clock::now());

  // A failure from `address` that was not a Logon: a connection from it closed before logging on (see
  // ConnectionWatch). It counts toward the lockout like a refused Logon. Returns "" or, when this failure
  // locked the address out, a note saying so for the operator's log.
  std::string recordFailure(std::string_view address, Clock::time_point now = Clock::now());

 private:
  struct Failures {
    std::deque<Clock::time_point> times;
    std::optional<Clock::time_point> locked_until;
    Clock::time_point last;
  };
  LogonDecision refuse(LogonOutcome outcome, const LogonAttempt& attempt, std::string operator_detail,
                       Clock::time_point now);
  std::string countFailure(const std::string& address, Clock::time_point now);  // the lock note, or
  void prune(Clock::time_point now);

  const std::vector<SessionLogonPolicy> sessions_;
  const Credentials credentials_;
  const LockoutPolicy policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;  // by source address
};

}  // namespace fixgate::security
