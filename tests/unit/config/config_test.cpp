// loadGatewayConfig: gateway.yaml and the instruments file it names are read as a whole into one immutable
// value, or refused with every problem found, each naming its file, 1-based line and dotted key.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/gateway_config.h"
#include "config/yaml_reader.h"
#include "config_test_util.h"
#include "security/network.h"
#include "security/password_hash.h"

#ifndef FIXGATE_SOURCE_DIR
#error "FIXGATE_SOURCE_DIR must point at the repository root"
#endif

namespace fixgate::config {
namespace {

namespace fs = std::filesystem;
using testutil::edit;
using testutil::hasError;
using testutil::lineOf;
using testutil::listErrors;

using Result = std::expected<GatewayConfig, std::vector<ConfigError>>;

// A valid configuration using every key; tests break it one edit at a time. Block style and flow style both
// appear, as in config/gateway.yaml.
const std::string kGateway = R"(# gateway under test
gateway:
  instance_id: FG9
  data_dir: var
  instruments_file: instruments.yaml
  limits_file: limits.yaml

fix:
  listen_port: 9880
  dictionary_dir: .
  heartbeat_interval_s: 20
  message_log: false
  reset_on_logon: true

audit:
  database: "host=/nowhere dbname=audit"
  batch_records: 700
  connections: 2

client_sessions:
  - name: c42
    begin_string: FIX.4.2
    sender_comp_id: FIXGATE
    target_comp_id: C42
  - name: c44
    begin_string: FIX.4.4
    sender_comp_id: FIXGATE
    target_comp_id: C44
    cancel_on_disconnect: true
  - name: c50
    begin_string: FIXT.1.1
    sender_comp_id: FIXGATE
    target_comp_id: C50

venues:
  - name: V1
    port: 9901
    target_comp_id: V1
  - name: V2
    host: 10.0.0.2
    port: 9902
    sender_comp_id: GW
    target_comp_id: VENUE2
    heartbeat_interval_s: 10
    reconnect_interval_s: 2
    socket_send_buffer_kib: 64
    status_queries_per_second: 40
    ack_timeout_new_ms: 250
    ack_timeout_cancel_ms: 0
    ack_timeout_replace_ms: 750
    cancel_unacknowledged_new: true

routing:
  default_venue: V1
  rules:
    - symbol: IBM
      venue: V2
    - { account: HEDGE, venue: V2 }
    - { security_exchange: XLON, venue: V1 }
)";

const std::string kInstruments = R"(# instruments under test
instruments:
  - { symbol: IBM, isin: US4592001014, mic: XNYS, currency: USD, tick_size: 0.01 }
  - { symbol: VOD.L, isin: GB00BH4HKS39, mic: XLON, currency: GBP, tick_size: 0.02 }
  - symbol: SAP.DE
    currency: EUR
)";

// A valid limits file that names nothing of gateway.yaml, so a broken session, venue or instrument there is
// reported once, not again as a dangling reference here (limits_config_test covers the references).
const std::string kLimits = R"(# limits under test
defaults:
  account:
    max_order_qty: 1000
    max_order_notional: 100000
    max_gross_notional: 1000000
    max_net_notional: 500000
    max_long_position: 5000
    max_short_position: 5000
    max_open_orders: 20
    max_daily_loss: 10000
accounts:
  - account: HEDGE
sessions: []
)";

class LoadGatewayConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("fixgate-config-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& file, const std::string& text) {
    const auto path = dir_ / file;
    std::ofstream(path) << text;
    return path;
  }

  Result load(const std::string& gateway, const std::string& instruments = kInstruments,
              const std::string& limits = kLimits) {
    write("instruments.yaml", instruments);
    write("limits.yaml", limits);
    return loadGatewayConfig(write("gateway.yaml", gateway));
  }

  // The errors of a load that must fail.
  std::vector<ConfigError> errorsOf(const std::string& gateway, const std::string& instruments = kInstruments,
                                    const std::string& limits = kLimits) {
    auto result = load(gateway, instruments, limits);
    EXPECT_FALSE(result.has_value()) << "the configuration was accepted";
    return result ? std::vector<ConfigError>{} : result.error();
  }

  std::string gatewayFile() const { return (dir_ / "gateway.yaml").string(); }
  std::string instrumentsFile() const { return (dir_ / "instruments.yaml").string(); }
  std::string limitsFile() const { return (dir_ / "limits.yaml").string(); }

  fs::path dir_;
};

// ---------------------------------------------------------------------------------------------------------------
// Files that load

TEST_F(LoadGatewayConfig, RepositoryConfigLoads) {
  const fs::path source(FIXGATE_SOURCE_DIR);
  const auto result = loadGatewayConfig(source / "config" / "gateway.yaml");
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  const auto& cfg = *result;
  EXPECT_EQ(cfg.instance_id, "FG1");
  EXPECT_EQ(cfg.listen_port, 9880);
  EXPECT_EQ(cfg.heartbeat_interval_s, 30);
  EXPECT_FALSE(cfg.message_log);
  EXPECT_FALSE(cfg.reset_on_logon);
  EXPECT_EQ(fs::weakly_canonical(cfg.dictionary_dir), fs::weakly_canonical(source / "fix_spec"));
  EXPECT_EQ(fs::weakly_canonical(cfg.data_dir), fs::weakly_canonical(source / "var" / "gateway"));
  EXPECT_EQ(fs::weakly_canonical(cfg.instruments_file),
            fs::weakly_canonical(source / "config" / "instruments.yaml"));

  ASSERT_EQ(cfg.client_sessions.size(), 6u);
  int per_version[3] = {0, 0, 0};
  for (const auto& s : cfg.client_sessions) {
    EXPECT_EQ(s.sender_comp_id, "FIXGATE") << s.name;
    if (s.begin_string == "FIX.4.2") ++per_version[0];
    if (s.begin_string == "FIX.4.4") ++per_version[1];
    if (s.begin_string == "FIXT.1.1") ++per_version[2];
  }
  EXPECT_EQ(per_version[0], 2);
  EXPECT_EQ(per_version[1], 2);
  EXPECT_EQ(per_version[2], 2);
  EXPECT_EQ(cfg.client_sessions[0].name, "acme-fix42");
  EXPECT_EQ(cfg.client_sessions[0].target_comp_id, "ACME42");
  EXPECT_EQ(cfg.refdata.session_names.size(), 6u);

  ASSERT_EQ(cfg.venues.size(), 2u);
  EXPECT_EQ(cfg.venues[0].name, "SIM-A");
  EXPECT_EQ(cfg.venues[0].port, 9901);
  EXPECT_EQ(cfg.venues[1].name, "SIM-B");
  EXPECT_EQ(cfg.venues[1].host, "127.0.0.1");
  EXPECT_EQ(cfg.venues[1].port, 9902);
  EXPECT_EQ(cfg.venues[1].target_comp_id, "SIM-B");
  EXPECT_EQ(cfg.refdata.venue_names, (std::vector<std::string>{"SIM-A", "SIM-B"}));

  ASSERT_TRUE(cfg.refdata.routing.default_venue.has_value());
  EXPECT_EQ(*cfg.refdata.routing.default_venue, 0);
  const auto& rules = cfg.refdata.routing.rules;
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].match, core::RouteMatch::SecurityExchange);
  EXPECT_EQ(rules[0].value, "XLON");
  EXPECT_EQ(rules[0].venue, 1);
  EXPECT_EQ(rules[1].match, core::RouteMatch::Symbol);
  EXPECT_EQ(rules[1].value, "VOD.L");
  EXPECT_EQ(rules[2].match, core::RouteMatch::Account);
  EXPECT_EQ(rules[2].value, "HEDGE-1");

  EXPECT_EQ(cfg.refdata.instruments.size(), 6u);
  const auto* vod = cfg.refdata.instrument("VOD.L");
  ASSERT_NE(vod, nullptr);
  EXPECT_EQ(vod->isin, "GB00BH4HKS39");
  EXPECT_EQ(vod->mic, "XLON");
  EXPECT_EQ(vod->currency, "GBP");
  EXPECT_EQ(vod->tick_size.units, 2'000'000);  // 0.02

  EXPECT_EQ(fs::weakly_canonical(cfg.limits_file), fs::weakly_canonical(source / "config" / "limits.yaml"));
  ASSERT_NE(cfg.limits, nullptr);
  EXPECT_EQ(cfg.limits->source, cfg.limits_file.string());
  EXPECT_EQ(cfg.limits->version.size(), 64u);
  // Every client session can trade, and orders without Account (1) get one.
  for (const auto& name : cfg.refdata.session_names) {
    const auto it = cfg.limits->sessions.find(name);
    ASSERT_NE(it, cfg.limits->sessions.end()) << name << " has no entry in config/limits.yaml";
    EXPECT_FALSE(it->second.default_account.empty()) << name;
  }
}

