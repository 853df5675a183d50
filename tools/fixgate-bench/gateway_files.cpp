#include "gateway_files.h"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

namespace fixgate::bench {
namespace {

std::string sessionName(const std::string& comp_id) {
  return "load-" + comp_id;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string gatewayYaml(const BenchOptions& options, const std::vector<std::string>& load_comp_ids,
                        const GatewayFiles& files) {
  std::string yaml = fmt::format(
      "gateway:\n"
      "  instance_id: BENCH\n"
      "  data_dir: {}\n"
      "  instruments_file: instruments.yaml\n"
      "  limits_file: limits.yaml\n"
      "  final_order_retention_s: {}\n"
      "{}"
      "journal:\n"
      "  flush: {}\n"
      "fix:\n"
      "  listen_port: {}\n"
      "  dictionary_dir: {}\n"
      "  heartbeat_interval_s: 30\n"
      "  message_log: {}\n"
      "  busy_poll: {}\n"
      "client_sessions:\n",
      quoted((files.dir / "data").string()), options.final_order_retention_s,
      // Only when set: a gateway built before the key (compared with --gateway-bin) refuses it.
      options.expected_cl_ord_ids_per_day == BenchOptions{}.expected_cl_ord_ids_per_day
          ? std::string()
          : fmt::format("  expected_cl_ord_ids_per_day: {}\n", options.expected_cl_ord_ids_per_day),
      options.journal_flush, files.client_port, quoted((options.repo_dir / "fix_spec").string()),
      options.message_log, options.busy_poll);
  for (const std::string& comp_id : load_comp_ids) {
    yaml += fmt::format(
        "  - name: {}\n    begin_string: FIX.4.4\n    sender_comp_id: {}\n    target_comp_id: {}\n",
        sessionName(comp_id), kGatewayCompId, comp_id);
  }
  yaml += fmt::format(
      "venues:\n"
      "  - name: {0}\n"
      "    host: 127.0.0.1\n"
      "    port: {1}\n"
      "    sender_comp_id: {2}\n"
      "    target_comp_id: {0}\n"
      "    reconnect_interval_s: 1\n"
      "routing:\n"
      "  default_venue: {0}\n"
      "  rules: []\n",
      kVenueName, files.venue_port, kGatewayCompId);
  if (!options.audit_db.empty()) yaml += fmt::format("audit:\n  database: {}\n", quoted(options.audit_db));
  if (files.metrics_port != 0)
    yaml += fmt::format("ops:\n  http_listen: \"127.0.0.1:{}\"\n", files.metrics_port);
  return yaml;
}

std::string instrumentsYaml(const BenchOptions& options) {
  std::string yaml = "instruments:\n";
  for (const std::string& symbol : options.load.symbols)
    yaml += fmt::format("  - {{ symbol: {}, isin: \"\", mic: XNAS, currency: USD, tick_size: 0.01 }}\n",
                        quoted(symbol));
  return yaml;
}

std::string limitsYaml(const BenchOptions& options, const std::vector<std::string>& load_comp_ids) {
  // Every account default is required (fail closed). These are far beyond what a benchmark run reaches and
  // within what the loader admits (counts up to 1,000,000; money as fixed-point decimals, about 9e10 at
  // most).
  std::string yaml =
      "duplicate_window_ms: 0\n"
      "collar: { max_deviation_pct: ~ }\n"
      "defaults:\n"
      "  account: { max_order_qty: 1000000, max_order_notional: 10000000000, max_gross_notional: "
      "10000000000,\n"
      "             max_net_notional: 10000000000, max_long_position: 1000000000, max_short_position: "
      "1000000000,\n"
      "             max_open_orders: 1000000, max_daily_loss: 10000000000 }\n"
      "breakers: { repeat_max: 1000000, reject_min_messages: 1000000, venue_consecutive_failures: 1000000 }\n"
      "accounts:\n";
  for (const std::string& account : accountNames(options.load.accounts))
    yaml += fmt::format("  - account: {}\n", account);
  yaml += "symbols:\n";
  for (const std::string& symbol : options.load.symbols)
    yaml += fmt::format("  - {{ symbol: {}, reference_price: 100 }}\n", quoted(symbol));
  yaml += "sessions:\n";
  for (const std::string& comp_id : load_comp_ids)
    yaml += fmt::format("  - {{ session: {}, default_account: BENCH1 }}\n", sessionName(comp_id));
  return yaml;
}

}  // namespace

std::vector<std::string> accountNames(int count) {
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i) names.push_back(fmt::format("BENCH{}", i));
  return names;
}

std::filesystem::path writeGatewayFiles(const BenchOptions& options,
                                        const std::vector<std::string>& load_comp_ids,
                                        const GatewayFiles& files) {
  const auto config = files.dir / "gateway.yaml";
  writeFile(config, gatewayYaml(options, load_comp_ids, files));
  writeFile(files.dir / "instruments.yaml", instrumentsYaml(options));
  writeFile(files.dir / "limits.yaml", limitsYaml(options, load_comp_ids));
  return config;
}

}  // namespace fixgate::bench
