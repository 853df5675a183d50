#include "ops/health.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace fixgate::ops {

HealthReport assessLiveness(std::int64_t runtime_poll_age_ms) {
  HealthReport report;
  report.live = runtime_poll_age_ms <= kLivenessBound.count();
  report.ready = report.live;
  report.checks.push_back(
      {"runtime", report.live, true,
       report.live ? "the order path's thread is running"
                   : fmt::format("the order path's thread has not run for {} ms: the engine is stuck; take a "
                                 "stack dump (gdb -p) and restart",
                                 runtime_poll_age_ms)});
  return report;
}

HealthReport assessHealth(const GatewaySnapshot& s) {
  HealthReport report = assessLiveness(s.runtime_poll_age_ms);
  auto add = [&](std::string name, bool ok, bool required, std::string detail) {
    report.checks.push_back({std::move(name), ok, required, std::move(detail)});
  };
  add("journal", s.journal_healthy, true,
      s.journal_healthy ? fmt::format("writable, last seq {}", s.journal_last_seq)
                        : "cannot be written: trading is halted; fix the disk and restart (see the log)");
  add("client_acceptor", s.accepting_clients, true,
      s.accepting_clients ? "listening" : "not listening yet (starting or stopping)");
  for (const auto& venue : s.venues) {
    add("venue " + venue.name, venue.logged_on, true,
        venue.logged_on
            ? "logged on"
            : "not logged on: orders to it are refused; check the venue's connectivity and the log");
  }
  for (const auto& session : s.client_sessions) {
    add("client_session " + session.name, session.logged_on, false,
        session.logged_on ? "logged on" : "not logged on (the client connects when it trades)");
  }
  if (!s.audit_enabled) {
    add("audit_store", false, false,
        "audit shipping is off (audit.database not set); the journal keeps everything");
  } else {
    const bool ok = s.shipper_connected;
    add("audit_store", ok, false,
        ok ? fmt::format("PostgreSQL connected, shipped to seq {}, lag {:.3f} s", s.shipped_seq,
                         s.shipper_lag_seconds)
           : fmt::format(
                 "PostgreSQL not reachable ({}); trading continues, the journal keeps every record and "
                 "the shipper catches up when it is back; lag {:.1f} s",
                 s.shipper_last_error.empty() ? "connecting" : s.shipper_last_error, s.shipper_lag_seconds));
  }
  report.ready = true;
  for (const auto& check : report.checks) report.ready = report.ready && (check.ok || !check.required);
  return report;
}

std::string toJson(const HealthReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : report.checks) {
    checks.push_back({{"name", c.name}, {"ok", c.ok}, {"required", c.required}, {"detail", c.detail}});
  }
  const nlohmann::json body = {
      {"status", report.ready ? "ready" : "not ready"}, {"live", report.live}, {"checks", checks}};
  // Texts may carry a library's message in another encoding (libpq's, localized): replace, never throw.
  return body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace fixgate::ops
