// The audit shipper: copies journal records into PostgreSQL (sql/README.md), in seq order, each exactly once,
// with the hash chain.
//
// It only reads the journal files (JournalReader), so it never blocks the order path, and it ships only
// records up to durable_seq() (the journal's counters().durable_seq): a machine crash can then never leave
// PostgreSQL holding records the journal lost.
//
// Loop: connect (libpq, `connections` connections, each shipping its own tables: 1 = all; 2 = journal_records
// | the typed tables; 3 = journal_records | order_events | the rest) -> resume point = the last
// journal_records row (seq, hash), the database being the only truth -> open a JournalReader at seq + 1 ->
// read up to batch_max_records durable records, map them (rows.h) and chain them (chain.h) -> ship the batch:
// audit.ensure_partitions(d) for each trade date not yet seen, then on every connection in parallel one
// transaction with one COPY (text format) per table that has rows. While a batch ships, the next one is read
// and mapped, so the mapping and the database work on different cores.
//
// Commit order makes parallel connections exact: the typed tables' transactions commit first and
// journal_records' only once they all have. So every record up to journal_records' last seq R is in every
// table; a typed table may hold rows of the one batch after R (its commit went through, journal_records'
// did not), and on resume it skips rows at or below its own last seq. Any error (server down, killed,
// connection lost, a refused row) drops every connection; the shipper logs once per outage what happened
// and what to do, backs off (retry_backoff_initial doubling up to retry_backoff_max), reconnects and resumes
// from what the database holds, so a batch whose COMMIT outcome was unknown is never shipped twice.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/rows.h"

namespace fixgate::audit {

struct ShipperSettings {
  std::string conninfo;                         // libpq connection string (as fixgate_writer)
  std::filesystem::path journal_directory;      // the journal the gateway writes
  std::size_t batch_max_records = 5000;         // records per batch, at most
  std::size_t connections = 3;                  // 1 to 3, see above (config audit.connections)
  std::chrono::milliseconds poll_interval{20};  // wait when there is nothing durable to ship
  std::chrono::milliseconds retry_backoff_initial{100};
  std::chrono::milliseconds retry_backoff_max{2000};
  std::chrono::seconds connect_timeout{5};  // libpq connect_timeout, unless conninfo sets one
};

// Progress, for logs and the status command. Each value is exact; the set is not one snapshot.
struct ShipperProgress {
  std::uint64_t shipped_seq = 0;      // every record up to this seq is committed in PostgreSQL
  std::uint64_t records_shipped = 0;  // by this Shipper (since start())
  std::uint64_t batches = 0;          // committed transactions
  std::uint64_t errors = 0;           // failed attempts (connect, query, COPY, commit, journal read)
  std::uint64_t undecodable = 0;      // records shipped as "<type>:undecodable" (rows.h)
  double records_per_second = 0;      // over the last completed second of shipping
  bool connected = false;             // every connection is up
  // Journal timestamp (UTC µs) of the oldest record mapped and not yet committed; 0 when none is pending.
  // now - this is how far the audit store is behind (records not yet mapped are younger than it, or the
  // shipper is idle and they were written within its poll interval).
  std::int64_t oldest_unshipped_us = 0;
  std::string last_error;  // empty when none yet
};

// The tables each connection ships, for 1, 2 or 3 connections (anything else: 3). The first connection always
// ships journal_records and commits last.
[[nodiscard]] std::vector<std::vector<AuditTable>> shipperLanes(std::size_t connections);

class Shipper {
 public:
  // durable_seq: the highest seq that may be shipped (called from the shipper thread; must be thread-safe).
  Shipper(ShipperSettings settings, std::function<std::uint64_t()> durable_seq, Names names);
  ~Shipper();  // stop()
  Shipper(const Shipper&) = delete;
  Shipper& operator=(const Shipper&) = delete;

  // Starts the thread (once).
  void start();
  // Asks the thread to stop, cancels a statement in progress, and joins. Bounded: at most about
  // connect_timeout when a connection attempt is under way, otherwise milliseconds.
  void stop();

  [[nodiscard]] ShipperProgress progress() const;
  // Blocks until shipped_seq >= seq or the timeout; true when reached.
  [[nodiscard]] bool waitShipped(std::uint64_t seq, std::chrono::milliseconds timeout) const;

 private:
  class Worker;
  void run();
  void noteError(const std::string& message);
  void notifyChanged();
  // Sleeps up to `duration`, waking early on stop().
  void sleepFor(std::chrono::milliseconds duration);

  const ShipperSettings settings_;
  const std::function<std::uint64_t()> durable_seq_;
  const Names names_;

  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;  // guards last_error_, cancels_, wake-ups
  mutable std::condition_variable changed_;
  std::string last_error_;
  std::vector<void*> cancels_;  // PGcancel* of each live connection

  std::atomic<std::uint64_t> shipped_seq_{0};
  std::atomic<std::int64_t> oldest_unshipped_us_{0};
  std::atomic<std::uint64_t> records_shipped_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::atomic<std::uint64_t> undecodable_{0};
  std::atomic<double> records_per_second_{0};
  std::atomic<bool> connected_{false};

  std::thread thread_;
};

}  // namespace fixgate::audit
