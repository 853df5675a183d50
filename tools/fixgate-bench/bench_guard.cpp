#include "bench_guard.h"

#include <fmt/format.h>

#include <algorithm>

#include "bench_figures.h"

namespace fixgate::bench {
namespace {

std::vector<GuardCheck> throughputChecks(const BenchOptions& options, const std::vector<RunResult>& runs,
                                         double min_ratio) {
  std::vector<GuardCheck> checks;
  for (const Setup setup : options.setups) {
    checks.push_back(
        {.option = fmt::format("--guard-min-throughput-ratio {:g} (x {:g}/s)", min_ratio, options.load.rate),
         .figure = fmt::format("{} throughput, answers/s", toString(setup)),
         .measured = medianThroughput(runs, setup),
         .bound = min_ratio * options.load.rate,
         .bound_is_maximum = false});
  }
  return checks;
}

std::string measuredText(std::optional<double> measured) {
  return measured ? fmt::format("{:.2f}", *measured) : std::string("not measured");
}

}  // namespace

bool GuardCheck::passed() const {
  if (!measured) return false;
  return bound_is_maximum ? *measured <= bound : *measured >= bound;
}

std::vector<GuardCheck> checkGuard(const BenchOptions& options, const std::vector<RunResult>& runs) {
  const GuardBounds& bounds = options.guard;
  std::vector<GuardCheck> checks;
  if (bounds.max_cpu_ratio) {
    checks.push_back({.option = "--guard-max-cpu-ratio",
                      .figure = "gateway CPU / simulator CPU per request (median of per-round ratios)",
                      .measured = medianGatewayToSimCpuRatio(runs),
                      .bound = *bounds.max_cpu_ratio});
  }
  if (bounds.max_gateway_cpu_us) {
    checks.push_back({.option = "--guard-max-gateway-cpu-us",
                      .figure = "gateway CPU per request, us",
                      .measured = medianHopCpu(runs, Setup::Gateway),
                      .bound = *bounds.max_gateway_cpu_us});
  }
  if (bounds.max_rss_growth_mib) {
    checks.push_back({.option = "--guard-max-rss-growth-mib",
                      .figure = "gateway VmRSS growth over the measured period, MiB",
                      .measured = medianMemory(runs, Setup::Gateway, MeasuredProcess::Gateway).growth_mib,
                      .bound = *bounds.max_rss_growth_mib});
  }
  if (bounds.min_throughput_ratio) {
    for (GuardCheck& check : throughputChecks(options, runs, *bounds.min_throughput_ratio))
      checks.push_back(std::move(check));
  }
  return checks;
}

bool guardPassed(const std::vector<GuardCheck>& checks) {
  return std::ranges::all_of(checks, &GuardCheck::passed);
}

std::string guardText(const std::vector<GuardCheck>& checks) {
  if (checks.empty()) return "";
  std::string text = "\nregression guard (medians over rounds):\n";
  for (const GuardCheck& check : checks) {
    const char* comparison =
        check.bound_is_maximum ? (check.passed() ? "<=" : ">") : (check.passed() ? ">=" : "<");
    text += fmt::format("  {:<8} {}: {} {} {:.2f}  [{}]\n", check.passed() ? "ok" : "CROSSED", check.figure,
                        measuredText(check.measured), check.measured ? comparison : "vs bound", check.bound,
                        check.option);
  }
  const auto crossed = std::ranges::count_if(checks, [](const GuardCheck& c) { return !c.passed(); });
  text += crossed == 0
              ? fmt::format("regression guard: all {} bound(s) held\n", checks.size())
              : fmt::format("regression guard FAILED: {} of {} bound(s) crossed\n", crossed, checks.size());
  return text;
}

nlohmann::json guardJson(const std::vector<GuardCheck>& checks) {
  nlohmann::json list = nlohmann::json::array();
  for (const GuardCheck& check : checks) {
    list.push_back({{"option", check.option},
                    {"figure", check.figure},
                    {"measured", check.measured ? nlohmann::json(*check.measured) : nlohmann::json(nullptr)},
                    {"bound", check.bound},
                    {"bound_is", check.bound_is_maximum ? "maximum" : "minimum"},
                    {"passed", check.passed()}});
  }
  return list;
}

}  // namespace fixgate::bench