TEST_F(LoadGatewayConfig, EveryKeyIsRead) {
  const auto result = load(kGateway);
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  const auto& cfg = *result;
  EXPECT_EQ(cfg.config_file, dir_ / "gateway.yaml");
  EXPECT_EQ(cfg.instance_id, "FG9");
  EXPECT_EQ(cfg.data_dir, dir_ / "var");
  EXPECT_EQ(cfg.instruments_file, dir_ / "instruments.yaml");
  EXPECT_EQ(cfg.limits_file, dir_ / "limits.yaml");
  ASSERT_NE(cfg.limits, nullptr);
  EXPECT_EQ(cfg.limits->source, limitsFile());
  EXPECT_TRUE(cfg.limits->accounts.contains("HEDGE"));
  EXPECT_EQ(cfg.listen_port, 9880);
  EXPECT_EQ(fs::weakly_canonical(cfg.dictionary_dir), fs::weakly_canonical(dir_));
  EXPECT_EQ(cfg.heartbeat_interval_s, 20);
  EXPECT_FALSE(cfg.message_log);
  EXPECT_TRUE(cfg.reset_on_logon);

  ASSERT_EQ(cfg.client_sessions.size(), 3u);
  EXPECT_EQ(cfg.client_sessions[2].name, "c50");
  EXPECT_EQ(cfg.client_sessions[2].begin_string, "FIXT.1.1");
  EXPECT_EQ(cfg.client_sessions[2].sender_comp_id, "FIXGATE");
  EXPECT_EQ(cfg.client_sessions[2].target_comp_id, "C50");
  EXPECT_FALSE(cfg.client_sessions[0].cancel_on_disconnect);  // the documented default
  EXPECT_TRUE(cfg.client_sessions[1].cancel_on_disconnect);
  EXPECT_EQ(cfg.refdata.cancel_on_disconnect, (std::vector<bool>{false, true, false}));

  ASSERT_EQ(cfg.venues.size(), 2u);
  // Defaults for what V1 leaves out.
  EXPECT_EQ(cfg.venues[0].host, "127.0.0.1");
  EXPECT_EQ(cfg.venues[0].sender_comp_id, "FIXGATE");
  EXPECT_EQ(cfg.venues[0].heartbeat_interval_s, 30);
  EXPECT_EQ(cfg.venues[0].reconnect_interval_s, 5);
  EXPECT_EQ(cfg.venues[1].host, "10.0.0.2");
  EXPECT_EQ(cfg.venues[1].port, 9902);
  EXPECT_EQ(cfg.venues[1].sender_comp_id, "GW");
  EXPECT_EQ(cfg.venues[1].target_comp_id, "VENUE2");
  EXPECT_EQ(cfg.venues[1].heartbeat_interval_s, 10);
  EXPECT_EQ(cfg.venues[1].reconnect_interval_s, 2);
  EXPECT_EQ(cfg.venues[0].socket_send_buffer_kib, 0);  // the documented default: the kernel sizes it
  EXPECT_EQ(cfg.venues[1].socket_send_buffer_kib, 64);
  EXPECT_EQ(cfg.venues[0].ack_timeouts.new_order_us, 5'000'000);  // the documented default
  EXPECT_EQ(cfg.venues[0].ack_timeouts.cancel_us, 5'000'000);
  EXPECT_FALSE(cfg.venues[0].ack_timeouts.cancel_unacknowledged_new);
  EXPECT_EQ(cfg.venues[1].ack_timeouts.new_order_us, 250'000);
  EXPECT_EQ(cfg.venues[1].ack_timeouts.cancel_us, 0);  // 0 disables
  EXPECT_EQ(cfg.venues[1].ack_timeouts.replace_us, 750'000);
  EXPECT_TRUE(cfg.venues[1].ack_timeouts.cancel_unacknowledged_new);
  ASSERT_EQ(cfg.refdata.venue_ack_timeouts.size(), 2u);
  EXPECT_EQ(cfg.refdata.ackTimeouts(1).replace_us, 750'000);
  EXPECT_EQ(cfg.refdata.statusQueriesPerSecond(0), 500u);  // the documented default
  EXPECT_EQ(cfg.refdata.statusQueriesPerSecond(1), 40u);

  EXPECT_EQ(cfg.refdata.routing.default_venue, std::optional<core::VenueId>(0));
  ASSERT_EQ(cfg.refdata.routing.rules.size(), 3u);
  EXPECT_EQ(cfg.refdata.routing.rules[0].match, core::RouteMatch::Symbol);
  EXPECT_EQ(cfg.refdata.routing.rules[0].value, "IBM");
  EXPECT_EQ(cfg.refdata.routing.rules[0].venue, 1);
  EXPECT_EQ(cfg.refdata.routing.rules[1].match, core::RouteMatch::Account);
  EXPECT_EQ(cfg.refdata.routing.rules[1].value, "HEDGE");
  EXPECT_EQ(cfg.refdata.routing.rules[2].match, core::RouteMatch::SecurityExchange);
  EXPECT_EQ(cfg.refdata.routing.rules[2].venue, 0);

  ASSERT_EQ(cfg.refdata.instruments.size(), 3u);
  const auto* sap = cfg.refdata.instrument("SAP.DE");
  ASSERT_NE(sap, nullptr);
  EXPECT_EQ(sap->isin, "");
  EXPECT_EQ(sap->mic, "");
  EXPECT_EQ(sap->tick_size.units, 1'000'000);  // default 0.01
}

// Every section but client_sessions and venues is optional: config/gateway.yaml documents a default for each
// key. Laid out like the repository (config/gateway.yaml next to ../fix_spec) so the default paths resolve.
TEST_F(LoadGatewayConfig, OmittedOptionalSectionsFallBackToDefaults) {
  fs::create_directories(dir_ / "config");
  fs::create_directories(dir_ / "fix_spec");
  write("config/instruments.yaml", kInstruments);
  write("config/limits.yaml", kLimits);
  const auto file = write("config/gateway.yaml", R"(client_sessions:
  - { name: a, begin_string: FIX.4.4, sender_comp_id: GW, target_comp_id: A }
venues:
  - { name: V, port: 9901, target_comp_id: V }
)");
  Result result = std::unexpected(std::vector<ConfigError>{});
  ASSERT_NO_THROW(result = loadGatewayConfig(file));
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->instance_id, "FG1");
  EXPECT_EQ(result->data_dir, dir_ / "var" / "gateway");
  EXPECT_EQ(result->instruments_file, dir_ / "config" / "instruments.yaml");
  EXPECT_EQ(result->limits_file, dir_ / "config" / "limits.yaml");
  EXPECT_NE(result->limits, nullptr);
  EXPECT_EQ(result->dictionary_dir, dir_ / "fix_spec");
  EXPECT_EQ(result->listen_port, 9880);
  EXPECT_EQ(result->heartbeat_interval_s, 30);
  EXPECT_FALSE(result->message_log);  // the journal records every message; the file log is extra
  EXPECT_FALSE(result->reset_on_logon);
  EXPECT_FALSE(result->refdata.routing.default_venue.has_value());
  EXPECT_TRUE(result->refdata.routing.rules.empty());
  EXPECT_EQ(result->audit.database, "");
  EXPECT_EQ(result->audit.batch_records, 5000);
  EXPECT_EQ(result->audit.connections, 3);
}

TEST_F(LoadGatewayConfig, OmittedRoutingSectionMeansNoRules) {
  const auto text = kGateway.substr(0, kGateway.find("routing:\n"));
  Result result = std::unexpected(std::vector<ConfigError>{});
  ASSERT_NO_THROW(result = load(text));
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_FALSE(result->refdata.routing.default_venue.has_value());
  EXPECT_TRUE(result->refdata.routing.rules.empty());
}

TEST_F(LoadGatewayConfig, EmptyOptionalSectionsFallBackToDefaults) {
  auto text = edit(kGateway,
                   "  instance_id: FG9\n  data_dir: var\n  instruments_file: instruments.yaml\n  "
                   "limits_file: limits.yaml\n",
                   "");
  text = edit(text,
              "routing:\n  default_venue: V1\n  rules:\n    - symbol: IBM\n      venue: V2\n"
              "    - { account: HEDGE, venue: V2 }\n    - { security_exchange: XLON, venue: V1 }\n",
              "routing:\n");
  const auto result = load(text);
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->instance_id, "FG1");
  EXPECT_EQ(result->instruments_file, dir_ / "instruments.yaml");
  EXPECT_EQ(result->limits_file, dir_ / "limits.yaml");
  EXPECT_TRUE(result->refdata.routing.rules.empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Unknown keys

TEST_F(LoadGatewayConfig, UnknownTopLevelKey) {
  const auto text = edit(kGateway, "routing:\n", "routnig_extra: 1\nrouting:\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "routnig_extra"), "routnig_extra", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, UnknownNestedKey) {
  const auto text = edit(kGateway, "  listen_port: 9880", "  listen_prot: 9880");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "listen_prot"), "fix.listen_prot", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, UnknownKeyInAListEntry) {
  const auto text = edit(kGateway, "    host: 10.0.0.2", "    hots: 10.0.0.2");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "hots:"), "venues[1].hots", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, UnknownKeyInAFlowStyleRoutingRule) {
  const auto text =
      edit(kGateway, "{ account: HEDGE, venue: V2 }", "{ account: HEDGE, venue: V2, priority: 1 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "priority"), "routing.rules[1].priority", "unknown key"));
}

TEST_F(LoadGatewayConfig, UnknownKeyInAnInstrument) {
  const auto text = edit(kInstruments, "    currency: EUR", "    currency: EUR\n    lot_size: 10");
  const auto errors = errorsOf(kGateway, text);
  EXPECT_TRUE(hasError(errors, instrumentsFile(), lineOf(text, "lot_size"), "instruments[2].lot_size",
                       "unknown key"));
}

// The second value of a key given twice would otherwise be silently ignored (yaml-cpp keeps both entries and
// lookups find the first), so an operator's edit at the bottom of a section would not take effect.
TEST_F(LoadGatewayConfig, KeyGivenTwiceIsRefused) {
  const auto text =
      edit(kGateway, "  reset_on_logon: true\n", "  reset_on_logon: true\n  listen_port: 9999\n");
  const auto result = load(text);
  ASSERT_FALSE(result.has_value()) << "listen_port given twice was accepted; listen_port = "
                                   << result->listen_port;
  EXPECT_TRUE(
      hasError(result.error(), gatewayFile(), lineOf(text, "listen_port: 9999"), "fix.listen_port", ""));
}

// ---------------------------------------------------------------------------------------------------------------
// Wrong types and ranges

TEST_F(LoadGatewayConfig, PortThatIsNotANumber) {
  const auto text = edit(kGateway, "port: 9902", "port: abc");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "port: abc"), "venues[1].port", "'abc'"));
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "port: abc"), "venues[1].port", "whole number"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, ListenPortThatIsNotANumber) {
  const auto text = edit(kGateway, "listen_port: 9880", "listen_port: 98.80");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "listen_port"), "fix.listen_port", "whole number"));
}

