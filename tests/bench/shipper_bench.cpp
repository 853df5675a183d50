// Benchmark of the audit shipper (src/audit/shipper.h) catching up: N realistic records (the mix of
// tests/integration/shipper/record_mix.h: client FIX messages in and out, NewOrder events, risk decisions,
// venue orders, execution reports) are appended to a journal first, then timed while they go into a fresh,
// migrated PostgreSQL 15 (PostgresUnderTest: private cluster in a temp dir), hash chain on.
//
//   shipper        Shipper from start() to shipped_seq == N: read + map + chain + ensure_partitions + COPY of
//                  every table + COMMIT per batch, records/s (goal: >= 150,000/s).
//   map+chain      the same reading, mapping, chaining and COPY-text building without a database: the
//                  shipper's own CPU cost, records/s, and per-batch p50/p99.
//   raw COPY       the COPY text the shipper would send, prebuilt, sent batch by batch into another fresh
//                  database over the same connections as the shipper (--connections; one transaction per
//                  connection and batch, one COPY per table, journal_records committed last): the
//                  database's floor, records/s, and per-batch p50/p99.
//
// The shipper figure is reported against both, as ratios, with the CPU time per record the shipper phase
// cost this process and the whole machine (PostgreSQL's backends are most of the rest). Bounded: each phase
// gives up after --timeout-s. The private cluster runs with fsync off (PostgresUnderTest), so the figures
// are CPU-bound, not disk-bound.
// Rounds (--rounds) repeat the three phases one after the other, each into fresh databases, and the medians
// are reported, as this 2-vCPU VM is noisy.
//   shipper_bench [--records N] [--batch B] [--connections C] [--rounds R] [--timeout-s S]
//                 (default 300000, 5000, 3, 3, 600)
//   shipper_bench --smoke                                       (N = 3000: the ctest run, asserts nothing
//                                                                on speed, fails only on errors)
#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "audit/rows.h"
#include "audit/shipper.h"
#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "postgres_under_test.h"
#include "record_mix.h"
#include "temp_dir.h"

namespace fixgate::audit::bench {
namespace {

using Clock = std::chrono::steady_clock;
using testing::PostgresUnderTest;

constexpr std::int64_t kStartTs = 1'893'835'800'000'000;  // 2030-01-05 09:30 UTC

struct Options {
  std::uint64_t records = 300'000;
  std::size_t batch = 5000;
  std::size_t connections = 3;
  int rounds = 3;
  int timeout_s = 600;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "shipper_bench: %s\n", message.c_str());
  std::exit(1);
}

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// CPU seconds used so far by this process (user + system) and by the whole machine (every CPU's non-idle
// time, /proc/stat).
struct CpuSample {
  double self_s = 0;
  double machine_s = 0;
};

CpuSample cpuNow() {
  CpuSample sample;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto tv = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  sample.self_s = tv(usage.ru_utime) + tv(usage.ru_stime);
  if (FILE* f = std::fopen("/proc/stat", "r")) {
    unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    if (std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait,
                    &irq, &softirq, &steal) == 8)
      sample.machine_s = static_cast<double>(user + nice + system + irq + softirq) /
                         static_cast<double>(sysconf(_SC_CLK_TCK));
    std::fclose(f);
  }
  return sample;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void appendRecords(const std::filesystem::path& dir, std::uint64_t n) {
  journal::JournalSettings settings;
  settings.directory = dir;
  settings.flush = journal::FlushPolicy::Interval;
  auto journal = journal::Journal::open(settings);
  if (!journal) die(journal.error().message);
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto record = testing::shipper::mixRecord(i);
    auto seq = (*journal)->append(static_cast<std::uint16_t>(record.type),
                                  kStartTs + static_cast<std::int64_t>(i) * 20, record.bytes());
    if (!seq) die(seq.error().message);
  }
  if (auto c = (*journal)->commit(); !c) die(c.error().message);
}

const Names kNames{.session_names = {"acme-fix44"}, .venue_names = {"XPAR-SIM"}, .instruments = {}};

// One batch of COPY text per table, as the shipper builds it.
struct Batch {
  std::array<std::string, kAuditTableCount> tables;
  std::size_t records = 0;
};

