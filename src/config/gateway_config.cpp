#include "config/gateway_config.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "config/limits_config.h"
#include "core/types.h"
#include "security/secret_file.h"

namespace fixgate::config {
namespace {

namespace fs = std::filesystem;

fs::path resolve(const fs::path& base_dir, const std::string& value) {
  const fs::path p(value);
  return p.is_absolute() ? p : (base_dir / p).lexically_normal();
}

bool isPlainId(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// "a.b.c.d:port", the form civetweb binds to one IPv4 address.
bool isListenAddress(std::string_view s) {
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos) return false;
  in_addr address{};
  const std::string host(s.substr(0, colon));
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  const auto port = s.substr(colon + 1);
  int value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

bool isLogLevel(std::string_view s) {
  for (const std::string_view level : {"trace", "debug", "info", "warn", "error", "critical"}) {
    if (s == level) return true;
  }
  return false;
}

void readInstruments(const fs::path& file, core::ReferenceData& refdata,
                     std::vector<ConfigError>& all_errors) {
  ConfigErrors errors(file.string());
  auto root = loadYamlFile(file.string(), errors);
  if (root) {
    MapReader top(*root, "", errors);
    top.sequence("instruments", true, [&](MapReader& r, std::size_t) {
      core::Instrument inst;
      const int line = r.line();
      inst.symbol = r.string("symbol", std::nullopt).value_or("");
      inst.isin = r.string("isin", "").value_or("");
      inst.mic = r.string("mic", "").value_or("");
      inst.currency = r.string("currency", std::nullopt).value_or("");
      const auto tick_text = r.decimal("tick_size", "0.01");
      if (tick_text) {
        const auto tick = core::parsePrice(*tick_text);
        if (!tick || tick->units <= 0) {
          errors.add(r.lineOf("tick_size"), r.keyPath("tick_size"),
                     fmt::format("must be a positive decimal with at most 8 places, got '{}'", *tick_text));
        } else {
          inst.tick_size = *tick;
        }
      }
      if (!inst.isin.empty() && inst.isin.size() != 12) {
        errors.add(r.lineOf("isin"), r.keyPath("isin"),
                   fmt::format("an ISIN has 12 characters, got '{}'", inst.isin));
      }
      if (!inst.currency.empty() && inst.currency.size() != 3) {
        errors.add(r.lineOf("currency"), r.keyPath("currency"),
                   fmt::format("must be a 3-letter ISO 4217 code, got '{}'", inst.currency));
      }
      if (inst.symbol.empty()) return;
      if (refdata.instruments.contains(inst.symbol)) {
        errors.add(line, r.keyPath("symbol"), fmt::format("duplicate symbol '{}'", inst.symbol));
        return;
      }
      refdata.instruments.emplace(inst.symbol, std::move(inst));
    });
  }
  auto list = errors.take();
  all_errors.insert(all_errors.end(), list.begin(), list.end());
}

// A PEM file the TLS setup needs: `key` must name an existing regular file; a private key must also be
// its owner's alone. Returns the resolved path ("" when the key is absent and not required).
fs::path tlsFile(MapReader& t, const fs::path& base, std::string_view key, bool required, bool secret,
                 ConfigErrors& errors) {
  const auto value = t.string(key, "").value_or("");
  if (value.empty()) {
    // Reported at `enabled: true`, the line that makes it required.
    if (required) errors.add(t.lineOf("enabled"), t.keyPath(key), "is required when fix.tls.enabled is true");
    return {};
  }
  const fs::path path = resolve(base, value);
  if (secret) {
    if (auto ok = security::checkSecretFile(path, "the TLS private key"); !ok)
      errors.add(t.lineOf(key), t.keyPath(key), ok.error());
  } else if (!fs::is_regular_file(path)) {
    errors.add(t.lineOf(key), t.keyPath(key), fmt::format("file {} does not exist", path.string()));
  }
  return path;
}

void readTls(MapReader& t, const fs::path& base, int listen_port, TlsConfig& tls, ConfigErrors& errors) {
  tls.enabled = t.boolean("enabled", false).value_or(false);
  tls.require_client_certificate = t.boolean("require_client_certificate", false).value_or(false);
  tls.plaintext_listen_port = static_cast<int>(t.integer("plaintext_listen_port", 0, 0, 65535).value_or(0));
  tls.certificate_file = tlsFile(t, base, "certificate_file", tls.enabled, false, errors);
  tls.private_key_file = tlsFile(t, base, "private_key_file", tls.enabled, true, errors);
  tls.ca_file = tlsFile(t, base, "ca_file", false, false, errors);
  if (tls.require_client_certificate && tls.ca_file.empty()) {
    errors.add(t.lineOf("require_client_certificate"), t.keyPath("require_client_certificate"),
               "needs fix.tls.ca_file, the CA bundle client certificates are checked against");
  }
  if (tls.plaintext_listen_port != 0 && tls.plaintext_listen_port == listen_port) {
    errors.add(t.lineOf("plaintext_listen_port"), t.keyPath("plaintext_listen_port"),
               fmt::format("must differ from fix.listen_port ({}), which serves TLS", listen_port));
  }
}

// "HH:MM" or "HH:MM:SS" (24-hour) -> seconds after midnight; nullopt when it is not one.
std::optional<std::int64_t> secondsOfDay(std::string_view text) {
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  const auto two_digits = [&](std::size_t at) -> int {
    const char hi = text[at];
    const char lo = text[at + 1];
    if (hi < '0' || hi > '9' || lo < '0' || lo > '9') return -1;
    return (hi - '0') * 10 + (lo - '0');
  };
  const int hours = two_digits(0);
  const int minutes = text[2] == ':' ? two_digits(3) : -1;
  const int seconds = text.size() == 8 ? (text[5] == ':' ? two_digits(6) : -1) : 0;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59)
    return std::nullopt;
  return hours * 3600 + minutes * 60 + seconds;
}

}  // namespace

std::expected<GatewayConfig, std::vector<ConfigError>> loadGatewayConfig(const fs::path& file) {
  GatewayConfig cfg;
  cfg.config_file = fs::absolute(file);
  const fs::path base = cfg.config_file.parent_path();
  ConfigErrors errors(file.string());
  auto root = loadYamlFile(file.string(), errors);
  if (!root) return std::unexpected(errors.take());

  std::string instruments_file = "instruments.yaml";
  std::string limits_file = "limits.yaml";
  std::vector<ConfigError> credential_errors;  // they name the credentials file, not gateway.yaml
  {
    MapReader top(*root, "", errors);
    top.map("gateway", false, [&](MapReader& r) {
      cfg.instance_id = r.string("instance_id", "FG1").value_or("FG1");
      if (!isPlainId(cfg.instance_id) || cfg.instance_id.size() > 8) {
        errors.add(r.lineOf("instance_id"), r.keyPath("instance_id"),
                   fmt::format("must be 1 to 8 letters or digits, got '{}'", cfg.instance_id));
      }
      cfg.data_dir = resolve(base, r.string("data_dir", "../var/gateway").value_or(""));
      instruments_file = r.string("instruments_file", "instruments.yaml").value_or("");
      limits_file = r.string("limits_file", "limits.yaml").value_or("");
      cfg.refdata.final_order_retention_us =
          r.integer("final_order_retention_s", 60, 0, 86'400).value_or(60) * 1'000'000;
      cfg.refdata.expected_cl_ord_ids_per_day = static_cast<std::size_t>(
          r.integer("expected_cl_ord_ids_per_day", 1'000'000, 0, 1'000'000'000).value_or(1'000'000));
      const std::string day_start = r.string("trading_day_start_utc", "00:00").value_or("00:00");
      if (const auto seconds = secondsOfDay(day_start)) {
        cfg.refdata.trading_day_start_s = *seconds;
      } else {
        errors.add(r.lineOf("trading_day_start_utc"), r.keyPath("trading_day_start_utc"),
                   fmt::format("must be a time of day in UTC as HH:MM or HH:MM:SS (00:00 to 23:59:59), got "
                               "'{}'",
                               day_start));
      }
    });
    top.map("journal", false, [&](MapReader& r) {
      cfg.journal.flush = r.string("flush", "interval").value_or("interval");
      if (cfg.journal.flush != "record" && cfg.journal.flush != "batch" && cfg.journal.flush != "interval") {
        errors.add(r.lineOf("flush"), r.keyPath("flush"),
                   fmt::format("must be record, batch or interval, got '{}'", cfg.journal.flush));
      }
      cfg.journal.flush_interval_ms =
          static_cast<int>(r.integer("flush_interval_ms", 5, 1, 10'000).value_or(5));
      cfg.journal.segment_mib = static_cast<int>(r.integer("segment_mib", 64, 1, 4'000).value_or(64));
    });
    top.map("audit", false, [&](MapReader& r) {
      cfg.audit.database = r.string("database", "").value_or("");
      if (cfg.audit.database.find("password") != std::string::npos) {
        errors.add(r.lineOf("database"), r.keyPath("database"),
                   "must not carry a password: use passfile=/path/to/pgpass (mode 0600) or the PGPASSWORD "
                   "environment variable");
      }
      cfg.audit.batch_records =
          static_cast<int>(r.integer("batch_records", 5000, 1, 1'000'000).value_or(5000));
      cfg.audit.connections = static_cast<int>(r.integer("connections", 3, 1, 3).value_or(3));
    });
    top.map("ops", false, [&](MapReader& r) {
      cfg.ops.http_listen = r.string("http_listen", "").value_or("");
      if (!cfg.ops.http_listen.empty() && !isListenAddress(cfg.ops.http_listen)) {
        errors.add(
            r.lineOf("http_listen"), r.keyPath("http_listen"),
            fmt::format("must be an IPv4 address and a port, like 127.0.0.1:9464, or \"\" for off; got "
                        "'{}'",
                        cfg.ops.http_listen));
      }
      cfg.ops.log_level = r.string("log_level", "info").value_or("info");
      if (!isLogLevel(cfg.ops.log_level)) {
        errors.add(
            r.lineOf("log_level"), r.keyPath("log_level"),
            fmt::format("must be trace, debug, info, warn, error or critical; got '{}'", cfg.ops.log_level));
      }
      cfg.ops.log_format = r.string("log_format", "text").value_or("text");
      if (cfg.ops.log_format != "text" && cfg.ops.log_format != "json") {
        errors.add(r.lineOf("log_format"), r.keyPath("log_format"),
                   fmt::format("must be text or json; got '{}'", cfg.ops.log_format));
      }
    });
    top.map("fix", false, [&](MapReader& r) {
      cfg.listen_port = static_cast<int>(r.integer("listen_port", 9880, 1, 65535).value_or(0));
      cfg.dictionary_dir = resolve(base, r.string("dictionary_dir", "../fix_spec").value_or(""));
      cfg.heartbeat_interval_s =
          static_cast<int>(r.integer("heartbeat_interval_s", 30, 1, 3600).value_or(30));
      cfg.message_log = r.boolean("message_log", false).value_or(false);
      cfg.reset_on_logon = r.boolean("reset_on_logon", false).value_or(false);
      cfg.busy_poll = r.boolean("busy_poll", false).value_or(false);
      if (!fs::is_directory(cfg.dictionary_dir)) {
        errors.add(r.lineOf("dictionary_dir"), r.keyPath("dictionary_dir"),
                   fmt::format("directory {} does not exist; point it at the repository's fix_spec/",
                               cfg.dictionary_dir.string()));
      }
      r.map("tls", false, [&](MapReader& t) { readTls(t, base, cfg.listen_port, cfg.tls, errors); });
    });
    if (cfg.dictionary_dir.empty()) cfg.dictionary_dir = resolve(base, "../fix_spec");

    std::string credentials_file;
    bool credentials_loaded = false;
    top.map("security", false, [&](MapReader& r) {
      credentials_file = r.string("credentials_file", "").value_or("");
      cfg.security.max_failed_logons =
          static_cast<int>(r.integer("max_failed_logons", 5, 1, 1000).value_or(5));
      cfg.security.failed_logon_window_s =
          static_cast<int>(r.integer("failed_logon_window_s", 300, 1, 86'400).value_or(300));
      cfg.security.lockout_s = static_cast<int>(r.integer("lockout_s", 900, 1, 86'400).value_or(900));
      cfg.security.max_bytes_before_logon = static_cast<std::uint64_t>(
          r.integer("max_bytes_before_logon", 65'536, 1'024, 16'777'216).value_or(65'536));
      cfg.security.logon_timeout_s =
          static_cast<int>(r.integer("logon_timeout_s", 10, 1, 3'600).value_or(10));
      cfg.security.max_bytes_between_messages = static_cast<std::uint64_t>(
          r.integer("max_bytes_between_messages", 4'194'304, 65'536, 1'073'741'824).value_or(4'194'304));
      cfg.security.max_pending_connections_per_address = static_cast<std::size_t>(
          r.integer("max_pending_connections_per_address", 32, 1, 100'000).value_or(32));
    });
    if (!credentials_file.empty()) {
      cfg.security.credentials_file = resolve(base, credentials_file);
      auto credentials = security::loadCredentials(cfg.security.credentials_file);
      if (!credentials) {
        for (const auto& e : credentials.error())
          credential_errors.push_back(
              ConfigError{cfg.security.credentials_file.string(), e.line, "", e.message});
      } else {
        cfg.credentials = std::move(*credentials);
        credentials_loaded = true;
      }
    }

    std::set<std::string> session_names;
    std::set<std::pair<std::string, std::string>> comp_ids;
    const bool have_sessions = top.sequence("client_sessions", true, [&](MapReader& r, std::size_t) {
      ClientSessionConfig s;
      s.name = r.string("name", std::nullopt).value_or("");
      s.begin_string = r.string("begin_string", std::nullopt).value_or("");
      s.sender_comp_id = r.string("sender_comp_id", std::nullopt).value_or("");
      s.target_comp_id = r.string("target_comp_id", std::nullopt).value_or("");
      s.cancel_on_disconnect = r.boolean("cancel_on_disconnect", false).value_or(false);
      s.username = r.string("username", "").value_or("");
      if (!s.username.empty() && !security::isValidUsername(s.username)) {
        errors.add(r.lineOf("username"), r.keyPath("username"),
                   "must be 1 to 64 letters, digits, '.', '_', '-' or '@'");
      } else if (!s.username.empty() && credentials_file.empty()) {
        errors.add(r.lineOf("username"), r.keyPath("username"),
                   "a session with a username needs security.credentials_file (written by fixgate-passwd)");
      } else if (!s.username.empty() && credentials_loaded && !cfg.credentials.contains(s.username)) {
        errors.add(r.lineOf("username"), r.keyPath("username"),
                   fmt::format("user '{}' has no entry in {}: add it with fixgate-passwd --file {} --user {}",
                               s.username, cfg.security.credentials_file.string(),
                               cfg.security.credentials_file.string(), s.username));
      }
      if (const auto addresses = r.stringList("allowed_addresses", false)) {
        for (const auto& item : *addresses) {
          auto network = security::parseNetwork(item.value);
          if (!network) {
            errors.add(item.line, item.key, network.error());
          } else {
            s.allowed_addresses.push_back(*network);
          }
        }
      }
      s.plaintext = r.boolean("plaintext", false).value_or(false);
      if (s.plaintext && (!cfg.tls.enabled || cfg.tls.plaintext_listen_port == 0)) {
        errors.add(
            r.lineOf("plaintext"), r.keyPath("plaintext"),
            "a plaintext session needs fix.tls.enabled: true and a fix.tls.plaintext_listen_port (without "
            "TLS every session is plaintext already)");
      }
      s.client_certificate_cn = r.string("client_certificate_cn", "").value_or("");
      if (!s.client_certificate_cn.empty() && (!cfg.tls.enabled || cfg.tls.ca_file.empty() || s.plaintext)) {
        errors.add(
            r.lineOf("client_certificate_cn"), r.keyPath("client_certificate_cn"),
            "needs a TLS session (fix.tls.enabled: true, plaintext: false) and fix.tls.ca_file, the CA that "
            "issues client certificates");
      }
      if (!s.begin_string.empty() && s.begin_string != "FIX.4.2" && s.begin_string != "FIX.4.4" &&
          s.begin_string != "FIXT.1.1") {
        errors.add(r.lineOf("begin_string"), r.keyPath("begin_string"),
                   fmt::format("must be FIX.4.2, FIX.4.4 or FIXT.1.1, got '{}'", s.begin_string));
      }
      if (!s.name.empty() && !session_names.insert(s.name).second) {
        errors.add(r.lineOf("name"), r.keyPath("name"), fmt::format("duplicate session name '{}'", s.name));
      }
      if (!comp_ids.emplace(s.begin_string + "|" + s.sender_comp_id, s.target_comp_id).second) {
        errors.add(r.lineOf("target_comp_id"), r.keyPath("target_comp_id"),
                   fmt::format("session {}:{}->{} is configured twice", s.begin_string, s.sender_comp_id,
                               s.target_comp_id));
      }
      cfg.client_sessions.push_back(std::move(s));
    });
    if (have_sessions && cfg.client_sessions.empty()) {
      errors.add(top.lineOf("client_sessions"), "client_sessions", "at least one session is needed");
    }

    std::set<std::string> venue_names;
    const bool have_venues = top.sequence("venues", true, [&](MapReader& r, std::size_t) {
      VenueConfig v;
      v.name = r.string("name", std::nullopt).value_or("");
      v.host = r.string("host", "127.0.0.1").value_or("");
      v.port = static_cast<int>(r.integer("port", std::nullopt, 1, 65535).value_or(0));
      v.sender_comp_id = r.string("sender_comp_id", "FIXGATE").value_or("");
      v.target_comp_id = r.string("target_comp_id", std::nullopt).value_or("");
      v.heartbeat_interval_s = static_cast<int>(r.integer("heartbeat_interval_s", 30, 1, 3600).value_or(30));
      v.reconnect_interval_s = static_cast<int>(r.integer("reconnect_interval_s", 5, 1, 3600).value_or(5));
      v.socket_send_buffer_kib =
          static_cast<int>(r.integer("socket_send_buffer_kib", 0, 0, 65536).value_or(0));
      const auto timeout_us = [&](std::string_view key) {
        constexpr long long kDefaultMs = 5000;
        return r.integer(key, kDefaultMs, 0, 3'600'000).value_or(kDefaultMs) * 1000;
      };
      v.ack_timeouts.new_order_us = timeout_us("ack_timeout_new_ms");
      v.ack_timeouts.cancel_us = timeout_us("ack_timeout_cancel_ms");
      v.ack_timeouts.replace_us = timeout_us("ack_timeout_replace_ms");
      v.ack_timeouts.cancel_unacknowledged_new =
          r.boolean("cancel_unacknowledged_new", false).value_or(false);
      v.ack_timeouts.replay_unreceived_new = r.boolean("replay_unreceived_new", true).value_or(true);
      v.ack_timeouts.hold_while_disconnected_us =
          r.integer("hold_while_disconnected_ms", 0, 0, 3'600'000).value_or(0) * 1000;
      v.status_queries_per_second =
          static_cast<std::uint32_t>(r.integer("status_queries_per_second", 500, 0, 100'000).value_or(500));
      const bool tls_written = r.has("tls");
      r.map("tls", false, [&](MapReader& t) {
        v.tls.ca_file = tlsFile(t, base, "ca_file", false, false, errors);
        v.tls.certificate_file = tlsFile(t, base, "certificate_file", false, false, errors);
        v.tls.private_key_file = tlsFile(t, base, "private_key_file", false, true, errors);
        if (tls_written && v.tls.ca_file.empty()) {
          errors.add(t.lineOf("ca_file"), t.keyPath("ca_file"),
                     "is required for TLS to the venue: the CA its certificate must chain to");
        }
        if (v.tls.certificate_file.empty() != v.tls.private_key_file.empty()) {
          errors.add(t.lineOf(v.tls.certificate_file.empty() ? "private_key_file" : "certificate_file"),
                     t.keyPath(v.tls.certificate_file.empty() ? "certificate_file" : "private_key_file"),
                     "certificate_file and private_key_file go together (mutual TLS to the venue)");
        }
      });
      if (!v.name.empty() && !venue_names.insert(v.name).second) {
        errors.add(r.lineOf("name"), r.keyPath("name"), fmt::format("duplicate venue name '{}'", v.name));
      }
      cfg.venues.push_back(std::move(v));
    });
    if (have_venues && cfg.venues.empty()) {
      errors.add(top.lineOf("venues"), "venues", "at least one venue is needed");
    }

    for (const auto& s : cfg.client_sessions) {
      cfg.refdata.session_names.push_back(s.name);
      cfg.refdata.cancel_on_disconnect.push_back(s.cancel_on_disconnect);
    }
    for (const auto& v : cfg.venues) {
      cfg.refdata.venue_names.push_back(v.name);
      cfg.refdata.venue_ack_timeouts.push_back(v.ack_timeouts);
      cfg.refdata.status_queries_per_second.push_back(v.status_queries_per_second);
    }

    top.map("routing", false, [&](MapReader& r) {
      const auto default_venue = r.string("default_venue", "").value_or("");
      if (!default_venue.empty()) {
        cfg.refdata.routing.default_venue = cfg.refdata.venueByName(default_venue);
        if (!cfg.refdata.routing.default_venue) {
          errors.add(r.lineOf("default_venue"), r.keyPath("default_venue"),
                     fmt::format("'{}' is not one of the configured venues", default_venue));
        }
      }
      r.sequence("rules", false, [&](MapReader& rule_reader, std::size_t) {
        core::RoutingRule rule;
        int kinds = 0;
        for (const auto& [key, match] : {std::pair{"symbol", core::RouteMatch::Symbol},
                                         std::pair{"security_exchange", core::RouteMatch::SecurityExchange},
                                         std::pair{"account", core::RouteMatch::Account}}) {
          if (auto value = rule_reader.string(key, ""); value && !value->empty()) {
            rule.match = match;
            rule.value = *value;
            ++kinds;
          }
        }
        if (kinds != 1) {
          errors.add(rule_reader.line(), rule_reader.keyPath(""),
                     "a rule needs exactly one of symbol, security_exchange or account");
        }
        const auto venue = rule_reader.string("venue", std::nullopt).value_or("");
        const auto venue_id = cfg.refdata.venueByName(venue);
        if (!venue.empty() && !venue_id) {
          errors.add(rule_reader.lineOf("venue"), rule_reader.keyPath("venue"),
                     fmt::format("'{}' is not one of the configured venues", venue));
        }
        rule.venue = venue_id.value_or(0);
        cfg.refdata.routing.rules.push_back(std::move(rule));
      });
    });
  }  // readers report unknown keys here

  std::vector<ConfigError> all = errors.take();
  all.insert(all.end(), credential_errors.begin(), credential_errors.end());
  cfg.instruments_file = resolve(base, instruments_file);
  readInstruments(cfg.instruments_file, cfg.refdata, all);
  // Limits refer to sessions, venues and instruments, so they are read once the reference data is built.
  cfg.limits_file = resolve(base, limits_file);
  if (auto limits = loadLimits(cfg.limits_file, cfg.refdata)) {
    cfg.limits = std::move(*limits);
  } else {
    all.insert(all.end(), limits.error().begin(), limits.error().end());
  }
  if (!all.empty()) return std::unexpected(std::move(all));
  return cfg;
}

}  // namespace fixgate::config
