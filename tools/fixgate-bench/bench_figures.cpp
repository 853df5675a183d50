#include "bench_figures.h"

#include <algorithm>

namespace fixgate::bench {
namespace {

constexpr double kKibPerMib = 1024.0;
constexpr double kRequestsPerGrowthUnit = 100'000.0;

std::optional<double> medianOf(const std::vector<const RunResult*>& runs, auto&& value) {
  std::vector<double> values;
  for (const RunResult* run : runs) {
    if (const std::optional<double> v = value(*run)) values.push_back(*v);
  }
  return median(values);
}

std::optional<double> measured(double value) {
  return value >= 0 ? std::optional(value) : std::nullopt;
}

std::optional<std::int64_t> rssKib(const std::optional<MemorySample>& sample) {
  return sample ? std::optional(sample->rss_kib) : std::nullopt;
}

std::optional<double> mib(std::optional<std::int64_t> kib) {
  return kib ? std::optional(static_cast<double>(*kib) / kKibPerMib) : std::nullopt;
}

// The requests of the measured period: the memory samples bracket it.
std::optional<double> measuredRequests(const RunResult& run) {
  const auto& sent = run.load["measured"]["sent"];
  return sent.is_number() && sent.get<double>() > 0 ? std::optional(sent.get<double>()) : std::nullopt;
}

std::optional<double> growthPer100kRequests(const RunResult& run, MeasuredProcess process) {
  const std::optional<double> growth = mib(memoryOf(run, process).growthKib());
  const std::optional<double> requests = measuredRequests(run);
  if (!growth || !requests) return std::nullopt;
  return *growth * kRequestsPerGrowthUnit / *requests;
}

}  // namespace

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::ranges::sort(values);
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  return a && b && *b > 0 ? std::optional(*a / *b) : std::nullopt;
}

std::vector<const RunResult*> okRuns(const std::vector<RunResult>& runs, Setup setup) {
  std::vector<const RunResult*> found;
  for (const RunResult& run : runs) {
    if (run.setup == setup && run.ok) found.push_back(&run);
  }
  return found;
}

std::optional<double> medianThroughput(const std::vector<RunResult>& runs, Setup setup) {
  return medianOf(okRuns(runs, setup), [](const RunResult& r) -> std::optional<double> {
    return r.load["throughput_per_s"].get<double>();
  });
}

std::optional<double> medianSimCpu(const std::vector<RunResult>& runs, Setup setup) {
  return medianOf(okRuns(runs, setup), [](const RunResult& r) { return measured(r.sim_cpu_us); });
}

std::optional<double> medianHopCpu(const std::vector<RunResult>& runs, Setup setup) {
  return medianOf(okRuns(runs, setup), [](const RunResult& r) { return measured(r.hop_cpu_us); });
}

std::optional<double> medianLoadCpu(const std::vector<RunResult>& runs, Setup setup) {
  return medianOf(okRuns(runs, setup), [](const RunResult& r) -> std::optional<double> {
    return r.load["cpu"]["us_per_request"].get<double>();
  });
}

std::optional<double> medianGatewayToSimCpuRatio(const std::vector<RunResult>& runs) {
  return medianOf(okRuns(runs, Setup::Gateway),
                  [](const RunResult& r) { return ratio(measured(r.hop_cpu_us), measured(r.sim_cpu_us)); });
}

const char* toString(MeasuredProcess process) {
  return process == MeasuredProcess::Simulator ? "simulator" : "gateway";
}

const MemoryOverRun& memoryOf(const RunResult& run, MeasuredProcess process) {
  return process == MeasuredProcess::Simulator ? run.sim_memory : run.gateway_memory;
}

MemoryFigures medianMemory(const std::vector<RunResult>& runs, Setup setup, MeasuredProcess process) {
  const std::vector<const RunResult*> ok = okRuns(runs, setup);
  // The median over rounds of one figure of this process's memory, in MiB.
  auto medianMib = [&](auto&& kib_of) {
    return medianOf(ok, [&](const RunResult& r) { return mib(kib_of(memoryOf(r, process))); });
  };
  return MemoryFigures{
      .start_mib = medianMib([](const MemoryOverRun& m) { return rssKib(m.start); }),
      .end_mib = medianMib([](const MemoryOverRun& m) { return rssKib(m.end); }),
      .growth_mib = medianMib([](const MemoryOverRun& m) { return m.growthKib(); }),
      .anon_growth_mib = medianMib([](const MemoryOverRun& m) { return m.anonGrowthKib(); }),
      .file_growth_mib = medianMib([](const MemoryOverRun& m) { return m.fileGrowthKib(); }),
      .growth_mib_per_100k_requests =
          medianOf(ok, [&](const RunResult& r) { return growthPer100kRequests(r, process); }),
      .peak_mib = medianMib([](const MemoryOverRun& m) {
        return m.peak_rss_kib >= 0 ? std::optional(m.peak_rss_kib) : std::nullopt;
      }),
      .hwm_end_mib = medianMib(
          [](const MemoryOverRun& m) { return m.end ? std::optional(m.end->hwm_kib) : std::nullopt; }),
  };
}

}  // namespace fixgate::bench