TEST_F(LoadGatewayConfig, BooleanThatIsNotTrueOrFalse) {
  const auto text = edit(kGateway, "message_log: false", "message_log: maybe");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "message_log"), "fix.message_log", "true or false"));
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "message_log"), "fix.message_log", "'maybe'"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, ListWhereAValueBelongs) {
  const auto text = edit(kGateway, "listen_port: 9880", "listen_port: [9880, 9881]");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "listen_port"), "fix.listen_port", "single value"));
}

TEST_F(LoadGatewayConfig, ValueWhereASectionBelongs) {
  const auto text =
      edit(kGateway,
           "routing:\n  default_venue: V1\n  rules:\n    - symbol: IBM\n      venue: V2\n"
           "    - { account: HEDGE, venue: V2 }\n    - { security_exchange: XLON, venue: V1 }\n",
           "routing: V1\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "routing: V1"), "routing", "must be a map"));
}

TEST_F(LoadGatewayConfig, VenuePortZeroIsOutOfRange) {
  const auto text = edit(kGateway, "port: 9901", "port: 0");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "port: 0"), "venues[0].port", "between 1 and 65535"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, ListenPort70000IsOutOfRange) {
  const auto text = edit(kGateway, "listen_port: 9880", "listen_port: 70000");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "listen_port"), "fix.listen_port", "got 70000"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, HeartbeatIntervalZeroIsOutOfRange) {
  const auto text = edit(kGateway, "    heartbeat_interval_s: 10", "    heartbeat_interval_s: 0");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "heartbeat_interval_s: 0"),
                       "venues[1].heartbeat_interval_s", "between 1 and 3600"));
}