// Reads, maps and chains everything; returns the batches when `keep`, and the per-batch times.
std::vector<Batch> mapAndChain(const std::filesystem::path& dir, std::uint64_t n, std::size_t batch_size,
                               bool keep, std::vector<double>& batch_ms) {
  auto reader = journal::JournalReader::open(dir, 1);
  if (!reader) die(reader.error().message);
  std::vector<Batch> batches;
  std::string hash(kGenesisHash), canonical;
  Batch current;
  auto batch_start = Clock::now();
  for (std::uint64_t i = 0; i < n; ++i) {
    auto next = reader->next();
    if (!next || !next->has_value()) die("journal ended early");
    auto rows = toAuditRows(**next, kNames);
    if (!rows) die(rows.error());
    canonical.clear();
    appendCanonical(canonical, *rows);
    hash = chainHash(hash, canonical);
    auto& journal = current.tables[0];
    for (const auto& value : rows->journal) {
      appendCopyValue(journal, value);
      journal += '\t';
    }
    journal += hash;
    journal += '\n';
    if (rows->typed)
      appendCopyLine(current.tables[static_cast<std::size_t>(rows->typed->table)], rows->typed->values);
    if (++current.records == batch_size || i + 1 == n) {
      batch_ms.push_back(seconds(Clock::now() - batch_start) * 1000);
      if (keep) batches.push_back(std::move(current));
      current = Batch{};
      batch_start = Clock::now();
    }
  }
  return batches;
}

void exec(PGconn* conn, const char* sql) {
  PGresult* r = PQexec(conn, sql);
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    die(fmt::format("{}: {}", sql, PQerrorMessage(conn)));
  PQclear(r);
}

// BEGIN and one COPY per table of `tables` that has rows in the batch.
void beginAndCopy(PGconn* conn, const std::vector<AuditTable>& tables, const Batch& batch) {
  exec(conn, "BEGIN");
  for (const AuditTable table : tables) {
    const std::string& text = batch.tables[static_cast<std::size_t>(table)];
    if (text.empty()) continue;
    const auto sql = fmt::format("COPY audit.{} FROM STDIN", tableName(table));
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) die(PQerrorMessage(conn));
    PQclear(r);
    if (PQputCopyData(conn, text.data(), static_cast<int>(text.size())) != 1 ||
        PQputCopyEnd(conn, nullptr) != 1)
      die(PQerrorMessage(conn));
    while ((r = PQgetResult(conn)) != nullptr) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) die(PQerrorMessage(conn));
      PQclear(r);
    }
  }
}

// The prebuilt batches over the shipper's connections (shipperLanes), each in parallel, journal_records'
// transaction committed after the others, as the shipper does.
void rawCopy(const std::string& conninfo, std::size_t connections, const std::vector<Batch>& batches,
             std::vector<double>& batch_ms) {
  const auto lanes = shipperLanes(connections);
  std::vector<PGconn*> conns;
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    conns.push_back(PQconnectdb(conninfo.c_str()));
    if (PQstatus(conns.back()) != CONNECTION_OK) die(PQerrorMessage(conns.back()));
  }
  exec(conns[0], "SELECT audit.ensure_partitions('2030-01-05')");
  for (const auto& batch : batches) {
    const auto start = Clock::now();
    std::vector<std::thread> typed;
    for (std::size_t i = 1; i < lanes.size(); ++i) {
      typed.emplace_back([&, i] {
        beginAndCopy(conns[i], lanes[i], batch);
        exec(conns[i], "COMMIT");
      });
    }
    beginAndCopy(conns[0], lanes[0], batch);
    for (auto& t : typed) t.join();
    exec(conns[0], "COMMIT");
    batch_ms.push_back(seconds(Clock::now() - start) * 1000);
  }
  for (PGconn* conn : conns) PQfinish(conn);
}

std::string freshDatabase(PostgresUnderTest& pg, const std::string& name) {
  pg.createDatabase(name);
  const auto result = pg.migrate(name);
  if (result.exit_code != 0) die("migrate: " + result.output);
  return pg.conninfo(PostgresUnderTest::Role::Writer, name);
}

// Rows of journal_records and distinct seqs in them: both must be the record count.
std::pair<std::uint64_t, std::uint64_t> countShipped(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) die(PQerrorMessage(conn));
  PGresult* r = PQexec(conn, "SELECT count(*), count(DISTINCT seq) FROM audit.journal_records");
  if (PQresultStatus(r) != PGRES_TUPLES_OK) die(PQerrorMessage(conn));
  const std::pair<std::uint64_t, std::uint64_t> counts{std::stoull(PQgetvalue(r, 0, 0)),
                                                       std::stoull(PQgetvalue(r, 0, 1))};
  PQclear(r);
  PQfinish(conn);
  return counts;
}

