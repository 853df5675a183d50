#include "progress_line.h"

#include <fmt/format.h>

#include "load_report.h"

namespace fixgate::load {

std::string ProgressLine::next(const LoadStats& stats, std::int64_t now_ns, bool sending) {
  const std::uint64_t answered = stats.answered.load(std::memory_order_relaxed);
  const std::uint64_t sent = stats.sent.load(std::memory_order_relaxed);
  const double interval_s = last_ns_ == 0 ? 0.0 : static_cast<double>(now_ns - last_ns_) / 1e9;
  const double rate = interval_s > 0 ? static_cast<double>(answered - last_answered_) / interval_s : 0.0;
  last_answered_ = answered;
  last_ns_ = now_ns;
  const char* phase = !sending ? "draining" : now_ns < schedule_.measure_from_ns ? "warmup" : "measuring";
  const std::string latency =
      stats.latency.count() == 0
          ? std::string("p99 -")
          : fmt::format("p99 {:.1f} us, max {:.1f} us", stats.latency.valueAtPercentile(99.0) / 1000.0,
                        stats.latency.max() / 1000.0);
  return fmt::format("[{}{:6.1f} s] {:<9} sent {}, answered {}, outstanding {}, {:.0f} answers/s, {}",
                     label_.empty() ? "" : label_ + " ",
                     static_cast<double>(now_ns - schedule_.start_ns) / 1e9, phase, sent, answered,
                     unanswered(stats), rate, latency);
}

}  // namespace fixgate::load
