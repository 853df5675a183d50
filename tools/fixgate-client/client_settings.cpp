#include "client_settings.h"

#include <stdexcept>

#include "fix_version.h"

namespace fixgate::client {

FIX::SessionID sessionIdOf(const SessionConfig& session) {
  return FIX::SessionID(session.begin_string, session.sender_comp_id, session.target_comp_id);
}

FIX::SessionSettings buildSettings(const ClientConfig& config) {
  if (config.sessions.empty()) throw std::invalid_argument("a FIX client needs at least one session");

  FIX::Dictionary defaults;
  defaults.setString("ConnectionType", "initiator");
  defaults.setString("SocketConnectHost", config.host);
  defaults.setInt("SocketConnectPort", config.port);
  defaults.setInt("HeartBtInt", config.heartbeat_interval_s);
  defaults.setInt("ReconnectInterval", config.reconnect_interval_s);
  // Equal start and end times keep the session open around the clock.
  defaults.setString("StartTime", "00:00:00");
  defaults.setString("EndTime", "00:00:00");
  defaults.setBool("SocketNodelay", true);
  // Every run starts at sequence number 1 (141=Y on logon), so a stale store never blocks a logon.
  defaults.setBool("ResetOnLogon", config.reset_on_logon);
  // The client must be able to send what the gateway's dictionaries refuse, and to read whatever it gets.
  defaults.setBool("UseDataDictionary", false);

  const TlsClientConfig& tls = config.tls;
  if (tls.certificate_file.empty() != tls.private_key_file.empty())
    throw std::invalid_argument("a TLS client certificate needs its key, and a key its certificate");
  if (!tls.certificate_file.empty() && !tls.enabled())
    throw std::invalid_argument("a TLS client certificate needs the CA file that verifies the gateway");
  // TLS itself is carried by FixClient's TlsTunnel (QuickFIX 1.15.1's SSL initiator sends in cleartext).

  FIX::SessionSettings settings;
  settings.set(defaults);
  for (const SessionConfig& session : config.sessions) {
    const auto version = versionFromBeginString(session.begin_string);
    if (!version) throw std::invalid_argument("unsupported BeginString '" + session.begin_string + "'");
    FIX::Dictionary dictionary;
    // QuickFIX wants the enumerated ApplVerID: 9 is FIX.5.0SP2.
    if (*version == FixVersion::Fix50Sp2) dictionary.setString("DefaultApplVerID", "9");
    settings.set(sessionIdOf(session), dictionary);
  }
  return settings;
}

}  // namespace fixgate::client
