#include "load_report.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>

#include "svg_plot.h"

namespace fixgate::load {
namespace {

double micros(std::int64_t nanos) {
  return static_cast<double>(nanos) / 1000.0;
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::uint64_t get(const Counter& counter) {
  return counter.load(std::memory_order_relaxed);
}

nlohmann::json percentileCurveJson(const LatencyHistogram& histogram) {
  nlohmann::json curve = nlohmann::json::array();
  for (const PercentilePoint& point : percentileCurve(histogram))
    curve.push_back({point.percentile, micros(point.nanos)});
  return curve;
}

std::string latencyLine(const std::string& name, const nlohmann::json& s) {
  return fmt::format("  {:<8} {:>8} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f}\n", name,
                     s["count"].get<std::uint64_t>(), s["p50"].get<double>(), s["p90"].get<double>(),
                     s["p99"].get<double>(), s["p99.9"].get<double>(), s["max"].get<double>(),
                     s["mean"].get<double>());
}

}  // namespace

nlohmann::json latencySummaryJson(const LatencyHistogram& histogram) {
  return {{"count", histogram.count()},
          {"mean", histogram.mean() / 1000.0},
          {"p50", micros(histogram.valueAtPercentile(50.0))},
          {"p90", micros(histogram.valueAtPercentile(90.0))},
          {"p99", micros(histogram.valueAtPercentile(99.0))},
          {"p99.9", micros(histogram.valueAtPercentile(99.9))},
          {"max", micros(histogram.max())}};
}

CpuTime selfCpuTime() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

std::uint64_t unanswered(const LoadStats& stats) {
  const std::uint64_t sent = get(stats.sent), answered = get(stats.answered);
  return (sent > answered ? sent - answered : 0) + get(stats.send_failed);
}

nlohmann::json resultJson(const LoadOptions& options, const Schedule& schedule, const LoadStats& stats,
                          const CpuTime& cpu) {
  const double measured_answered = static_cast<double>(get(stats.measured_answered));
  const double measured_sent = static_cast<double>(get(stats.measured_sent));
  // Throughput: the measured requests answered over the time from the first being due to the last answer.
  const double answer_span_s =
      static_cast<double>(stats.last_measured_answer_ns.load() - schedule.measure_from_ns) / 1e9;
  const double send_span_s =
      static_cast<double>(stats.last_measured_send_ns.load() - schedule.measure_from_ns) / 1e9 +
      1.0 / schedule.rate;
  const std::uint64_t requests = get(stats.sent) + get(stats.send_failed);

  nlohmann::json by_kind = nlohmann::json::object(), requests_by_kind = nlohmann::json::object();
  for (int k = 0; k < kRequestKinds; ++k) {
    const char* name = toString(static_cast<RequestKind>(k));
    by_kind[name] = latencySummaryJson(stats.by_kind[k]);
    requests_by_kind[name] = {{"sent", get(stats.sent_by_kind[k])},
                              {"rejected", get(stats.rejected_by_kind[k])}};
  }
  const std::uint64_t missing = unanswered(stats);
  return {
      {"tool", "fixgate-load"},
      {"label", options.label},
      {"target", fmt::format("{}:{}", options.host, options.port)},
      {"target_comp_id", options.target_comp_id},
      {"sessions", options.sender_comp_ids.size()},
      {"target_rate_per_s", options.rate},
      {"warmup_s", options.warmup_s},
      {"duration_s", options.duration_s},
      {"cancel_ratio", options.cancel_ratio},
      {"replace_ratio", options.replace_ratio},
      {"accounts", options.accounts.size()},
      {"symbols", options.symbols.size()},
      {"requests",
       {{"scheduled", schedule.requests},
        {"sent", get(stats.sent)},
        {"send_failed", get(stats.send_failed)},
        {"answered", get(stats.answered)},
        {"unanswered", missing},
        {"rejected", get(stats.rejected)},
        {"by_kind", requests_by_kind},
        {"fallback_to_new", get(stats.fallback_to_new)},
        {"unmatched_reports", get(stats.unmatched)},
        {"duplicate_answers", get(stats.duplicate_answers)},
        {"other_reports", get(stats.other_reports)},
        {"session_rejects", get(stats.session_rejects)},
        {"business_rejects", get(stats.business_rejects)},
        {"logouts", get(stats.logouts)}}},
      {"measured", {{"sent", get(stats.measured_sent)}, {"answered", get(stats.measured_answered)}}},
      {"throughput_per_s", answer_span_s > 0 ? measured_answered / answer_span_s : 0.0},
      {"send_rate_per_s", send_span_s > 0 ? measured_sent / send_span_s : 0.0},
      {"latency_us", latencySummaryJson(stats.latency)},
      {"latency_by_kind_us", by_kind},
      {"send_lag_us", latencySummaryJson(stats.send_lag)},
      {"percentile_curve_us", percentileCurveJson(stats.latency)},
      {"cpu",
       {{"user_s", cpu.user_s},
        {"sys_s", cpu.sys_s},
        {"us_per_request",
         requests == 0 ? 0.0 : (cpu.user_s + cpu.sys_s) * 1e6 / static_cast<double>(requests)}}},
      {"ok", missing == 0 && get(stats.logouts) == 0 && requests == schedule.requests},
  };
}

std::string resultText(const nlohmann::json& r) {
  const auto& q = r["requests"];
  std::string text = fmt::format(
      "fixgate-load{}: {} sessions -> {} ({}), target {:.0f}/s for {:.1f} s after {:.1f} s warmup\n",
      r["label"].get<std::string>().empty() ? "" : " [" + r["label"].get<std::string>() + "]",
      r["sessions"].get<std::size_t>(), r["target"].get<std::string>(),
      r["target_comp_id"].get<std::string>(), r["target_rate_per_s"].get<double>(),
      r["duration_s"].get<double>(), r["warmup_s"].get<double>());
  text += fmt::format(
      "requests: {} sent ({} new, {} cancel, {} replace), {} answered, {} rejected, {} UNANSWERED, {} send "
      "failures\n",
      q["sent"].get<std::uint64_t>(), q["by_kind"]["new"]["sent"].get<std::uint64_t>(),
      q["by_kind"]["cancel"]["sent"].get<std::uint64_t>(),
      q["by_kind"]["replace"]["sent"].get<std::uint64_t>(), q["answered"].get<std::uint64_t>(),
      q["rejected"].get<std::uint64_t>(), q["unanswered"].get<std::uint64_t>(),
      q["send_failed"].get<std::uint64_t>());
  text += fmt::format(
      "other: {} unmatched reports, {} duplicate answers, {} fills/status reports, {} session rejects, {} "
      "business rejects, {} logouts\n",
      q["unmatched_reports"].get<std::uint64_t>(), q["duplicate_answers"].get<std::uint64_t>(),
      q["other_reports"].get<std::uint64_t>(), q["session_rejects"].get<std::uint64_t>(),
      q["business_rejects"].get<std::uint64_t>(), q["logouts"].get<std::uint64_t>());
  text += fmt::format("throughput: {:.1f} answers/s measured ({:.1f} sent/s)\n",
                      r["throughput_per_s"].get<double>(), r["send_rate_per_s"].get<double>());
  text += "latency (us, answer arrival - due time):\n";
  text += fmt::format("  {:<8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "", "count", "p50", "p90",
                      "p99", "p99.9", "max", "mean");
  text += latencyLine("all", r["latency_us"]);
  for (const char* kind : {"new", "cancel", "replace"})
    text += latencyLine(kind, r["latency_by_kind_us"][kind]);
  text += latencyLine("send lag", r["send_lag_us"]);
  const auto& cpu = r["cpu"];
  text += fmt::format("cpu (fixgate-load itself): user {:.2f} s, sys {:.2f} s, {:.1f} us per request\n",
                      cpu["user_s"].get<double>(), cpu["sys_s"].get<double>(),
                      cpu["us_per_request"].get<double>());
  text += r["ok"].get<bool>()
              ? "result: OK, every request answered\n"
              : "result: FAILED: requests without an answer, a session lost, or stopped early\n";
  return text;
}

std::string resultSvg(const nlohmann::json& result) {
  PlotSeries series{
      result["label"].get<std::string>().empty() ? "all requests" : result["label"].get<std::string>(), {}};
  for (const auto& point : result["percentile_curve_us"])
    series.points.push_back({point[0].get<double>(), point[1].get<double>()});
  const std::string title =
      fmt::format("fixgate-load: latency by percentile, {:.0f} requests/s, {} sessions -> {}",
                  result["target_rate_per_s"].get<double>(), result["sessions"].get<std::size_t>(),
                  result["target"].get<std::string>());
  return percentilePlotSvg(title, {series});
}

}  // namespace fixgate::load
