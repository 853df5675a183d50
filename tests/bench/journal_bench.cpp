// Microbenchmark of the write-ahead journal (src/journal) on 64 MiB segments in a temporary directory.
//
//   Append/Interval           append() of a 200-byte record, flush=interval (the flusher msyncs every 5 ms):
//                             the hot-path cost, a memcpy into the mapping under a short lock.
//   Append/Interval/threads:2 the same from two producer threads at once (engine + a FIX session thread).
//   AppendCommit/Record       append() + commit() with flush=record: one msync per commit, in the caller.
//   AppendCommit/Batch        append() + commit() with flush=batch: commit waits for the flusher's msync;
//                             with several threads, committers share msyncs (group commit).
//   Reader/Throughput         JournalReader::next() over 200,000 prewritten records (CRC checked on each).
//   Baseline/EmptyTimedRegion two clock reads around nothing: the timing floor inside every figure.
//
// Each operation is timed on its own with steady_clock into a preallocated vector; p50, p99, p99.9 and max
// in ns are reported as counters, with heap allocations per op (single-threaded runs only) and the
// journal's own msync counters. Run it in a Release/RelWithDebInfo build:
//   journal_bench --benchmark_counters_tabular=true
// --journal_bench_dir=DIR puts the segments on another file system (the msync cost is the device's);
// --journal_bench_commit_iterations=N caps the msync-bound runs (the ctest smoke run uses a small N).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"

namespace fixgate::journal::bench {
namespace {

constexpr std::size_t kPayloadBytes = 200;
constexpr std::uint64_t kReaderRecords = 200'000;

std::filesystem::path g_base_dir;  // where each run makes its own directory

class RunDir {
 public:
  RunDir() {
    std::string pattern = (g_base_dir / "journal-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "journal_bench: cannot create a directory under %s\n", g_base_dir.c_str());
      std::abort();
    }
    path_ = pattern;
  }
  ~RunDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<std::byte> payload() {
  std::vector<std::byte> p(kPayloadBytes);
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::byte>(i * 31 + 7);
  return p;
}

std::unique_ptr<Journal> openJournal(const std::filesystem::path& dir, FlushPolicy flush) {
  JournalSettings settings;
  settings.directory = dir;
  settings.flush = flush;
  auto journal = Journal::open(settings);
  if (!journal) {
    std::fprintf(stderr, "journal_bench: %s\n", journal.error().message.c_str());
    std::abort();
  }
  return std::move(*journal);
}

// --- Percentiles ------------------------------------------------------------------------------------------

struct Figures {
  double p50 = 0, p99 = 0, p999 = 0, max = 0, allocs_per_op = -1;
  std::size_t samples = 0;
  std::string extra;
};
std::map<std::string, Figures>& results() {
  static std::map<std::string, Figures> r;
  return r;
}

double percentile(std::vector<std::int64_t>& ns, double q) {
  if (ns.empty()) return 0;
  const auto k = std::min(ns.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ns.size())));
  std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(k), ns.end());
  return static_cast<double>(ns[k]);
}

// allocations < 0: not counted (multi-threaded run).
Figures& report(benchmark::State& state, const std::string& name, std::vector<std::int64_t>& ns,
                std::int64_t allocations) {
  Figures f;
  f.samples = ns.size();
  if (allocations >= 0 && !ns.empty()) {
    f.allocs_per_op = static_cast<double>(allocations) / static_cast<double>(ns.size());
    state.counters["allocs/op"] = f.allocs_per_op;
  }
  f.p50 = percentile(ns, 0.50);
  f.p99 = percentile(ns, 0.99);
  f.p999 = percentile(ns, 0.999);
  f.max = ns.empty() ? 0 : static_cast<double>(*std::max_element(ns.begin(), ns.end()));
  state.counters["p50_ns"] = f.p50;
  state.counters["p99_ns"] = f.p99;
  state.counters["p99.9_ns"] = f.p999;
  state.counters["max_ns"] = f.max;
  return results()[name] = f;
}

