// The regression guard (--guard-* options): compares the runs' figures (medians over rounds, see
// bench_figures.h) with the bounds given, so that a short run in CI fails when the gateway's CPU per
// request, the throughput or the gateway's memory growth move past a bound set from measured figures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_options.h"
#include "bench_run.h"

namespace fixgate::bench {

struct GuardCheck {
  std::string option;              // the --guard-* option that set the bound
  std::string figure;              // what was measured, with its unit
  std::optional<double> measured;  // nullopt: not measured, which fails the check
  double bound = 0;
  bool bound_is_maximum = true;  // true: measured <= bound passes; false: measured >= bound passes

  [[nodiscard]] bool passed() const;
};

// One check per bound given (the throughput bound: one per setup); empty without --guard-* options.
[[nodiscard]] std::vector<GuardCheck> checkGuard(const BenchOptions& options,
                                                 const std::vector<RunResult>& runs);
[[nodiscard]] bool guardPassed(const std::vector<GuardCheck>& checks);

// Every check with its measured value and bound, the crossed ones marked CROSSED.
[[nodiscard]] std::string guardText(const std::vector<GuardCheck>& checks);
[[nodiscard]] nlohmann::json guardJson(const std::vector<GuardCheck>& checks);

}  // namespace fixgate::bench