TEST_F(LoadGatewayConfig, NegativeAckTimeoutIsOutOfRange) {
  const auto text = edit(kGateway, "ack_timeout_new_ms: 250", "ack_timeout_new_ms: -1");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "ack_timeout_new_ms: -1"),
                       "venues[1].ack_timeout_new_ms", "between 0 and 3600000"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, NegativeStatusQueryRateIsOutOfRange) {
  const auto text = edit(kGateway, "status_queries_per_second: 40", "status_queries_per_second: -5");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "status_queries_per_second: -5"),
                       "venues[1].status_queries_per_second", "between 0 and 100000"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, AuditKeysAreRead) {
  const auto result = load(kGateway);
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->audit.database, "host=/nowhere dbname=audit");
  EXPECT_EQ(result->audit.batch_records, 700);
  EXPECT_EQ(result->audit.connections, 2);
}

TEST_F(LoadGatewayConfig, FourShipperConnectionsAreOutOfRange) {
  const auto text = edit(kGateway, "connections: 2", "connections: 4");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "connections: 4"), "audit.connections",
                       "between 1 and 3"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, BusyPollIsOffUnlessAsked) {
  const auto off = load(kGateway);
  ASSERT_TRUE(off.has_value()) << listErrors(off.error());
  EXPECT_FALSE(off->busy_poll);
  const auto on = load(edit(kGateway, "fix:\n", "fix:\n  busy_poll: true\n"));
  ASSERT_TRUE(on.has_value()) << listErrors(on.error());
  EXPECT_TRUE(on->busy_poll);
  const auto text = edit(kGateway, "fix:\n", "fix:\n  busy_poll: sometimes\n");
  EXPECT_TRUE(
      hasError(errorsOf(text), gatewayFile(), lineOf(text, "busy_poll"), "fix.busy_poll", "true or false"));
}

TEST_F(LoadGatewayConfig, FinalOrdersAreKeptAMinuteUnlessConfigured) {
  const auto by_default = load(kGateway);
  ASSERT_TRUE(by_default.has_value()) << listErrors(by_default.error());
  EXPECT_EQ(by_default->refdata.final_order_retention_us, 60'000'000);
  EXPECT_EQ(by_default->refdata.expected_cl_ord_ids_per_day, 1'000'000u);
  const auto all_day =
      load(edit(kGateway, "  instance_id: FG9\n", "  instance_id: FG9\n  final_order_retention_s: 0\n"));
  ASSERT_TRUE(all_day.has_value()) << listErrors(all_day.error());
  EXPECT_EQ(all_day->refdata.final_order_retention_us, 0);
  const auto text =
      edit(kGateway, "  instance_id: FG9\n", "  instance_id: FG9\n  final_order_retention_s: 90000\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "final_order_retention_s"),
                       "gateway.final_order_retention_s", "between 0 and 86400"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, TradingDaysStartAtMidnightUtcUnlessConfigured) {
  const auto by_default = load(kGateway);
  ASSERT_TRUE(by_default.has_value()) << listErrors(by_default.error());
  EXPECT_EQ(by_default->refdata.trading_day_start_s, 0);
  const auto at = [&](const std::string& value) {
    return edit(kGateway, "  instance_id: FG9\n",
                "  instance_id: FG9\n  trading_day_start_utc: \"" + value + "\"\n");
  };
  const auto evening = load(at("22:30"));
  ASSERT_TRUE(evening.has_value()) << listErrors(evening.error());
  EXPECT_EQ(evening->refdata.trading_day_start_s, 22 * 3'600 + 30 * 60);
  const auto with_seconds = load(at("04:00:59"));
  ASSERT_TRUE(with_seconds.has_value()) << listErrors(with_seconds.error());
  EXPECT_EQ(with_seconds->refdata.trading_day_start_s, 4 * 3'600 + 59);
  for (const std::string bad : {"24:00", "7:00", "07:60", "07:00:60", "07-00", "noon", ""}) {
    const auto text = at(bad);
    const auto errors = errorsOf(text);
    EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "trading_day_start_utc"),
                         "gateway.trading_day_start_utc",
                         "HH:MM or HH:MM:SS (00:00 to 23:59:59), got '" + bad + "'"))
        << bad << ": " << listErrors(errors);
    EXPECT_EQ(errors.size(), 1u) << bad << ": " << listErrors(errors);
  }
}

TEST_F(LoadGatewayConfig, OpsEndpointIsOffAndLoggingTextAtInfoByDefault) {
  const auto result = load(kGateway);
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->ops.http_listen, "");
  EXPECT_EQ(result->ops.log_level, "info");
  EXPECT_EQ(result->ops.log_format, "text");
}

TEST_F(LoadGatewayConfig, OpsKeysAreReadAndCheckedTogether) {
  const std::string ops = "ops:\n  http_listen: \"127.0.0.1:9464\"\n  log_level: debug\n  log_format: json\n";
  const auto result = load(kGateway + ops);
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->ops.http_listen, "127.0.0.1:9464");
  EXPECT_EQ(result->ops.log_level, "debug");
  EXPECT_EQ(result->ops.log_format, "json");

  const std::string bad = "ops:\n  http_listen: \"localhost:99999\"\n  log_level: loud\n  log_format: xml\n";
  const auto text = kGateway + bad;
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "http_listen"), "ops.http_listen", "like 127.0.0.1:9464"));
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "log_level"), "ops.log_level", "trace, debug, info"));
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "log_format"), "ops.log_format", "text or json"));
  EXPECT_EQ(errors.size(), 3u) << listErrors(errors);
}

