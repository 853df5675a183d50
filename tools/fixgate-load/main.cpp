// fixgate-load: open-loop FIX 4.4 load at a fixed rate, latency measured from each request's due time.
// See load_options.cpp (--help) for what it does, open_loop_sender.h for the schedule, report_matcher.h for
// how answers are matched.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "load_options.h"
#include "load_report.h"
#include "load_sessions.h"
#include "load_stats.h"
#include "open_loop_sender.h"
#include "order_mix.h"
#include "progress_line.h"
#include "report_matcher.h"
#include "request_table.h"

namespace {

using namespace fixgate::load;

std::atomic<bool> g_stop{false};

void onStopSignal(int) {
  g_stop.store(true);
}

// A ClOrdID prefix no earlier run used: the start time in microseconds, base 36.
std::string runTag() {
  auto value = static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[value % 36]);
    value /= 36;
  } while (value != 0);
  return "L" + digits;
}

bool writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (out) return true;
  std::cerr << "fixgate-load: cannot write " << path.string() << "\n";
  return false;
}

// Waits, printing the progress line every second, until the sender is done and every request is answered,
// or the drain timeout after the last due time passes, or a stop signal comes.
void watch(const Schedule& schedule, const LoadOptions& options, const LoadStats& stats,
           const std::atomic<bool>& sending) {
  ProgressLine progress(schedule, options.label);
  const std::int64_t drain_deadline =
      schedule.dueNs(schedule.requests) + std::llround(options.drain_timeout_s * 1e9);
  std::int64_t next_line = steadyNowNs() + 1'000'000'000;
  while (!g_stop.load()) {
    const std::int64_t now = steadyNowNs();
    const bool still_sending = sending.load();
    if (!still_sending && (unanswered(stats) == 0 || now >= drain_deadline)) break;
    if (now >= next_line) {
      if (options.progress) std::cerr << progress.next(stats, now, still_sending) << std::endl;
      next_line += 1'000'000'000;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parseLoadOptions(argc, argv);
  if (!parsed) return parsed.error();
  const LoadOptions& options = *parsed;
  std::signal(SIGINT, onStopSignal);
  std::signal(SIGTERM, onStopSignal);

  const auto requests =
      static_cast<std::size_t>(std::ceil(options.rate * (options.warmup_s + options.duration_s)));
  RequestTable table(runTag(), requests);
  auto stats = std::make_unique<LoadStats>();
  ReportMatcher matcher(table, *stats);
  LoadSessions sessions(options, matcher, *stats);
  const auto logon_timeout = std::chrono::milliseconds(std::llround(options.logon_timeout_s * 1000));
  if (!sessions.start(logon_timeout)) {
    std::cerr << fmt::format(
        "fixgate-load: only {} of {} sessions logged on to {}:{} (TargetCompID {}) within {} s; is the "
        "acceptor running, and does it accept SenderCompIDs {}..?\n",
        sessions.loggedOn(), options.sender_comp_ids.size(), options.host, options.port,
        options.target_comp_id, options.logon_timeout_s, options.sender_comp_ids.front());
    sessions.stop(std::chrono::seconds(1));
    return 2;
  }

  OrderMix mix(options, table, *stats);
  Schedule schedule;
  schedule.start_ns = steadyNowNs() + 50'000'000;  // a moment for the sender thread to start
  schedule.measure_from_ns = schedule.start_ns + std::llround(options.warmup_s * 1e9);
  schedule.rate = options.rate;
  schedule.requests = requests;

  std::atomic<bool> sending{true};
  std::thread sender([&] {
    runOpenLoop(schedule, mix, sessions, table, *stats, g_stop);
    sending.store(false);
  });
  watch(schedule, options, *stats, sending);
  g_stop.store(true);  // ends the sender early when the watch ended on a signal
  sender.join();
  sessions.stop(std::chrono::seconds(2));

  const nlohmann::json result = resultJson(options, schedule, *stats, selfCpuTime());
  std::cout << resultText(result) << std::flush;
  bool written = true;
  if (!options.json_file.empty()) written &= writeFile(options.json_file, result.dump(2) + "\n");
  if (!options.svg_file.empty()) written &= writeFile(options.svg_file, resultSvg(result));
  return result["ok"].get<bool>() && written ? 0 : 1;
}
