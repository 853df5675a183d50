#include "bench_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "bench_figures.h"
#include "svg_plot.h"

namespace fixgate::bench {
namespace {

constexpr const char* kPercentileKeys[] = {"p50", "p90", "p99", "p99.9", "max"};

std::string cell(std::optional<double> value, const char* format = "{:.1f}") {
  return value ? fmt::format(fmt::runtime(format), *value) : std::string("-");
}

std::size_t runCount(const std::vector<RunResult>& runs, Setup setup) {
  return static_cast<std::size_t>(
      std::ranges::count_if(runs, [&](const RunResult& r) { return r.setup == setup; }));
}

double latency(const RunResult& run, const char* key) {
  return run.load["latency_us"][key].get<double>();
}

std::optional<double> medianLatency(const std::vector<RunResult>& runs, Setup setup, const char* key) {
  std::vector<double> values;
  for (const RunResult* run : okRuns(runs, setup)) values.push_back(latency(*run, key));
  return median(values);
}

// Median over rounds where both setups ran fine of (a's percentile - b's).
std::optional<double> addedLatency(const std::vector<RunResult>& runs, Setup a, Setup b, const char* key) {
  std::map<int, double> of_b;
  for (const RunResult* run : okRuns(runs, b)) of_b[run->round] = latency(*run, key);
  std::vector<double> differences;
  for (const RunResult* run : okRuns(runs, a)) {
    if (const auto found = of_b.find(run->round); found != of_b.end())
      differences.push_back(latency(*run, key) - found->second);
  }
  return median(differences);
}

bool ran(const BenchOptions& options, Setup setup) {
  return std::ranges::find(options.setups, setup) != options.setups.end();
}

// Stage name -> per-round timings of the gateway runs that exported them.
std::map<std::string, std::vector<StageTiming>> stageRounds(const std::vector<RunResult>& runs) {
  std::map<std::string, std::vector<StageTiming>> rounds;
  for (const RunResult* run : okRuns(runs, Setup::Gateway)) {
    if (!run->stages) continue;
    for (const auto& [stage, timing] : *run->stages) rounds[stage].push_back(timing);
  }
  return rounds;
}

StageTiming medianStage(const std::vector<StageTiming>& timings) {
  auto pick = [&](auto member) {
    std::vector<double> values;
    for (const StageTiming& t : timings) values.push_back(static_cast<double>(t.*member));
    return median(values).value_or(0);
  };
  return {static_cast<std::uint64_t>(pick(&StageTiming::count)), pick(&StageTiming::p50_us),
          pick(&StageTiming::p90_us), pick(&StageTiming::p99_us), pick(&StageTiming::p999_us)};
}

std::string stagesUnavailableReason(const std::vector<RunResult>& runs) {
  for (const RunResult& run : runs) {
    if (run.setup == Setup::Gateway && !run.stages_note.empty()) return run.stages_note;
  }
  return "no successful fixgate run";
}

// The processes whose memory a setup's runs sample.
std::vector<MeasuredProcess> memoryProcesses(Setup setup) {
  if (setup == Setup::Gateway) return {MeasuredProcess::Simulator, MeasuredProcess::Gateway};
  return {MeasuredProcess::Simulator};
}

std::string memoryText(const BenchOptions& options, const std::vector<RunResult>& runs) {
  std::string text =
      "\nresident memory, MiB, median over rounds (VmRSS at start: when the measured period starts, at end: "
      "after the load finished; its growth, of which RssAnon (heap) and RssFile (mapped files); peak: "
      "largest "
      "VmRSS sampled once a second in between; VmHWM: peak since the process started):\n";
  constexpr const char* kRow = "  {:<9} {:<10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>15} {:>8} {:>8}\n";
  text += fmt::format(kRow, "setup", "process", "start", "end", "growth", "anon", "file", "growth/100k req",
                      "peak", "VmHWM");
  for (const Setup setup : options.setups) {
    for (const MeasuredProcess process : memoryProcesses(setup)) {
      const MemoryFigures m = medianMemory(runs, setup, process);
      text += fmt::format(fmt::runtime(kRow), toString(setup), toString(process), cell(m.start_mib),
                          cell(m.end_mib), cell(m.growth_mib, "{:+.2f}"), cell(m.anon_growth_mib, "{:+.2f}"),
                          cell(m.file_growth_mib, "{:+.2f}"), cell(m.growth_mib_per_100k_requests, "{:+.3f}"),
                          cell(m.peak_mib), cell(m.hwm_end_mib));
    }
  }
  return text;
}

nlohmann::json memoryJson(const MemoryOverRun& memory, const nlohmann::json& load) {
  auto sample = [](const std::optional<MemorySample>& s) {
    return s ? nlohmann::json{{"rss_kib", s->rss_kib},
                              {"rss_anon_kib", s->anon_kib},
                              {"rss_file_kib", s->file_kib},
                              {"hwm_kib", s->hwm_kib}}
             : nlohmann::json(nullptr);
  };
  const auto growth = memory.growthKib();
  return {{"start", sample(memory.start)},
          {"end", sample(memory.end)},
          {"peak_rss_kib", memory.peak_rss_kib >= 0 ? nlohmann::json(memory.peak_rss_kib) : nullptr},
          {"rss_growth_kib", growth ? nlohmann::json(*growth) : nullptr},
          {"measured_requests", load.is_null() ? nlohmann::json(nullptr) : load["measured"]["sent"]}};
}

nlohmann::json memoryFiguresJson(const MemoryFigures& m) {
  auto value = [](std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"rss_start_mib", value(m.start_mib)},
          {"rss_end_mib", value(m.end_mib)},
          {"rss_growth_mib", value(m.growth_mib)},
          {"rss_anon_growth_mib", value(m.anon_growth_mib)},
          {"rss_file_growth_mib", value(m.file_growth_mib)},
          {"rss_growth_mib_per_100k_requests", value(m.growth_mib_per_100k_requests)},
          {"rss_peak_mib", value(m.peak_mib)},
          {"hwm_end_mib", value(m.hwm_end_mib)}};
}

const RunResult* medianP99Run(const std::vector<RunResult>& runs, Setup setup) {
  std::vector<const RunResult*> found = okRuns(runs, setup);
  if (found.empty()) return nullptr;
  std::ranges::sort(found, {}, [](const RunResult* r) { return latency(*r, "p99"); });
  return found[(found.size() - 1) / 2];
}

}  // namespace

