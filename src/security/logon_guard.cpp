#include "security/logon_guard.h"

#include <fmt/format.h>

#include <algorithm>

#include "security/password_hash.h"

namespace fixgate::security {

std::string_view toString(LogonOutcome outcome) {
  switch (outcome) {
    case LogonOutcome::Accepted:
      return "accepted";
    case LogonOutcome::AddressNotAllowed:
      return "address-not-allowed";
    case LogonOutcome::LockedOut:
      return "locked-out";
    case LogonOutcome::BadCredentials:
      return "bad-credentials";
    case LogonOutcome::CertificateMismatch:
      return "certificate-mismatch";
  }
  return "unknown";
}

LogonGuard::LogonGuard(std::vector<SessionLogonPolicy> sessions, Credentials credentials,
                       LockoutPolicy policy)
    : sessions_(std::move(sessions)), credentials_(std::move(credentials)), policy_(policy) {}

LogonDecision LogonGuard::check(const LogonAttempt& attempt, Clock::time_point now) {
  const std::string address(attempt.address.empty() ? "unknown" : attempt.address);
  {
    std::lock_guard lock(mutex_);
    prune(now);
    if (const auto it = failures_.find(address);
        it != failures_.end() && it->second.locked_until && *it->second.locked_until > now) {
      const auto minutes = std::chrono::ceil<std::chrono::minutes>(*it->second.locked_until - now).count();
      return LogonDecision{
          LogonOutcome::LockedOut,
          fmt::format("Logon refused: too many failed logons from your network address; try again in {} "
                      "minute(s) or ask the gateway operator",
                      minutes),
          fmt::format("logon to {} from {} refused: the address is locked out for another {} minute(s) after "
                      "{} failed logons",
                      attempt.session_name, address, minutes, policy_.max_failures)};
    }
  }
  if (attempt.session >= sessions_.size())
    return refuse(LogonOutcome::BadCredentials, attempt, "the session has no logon policy", now);
  const auto& session = sessions_[attempt.session];
  if (!session.allowed.empty() &&
      std::none_of(session.allowed.begin(), session.allowed.end(),
                   [&](const Network& n) { return contains(n, attempt.address); })) {
    return refuse(LogonOutcome::AddressNotAllowed, attempt,
                  fmt::format("{} is not in the session's allowed_addresses", address), now);
  }
  if (!session.username.empty()) {
    const auto hash = credentials_.find(session.username);
    // The hash runs whatever is wrong, so the answer takes as long for a wrong username as for a wrong
    // password.
    const bool password_ok =
        attempt.password && hash != credentials_.end() && verifyPassword(*attempt.password, hash->second);
    const bool username_ok = attempt.username && *attempt.username == session.username;
    if (!password_ok || !username_ok) {
      std::string detail =
          !attempt.username            ? "no Username (553)"
          : !username_ok               ? fmt::format("Username '{}' is not the session's", *attempt.username)
          : !attempt.password          ? "no Password (554)"
          : hash == credentials_.end() ? "the session's user has no entry in the credentials file"
                                       : "wrong Password (554)";
      return refuse(LogonOutcome::BadCredentials, attempt, std::move(detail), now);
    }
  }
  if (attempt.certificate_problem) {
    return refuse(LogonOutcome::CertificateMismatch, attempt, std::string(*attempt.certificate_problem), now);
  }
  {
    std::lock_guard lock(mutex_);
    failures_.erase(address);
  }
  return LogonDecision{
      LogonOutcome::Accepted, "",
      fmt::format("logon to {} from {} accepted{}", attempt.session_name, address,
                  session.username.empty() ? "" : fmt::format(" (user {})", session.username))};
}

LogonDecision LogonGuard::refuse(LogonOutcome outcome, const LogonAttempt& attempt,
                                 std::string operator_detail, Clock::time_point now) {
  const std::string address(attempt.address.empty() ? "unknown" : attempt.address);
  const std::string lock_note = countFailure(address, now);
  LogonDecision d;
  d.outcome = outcome;
  d.operator_text = fmt::format("logon to {} from {} refused ({}): {}{}", attempt.session_name, address,
                                toString(outcome), operator_detail, lock_note);
  switch (outcome) {
    case LogonOutcome::AddressNotAllowed:
      d.client_text =
          "Logon refused: this session may not log on from your network address; ask the gateway operator to "
          "allow it";
      break;
    case LogonOutcome::CertificateMismatch:
      d.client_text =
          "Logon refused: this session requires the client certificate issued for it; connect with that "
          "certificate or ask the gateway operator which one it is";
      break;
    default:
      d.client_text =
          "Logon refused: Username (553) and Password (554) do not match the credentials registered for this "
          "session; check both, or ask the gateway operator to reset them";
      break;
  }
  return d;
}

std::string LogonGuard::recordFailure(std::string_view address, Clock::time_point now) {
  return countFailure(std::string(address.empty() ? "unknown" : address), now);
}

std::string LogonGuard::countFailure(const std::string& address, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune(now);
  auto& f = failures_[address];
  f.last = now;
  f.times.push_back(now);
  while (!f.times.empty() && f.times.front() <= now - policy_.window) f.times.pop_front();
  if (static_cast<int>(f.times.size()) < policy_.max_failures) return {};
  f.locked_until = now + policy_.lockout;
  f.times.clear();
  return fmt::format("; {} failures within {} s: the address is locked out for {} s", policy_.max_failures,
                     policy_.window.count(), policy_.lockout.count());
}

void LogonGuard::prune(Clock::time_point now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    const bool locked = it->second.locked_until && *it->second.locked_until > now;
    const bool recent = it->second.last > now - policy_.window;
    it = (!locked && !recent) ? failures_.erase(it) : std::next(it);
  }
  while (failures_.size() > policy_.max_tracked_addresses) {
    const auto oldest =
        std::min_element(failures_.begin(), failures_.end(),
                         [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
    failures_.erase(oldest);
  }
}

}  // namespace fixgate::security
