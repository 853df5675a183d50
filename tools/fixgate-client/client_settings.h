// What a fixgate client connects to, and the QuickFIX initiator settings built from it in code (no .cfg
// file to keep in step with the tests).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "quickfix/quickfix.h"
#include "tls_tunnel/tls_tunnel.h"

namespace fixgate::client {

struct SessionConfig {
  std::string begin_string;    // FIX.4.2 | FIX.4.4 | FIXT.1.1 (FIX 5.0SP2 application messages)
  std::string sender_comp_id;  // the client's CompID
  std::string target_comp_id;  // the gateway's CompID
  std::string username{};      // sent as Username (553) on Logon when set
  std::string password{};      // sent as Password (554) on Logon when set
};

// TLS towards the gateway (its fix.tls). Off while ca_file is empty.
using TlsClientConfig = tls_tunnel::TlsClientConfig;

struct ClientConfig {
  std::string host = "127.0.0.1";
  int port = 9880;
  std::vector<SessionConfig> sessions;
  // Sequence-number store and message log go here; empty means an in-memory store and no message log.
  std::filesystem::path data_dir;
  int heartbeat_interval_s = 30;  // must equal the gateway's fix.heartbeat_interval_s
  int reconnect_interval_s = 1;
  TlsClientConfig tls{};
  // Send ResetSeqNumFlag=Y on every Logon (both sides start at 1). false: carry sequence numbers on from the
  // store in data_dir, as a production FIX engine does across reconnects and restarts.
  bool reset_on_logon = true;
};

[[nodiscard]] FIX::SessionID sessionIdOf(const SessionConfig& session);

// Throws std::invalid_argument for an unsupported BeginString, an empty session list, or a TLS client
// certificate without its key (or the other way round, or either without a CA file).
[[nodiscard]] FIX::SessionSettings buildSettings(const ClientConfig& config);

}  // namespace fixgate::client
