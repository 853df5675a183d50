// What the gateway's gauges and health checks show, read at scrape time (the engine under its lock, the
// journal and the shipper from their counters). Plain values: built by the app, read by metrics and health.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/trading_states.h"

namespace fixgate::ops {

struct SessionState {
  std::string name;
  bool logged_on = false;
};

struct GatewaySnapshot {
  std::vector<SessionState> client_sessions;
  std::vector<SessionState> venues;                // logged on = the core sees the venue up
  std::vector<std::size_t> open_orders;            // per venue, same order as `venues`
  std::vector<std::size_t> status_queries_queued;  // per venue: waiting for status_queries_per_second
  std::size_t orders_in_memory = 0;                // open, and final within gateway.final_order_retention_s
  std::vector<bool> venue_breaker_open;            // per venue
  std::vector<bool> session_breaker_latched;       // per client session
  std::vector<core::KeyedScopeState> not_active;   // every scope that is not Active
  std::string limits_version;

  bool accepting_clients = false;  // the client acceptor is listening
  std::int64_t runtime_poll_age_ms = 0;

  std::uint64_t journal_last_seq = 0;
  bool journal_healthy = true;
  std::uint64_t journal_bytes = 0;                        // never shrinks: the journal is never deleted
  std::optional<std::uint64_t> data_dir_available_bytes;  // nullopt when the filesystem cannot be read

  bool audit_enabled = false;  // audit.database set: a shipper runs
  bool shipper_connected = false;
  std::uint64_t shipped_seq = 0;
  double shipper_lag_seconds = 0;  // age of the oldest journal record not yet in PostgreSQL; 0 caught up
  std::string shipper_last_error;
};

// A scope's state in `snapshot`; nullptr when it is Active (only the others are listed).
[[nodiscard]] inline const core::ScopeState* findScopeState(const GatewaySnapshot& snapshot,
                                                            core::Scope scope, std::string_view key) {
  for (const auto& entry : snapshot.not_active) {
    if (entry.scope == scope && entry.key == key) return &entry.state;
  }
  return nullptr;
}

}  // namespace fixgate::ops
