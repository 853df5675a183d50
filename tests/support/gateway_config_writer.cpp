#include "gateway_config_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "text_file.h"

namespace fixgate::testing {
namespace {

std::string sessionName(const ClientSessionSpec& session) {
  return "it-" + session.comp_id;
}

// The inside of a double-quoted YAML scalar: backslashes and quotes escaped.
std::string yamlEscaped(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '\\' || c == '"') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string gatewayYaml(const GatewayOptions& options, const GatewayConfigPaths& paths,
                        std::uint16_t listen_port, const std::map<std::string, std::uint16_t>& venue_ports) {
  std::string yaml;
  yaml += "gateway:\n";
  yaml += fmt::format("  instance_id: {}\n", options.instance_id);
  yaml += fmt::format("  data_dir: \"{}\"\n", (paths.dir / "data").string());
  yaml += "  instruments_file: instruments.yaml\n";
  yaml += "  limits_file: limits.yaml\n";
  if (options.final_order_retention_s >= 0)
    yaml += fmt::format("  final_order_retention_s: {}\n", options.final_order_retention_s);
  if (!options.trading_day_start_utc.empty())
    yaml += fmt::format("  trading_day_start_utc: \"{}\"\n", options.trading_day_start_utc);
  yaml += "fix:\n";
  yaml += fmt::format("  listen_port: {}\n", listen_port);
  yaml += fmt::format("  dictionary_dir: \"{}\"\n", paths.dictionary_dir.string());
  yaml += fmt::format("  heartbeat_interval_s: {}\n", options.heartbeat_interval_s);
  if (options.busy_poll) yaml += "  busy_poll: true\n";
  yaml += fmt::format("  message_log: {}\n", options.message_log);
  if (options.tls.enabled) {
    const TlsSpec& tls = options.tls;
    yaml += "  tls:\n";
    yaml += "    enabled: true\n";
    yaml += fmt::format("    certificate_file: \"{}\"\n", yamlEscaped(tls.certificate_file));
    yaml += fmt::format("    private_key_file: \"{}\"\n", yamlEscaped(tls.private_key_file));
    if (!tls.ca_file.empty()) yaml += fmt::format("    ca_file: \"{}\"\n", yamlEscaped(tls.ca_file));
    yaml += fmt::format("    require_client_certificate: {}\n", tls.require_client_certificate);
    if (tls.plaintext_listen_port != 0)
      yaml += fmt::format("    plaintext_listen_port: {}\n", tls.plaintext_listen_port);
  }
  yaml += "client_sessions:\n";
  for (const ClientSessionSpec& session : options.client_sessions) {
    yaml += fmt::format("  - name: {}\n", sessionName(session));
    yaml += fmt::format("    begin_string: {}\n", session.begin_string);
    yaml += fmt::format("    sender_comp_id: {}\n", options.gateway_comp_id);
    yaml += fmt::format("    target_comp_id: {}\n", session.comp_id);
    if (std::find(options.cancel_on_disconnect.begin(), options.cancel_on_disconnect.end(),
                  session.comp_id) != options.cancel_on_disconnect.end()) {
      yaml += "    cancel_on_disconnect: true\n";
    }
    if (!session.username.empty()) yaml += fmt::format("    username: {}\n", session.username);
    if (!session.allowed_addresses.empty())
      yaml += fmt::format("    allowed_addresses: [{}]\n", fmt::join(session.allowed_addresses, ", "));
    if (session.plaintext) yaml += "    plaintext: true\n";
    if (!session.client_certificate_cn.empty())
      yaml += fmt::format("    client_certificate_cn: \"{}\"\n", yamlEscaped(session.client_certificate_cn));
  }
  yaml += "venues:\n";
  for (const VenueSpec& venue : options.venues) {
    const auto port = venue_ports.find(venue.name);
    if (port == venue_ports.end()) throw std::logic_error("no port picked for venue " + venue.name);
    yaml += fmt::format("  - name: {}\n", venue.name);
    yaml += "    host: 127.0.0.1\n";
    yaml += fmt::format("    port: {}\n", port->second);
    yaml += fmt::format("    sender_comp_id: {}\n", options.gateway_comp_id);
    yaml += fmt::format("    target_comp_id: {}\n", venue.comp_id.empty() ? venue.name : venue.comp_id);
    // Short, so a venue that was not listening yet is reached again quickly.
    yaml += "    reconnect_interval_s: 1\n";
    for (const std::string& setting : venue.gateway_settings) yaml += fmt::format("    {}\n", setting);
  }
  yaml += "routing:\n";
  yaml += fmt::format("  default_venue: \"{}\"\n", options.default_venue);
  if (options.rules.empty()) {
    yaml += "  rules: []\n";
  } else {
    yaml += "  rules:\n";
    for (const RoutingRuleSpec& rule : options.rules) {
      yaml += fmt::format("    - {{ {}: \"{}\", venue: {} }}\n", rule.key, rule.value, rule.venue);
    }
  }
  if (!options.credentials_file.empty() || options.logon_timeout_s != 0) {
    yaml += "security:\n";
    if (!options.credentials_file.empty()) {
      yaml += fmt::format("  credentials_file: \"{}\"\n", yamlEscaped(options.credentials_file.string()));
      yaml += fmt::format("  max_failed_logons: {}\n", options.max_failed_logons);
      yaml += fmt::format("  lockout_s: {}\n", options.lockout_s);
    }
    if (options.logon_timeout_s != 0) yaml += fmt::format("  logon_timeout_s: {}\n", options.logon_timeout_s);
  }
  if (options.ops_http_port != 0) {
    yaml += fmt::format("ops:\n  http_listen: \"127.0.0.1:{}\"\n", options.ops_http_port);
  }
  if (!options.audit_database.empty()) {
    yaml += "audit:\n";
    yaml += fmt::format("  database: \"{}\"\n", yamlEscaped(options.audit_database));
  }
  return yaml;
}

std::string permissiveLimitsYaml(const GatewayOptions& options) {
  // The limits file must state every account default (fail closed); these are far out of the tests' way.
  std::string yaml =
      "duplicate_window_ms: 0\n"
      "collar: { max_deviation_pct: ~ }\n"
      "defaults:\n"
      "  account: { max_order_qty: 1000000, max_order_notional: 1000000000, max_gross_notional: "
      "10000000000,\n"
      "             max_net_notional: 10000000000, max_long_position: 100000000, max_short_position: "
      "100000000,\n"
      "             max_open_orders: 100000, max_daily_loss: 1000000000 }\n"
      "breakers: { repeat_max: 100000, reject_min_messages: 100000, venue_consecutive_failures: 100000 }\n"
      "accounts:\n  - account: IT-1\n  - account: IT-2\nsymbols:\n";
  for (const InstrumentSpec& i : options.instruments) {
    yaml += fmt::format("  - {{ symbol: \"{}\", reference_price: 100 }}\n", i.symbol);
  }
  yaml += "sessions:\n";
  for (const ClientSessionSpec& session : options.client_sessions) {
    yaml += fmt::format("  - {{ session: {}, default_account: IT-1 }}\n", sessionName(session));
  }
  return yaml;
}

// Lets a test's limits file name sessions by CompID: "{session:C44A}" becomes "it-C44A".
std::string expandSessionNames(std::string yaml, const GatewayOptions& options) {
  for (const ClientSessionSpec& session : options.client_sessions) {
    const std::string token = "{session:" + session.comp_id + "}";
    for (auto pos = yaml.find(token); pos != std::string::npos; pos = yaml.find(token, pos)) {
      yaml.replace(pos, token.size(), sessionName(session));
    }
  }
  return yaml;
}

std::string instrumentsYaml(const GatewayOptions& options) {
  std::string yaml = "instruments:\n";
  for (const InstrumentSpec& i : options.instruments) {
    yaml += fmt::format("  - {{ symbol: \"{}\", isin: \"{}\", mic: \"{}\", currency: {}, tick_size: {} }}\n",
                        i.symbol, i.isin, i.mic, i.currency, i.tick_size);
  }
  return yaml;
}

}  // namespace

std::filesystem::path writeGatewayConfig(const GatewayOptions& options, const GatewayConfigPaths& paths,
                                         std::uint16_t listen_port,
                                         const std::map<std::string, std::uint16_t>& venue_ports) {
  const std::filesystem::path config = paths.dir / "gateway.yaml";
  writeTextFile(config, gatewayYaml(options, paths, listen_port, venue_ports));
  writeTextFile(paths.dir / "instruments.yaml", instrumentsYaml(options));
  writeTextFile(paths.dir / "limits.yaml", options.limits_yaml.empty()
                                               ? permissiveLimitsYaml(options)
                                               : expandSessionNames(options.limits_yaml, options));
  return config;
}

}  // namespace fixgate::testing
