// The gateway's configuration: config/gateway.yaml and the files it names, parsed and validated as a whole
// into one immutable value. Every key is documented in config/gateway.yaml next to its default.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/yaml_reader.h"
#include "core/limits.h"
#include "core/reference_data.h"
#include "security/credentials.h"
#include "security/network.h"

namespace fixgate::config {

struct ClientSessionConfig {
  std::string name;
  std::string begin_string;  // FIX.4.2 | FIX.4.4 | FIXT.1.1
  std::string sender_comp_id;
  std::string target_comp_id;
  bool cancel_on_disconnect = false;
  std::string username;                              // empty: no Username/Password asked at logon
  std::vector<security::Network> allowed_addresses;  // empty: any source address
  bool plaintext = false;             // served on fix.tls.plaintext_listen_port without TLS (needs tls on)
  std::string client_certificate_cn;  // set: a Logon needs a client certificate with this subject CN
};

// TLS on the client acceptor (config/gateway.yaml documents each key). Paths are absolute once loaded.
struct TlsConfig {
  bool enabled = false;
  std::filesystem::path certificate_file;   // the gateway's certificate (PEM), required when enabled
  std::filesystem::path private_key_file;   // its key (PEM, owner-only), required when enabled
  std::filesystem::path ca_file;            // CA bundle client certificates are checked against; empty: none
  bool require_client_certificate = false;  // true: the handshake fails without a valid client certificate
  int plaintext_listen_port = 0;            // 0: no plaintext listener
};

// Logon security (config/gateway.yaml documents each key).
struct SecurityConfig {
  std::filesystem::path credentials_file;  // empty: no credentials file
  int max_failed_logons = 5;
  int failed_logon_window_s = 300;
  int lockout_s = 900;
  std::uint64_t max_bytes_before_logon = 65'536;
  int logon_timeout_s = 10;
  std::uint64_t max_bytes_between_messages = 4'194'304;
  std::size_t max_pending_connections_per_address = 32;
};

// TLS towards a venue, carried by a loopback tunnel in the gateway (QuickFIX 1.15.1's SSL initiator sends in
// cleartext). Off while ca_file is empty.
struct VenueTlsConfig {
  std::filesystem::path ca_file;  // the CA the venue's certificate must chain to (its host in the SAN)
  std::filesystem::path certificate_file;  // ours, for a venue that asks for one (mutual TLS); with the key
  std::filesystem::path private_key_file;  // owner-only
  [[nodiscard]] bool enabled() const { return !ca_file.empty(); }
};

struct VenueConfig {
  std::string name;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string sender_comp_id = "FIXGATE";
  std::string target_comp_id;
  int heartbeat_interval_s = 30;
  int reconnect_interval_s = 5;
  int socket_send_buffer_kib = 0;  // SO_SNDBUF of the venue socket; 0: the kernel sizes it
  core::AckTimeouts ack_timeouts;
  std::uint32_t status_queries_per_second = 500;  // after a reconnect; 0: unpaced (core::VenueStatusPacing)
  VenueTlsConfig tls;
};

// The write-ahead journal under data_dir/journal (config/gateway.yaml documents each key).
struct JournalConfig {
  std::string flush = "interval";  // record | batch | interval
  int flush_interval_ms = 5;
  int segment_mib = 64;
};

// The audit shipper: journal → PostgreSQL.
struct AuditConfig {
  std::string database;  // libpq connection string for fixgate_writer; empty: shipping off
  int batch_records = 5000;
  int connections = 3;  // 1 to 3 (ShipperSettings::connections)
};

// Operations: the metrics/health HTTP endpoint and logging.
struct OpsConfig {
  std::string http_listen;         // "address:port" for /metrics and /health/*; empty: off
  std::string log_level = "info";  // trace | debug | info | warn | error | critical (fixgate-admin log-level)
  std::string log_format = "text";  // text | json (one object per line)
};

struct GatewayConfig {
  std::filesystem::path config_file;
  std::string instance_id = "FG1";
  std::filesystem::path data_dir;
  std::filesystem::path instruments_file;
  std::filesystem::path limits_file;
  int listen_port = 9880;
  std::filesystem::path dictionary_dir;
  int heartbeat_interval_s = 30;
  bool message_log = false;  // QuickFIX's FileLog beside the journal: a write per message, off by default
  bool reset_on_logon = false;
  // Client sessions' report senders spin instead of sleeping between reports: lower latency for a core
  // each while a session is logged on. For deployments with dedicated cores; off by default.
  bool busy_poll = false;
  TlsConfig tls;
  JournalConfig journal;
  AuditConfig audit;
  SecurityConfig security;
  OpsConfig ops;
  security::Credentials credentials;                 // read from security.credentials_file at load
  std::vector<ClientSessionConfig> client_sessions;  // index == core::SessionId
  std::vector<VenueConfig> venues;                   // index == core::VenueId
  core::ReferenceData refdata;
  std::shared_ptr<const core::Limits> limits;  // from limits_file, checked against refdata
};

// Reads and validates everything (gateway.yaml, its instruments file and its limits file); on failure returns
// every error found in all of them, each with file, line and key.
std::expected<GatewayConfig, std::vector<ConfigError>> loadGatewayConfig(const std::filesystem::path& file);

}  // namespace fixgate::config