// As the cluster's superuser: drops `drop` (unless empty), then checkpoints, so that every timed phase starts
// from the same state (no dirty buffers or pending checkpoint left by the phase before).
void resetCluster(PostgresUnderTest& pg, const std::string& drop = {}) {
  PGconn* conn = PQconnectdb(pg.conninfo(PostgresUnderTest::Role::Admin, "postgres").c_str());
  if (PQstatus(conn) != CONNECTION_OK) die(PQerrorMessage(conn));
  if (!drop.empty()) exec(conn, fmt::format("DROP DATABASE {} WITH (FORCE)", drop).c_str());
  exec(conn, "CHECKPOINT");
  PQfinish(conn);
}

struct Round {
  double ship_rate = 0;
  double ship_self_us = 0;     // CPU per record, this process
  double ship_machine_us = 0;  // CPU per record, whole machine
  double map_rate = 0;
  double copy_rate = 0;
  std::vector<double> map_ms, copy_ms;
  std::uint64_t batches = 0;
};

Round runRound(PostgresUnderTest& pg, const Options& options, const std::filesystem::path& journal_dir,
               int round) {
  Round result;
  const std::uint64_t n = options.records;
  // 1. The shipper, catching up.
  const auto ship_db = fmt::format("bench_shipper_{}", round);
  const auto ship_conninfo = freshDatabase(pg, ship_db);
  resetCluster(pg);
  ShipperSettings settings;
  settings.conninfo = ship_conninfo;
  settings.journal_directory = journal_dir;
  settings.batch_max_records = options.batch;
  settings.connections = options.connections;
  Shipper shipper(
      settings, [n] { return n; }, kNames);
  const CpuSample cpu_before = cpuNow();
  auto start = Clock::now();
  shipper.start();
  if (!shipper.waitShipped(n, std::chrono::seconds(options.timeout_s)))
    die(fmt::format("shipper did not catch up within {} s: {}", options.timeout_s,
                    shipper.progress().last_error));
  const double ship_s = seconds(Clock::now() - start);
  const CpuSample cpu_after = cpuNow();
  shipper.stop();
  const auto progress = shipper.progress();
  if (progress.errors != 0) die("shipper errors: " + progress.last_error);
  if (const auto [rows, seqs] = countShipped(ship_conninfo); rows != n || seqs != n)
    die(fmt::format("journal_records holds {} rows, {} distinct seqs; expected {}", rows, seqs, n));
  result.ship_rate = static_cast<double>(n) / ship_s;
  result.ship_self_us = (cpu_after.self_s - cpu_before.self_s) * 1e6 / static_cast<double>(n);
  result.ship_machine_us = (cpu_after.machine_s - cpu_before.machine_s) * 1e6 / static_cast<double>(n);
  result.batches = progress.batches;
  resetCluster(pg, ship_db);

  // 2. Mapping + chain + COPY text only (no database).
  start = Clock::now();
  mapAndChain(journal_dir, n, options.batch, false, result.map_ms);
  result.map_rate = static_cast<double>(n) / seconds(Clock::now() - start);

  // 3. Raw COPY of the prebuilt text, same batches, another fresh database.
  std::vector<double> unused;
  const auto batches = mapAndChain(journal_dir, n, options.batch, true, unused);
  const auto raw_db = fmt::format("bench_raw_{}", round);
  const auto raw_conninfo = freshDatabase(pg, raw_db);
  resetCluster(pg);
  start = Clock::now();
  rawCopy(raw_conninfo, options.connections, batches, result.copy_ms);
  result.copy_rate = static_cast<double>(n) / seconds(Clock::now() - start);
  resetCluster(pg, raw_db);
  fmt::print("  round {}: shipper {:.0f}/s, map+chain {:.0f}/s, raw COPY {:.0f}/s\n", round, result.ship_rate,
             result.map_rate, result.copy_rate);
  std::fflush(stdout);
  return result;
}

double median(std::vector<double> v) {
  return percentile(std::move(v), 0.5);
}