std::string runLine(const BenchOptions& options, const RunResult& run) {
  std::string line = fmt::format("round {}/{} {:<8}", run.round, options.rounds, toString(run.setup));
  if (!run.load.is_null()) {
    const auto& l = run.load["latency_us"];
    line += fmt::format(" p50 {:.1f} p99 {:.1f} p99.9 {:.1f} max {:.1f} us, {:.0f}/s", l["p50"].get<double>(),
                        l["p99"].get<double>(), l["p99.9"].get<double>(), l["max"].get<double>(),
                        run.load["throughput_per_s"].get<double>());
    if (run.sim_cpu_us >= 0) line += fmt::format(", sim cpu {:.1f} us/req", run.sim_cpu_us);
    if (run.hop_cpu_us >= 0)
      line += fmt::format(", {} cpu {:.1f} us/req", run.setup == Setup::Gateway ? "fixgate" : "socat",
                          run.hop_cpu_us);
    if (const auto growth = run.gateway_memory.growthKib())
      line += fmt::format(", fixgate rss {:+.2f} MiB", static_cast<double>(*growth) / 1024.0);
  }
  line += run.ok ? "" : "  FAILED: " + run.error;
  return line;
}

std::string summaryText(const BenchOptions& options, const std::vector<RunResult>& runs) {
  const LoadSpec& load = options.load;
  std::string setups;
  for (const Setup setup : options.setups)
    setups += (setups.empty() ? "" : ", ") + std::string(toString(setup));
  std::string text = fmt::format(
      "\nfixgate-bench: {} round(s) of ({}), interleaved; each run {:.0f} requests/s for {:g} s after {:g} s "
      "warmup, "
      "{} FIX.4.4 sessions, {:.0f}% cancels, {:.0f}% replaces, {}, {} accounts, {} symbols; simulator fill "
      "model {}; gateway journal flush {}, audit shipping {}, final orders kept {} s, ClOrdID table sized "
      "for {}{}\n\n",
      options.rounds, setups, load.rate, load.duration_s, load.warmup_s, load.sessions,
      load.cancel_ratio * 100, load.replace_ratio * 100,
      load.max_open_orders > 0 ? fmt::format("at most {} open orders", load.max_open_orders)
                               : std::string("open orders unbounded"),
      load.accounts, load.symbols.size(), options.fill_model, options.journal_flush,
      options.audit_db.empty() ? "off" : "on", options.final_order_retention_s,
      options.expected_cl_ord_ids_per_day, options.busy_poll ? ", busy-poll on" : "");
  text += "end-to-end latency (answer arrival - due time), us, median over rounds:\n";
  text += fmt::format("  {:<9} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>13}\n", "setup", "runs", "p50", "p90",
                      "p99", "p99.9", "max", "throughput/s");
  for (const Setup setup : options.setups) {
    std::string row = fmt::format("  {:<9} {:>5}", toString(setup),
                                  fmt::format("{}/{}", okRuns(runs, setup).size(), runCount(runs, setup)));
    for (const char* key : kPercentileKeys)
      row += fmt::format(" {:>9}", cell(medianLatency(runs, setup, key)));
    text += row + fmt::format(" {:>13}\n", cell(medianThroughput(runs, setup), "{:.0f}"));
  }

  if (ran(options, Setup::Gateway) && ran(options, Setup::Relay)) {
    const auto p50 = addedLatency(runs, Setup::Gateway, Setup::Relay, "p50");
    const auto p99 = addedLatency(runs, Setup::Gateway, Setup::Relay, "p99");
    text += fmt::format(
        "\nfixgate's added latency over the relay (median of per-round differences): p50 {} us, p99 {} us; "
        "p50 ratio fixgate/relay {}\n",
        cell(p50, "{:+.1f}"), cell(p99, "{:+.1f}"),
        cell(ratio(medianLatency(runs, Setup::Gateway, "p50"), medianLatency(runs, Setup::Relay, "p50")),
             "{:.2f}x"));
  }
  if (ran(options, Setup::Relay) && ran(options, Setup::Direct)) {
    text += fmt::format("the relay's own hop over direct: p50 {} us, p99 {} us\n",
                        cell(addedLatency(runs, Setup::Relay, Setup::Direct, "p50"), "{:+.1f}"),
                        cell(addedLatency(runs, Setup::Relay, Setup::Direct, "p99"), "{:+.1f}"));
  }

  text += "\nCPU time (user+sys) per request sent, us, median over rounds:\n";
  text +=
      fmt::format("  {:<9} {:>10} {:>14} {:>15}\n", "setup", "simulator", "relay/gateway", "fixgate-load");
  for (const Setup setup : options.setups) {
    text += fmt::format("  {:<9} {:>10} {:>14} {:>15}\n", toString(setup), cell(medianSimCpu(runs, setup)),
                        setup == Setup::Direct ? std::string("-") : cell(medianHopCpu(runs, setup)),
                        cell(medianLoadCpu(runs, setup)));
  }
  if (ran(options, Setup::Gateway)) {
    text += fmt::format(
        "  fixgate / simulator CPU per request: {}\n",
        cell(ratio(medianHopCpu(runs, Setup::Gateway), medianSimCpu(runs, Setup::Gateway)), "{:.2f}x"));

    const auto stages = stageRounds(runs);
    if (stages.empty()) {
      text += fmt::format("\nstage timings: not available from this gateway ({})\n",
                          stagesUnavailableReason(runs));
    } else {
      text +=
          "\nin-gateway stage timings, us (fixgate_order_stage_seconds, warmup included; estimated from its "
          "buckets; median over rounds):\n";
      text += fmt::format("  {:<28} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "stage", "count", "p50", "p90", "p99",
                          "p99.9");
      for (const auto& [stage, timings] : stages) {
        const StageTiming t = medianStage(timings);
        text += fmt::format("  {:<28} {:>9} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f}\n", stage, t.count, t.p50_us,
                            t.p90_us, t.p99_us, t.p999_us);
      }
    }
  }
  text += memoryText(options, runs);
  std::size_t failed = 0;
  for (const RunResult& run : runs) failed += run.ok ? 0 : 1;
  if (failed > 0) text += fmt::format("\n{} run(s) FAILED; see above\n", failed);
  return text;
}

