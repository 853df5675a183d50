#include "bench_options.h"

#include <unistd.h>

#include <algorithm>

#include <CLI/CLI.hpp>

namespace fixgate::bench {
namespace {

constexpr const char* kDescription =
    "fixgate-bench: the same open-loop load (fixgate-load) against three setups, interleaved over rounds\n"
    "(direct, relay, fixgate, direct, relay, fixgate, ...):\n"
    "  direct   fixgate-load -> fixgate-exchange-sim\n"
    "  relay    fixgate-load -> socat TCP relay (TCP_NODELAY both sides) -> fixgate-exchange-sim: the floor\n"
    "           for any extra hop\n"
    "  fixgate  fixgate-load -> fixgate (journal on, permissive limits) -> fixgate-exchange-sim\n"
    "Every run starts its processes afresh on free loopback ports and stops them by PID afterwards (also on\n"
    "failure or Ctrl-C). Prints per setup the median over rounds of the end-to-end latency percentiles and\n"
    "throughput, fixgate's added latency against the relay, CPU time per request of the gateway, relay and\n"
    "simulator, and the gateway's own stage timings when it exports fixgate_order_stage_seconds on\n"
    "ops.http_listen, and the resident memory (VmRSS, VmHWM from /proc) of the simulator and the gateway\n"
    "over the measured period.\n\n"
    "The --guard-* options turn a run into a regression check: each bound is compared with the median over\n"
    "rounds and a crossed bound is printed with the measured value.\n\n"
    "Exit codes: 0 every run answered every request (and no --guard-* bound was crossed); 1 a run failed or\n"
    "--out/--svg could not be written; 2 a binary is missing; 3 every run was fine but a --guard-* bound "
    "was\n"
    "crossed; 130 interrupted; 100 and up: bad options.";

// Next to this binary in a build tree: <build>/tools/fixgate-bench/fixgate-bench.
std::filesystem::path buildTreeRoot() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : self.parent_path().parent_path().parent_path();
}

}  // namespace

const char* toString(Setup setup) {
  switch (setup) {
    case Setup::Direct:
      return "direct";
    case Setup::Relay:
      return "relay";
    case Setup::Gateway:
      return "fixgate";
  }
  return "?";
}