void reportJournal(benchmark::State& state, Figures& f, const JournalCounters& before,
                   const JournalCounters& after, std::uint64_t ops) {
  const auto msyncs = after.msyncs - before.msyncs;
  const double per_op = ops == 0 ? 0 : static_cast<double>(msyncs) / static_cast<double>(ops);
  const double mean_us = msyncs == 0 ? 0
                                     : static_cast<double>(after.msync_ns_total - before.msync_ns_total) /
                                           1e3 / static_cast<double>(msyncs);
  state.counters["msyncs/op"] = per_op;
  state.counters["msync_mean_us"] = mean_us;
  state.counters["msync_max_us"] = static_cast<double>(after.msync_ns_max) / 1e3;
  state.counters["sync_preps"] = static_cast<double>(after.synchronous_preparations);
  f.extra = fmt::format(
      "msyncs/op {:.3f}, msync mean {:.1f} us max {:.1f} us, synchronous segment preparations {}", per_op,
      mean_us, static_cast<double>(after.msync_ns_max) / 1e3, after.synchronous_preparations);
}

using Clock = std::chrono::steady_clock;

std::int64_t elapsedNs(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
}

// --- Appends, with and without commit ---------------------------------------------------------------------

constexpr int kMaxThreads = 8;

// Shared by the threads of one multi-threaded run: thread 0 opens before the loop and closes after it.
// Google Benchmark starts and ends the timed loops of all threads together, so each thread's samples are
// complete when thread 0 merges them after its loop.
struct SharedRun {
  std::unique_ptr<RunDir> dir;
  std::unique_ptr<Journal> journal;
  JournalCounters before;
  std::array<std::vector<std::int64_t>, kMaxThreads> ns;
};
SharedRun g_run;

void appendRun(benchmark::State& state, FlushPolicy flush, bool commit, const std::string& name) {
  const bool single = state.threads() == 1;
  if (state.thread_index() == 0) {
    g_run.dir = std::make_unique<RunDir>();
    g_run.journal = openJournal(g_run.dir->path(), flush);
    g_run.before = g_run.journal->counters();
  }
  const auto bytes = payload();
  std::vector<std::int64_t>& ns = g_run.ns.at(static_cast<std::size_t>(state.thread_index()));
  ns.clear();
  ns.reserve(static_cast<std::size_t>(state.max_iterations));
  std::int64_t allocations = 0;
  std::int64_t ts = 1'700'000'000'000'000;
  bool failed = false;
  for (auto _ : state) {
    Journal& journal = *g_run.journal;
    if (single) {
      fixgate::bench::g_allocations = 0;
      fixgate::bench::g_counting = true;
    }
    const auto t0 = Clock::now();
    auto seq = journal.append(7, ++ts, bytes);
    const bool ok = seq && (!commit || journal.commit());
    const auto t1 = Clock::now();
    if (single) {
      fixgate::bench::g_counting = false;
      allocations += static_cast<std::int64_t>(fixgate::bench::g_allocations);
    }
    ns.push_back(elapsedNs(t0, t1));
    state.SetIterationTime(static_cast<double>(ns.back()) * 1e-9);
    if (!ok) {
      failed = true;
      state.SkipWithError(journal.failure() ? journal.failure()->message.c_str() : "append or commit failed");
      break;
    }
  }
  if (state.thread_index() == 0 && !failed) {
    // Counters of thread 0 are the ones shown.
    const auto after = g_run.journal->counters();
    std::vector<std::int64_t> all_ns;
    for (int t = 0; t < state.threads(); ++t) {
      const auto& thread_ns = g_run.ns.at(static_cast<std::size_t>(t));
      all_ns.insert(all_ns.end(), thread_ns.begin(), thread_ns.end());
    }
    const std::string full_name =
        state.threads() == 1 ? name : fmt::format("{}/threads:{}", name, state.threads());
    auto& f = report(state, full_name, all_ns, single ? allocations : -1);
    reportJournal(state, f, g_run.before, after, after.records - g_run.before.records);
  }
  if (state.thread_index() == 0) {
    g_run.journal.reset();
    g_run.dir.reset();
  }
}

void AppendInterval(benchmark::State& state) {
  appendRun(state, FlushPolicy::Interval, false, "Append/Interval");
}
void AppendCommitRecord(benchmark::State& state) {
  appendRun(state, FlushPolicy::Record, true, "AppendCommit/Record");
}
void AppendCommitBatch(benchmark::State& state) {
  appendRun(state, FlushPolicy::Batch, true, "AppendCommit/Batch");
}

// --- Reader -----------------------------------------------------------------------------------------------