nlohmann::json summaryJson(const BenchOptions& options, const std::vector<RunResult>& runs) {
  const LoadSpec& load = options.load;
  nlohmann::json settings = {{"rounds", options.rounds},
                             {"rate_per_s", load.rate},
                             {"duration_s", load.duration_s},
                             {"warmup_s", load.warmup_s},
                             {"sessions", load.sessions},
                             {"cancel_ratio", load.cancel_ratio},
                             {"replace_ratio", load.replace_ratio},
                             {"max_open_orders", load.max_open_orders},
                             {"final_order_retention_s", options.final_order_retention_s},
                             {"expected_cl_ord_ids_per_day", options.expected_cl_ord_ids_per_day},
                             {"accounts", load.accounts},
                             {"symbols", load.symbols},
                             {"fill_model", options.fill_model},
                             {"journal_flush", options.journal_flush},
                             {"audit_shipping", !options.audit_db.empty()},
                             {"message_log", options.message_log},
                             {"busy_poll", options.busy_poll}};
  nlohmann::json run_list = nlohmann::json::array();
  for (const RunResult& run : runs) {
    nlohmann::json entry = {{"round", run.round},
                            {"setup", toString(run.setup)},
                            {"ok", run.ok},
                            {"error", run.error},
                            {"load", run.load},
                            {"sim_cpu_us_per_request", run.sim_cpu_us},
                            {"hop_cpu_us_per_request", run.hop_cpu_us}};
    for (const MeasuredProcess process : memoryProcesses(run.setup)) {
      entry["memory"][toString(process)] = memoryJson(memoryOf(run, process), run.load);
    }
    if (run.stages) {
      for (const auto& [stage, t] : *run.stages)
        entry["stages_us"][stage] = {{"count", t.count},
                                     {"p50", t.p50_us},
                                     {"p90", t.p90_us},
                                     {"p99", t.p99_us},
                                     {"p99.9", t.p999_us}};
    } else if (run.setup == Setup::Gateway) {
      entry["stages_note"] = run.stages_note;
    }
    run_list.push_back(std::move(entry));
  }
  auto value = [](std::optional<double> v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json summary = nlohmann::json::object();
  for (const Setup setup : options.setups) {
    nlohmann::json s = {{"runs_ok", okRuns(runs, setup).size()},
                        {"runs", runCount(runs, setup)},
                        {"throughput_per_s", value(medianThroughput(runs, setup))},
                        {"sim_cpu_us_per_request", value(medianSimCpu(runs, setup))},
                        {"hop_cpu_us_per_request", value(medianHopCpu(runs, setup))},
                        {"load_cpu_us_per_request", value(medianLoadCpu(runs, setup))}};
    for (const char* key : kPercentileKeys) s["latency_us"][key] = value(medianLatency(runs, setup, key));
    for (const MeasuredProcess process : memoryProcesses(setup))
      s["memory"][toString(process)] = memoryFiguresJson(medianMemory(runs, setup, process));
    summary[toString(setup)] = s;
  }
  summary["fixgate_vs_relay"] = {
      {"added_p50_us", value(addedLatency(runs, Setup::Gateway, Setup::Relay, "p50"))},
      {"added_p99_us", value(addedLatency(runs, Setup::Gateway, Setup::Relay, "p99"))},
      {"p50_ratio",
       value(ratio(medianLatency(runs, Setup::Gateway, "p50"), medianLatency(runs, Setup::Relay, "p50")))},
      {"cpu_ratio_gateway_to_sim",
       value(ratio(medianHopCpu(runs, Setup::Gateway), medianSimCpu(runs, Setup::Gateway)))},
      {"cpu_ratio_gateway_to_sim_median_of_rounds", value(medianGatewayToSimCpuRatio(runs))}};
  const auto stages = stageRounds(runs);
  if (stages.empty()) {
    summary["stages_us"] = nullptr;
    summary["stages_note"] = stagesUnavailableReason(runs);
  }
  for (const auto& [stage, timings] : stages) {
    const StageTiming t = medianStage(timings);
    summary["stages_us"][stage] = {
        {"count", t.count}, {"p50", t.p50_us}, {"p90", t.p90_us}, {"p99", t.p99_us}, {"p99.9", t.p999_us}};
  }
  return {{"tool", "fixgate-bench"}, {"settings", settings}, {"runs", run_list}, {"summary", summary}};
}

std::string summarySvg(const BenchOptions& options, const std::vector<RunResult>& runs) {
  std::vector<load::PlotSeries> series;
  for (const Setup setup : options.setups) {
    const RunResult* run = medianP99Run(runs, setup);
    if (run == nullptr) continue;
    load::PlotSeries s{fmt::format("{} (round {})", toString(setup), run->round), {}};
    for (const auto& point : run->load["percentile_curve_us"])
      s.points.push_back({point[0].get<double>(), point[1].get<double>()});
    series.push_back(std::move(s));
  }
  return load::percentilePlotSvg(
      fmt::format("fixgate-bench: end-to-end latency by percentile, {:.0f} requests/s, {} sessions",
                  options.load.rate, options.load.sessions),
      series);
}

}  // namespace fixgate::bench