// Logon security: credentials file, usernames, allowed addresses.
class LoadSecurityConfig : public LoadGatewayConfig {
 protected:
  // kGateway with a security section and c44 given a username and an address allowlist.
  std::string secured(const std::string& credentials = "credentials", const std::string& username = "acme",
                      const std::string& addresses = "[127.0.0.1, 10.1.0.0/16]") {
    std::string text = edit(kGateway, "    cancel_on_disconnect: true\n",
                            "    cancel_on_disconnect: true\n    username: " + username +
                                "\n    allowed_addresses: " + addresses + "\n");
    return text + "\nsecurity:\n  credentials_file: " + credentials +
           "\n  max_failed_logons: 3\n  lockout_s: 60\n";
  }
  fs::path credentials(const std::string& text, mode_t mode = 0600) {
    const auto path = write("credentials", text);
    chmod(path.c_str(), mode);
    return path;
  }
};

TEST_F(LoadSecurityConfig, SessionCredentialsAndAllowlistAreRead) {
  credentials("acme:" + security::hashPassword("pw", security::kMinPbkdf2Iterations) + "\n");
  const auto result = load(secured());
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  const auto& c44 = result->client_sessions[1];
  EXPECT_EQ(c44.username, "acme");
  ASSERT_EQ(c44.allowed_addresses.size(), 2u);
  EXPECT_TRUE(security::contains(c44.allowed_addresses[1], "10.1.3.4"));
  EXPECT_TRUE(result->client_sessions[0].username.empty());
  EXPECT_TRUE(result->credentials.contains("acme"));
  EXPECT_EQ(result->security.max_failed_logons, 3);
  EXPECT_EQ(result->security.lockout_s, 60);
  EXPECT_EQ(result->security.failed_logon_window_s, 300);
}

TEST_F(LoadSecurityConfig, ConnectionLimitsHaveDefaultsAndAreRead) {
  const auto defaults = load(kGateway);
  ASSERT_TRUE(defaults.has_value()) << listErrors(defaults.error());
  EXPECT_EQ(defaults->security.max_bytes_before_logon, 65'536u);
  EXPECT_EQ(defaults->security.logon_timeout_s, 10);
  EXPECT_EQ(defaults->security.max_bytes_between_messages, 4'194'304u);
  EXPECT_EQ(defaults->security.max_pending_connections_per_address, 32u);
  const auto result =
      load(kGateway +
           "\nsecurity:\n  max_bytes_before_logon: 8192\n  logon_timeout_s: 3\n"
           "  max_bytes_between_messages: 1048576\n  max_pending_connections_per_address: 4\n");
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->security.max_bytes_before_logon, 8'192u);
  EXPECT_EQ(result->security.logon_timeout_s, 3);
  EXPECT_EQ(result->security.max_bytes_between_messages, 1'048'576u);
  EXPECT_EQ(result->security.max_pending_connections_per_address, 4u);
}

TEST_F(LoadSecurityConfig, ConnectionLimitsOutOfRangeNameTheKey) {
  const std::string text = kGateway +
                           "\nsecurity:\n  max_bytes_before_logon: 100\n  logon_timeout_s: 0\n"
                           "  max_bytes_between_messages: 1024\n  max_pending_connections_per_address: 0\n";
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "max_bytes_before_logon"),
                       "security.max_bytes_before_logon", "1024"));
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "logon_timeout_s"), "security.logon_timeout_s", "1"));
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "max_bytes_between_messages"),
                       "security.max_bytes_between_messages", "65536"));
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "max_pending_connections_per_address"),
                       "security.max_pending_connections_per_address", "between 1 and 100000"));
  EXPECT_EQ(errors.size(), 4u) << listErrors(errors);
}

TEST_F(LoadSecurityConfig, UsernameWithoutAnEntryInTheCredentialsFile) {
  credentials("other:" + security::hashPassword("pw", security::kMinPbkdf2Iterations) + "\n");
  const auto text = secured();
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "username: acme"), "client_sessions[1].username",
                       "fixgate-passwd"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadSecurityConfig, UsernameWithoutACredentialsFile) {
  std::string text = edit(kGateway, "    cancel_on_disconnect: true\n",
                          "    cancel_on_disconnect: true\n    username: acme\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "username: acme"), "client_sessions[1].username",
                       "needs security.credentials_file"));
}

TEST_F(LoadSecurityConfig, ReadableCredentialsFileIsRefused) {
  credentials("acme:" + security::hashPassword("pw", security::kMinPbkdf2Iterations) + "\n", 0644);
  const auto errors = errorsOf(secured());
  EXPECT_TRUE(hasError(errors, (dir_ / "credentials").string(), 0, "", "chmod 600"));
}

TEST_F(LoadSecurityConfig, BadCredentialsLineNamesTheFileAndLine) {
  credentials("# users\nacme:not-a-hash\n");
  const auto errors = errorsOf(secured());
  EXPECT_TRUE(hasError(errors, (dir_ / "credentials").string(), 2, "", "user acme"));
}

TEST_F(LoadSecurityConfig, BadAllowedAddressNamesItsLine) {
  credentials("acme:" + security::hashPassword("pw", security::kMinPbkdf2Iterations) + "\n");
  const auto text = secured("credentials", "acme", "[127.0.0.1, 10.1.0.1/16]");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "allowed_addresses"),
                       "client_sessions[1].allowed_addresses[1]", "host bits"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// TLS on the client acceptor: fix.tls and the per-session plaintext / client_certificate_cn keys.
class LoadTlsConfig : public LoadGatewayConfig {
 protected:
  // kGateway with fix.tls enabled (`extra` appended to the tls map) and `session_keys` added to c44. The
  // certificate files exist (their contents are QuickFIX's business at start); the key is owner-only.
  std::string withTls(const std::string& extra = "", const std::string& session_keys = "",
                      mode_t key_mode = 0600) {
    write("server.pem", "certificate\n");
    write("ca.pem", "ca\n");
    const auto key = write("server.key", "key\n");
    chmod(key.c_str(), key_mode);
    std::string text =
        edit(kGateway, "  reset_on_logon: true\n",
             "  reset_on_logon: true\n  tls:\n    enabled: true\n    certificate_file: server.pem\n"
             "    private_key_file: server.key\n" +
                 extra);
    if (!session_keys.empty())
      text =
          edit(text, "    cancel_on_disconnect: true\n", "    cancel_on_disconnect: true\n" + session_keys);
    return text;
  }
};

TEST_F(LoadTlsConfig, TlsIsOffByDefault) {
  const auto result = load(kGateway);
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_FALSE(result->tls.enabled);
  EXPECT_EQ(result->tls.plaintext_listen_port, 0);
  EXPECT_FALSE(result->client_sessions[1].plaintext);
  EXPECT_TRUE(result->client_sessions[1].client_certificate_cn.empty());
}