void ReaderThroughput(benchmark::State& state) {
  RunDir dir;
  {
    auto journal = openJournal(dir.path(), FlushPolicy::Interval);
    const auto bytes = payload();
    for (std::uint64_t n = 0; n < kReaderRecords; ++n) {
      if (!journal->append(7, static_cast<std::int64_t>(n), bytes)) std::abort();
    }
  }
  std::uint64_t records = 0;
  std::uint64_t payload_bytes = 0;
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(state.max_iterations));
  for (auto _ : state) {
    auto reader = JournalReader::open(dir.path());
    if (!reader) {
      state.SkipWithError(reader.error().message.c_str());
      break;
    }
    const auto t0 = Clock::now();
    std::uint64_t n = 0;
    for (;;) {
      auto record = reader->next();
      if (!record) {
        state.SkipWithError(record.error().message.c_str());
        break;
      }
      if (!*record) break;
      payload_bytes += (*record)->payload.size();
      benchmark::DoNotOptimize((*record)->payload.data());
      ++n;
    }
    const auto t1 = Clock::now();
    records += n;
    // One sample per full pass, as ns per record.
    ns.push_back(elapsedNs(t0, t1) / static_cast<std::int64_t>(std::max<std::uint64_t>(n, 1)));
    state.SetIterationTime(static_cast<double>(elapsedNs(t0, t1)) * 1e-9);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.SetBytesProcessed(static_cast<std::int64_t>(payload_bytes));
  auto& f = report(state, "Reader/Throughput (ns per record, per pass)", ns, -1);
  const double mean_ns = f.p50;
  f.extra = fmt::format("{:.1f} M records/s, {:.0f} MB/s of 200-byte payloads",
                        mean_ns == 0 ? 0 : 1e3 / mean_ns, mean_ns == 0 ? 0 : 1e3 / mean_ns * kPayloadBytes);
}

// --- Baseline: the cost of the timing itself --------------------------------------------------------------

void EmptyTimedRegion(benchmark::State& state) {
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(state.max_iterations));
  std::int64_t allocations = 0;
  for (auto _ : state) {
    fixgate::bench::g_allocations = 0;
    fixgate::bench::g_counting = true;
    const auto t0 = Clock::now();
    benchmark::ClobberMemory();
    const auto t1 = Clock::now();
    fixgate::bench::g_counting = false;
    allocations += static_cast<std::int64_t>(fixgate::bench::g_allocations);
    ns.push_back(elapsedNs(t0, t1));
    state.SetIterationTime(static_cast<double>(ns.back()) * 1e-9);
  }
  report(state, "Baseline/EmptyTimedRegion", ns, allocations);
}

// Removes --NAME=VALUE from argv and returns VALUE, or `fallback`.
std::string takeFlag(int& argc, char** argv, std::string_view name, std::string fallback) {
  const std::string prefix = fmt::format("--{}=", name);
  std::string value = std::move(fallback);
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with(prefix)) {
      value = arg.substr(prefix.size());
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return value;
}

}  // namespace
}  // namespace fixgate::journal::bench

int main(int argc, char** argv) {
  using namespace fixgate::journal::bench;
  const auto commit_iterations =
      std::strtoll(takeFlag(argc, argv, "journal_bench_commit_iterations", "3000").c_str(), nullptr, 10);
  g_base_dir = takeFlag(argc, argv, "journal_bench_dir", std::filesystem::temp_directory_path().string());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RegisterBenchmark("Append/Interval", AppendInterval)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("Append/Interval", AppendInterval)
      ->Threads(2)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("AppendCommit/Record", AppendCommitRecord)
      ->Iterations(commit_iterations)
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("AppendCommit/Batch", AppendCommitBatch)
      ->Iterations(commit_iterations)
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("AppendCommit/Batch", AppendCommitBatch)
      ->Iterations(commit_iterations)
      ->Threads(4)
      ->UseManualTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("Reader/Throughput", ReaderThroughput)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("Baseline/EmptyTimedRegion", EmptyTimedRegion)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  if (!results().empty()) {
    std::printf("journal_bench summary: %zu-byte payloads, 64 MiB segments under %s\n", kPayloadBytes,
                g_base_dir.c_str());
    for (const auto& [name, f] : results()) {
      std::printf("  %-44s p50 %9.0f ns  p99 %9.0f ns  p99.9 %9.0f ns  max %10.0f ns", name.c_str(), f.p50,
                  f.p99, f.p999, f.max);
      if (f.allocs_per_op >= 0) std::printf("  allocs/op %4.2f", f.allocs_per_op);
      std::printf("  (%zu samples)%s%s\n", f.samples, f.extra.empty() ? "" : "\n      ", f.extra.c_str());
    }
  }
  return 0;
}
