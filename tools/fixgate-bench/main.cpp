// fixgate-bench: the same open-loop load straight at the exchange simulator, through a socat relay and
// through fixgate, interleaved over rounds, side by side. See bench_options.cpp (--help).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

#include "bench_guard.h"
#include "bench_options.h"
#include "bench_run.h"
#include "bench_summary.h"
#include "interrupt.h"

namespace {

using namespace fixgate::bench;

bool writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (out) return true;
  std::cerr << "fixgate-bench: cannot write " << path.string() << "\n";
  return false;
}

// Missing binaries are reported before anything starts.
bool binariesPresent(const BenchOptions& options) {
  bool present = true;
  auto need = [&](const std::filesystem::path& binary, const char* option) {
    if (::access(binary.c_str(), X_OK) == 0) return;
    std::cerr << fmt::format("fixgate-bench: {} is not an executable; build it or pass {}\n", binary.string(),
                             option);
    present = false;
  };
  need(options.load_binary, "--load-bin");
  need(options.sim_binary, "--sim-bin");
  for (const Setup setup : options.setups) {
    if (setup == Setup::Gateway) need(options.gateway_binary, "--gateway-bin");
  }
  return present;
}

std::filesystem::path makeWorkDir(const BenchOptions& options) {
  if (!options.work_dir.empty()) {
    std::filesystem::create_directories(options.work_dir);
    return std::filesystem::absolute(options.work_dir);
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "fixgate-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  return pattern;
}

// A failed run outranks a crossed bound: its figures are incomplete, so the bound says little.
int exitCode(bool runs_ok, const std::vector<GuardCheck>& guard) {
  if (!runs_ok) return kExitRunFailed;
  if (!guardPassed(guard)) {
    std::cerr << "fixgate-bench: a --guard-* bound was crossed (see 'regression guard' above); exit code "
              << kExitGuardCrossed << "\n";
    return kExitGuardCrossed;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parseBenchOptions(argc, argv);
  if (!parsed) return parsed.error();
  const BenchOptions& options = *parsed;
  if (!binariesPresent(options)) return kExitMissingBinary;
  installInterruptHandlers();
  const std::filesystem::path work_dir = makeWorkDir(options);
  std::cerr << fmt::format("fixgate-bench: {} round(s) x {} setup(s), {:g} s each + warmup; logs in {}\n",
                           options.rounds, options.setups.size(), options.load.duration_s, work_dir.string());

  std::vector<RunResult> runs;
  for (int round = 1; round <= options.rounds && !interrupted(); ++round) {
    for (const Setup setup : options.setups) {
      if (interrupted()) break;
      std::cerr << fmt::format("round {}/{} {}: starting\n", round, options.rounds, toString(setup));
      runs.push_back(
          runOnce(options, setup, round, work_dir / fmt::format("round{}-{}", round, toString(setup))));
      std::cerr << runLine(options, runs.back()) << "\n";
    }
  }
  if (interrupted()) {
    std::cerr << "fixgate-bench: interrupted; every process it started is stopped\n";
    return kExitInterrupted;
  }

  const std::vector<GuardCheck> guard = checkGuard(options, runs);
  std::cout << summaryText(options, runs) << guardText(guard) << std::flush;
  bool ok = std::ranges::all_of(runs, [](const RunResult& run) { return run.ok; });
  if (!options.out_json.empty()) {
    nlohmann::json json = summaryJson(options, runs);
    if (options.guard.any()) json["guard"] = guardJson(guard);
    ok &= writeFile(options.out_json, json.dump(2) + "\n");
  }
  if (!options.out_svg.empty()) ok &= writeFile(options.out_svg, summarySvg(options, runs));
  const bool keep = options.keep || !options.work_dir.empty() || !ok;
  if (keep) {
    std::cerr << "fixgate-bench: configs and logs kept in " << work_dir.string() << "\n";
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
  }
  return exitCode(ok, guard);
}