TEST_F(LoadTlsConfig, EveryTlsKeyIsRead) {
  const auto result =
      load(withTls("    ca_file: ca.pem\n    require_client_certificate: true\n"
                   "    plaintext_listen_port: 9881\n",
                   "    client_certificate_cn: acme-c44\n"));
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_TRUE(result->tls.enabled);
  EXPECT_EQ(result->tls.certificate_file, dir_ / "server.pem");  // relative to gateway.yaml
  EXPECT_EQ(result->tls.private_key_file, dir_ / "server.key");
  EXPECT_EQ(result->tls.ca_file, dir_ / "ca.pem");
  EXPECT_TRUE(result->tls.require_client_certificate);
  EXPECT_EQ(result->tls.plaintext_listen_port, 9881);
  EXPECT_EQ(result->client_sessions[1].client_certificate_cn, "acme-c44");
}

TEST_F(LoadTlsConfig, PlaintextSessionWithAPlaintextPortIsAccepted) {
  const auto result = load(withTls("    plaintext_listen_port: 9881\n", "    plaintext: true\n"));
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_TRUE(result->client_sessions[1].plaintext);
  EXPECT_FALSE(result->client_sessions[0].plaintext);
}

TEST_F(LoadTlsConfig, CertificateAndKeyAreRequiredWhenEnabled) {
  const std::string text =
      edit(kGateway, "  reset_on_logon: true\n", "  reset_on_logon: true\n  tls:\n    enabled: true\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "enabled: true"), "fix.tls.certificate_file",
                       "is required"))
      << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "enabled: true"), "fix.tls.private_key_file",
                       "is required"))
      << listErrors(errors);
}

TEST_F(LoadTlsConfig, MissingCertificateFileIsNamed) {
  const auto text = edit(withTls(), "certificate_file: server.pem", "certificate_file: nowhere.pem");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "certificate_file"), "fix.tls.certificate_file",
                       "does not exist"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadTlsConfig, PrivateKeyReadableByOthersIsRefused) {
  const auto text = withTls("", "", 0644);
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "private_key_file"), "fix.tls.private_key_file",
                       "chmod 600"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadTlsConfig, RequiredClientCertificateNeedsACaFile) {
  const auto text = withTls("    require_client_certificate: true\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "require_client_certificate"),
                       "fix.tls.require_client_certificate", "needs fix.tls.ca_file"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadTlsConfig, PlaintextSessionWithoutAPlaintextPortIsRefused) {
  const auto text = withTls("", "    plaintext: true\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "plaintext: true"), "client_sessions[1].plaintext",
                       "plaintext_listen_port"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadTlsConfig, PlaintextSessionWithoutTlsIsRefused) {
  const auto text = edit(kGateway, "    cancel_on_disconnect: true\n",
                         "    cancel_on_disconnect: true\n    plaintext: true\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "plaintext: true"), "client_sessions[1].plaintext",
                       "fix.tls.enabled"));
}

TEST_F(LoadTlsConfig, CertificateCnWithoutACaFileIsRefused) {
  const auto text = withTls("", "    client_certificate_cn: acme-c44\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "client_certificate_cn"),
                       "client_sessions[1].client_certificate_cn", "fix.tls.ca_file"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadTlsConfig, PlaintextPortEqualToTheListenPortIsRefused) {
  const auto text = withTls("    plaintext_listen_port: 9880\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "plaintext_listen_port"),
                       "fix.tls.plaintext_listen_port", "must differ from fix.listen_port"));
}

TEST_F(LoadTlsConfig, BadTlsValuesAreRefused) {
  const auto text =
      withTls("    require_client_certificate: maybe\n    plaintext_listen_port: 70000\n    cipher: x\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "require_client_certificate"),
                       "fix.tls.require_client_certificate", ""))
      << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "plaintext_listen_port"),
                       "fix.tls.plaintext_listen_port", ""))
      << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "cipher"), "fix.tls.cipher", ""))
      << listErrors(errors);
}

TEST_F(LoadGatewayConfig, VenueTlsNeedsACaFileAndACertificateWithItsKey) {
  const auto text =
      edit(kGateway, "    port: 9901\n", "    port: 9901\n    tls:\n      certificate_file: no-such.pem\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "certificate_file"),
                       "venues[0].tls.certificate_file", "does not exist"))
      << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "certificate_file"), "venues[0].tls.ca_file",
                       "is required"))
      << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "certificate_file"),
                       "venues[0].tls.private_key_file", "go together"))
      << listErrors(errors);
}

TEST_F(LoadGatewayConfig, DatabasePasswordInTheConfigIsRefused) {
  const auto text = edit(kGateway, "database: \"host=/nowhere dbname=audit\"",
                         "database: \"host=/nowhere dbname=audit password=hunter2\"");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "password=hunter2"), "audit.database", "passfile="));
}

TEST_F(LoadGatewayConfig, InstanceIdWithPunctuationIsRefused) {
  const auto text = edit(kGateway, "instance_id: FG9", "instance_id: FG-9");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "instance_id"), "gateway.instance_id", "'FG-9'"));
}

TEST_F(LoadGatewayConfig, MissingDictionaryDirectoryIsRefused) {
  const auto text = edit(kGateway, "dictionary_dir: .", "dictionary_dir: no-such-dir");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "dictionary_dir"), "fix.dictionary_dir", "no-such-dir"));
}

// ---------------------------------------------------------------------------------------------------------------
// Missing required keys

TEST_F(LoadGatewayConfig, VenueWithoutPort) {
  const auto text = edit(kGateway, "    port: 9901\n", "");
  const auto errors = errorsOf(text);
  // Reported at the entry that lacks it.
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "- name: V1"), "venues[0].port", "required"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, SessionWithoutTargetCompId) {
  const auto text = edit(kGateway, "    target_comp_id: C44\n", "");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "- name: c44"),
                       "client_sessions[1].target_comp_id", "required"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, InstrumentWithoutCurrency) {
  const auto text = edit(kInstruments, "    currency: EUR\n", "");
  const auto errors = errorsOf(kGateway, text);
  EXPECT_TRUE(hasError(errors, instrumentsFile(), lineOf(text, "symbol: SAP.DE"), "instruments[2].currency",
                       "required"));
}

TEST_F(LoadGatewayConfig, MissingVenuesList) {
  const auto start = kGateway.find("venues:\n");
  const auto end = kGateway.find("routing:\n");
  std::string text = kGateway.substr(0, start) + kGateway.substr(end);
  text = edit(text, "default_venue: V1", "default_venue: \"\"");
  text = edit(text,
              "  rules:\n    - symbol: IBM\n      venue: V2\n    - { account: HEDGE, venue: V2 }\n"
              "    - { security_exchange: XLON, venue: V1 }\n",
              "");
  const auto errors = errorsOf(text);
  bool found = false;
  for (const auto& e : errors) found = found || (e.key == "venues" && e.file == gatewayFile());
  EXPECT_TRUE(found) << listErrors(errors);
}

