// What one fixgate-bench invocation runs: the load (the same for every configuration), which
// configurations, how many rounds, the binaries and where results go.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fixgate::bench {

enum class Setup { Direct, Relay, Gateway };
[[nodiscard]] const char* toString(Setup setup);  // "direct", "relay", "fixgate"

struct LoadSpec {
  double rate = 2000;
  double duration_s = 10;
  double warmup_s = 2;
  int sessions = 4;
  double cancel_ratio = 0.2;
  double replace_ratio = 0.2;
  std::uint64_t max_open_orders = 0;  // fixgate-load --max-open-orders; 0: no bound
  int accounts = 16;
  std::vector<std::string> symbols{"AAPL", "MSFT", "IBM", "ORCL", "INTC", "CSCO", "AMZN", "NVDA"};
};

// fixgate-bench's exit codes (--help and the README list them too). Usage errors exit with CLI11's codes
// (100 and up), --help with 0.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailed = 1;      // a run failed (a request unanswered, a process died) or
                                              // --out/--svg could not be written; takes precedence over 3
inline constexpr int kExitMissingBinary = 2;  // a binary to run is missing
inline constexpr int kExitGuardCrossed = 3;   // every run was fine, but a --guard-* bound was crossed
inline constexpr int kExitInterrupted = 130;  // Ctrl-C or SIGTERM

// Regression bounds (--guard-*), each checked against the median over rounds; unset ones are not checked.
struct GuardBounds {
  std::optional<double> max_cpu_ratio;         // gateway CPU / simulator CPU per request, same run
  std::optional<double> min_throughput_ratio;  // every setup's throughput / the target rate
  std::optional<double> max_gateway_cpu_us;    // gateway CPU per request, microseconds
  std::optional<double> max_rss_growth_mib;    // gateway VmRSS growth over the measured period

  [[nodiscard]] bool any() const {
    return max_cpu_ratio || min_throughput_ratio || max_gateway_cpu_us || max_rss_growth_mib;
  }
};

struct BenchOptions {
  int rounds = 5;
  std::vector<Setup> setups{Setup::Direct, Setup::Relay, Setup::Gateway};
  LoadSpec load;
  bool quick = false;

  std::filesystem::path load_binary;
  std::filesystem::path sim_binary;
  std::filesystem::path gateway_binary;
  std::string socat = "socat";
  std::filesystem::path repo_dir;  // for fix_spec/ (the gateway's dictionaries)

  std::string fill_model = "rest";  // the simulator's --fill-model
  std::string audit_db;             // the gateway's audit.database; empty: no shipping
  std::string journal_flush = "interval";
  bool message_log = false;          // the gateway's fix.message_log
  bool busy_poll = false;            // the gateway's fix.busy_poll
  int final_order_retention_s = 60;  // the gateway's gateway.final_order_retention_s
  // The gateway's gateway.expected_cl_ord_ids_per_day (its default): a run that releases more ClOrdIDs than
  // this sees the table of released ones double, a step in its memory.
  long expected_cl_ord_ids_per_day = 1'000'000;

  GuardBounds guard;

  std::filesystem::path out_json;
  std::filesystem::path out_svg;
  std::filesystem::path work_dir;  // empty: a fresh directory under /tmp, removed unless --keep
  bool keep = false;
};

[[nodiscard]] std::expected<BenchOptions, int> parseBenchOptions(int argc, char** argv);

}  // namespace fixgate::bench
