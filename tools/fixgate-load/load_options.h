// What one fixgate-load run does: where it connects, with which sessions, how fast, for how long, and the
// mix of requests. Filled from the command line (parseLoadOptions), plain data otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace fixgate::load {

struct SymbolSpec {
  std::string symbol;
  double reference_price = 100.0;  // limit prices are drawn around it (never crossing, see order_mix.h)
};

struct LoadOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string target_comp_id = "FIXGATE";
  std::vector<std::string> sender_comp_ids;  // one FIX.4.4 session each
  int heartbeat_interval_s = 30;

  double rate = 1000.0;  // requests per second over all sessions
  double warmup_s = 1.0;
  double duration_s = 10.0;
  double drain_timeout_s = 5.0;
  double logon_timeout_s = 10.0;

  double cancel_ratio = 0.2;
  double replace_ratio = 0.2;
  std::uint64_t max_open_orders = 0;  // 0: no bound
  std::vector<std::string> accounts;
  std::vector<SymbolSpec> symbols;
  unsigned seed = 1;

  std::filesystem::path json_file;
  std::filesystem::path svg_file;
  std::string label;  // a name for this run in the text, JSON and SVG title
  bool progress = true;
};

// The parsed options, or the exit code CLI11 chose (0 for --help).
[[nodiscard]] std::expected<LoadOptions, int> parseLoadOptions(int argc, char** argv);

}  // namespace fixgate::load