// One problem, one error: a missing list is "required list is missing", not that plus "at least one is
// needed".
TEST_F(LoadGatewayConfig, MissingClientSessionsListIsReportedOnce) {
  const auto start = kGateway.find("client_sessions:\n");
  const auto end = kGateway.find("venues:\n");
  const std::string text = kGateway.substr(0, start) + kGateway.substr(end);
  const auto errors = errorsOf(text);
  EXPECT_EQ(
      std::count_if(errors.begin(), errors.end(), [](const auto& e) { return e.key == "client_sessions"; }),
      1)
      << listErrors(errors);
}

TEST_F(LoadGatewayConfig, EmptyClientSessionsListIsRefused) {
  const auto start = kGateway.find("client_sessions:\n");
  const auto end = kGateway.find("venues:\n");
  const std::string text = kGateway.substr(0, start) + "client_sessions: []\n\n" + kGateway.substr(end);
  const auto errors = errorsOf(text);
  bool found = false;
  for (const auto& e : errors) found = found || e.key == "client_sessions";
  EXPECT_TRUE(found) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Duplicates and references

TEST_F(LoadGatewayConfig, DuplicateSessionName) {
  const auto text = edit(kGateway, "  - name: c44", "  - name: c42");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "- name: c42", "target_comp_id: C42"),
                       "client_sessions[1].name", "duplicate session name 'c42'"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, DuplicateCompIdTriple) {
  const auto text =
      edit(kGateway, "    begin_string: FIX.4.4\n    sender_comp_id: FIXGATE\n    target_comp_id: C44",
           "    begin_string: FIX.4.2\n    sender_comp_id: FIXGATE\n    target_comp_id: C42");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  const auto& e = errors[0];
  EXPECT_EQ(e.file, gatewayFile());
  EXPECT_EQ(e.key, "client_sessions[1].target_comp_id");
  EXPECT_NE(e.message.find("configured twice"), std::string::npos) << format(e);
  EXPECT_NE(e.message.find("FIX.4.2:FIXGATE->C42"), std::string::npos) << format(e);
  // The line is the line of the key the error names.
  EXPECT_EQ(e.line, lineOf(text, "target_comp_id: C42", "- name: c44")) << format(e);
}

TEST_F(LoadGatewayConfig, SameCompIdsOnDifferentVersionsAreDistinctSessions) {
  const auto text = edit(kGateway, "target_comp_id: C44", "target_comp_id: C42");
  const auto result = load(text);
  EXPECT_TRUE(result.has_value()) << listErrors(result.error());
}

TEST_F(LoadGatewayConfig, DuplicateVenueName) {
  const auto text = edit(kGateway, "  - name: V2", "  - name: V1");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "- name: V1", "target_comp_id: V1"),
                       "venues[1].name", "duplicate venue name 'V1'"));
}

TEST_F(LoadGatewayConfig, RuleRoutingToAnUnknownVenue) {
  const auto text = edit(kGateway, "{ account: HEDGE, venue: V2 }", "{ account: HEDGE, venue: V3 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "venue: V3"), "routing.rules[1].venue", "'V3'"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, DefaultVenueThatIsNotConfigured) {
  const auto text = edit(kGateway, "default_venue: V1", "default_venue: NOPE");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "default_venue"), "routing.default_venue", "'NOPE'"));
}

TEST_F(LoadGatewayConfig, RuleWithTwoMatchKeys) {
  const auto text =
      edit(kGateway, "{ account: HEDGE, venue: V2 }", "{ account: HEDGE, symbol: IBM, venue: V2 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "account: HEDGE"), "routing.rules[1]", "exactly one"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, RuleWithoutMatchKey) {
  const auto text = edit(kGateway, "{ account: HEDGE, venue: V2 }", "{ venue: V2 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "{ venue: V2 }"), "routing.rules[1]", "exactly one"));
}

TEST_F(LoadGatewayConfig, UnknownBeginString) {
  const auto text = edit(kGateway, "begin_string: FIX.4.4", "begin_string: FIX.4.3");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "FIX.4.3"), "client_sessions[1].begin_string",
                       "got 'FIX.4.3'"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Files that cannot be read

TEST_F(LoadGatewayConfig, YamlSyntaxErrorNamesItsLine) {
  const auto text = edit(kGateway, "  heartbeat_interval_s: 20", "    heartbeat_interval_s: 20");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_EQ(errors[0].file, gatewayFile());
  EXPECT_EQ(errors[0].line, lineOf(text, "heartbeat_interval_s: 20"));
  EXPECT_NE(errors[0].message.find("YAML syntax error"), std::string::npos) << format(errors[0]);
}

TEST_F(LoadGatewayConfig, YamlSyntaxErrorInTheInstrumentsFile) {
  const auto text = edit(kInstruments, "tick_size: 0.02 }", "tick_size: 0.02");
  const auto errors = errorsOf(kGateway, text);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].file, instrumentsFile());
  EXPECT_GT(errors[0].line, 0);
  EXPECT_NE(errors[0].message.find("YAML syntax error"), std::string::npos) << format(errors[0]);
}

TEST_F(LoadGatewayConfig, MissingGatewayFile) {
  const auto result = loadGatewayConfig(dir_ / "absent.yaml");
  ASSERT_FALSE(result.has_value());
  ASSERT_EQ(result.error().size(), 1u) << listErrors(result.error());
  EXPECT_EQ(result.error()[0].file, (dir_ / "absent.yaml").string());
  EXPECT_NE(result.error()[0].message.find("not found"), std::string::npos);
}

TEST_F(LoadGatewayConfig, MissingInstrumentsFile) {
  const auto text =
      edit(kGateway, "instruments_file: instruments.yaml", "instruments_file: refdata/missing.yaml");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_EQ(errors[0].file, (dir_ / "refdata" / "missing.yaml").string());
  EXPECT_NE(errors[0].message.find("not found"), std::string::npos) << format(errors[0]);
}

TEST_F(LoadGatewayConfig, MissingLimitsFile) {
  const auto text = edit(kGateway, "limits_file: limits.yaml", "limits_file: risk/absent.yaml");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_EQ(errors[0].file, (dir_ / "risk" / "absent.yaml").string());
  EXPECT_NE(errors[0].message.find("not found"), std::string::npos) << format(errors[0]);
}

TEST_F(LoadGatewayConfig, LimitsFileIsResolvedAgainstTheGatewayFile) {
  fs::create_directories(dir_ / "risk");
  write("risk/desk.yaml", kLimits);
  const auto result = load(edit(kGateway, "limits_file: limits.yaml", "limits_file: risk/desk.yaml"),
                           kInstruments, "this file is not the one named: {");
  ASSERT_TRUE(result.has_value()) << listErrors(result.error());
  EXPECT_EQ(result->limits_file, dir_ / "risk" / "desk.yaml");
  ASSERT_NE(result->limits, nullptr);
  EXPECT_EQ(result->limits->source, (dir_ / "risk" / "desk.yaml").string());
}

