// Benchmark of the audit shipper (src/audit/shipper.h) catching up: N realistic records (the mix of
// tests/integration/shipper/record_mix.h: client FIX messages in and out, NewOrder events, risk decisions,
// venue orders, execution reports) are appended to a journal first, then timed while they go into a fresh,
// migrated PostgreSQL 15 (PostgresUnderTest: private cluster in a temp dir), hash chain on.
//
//   shipper        Shipper from start() to shipped_seq == N: read + map + chain + ensure_partitions + COPY of
//                  every table + COMMIT per batch, records/s (goal: >= 150,000/s).
//   map+chain      the same reading, mapping, chaining and COPY-text building without a database: the
//                  shipper's own CPU cost, records/s, and per-batch p50/p99.
//   raw COPY       the COPY text the shipper would send, prebuilt, sent batch by batch (same batch size, one
//                  transaction each, one COPY per table) into another fresh database: the database's floor,
//                  records/s, and per-batch p50/p99.
//
// The shipper figure is reported against both, as ratios. Bounded: each phase gives up after --timeout-s.
//   shipper_bench [--records N] [--batch B] [--timeout-s S]     (default 300000, 5000, 600)
//   shipper_bench --smoke                                       (N = 3000: the ctest run, asserts nothing
//                                                                on speed, fails only on errors)
#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>
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
  int timeout_s = 600;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "shipper_bench: %s\n", message.c_str());
  std::exit(1);
}

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
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

void rawCopy(const std::string& conninfo, const std::vector<Batch>& batches, std::vector<double>& batch_ms) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) die(PQerrorMessage(conn));
  exec(conn, "SELECT audit.ensure_partitions('2030-01-05')");
  for (const auto& batch : batches) {
    const auto start = Clock::now();
    exec(conn, "BEGIN");
    for (std::size_t t = 0; t < batch.tables.size(); ++t) {
      if (batch.tables[t].empty()) continue;
      const auto sql = fmt::format("COPY audit.{} FROM STDIN", tableName(static_cast<AuditTable>(t)));
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) != PGRES_COPY_IN) die(PQerrorMessage(conn));
      PQclear(r);
      if (PQputCopyData(conn, batch.tables[t].data(), static_cast<int>(batch.tables[t].size())) != 1 ||
          PQputCopyEnd(conn, nullptr) != 1)
        die(PQerrorMessage(conn));
      while ((r = PQgetResult(conn)) != nullptr) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) die(PQerrorMessage(conn));
        PQclear(r);
      }
    }
    exec(conn, "COMMIT");
    batch_ms.push_back(seconds(Clock::now() - start) * 1000);
  }
  PQfinish(conn);
}

std::string freshDatabase(PostgresUnderTest& pg, const std::string& name) {
  pg.createDatabase(name);
  const auto result = pg.migrate(name);
  if (result.exit_code != 0) die("migrate: " + result.output);
  return pg.conninfo(PostgresUnderTest::Role::Writer, name);
}

int run(const Options& options) {
  spdlog::set_level(spdlog::level::warn);
  const auto dir = testing::makeTempDir("shipper-bench");
  const auto journal_dir = dir / "journal";
  fmt::print(
      "shipper_bench: {} records (mix: FIX in/out, NewOrder, RiskDecision, VenueNewOrder, ExecReport), "
      "batch {}\n",
      options.records, options.batch);

  auto start = Clock::now();
  appendRecords(journal_dir, options.records);
  fmt::print("  journal written in {:.2f} s\n", seconds(Clock::now() - start));

  PostgresUnderTest pg;
  const auto ship_conninfo = freshDatabase(pg, "bench_shipper");
  const auto raw_conninfo = freshDatabase(pg, "bench_raw");

  // 1. The shipper, catching up.
  ShipperSettings settings;
  settings.conninfo = ship_conninfo;
  settings.journal_directory = journal_dir;
  settings.batch_max_records = options.batch;
  const std::uint64_t n = options.records;
  Shipper shipper(
      settings, [n] { return n; }, kNames);
  start = Clock::now();
  shipper.start();
  if (!shipper.waitShipped(n, std::chrono::seconds(options.timeout_s)))
    die(fmt::format("shipper did not catch up within {} s: {}", options.timeout_s,
                    shipper.progress().last_error));
  const double ship_s = seconds(Clock::now() - start);
  shipper.stop();
  const auto progress = shipper.progress();
  if (progress.errors != 0) die("shipper errors: " + progress.last_error);
  const double ship_rate = static_cast<double>(n) / ship_s;

  // 2. Mapping + chain + COPY text only (no database).
  std::vector<double> map_ms;
  start = Clock::now();
  auto batches = mapAndChain(journal_dir, n, options.batch, false, map_ms);
  const double map_s = seconds(Clock::now() - start);
  const double map_rate = static_cast<double>(n) / map_s;

  // 3. Raw COPY of the prebuilt text, same batches, another fresh database.
  std::vector<double> unused;
  batches = mapAndChain(journal_dir, n, options.batch, true, unused);
  std::uint64_t bytes = 0;
  for (const auto& b : batches)
    for (const auto& t : b.tables) bytes += t.size();
  std::vector<double> copy_ms;
  start = Clock::now();
  rawCopy(raw_conninfo, batches, copy_ms);
  const double copy_s = seconds(Clock::now() - start);
  const double copy_rate = static_cast<double>(n) / copy_s;

  fmt::print("  {:<44} {:>12} {:>10} {:>14} {:>14}\n", "", "records/s", "seconds", "batch p50 ms",
             "batch p99 ms");
  fmt::print("  {:<44} {:>12.0f} {:>10.2f} {:>14} {:>14}\n", "shipper (map + chain + COPY + commit)",
             ship_rate, ship_s, "-", "-");
  fmt::print("  {:<44} {:>12.0f} {:>10.2f} {:>14.2f} {:>14.2f}\n", "baseline: map + chain only (no database)",
             map_rate, map_s, percentile(map_ms, 0.5), percentile(map_ms, 0.99));
  fmt::print("  {:<44} {:>12.0f} {:>10.2f} {:>14.2f} {:>14.2f}\n", "baseline: raw COPY of prebuilt text",
             copy_rate, copy_s, percentile(copy_ms, 0.5), percentile(copy_ms, 0.99));
  fmt::print("  COPY volume {:.1f} MB ({:.0f} bytes/record), {} batches\n", static_cast<double>(bytes) / 1e6,
             static_cast<double>(bytes) / static_cast<double>(n), progress.batches);
  fmt::print("  shipper / raw COPY = {:.2f}; shipper / (map+chain then raw COPY, serial) = {:.2f}\n",
             ship_rate / copy_rate, ship_s > 0 ? (map_s + copy_s) / ship_s : 0.0);
  fmt::print("  goal >= 150000 records/s: {}\n", ship_rate >= 150'000 ? "met" : "NOT met");

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
  app.add_option("--timeout-s", options.timeout_s, "give up on a phase after this many seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--smoke", smoke, "3,000 records, for ctest: fails only on errors, asserts no speed");
  CLI11_PARSE(app, argc, argv);
  if (smoke) {
    options.records = 3000;
    options.batch = 500;
    options.timeout_s = 120;
  }
  return fixgate::audit::bench::run(options);
}
