// What one fixgate-bench invocation runs: the load (the same for every configuration), which
// configurations, how many rounds, the binaries and where results go.
#pragma once

#include <expected>
#include <filesystem>
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
  int accounts = 16;
  std::vector<std::string> symbols{"AAPL", "MSFT", "IBM", "ORCL", "INTC", "CSCO", "AMZN", "NVDA"};
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
  bool message_log = false;  // the gateway's fix.message_log

  std::filesystem::path out_json;
  std::filesystem::path out_svg;
  std::filesystem::path work_dir;  // empty: a fresh directory under /tmp, removed unless --keep
  bool keep = false;
};

[[nodiscard]] std::expected<BenchOptions, int> parseBenchOptions(int argc, char** argv);

}  // namespace fixgate::bench