// The limits are checked against the sessions, venues and instruments this gateway.yaml configures.
TEST_F(LoadGatewayConfig, LimitsAreCheckedAgainstTheGatewaySessions) {
  const auto limits = edit(kLimits, "sessions: []",
                           "sessions:\n  - { session: c44, default_account: HEDGE }\n"
                           "  - { session: c43, venues: [V2] }");
  ASSERT_TRUE(
      load(kGateway, kInstruments, edit(limits, "  - { session: c43, venues: [V2] }", "")).has_value());
  const auto errors = errorsOf(kGateway, kInstruments, limits);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_TRUE(hasError(errors, limitsFile(), lineOf(limits, "c43"), "sessions[1].session", "'c43'"));
}

TEST_F(LoadGatewayConfig, TopLevelThatIsNotAMap) {
  const auto errors = errorsOf("- just\n- a list\n");
  bool found = false;
  for (const auto& e : errors) found = found || e.message.find("must be a map") != std::string::npos;
  EXPECT_TRUE(found) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Instruments

TEST_F(LoadGatewayConfig, DuplicateSymbol) {
  const auto text = edit(kInstruments, "symbol: VOD.L", "symbol: IBM");
  const auto errors = errorsOf(kGateway, text);
  EXPECT_TRUE(hasError(errors, instrumentsFile(), lineOf(text, "isin: GB00BH4HKS39"), "instruments[1].symbol",
                       "duplicate symbol 'IBM'"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

class NonPositiveTickSize : public LoadGatewayConfig, public ::testing::WithParamInterface<const char*> {};

TEST_P(NonPositiveTickSize, IsRefused) {
  const auto text = edit(kInstruments, "tick_size: 0.02", std::string("tick_size: ") + GetParam());
  const auto errors = errorsOf(kGateway, text);
  EXPECT_TRUE(hasError(errors, instrumentsFile(), lineOf(text, "VOD.L"), "instruments[1].tick_size",
                       std::string("'") + GetParam() + "'"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

INSTANTIATE_TEST_SUITE_P(ZeroNegativeOrUnreadable, NonPositiveTickSize,
                         ::testing::Values("0", "-0.01", "0.000000001", "abc"));

TEST_F(LoadGatewayConfig, IsinOfTheWrongLength) {
  const auto text = edit(kInstruments, "isin: US4592001014", "isin: US459200101");
  const auto errors = errorsOf(kGateway, text);
  EXPECT_TRUE(hasError(errors, instrumentsFile(), lineOf(text, "US459200101"), "instruments[0].isin",
                       "12 characters"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadGatewayConfig, CurrencyOfTheWrongLength) {
  const auto text = edit(kInstruments, "currency: EUR", "currency: EURO");
  const auto errors = errorsOf(kGateway, text);
  EXPECT_TRUE(hasError(errors, instrumentsFile(), lineOf(text, "EURO"), "instruments[2].currency", "'EURO'"));
}

// ---------------------------------------------------------------------------------------------------------------
// Collected in one pass

TEST_F(LoadGatewayConfig, EveryProblemOfAFileIsReportedInOnePass) {
  auto text = edit(kGateway, "  listen_port: 9880", "  listen_prot: 9880");
  text = edit(text, "port: 9902", "port: 70000");
  text = edit(text, "begin_string: FIXT.1.1", "begin_string: FIX.5.0");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 3u) << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "listen_prot"), "fix.listen_prot", "unknown key"));
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(text, "port: 70000"), "venues[1].port", "between"));
  EXPECT_TRUE(
      hasError(errors, gatewayFile(), lineOf(text, "FIX.5.0"), "client_sessions[2].begin_string", "FIX.5.0"));
}

TEST_F(LoadGatewayConfig, ProblemsInBothFilesAreReportedTogether) {
  const auto gateway = edit(kGateway, "message_log: false", "message_log: maybe");
  const auto instruments = edit(kInstruments, "tick_size: 0.01", "tick_size: 0");
  const auto errors = errorsOf(gateway, instruments);
  ASSERT_EQ(errors.size(), 2u) << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(gateway, "message_log"), "fix.message_log", "maybe"));
  EXPECT_TRUE(
      hasError(errors, instrumentsFile(), lineOf(instruments, "IBM"), "instruments[0].tick_size", "'0'"));
}

TEST_F(LoadGatewayConfig, ProblemsInAllThreeFilesAreReportedTogether) {
  const auto gateway = edit(kGateway, "message_log: false", "message_log: maybe");
  const auto instruments = edit(kInstruments, "tick_size: 0.01", "tick_size: 0");
  const auto limits = edit(kLimits, "max_open_orders: 20", "max_open_orders: 0");
  const auto errors = errorsOf(gateway, instruments, limits);
  ASSERT_EQ(errors.size(), 3u) << listErrors(errors);
  EXPECT_TRUE(hasError(errors, gatewayFile(), lineOf(gateway, "message_log"), "fix.message_log", "maybe"));
  EXPECT_TRUE(
      hasError(errors, instrumentsFile(), lineOf(instruments, "IBM"), "instruments[0].tick_size", "'0'"));
  EXPECT_TRUE(hasError(errors, limitsFile(), lineOf(limits, "max_open_orders"),
                       "defaults.account.max_open_orders", "greater than 0"));
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

TEST(ConfigErrorFormat, FileLineKeyMessage) {
  EXPECT_EQ(
      format(ConfigError{"config/gateway.yaml", 12, "venues[1].port", "must be between 1 and 65535, got 0"}),
      "config/gateway.yaml:12: venues[1].port: must be between 1 and 65535, got 0");
}

TEST(ConfigErrorFormat, LeavesOutWhatIsNotKnown) {
  EXPECT_EQ(format(ConfigError{"a.yaml", 0, "fix", "oops"}), "a.yaml: fix: oops");
  EXPECT_EQ(format(ConfigError{"a.yaml", 3, "", "YAML syntax error: x"}), "a.yaml:3: YAML syntax error: x");
}

TEST(ConfigErrorFormat, FormatAllPutsOneErrorPerLine) {
  const std::vector<ConfigError> errors{{"g.yaml", 4, "fix.listen_prot", "unknown key"},
                                        {"i.yaml", 2, "instruments[0].isin", "an ISIN has 12 characters"}};
  EXPECT_EQ(formatAll(errors),
            "g.yaml:4: fix.listen_prot: unknown key\n"
            "i.yaml:2: instruments[0].isin: an ISIN has 12 characters\n");
}

TEST_F(LoadGatewayConfig, FormattedErrorsOfARealLoadNameFileLineAndKey) {
  const auto text = edit(kGateway, "port: 9901", "port: 0");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_EQ(formatAll(errors), gatewayFile() + ":" + std::to_string(lineOf(text, "port: 0")) +
                                   ": venues[0].port: must be between 1 and 65535, got 0\n");
}

}  // namespace
}  // namespace fixgate::config
