// Liveness and readiness from a GatewaySnapshot, for /health/live and /health/ready.
//
// Live: the runtime's own thread went round its loop within kLivenessBound (it takes the engine lock, so a
// stuck engine shows here). Ready to trade: live, the journal writable, the client acceptor listening and
// every venue logged on. PostgreSQL is reported but does not make the gateway unready: trading goes on while
// the shipper catches up from the journal (design principle 4); a lag alert covers it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ops/gateway_snapshot.h"

namespace fixgate::ops {

inline constexpr std::chrono::milliseconds kLivenessBound{5000};

struct HealthCheck {
  std::string name;  // "journal", "client_acceptor", "venue SIM-A", "client_session C44A", "audit_store"
  bool ok = false;
  bool required = true;  // false: reported, but does not decide readiness
  std::string detail;    // what is wrong and what to do, or what is fine
};

struct HealthReport {
  bool live = false;
  bool ready = false;
  std::vector<HealthCheck> checks;
};

[[nodiscard]] HealthReport assessHealth(const GatewaySnapshot& snapshot);
// Liveness alone, from the runtime's loop age only: it takes no lock, so a stuck engine (which holds the
// engine lock the snapshot needs) is reported rather than hanging the probe.
[[nodiscard]] HealthReport assessLiveness(std::int64_t runtime_poll_age_ms);
// {"status":"ready"|"not ready","live":true,"checks":[{"name":...,"ok":...,"required":...,"detail":...}]}
[[nodiscard]] std::string toJson(const HealthReport& report);

}  // namespace fixgate::ops