int run(const Options& options) {
  spdlog::set_level(spdlog::level::warn);
  const auto dir = testing::makeTempDir("shipper-bench");
  const auto journal_dir = dir / "journal";
  fmt::print(
      "shipper_bench: {} records (mix: FIX in/out, NewOrder, RiskDecision, VenueNewOrder, ExecReport), "
      "batch {}, {} connection(s), {} round(s)\n",
      options.records, options.batch, options.connections, options.rounds);

  auto start = Clock::now();
  appendRecords(journal_dir, options.records);
  fmt::print("  journal written in {:.2f} s\n", seconds(Clock::now() - start));

  PostgresUnderTest pg;
  std::vector<Round> rounds;
  for (int r = 1; r <= options.rounds; ++r) rounds.push_back(runRound(pg, options, journal_dir, r));

  const auto column = [&](auto field) {
    std::vector<double> v;
    for (const auto& r : rounds) v.push_back(field(r));
    return v;
  };
  const auto all = [&](auto field) {
    std::vector<double> v;
    for (const auto& r : rounds) v.insert(v.end(), field(r).begin(), field(r).end());
    return v;
  };
  const auto ship = column([](const Round& r) { return r.ship_rate; });
  const auto map = column([](const Round& r) { return r.map_rate; });
  const auto raw = column([](const Round& r) { return r.copy_rate; });
  const auto map_ms = all([](const Round& r) -> const std::vector<double>& { return r.map_ms; });
  const auto copy_ms = all([](const Round& r) -> const std::vector<double>& { return r.copy_ms; });
  const double machine_us = median(column([](const Round& r) { return r.ship_machine_us; }));

  fmt::print("  median over {} round(s)                        {:>12} {:>10} {:>10} {:>14} {:>14}\n",
             rounds.size(), "records/s", "min", "max", "batch p50 ms", "batch p99 ms");
  fmt::print("  {:<44} {:>12.0f} {:>10.0f} {:>10.0f} {:>14} {:>14}\n",
             "shipper (map + chain + COPY + commit)", median(ship),
             *std::min_element(ship.begin(), ship.end()), *std::max_element(ship.begin(), ship.end()), "-",
             "-");
  fmt::print("  {:<44} {:>12.0f} {:>10.0f} {:>10.0f} {:>14.2f} {:>14.2f}\n",
             "baseline: map + chain only (no database)", median(map),
             *std::min_element(map.begin(), map.end()), *std::max_element(map.begin(), map.end()),
             percentile(map_ms, 0.5), percentile(map_ms, 0.99));
  fmt::print("  {:<44} {:>12.0f} {:>10.0f} {:>10.0f} {:>14.2f} {:>14.2f}\n",
             "baseline: raw COPY of prebuilt text", median(raw), *std::min_element(raw.begin(), raw.end()),
             *std::max_element(raw.begin(), raw.end()), percentile(copy_ms, 0.5), percentile(copy_ms, 0.99));
  fmt::print(
      "  CPU per record while shipping (median): this process (read + map + chain + libpq) {:.2f} us, whole "
      "machine {:.2f} us ({} vCPUs: at this cost no shipper passes {:.0f} records/s)\n",
      median(column([](const Round& r) { return r.ship_self_us; })), machine_us,
      std::thread::hardware_concurrency(),
      static_cast<double>(std::thread::hardware_concurrency()) * 1e6 / std::max(1e-9, machine_us));
  fmt::print(
      "  shipper / raw COPY = {:.2f} (medians); every round shipped {} records, each seq once, in {} "
      "batches\n",
      median(ship) / median(raw), options.records, rounds.front().batches);
  fmt::print("  goal >= 150000 records/s (median): {}\n", median(ship) >= 150'000 ? "met" : "NOT met");

  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace
}  // namespace fixgate::audit::bench

int main(int argc, char** argv) {
  fixgate::audit::bench::Options options;
  CLI::App app{
      "Audit shipper throughput into a private PostgreSQL cluster, hash chain on, against two baselines "
      "(map + chain without a database; raw COPY of the prebuilt text)"};
  bool smoke = false;
  app.add_option("--records", options.records, "records to ship")->capture_default_str();
  app.add_option("--batch", options.batch, "records per COPY batch")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--connections", options.connections,
                 "PostgreSQL connections in parallel (1: one transaction per batch; 2: journal_records | the "
                 "rest; 3: journal_records | order_events | the rest)")
      ->check(CLI::Range(1, 3))
      ->capture_default_str();
  app.add_option("--rounds", options.rounds,
                 "rounds (shipper, then the baselines, each into fresh databases)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--timeout-s", options.timeout_s, "give up on a phase after this many seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--smoke", smoke, "3,000 records, for ctest: fails only on errors, asserts no speed");
  CLI11_PARSE(app, argc, argv);
  if (smoke) {
    options.records = 3000;
    options.batch = 500;
    options.rounds = 1;
    options.timeout_s = 120;
  }
  return fixgate::audit::bench::run(options);
}
