// What a GatewayUnderTest starts: which simulated venues (with which fill models), which client sessions,
// routing and instruments. The defaults are the setup most integration tests want.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fixgate::testing {

struct VenueSpec {
  std::string name;                   // venue name in the gateway config and the simulator's --venue
  std::vector<std::string> sim_args;  // extra simulator arguments, e.g. {"--fill-model", "partial"}
  std::string comp_id;                // the simulator's CompID; empty means the same as `name`
  // Extra keys of this venue in gateway.yaml, as "key: value" lines, e.g. "ack_timeout_new_ms: 300".
  std::vector<std::string> gateway_settings;
};

struct ClientSessionSpec {
  std::string begin_string;  // FIX.4.2 | FIX.4.4 | FIXT.1.1
  std::string comp_id;       // the client's CompID (the gateway's TargetCompID)
  std::string username{};    // written as the session's username when set (needs credentials_file)
  std::vector<std::string> allowed_addresses{};  // written when not empty
  bool plaintext = false;                        // written as plaintext: true (needs tls.enabled)
  std::string client_certificate_cn{};           // written when set (needs tls.ca_file)
};

// fix.tls of the generated gateway.yaml; written when enabled. Paths are relative to the test's temp dir
// (GatewayUnderTest::dir(), where gateway.yaml goes), e.g. certificates made there by
// tools/certs/fixgate-dev-certs.sh.
struct TlsSpec {
  bool enabled = false;
  std::string certificate_file = "certs/server.pem";
  std::string private_key_file = "certs/server.key";
  std::string ca_file;  // empty: not written (no client certificates asked)
  bool require_client_certificate = false;
  std::uint16_t plaintext_listen_port = 0;  // 0: not written (no plaintext listener)
};

struct RoutingRuleSpec {
  std::string key;  // symbol | security_exchange | account
  std::string value;
  std::string venue;
};

struct InstrumentSpec {
  std::string symbol;
  std::string isin;
  std::string mic;
  std::string currency;
  std::string tick_size;
};

// SIM-A rests orders (fills only when orders cross); SIM-B fills half of each new limit order at once.
[[nodiscard]] std::vector<VenueSpec> defaultVenues();
// Two sessions per version: C42A/C42B (FIX.4.2), C44A/C44B (FIX.4.4), C50A/C50B (FIXT.1.1).
[[nodiscard]] std::vector<ClientSessionSpec> defaultClientSessions();
// AAPL, MSFT, IBM and VOD.L.
[[nodiscard]] std::vector<InstrumentSpec> defaultInstruments();

struct GatewayOptions {
  std::vector<VenueSpec> venues = defaultVenues();
  std::vector<ClientSessionSpec> client_sessions = defaultClientSessions();
  std::string gateway_comp_id = "FIXGATE";
  // Prefix of every id the gateway mints; tests use it to tell the gateway's OrderIDs from a venue's.
  std::string instance_id = "ITEST";
  std::string default_venue = "SIM-A";
  std::vector<RoutingRuleSpec> rules = {{"symbol", "VOD.L", "SIM-B"}};
  std::vector<InstrumentSpec> instruments = defaultInstruments();
  // The limits.yaml the gateway runs with. Empty: permissive limits (every session may trade account IT-1,
  // its default, on every symbol; reference price 100; no duplicate window), so order-path tests meet no
  // risk check. Risk tests pass their own file; "{session:C44A}" is replaced by that session's name.
  std::string limits_yaml;
  int heartbeat_interval_s = 30;
  bool message_log = true;  // the gateway's FIX message logs, kept with the temp dir of a failed test
  // audit.database: the libpq connection string of the fixgate_writer role the audit shipper uses. Empty: the
  // key is not written (the gateway then falls back to FIXGATE_AUDIT_DB, or ships nothing).
  std::string audit_database;
  // security: written when credentials_file is set (the test makes the file, mode 0600).
  std::filesystem::path credentials_file;
  int max_failed_logons = 5;
  int lockout_s = 900;
  // security.logon_timeout_s; 0: not written (the gateway's default applies).
  int logon_timeout_s = 0;
  // gateway.final_order_retention_s; -1: not written (the gateway's default applies).
  int final_order_retention_s = -1;
  // gateway.trading_day_start_utc (HH:MM or HH:MM:SS); empty: not written (the gateway's default applies).
  std::string trading_day_start_utc;
  // TLS on the client port (clientPort()); off by default.
  TlsSpec tls;
  // CompIDs of the client sessions configured with cancel_on_disconnect: true.
  std::vector<std::string> cancel_on_disconnect;
  bool busy_poll = false;  // fix.busy_poll: client report senders spin
  // ops.http_listen on 127.0.0.1 (metrics and health); 0: not written (off).
  std::uint16_t ops_http_port = 0;
  // How long start() waits for the gateway to be ready and every venue to be logged on.
  std::chrono::milliseconds start_timeout{15000};
};

}  // namespace fixgate::testing