std::expected<BenchOptions, int> parseBenchOptions(int argc, char** argv) {
  BenchOptions options;
  const std::filesystem::path build = buildTreeRoot();
  options.load_binary = build / "tools/fixgate-load/fixgate-load";
  options.sim_binary = build / "tools/exchange-sim/fixgate-exchange-sim";
  options.gateway_binary = build / "src/app/fixgate";
  options.repo_dir = FIXGATE_REPO_DIR;

  CLI::App app{kDescription, "fixgate-bench"};
  app.get_formatter()->column_width(40);
  LoadSpec& load = options.load;
  app.add_option("--rounds", options.rounds, "Rounds; each runs every setup once")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  std::vector<std::string> setups{"direct", "relay", "fixgate"};
  app.add_option("--setups", setups, "Setups to run, comma-separated: direct,relay,fixgate")
      ->delimiter(',')
      ->check(CLI::IsMember({"direct", "relay", "fixgate"}));
  app.add_option("--rate", load.rate, "Requests per second over all sessions")
      ->check(CLI::Range(1.0, 200000.0))
      ->capture_default_str();
  app.add_option("--duration", load.duration_s, "Measured seconds per run")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  app.add_option("--warmup", load.warmup_s, "Warmup seconds per run (sent, not measured)")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--sessions", load.sessions, "FIX sessions of the load")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--cancel-ratio", load.cancel_ratio, "Share of cancels")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  app.add_option("--replace-ratio", load.replace_ratio, "Share of replaces")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  app.add_option("--max-open-orders", load.max_open_orders,
                 "fixgate-load --max-open-orders: at this many open orders the next request is a cancel, so "
                 "the book stops growing (0: no bound)")
      ->capture_default_str();
  app.add_option("--accounts", load.accounts, "Accounts BENCH1..BENCHn")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--symbols", load.symbols, "Symbols, comma-separated (reference price 100)")->delimiter(',');
  app.add_flag("--quick", options.quick,
               "A short check for CI: 1 round, 3 s at 500/s after 1 s warmup (overrides those options)");

  app.add_option("--load-bin", options.load_binary, "fixgate-load binary")->capture_default_str();
  app.add_option("--sim-bin", options.sim_binary, "fixgate-exchange-sim binary")->capture_default_str();
  app.add_option("--gateway-bin", options.gateway_binary, "fixgate binary")->capture_default_str();
  app.add_option("--socat", options.socat, "socat binary")->capture_default_str();
  app.add_option("--repo-dir", options.repo_dir,
                 "Repository root (its fix_spec/ is the gateway's dictionaries)")
      ->capture_default_str();
  app.add_option("--fill-model", options.fill_model, "The simulator's --fill-model")
      ->check(CLI::IsMember({"rest", "immediate", "partial"}))
      ->capture_default_str();
  app.add_option("--audit-db", options.audit_db,
                 "libpq connection string: the gateway ships its journal to this audit store (default: no "
                 "shipping; FIXGATE_AUDIT_DB is not passed on)");
  app.add_option("--journal-flush", options.journal_flush, "The gateway's journal.flush")
      ->check(CLI::IsMember({"interval", "batch", "record"}))
      ->capture_default_str();
  app.add_flag("--message-log", options.message_log,
               "Turn the gateway's FIX message log files on (off by default: the journal records every "
               "message anyway)");
  app.add_flag("--busy-poll", options.busy_poll,
               "Turn the gateway's fix.busy_poll on: each client session's report sender spins on a core");
  app.add_option("--final-order-retention-s", options.final_order_retention_s,
                 "The gateway's gateway.final_order_retention_s: seconds a final order stays in memory "
                 "(0: all run long)")
      ->check(CLI::Range(0, 86'400))
      ->capture_default_str();
  app.add_option(
         "--expected-cl-ord-ids-per-day", options.expected_cl_ord_ids_per_day,
         "The gateway's gateway.expected_cl_ord_ids_per_day: the ClOrdIDs of released orders its table "
         "holds before doubling (every request carries one; a long run at a high rate passes the "
         "default, and each doubling is a step in the gateway's memory)")
      ->check(CLI::Range(0L, 1'000'000'000L))
      ->capture_default_str();
  double max_cpu_ratio = 0, min_throughput_ratio = 0, max_gateway_cpu_us = 0, max_rss_growth_mib = 0;
  CLI::Option* max_cpu_ratio_option =
      app.add_option("--guard-max-cpu-ratio", max_cpu_ratio,
                     "Fail (exit 3) when the median over fixgate rounds of gateway CPU / simulator CPU per "
                     "request (both from the same run) exceeds this")
          ->check(CLI::PositiveNumber);
  CLI::Option* min_throughput_ratio_option =
      app.add_option("--guard-min-throughput-ratio", min_throughput_ratio,
                     "Fail (exit 3) when a setup's median throughput is below this times --rate")
          ->check(CLI::Range(0.0, 1.0));
  CLI::Option* max_gateway_cpu_us_option =
      app.add_option("--guard-max-gateway-cpu-us", max_gateway_cpu_us,
                     "Fail (exit 3) when the gateway's median CPU time per request exceeds this many us")
          ->check(CLI::PositiveNumber);
  CLI::Option* max_rss_growth_mib_option =
      app.add_option("--guard-max-rss-growth-mib", max_rss_growth_mib,
                     "Fail (exit 3) when the gateway's median VmRSS growth over the measured period exceeds "
                     "this many MiB")
          ->check(CLI::NonNegativeNumber);
  app.add_option("--out", options.out_json, "Write every run and the summary as JSON to this file");
  app.add_option("--svg", options.out_svg, "Plot the latency percentile curves (median-p99 round per setup)");
  app.add_option("--work-dir", options.work_dir,
                 "Keep configs and logs here (default: a temporary directory)");
  app.add_flag("--keep", options.keep, "Keep the temporary directory");

  try {
    app.parse(argc, argv);
    if (load.cancel_ratio + load.replace_ratio > 0.9)
      throw CLI::ValidationError("--cancel-ratio/--replace-ratio", "together at most 0.9");
    if (load.symbols.empty()) throw CLI::ValidationError("--symbols", "needs at least one symbol");
    const bool runs_gateway = std::ranges::find(setups, "fixgate") != setups.end();
    const bool bounds_gateway = max_cpu_ratio_option->count() + max_gateway_cpu_us_option->count() +
                                    max_rss_growth_mib_option->count() >
                                0;
    if (bounds_gateway && !runs_gateway)
      throw CLI::ValidationError(
          "--guard-max-cpu-ratio/--guard-max-gateway-cpu-us/--guard-max-rss-growth-mib",
          "bound the gateway; --setups must include fixgate");
  } catch (const CLI::ParseError& e) {
    return std::unexpected(app.exit(e));
  }
  auto given = [](const CLI::Option* option, double value) {
    return option->count() > 0 ? std::optional(value) : std::nullopt;
  };
  options.guard =
      GuardBounds{.max_cpu_ratio = given(max_cpu_ratio_option, max_cpu_ratio),
                  .min_throughput_ratio = given(min_throughput_ratio_option, min_throughput_ratio),
                  .max_gateway_cpu_us = given(max_gateway_cpu_us_option, max_gateway_cpu_us),
                  .max_rss_growth_mib = given(max_rss_growth_mib_option, max_rss_growth_mib)};
  if (options.quick) {
    options.rounds = 1;
    load.rate = 500;
    load.duration_s = 3;
    load.warmup_s = 1;
  }
  options.setups.clear();
  for (const std::string& name : setups) {
    options.setups.push_back(name == "direct"  ? Setup::Direct
                             : name == "relay" ? Setup::Relay
                                               : Setup::Gateway);
  }
  return options;
}

}  // namespace fixgate::bench
