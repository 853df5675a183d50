#include "audit/shipper.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "journal/journal_reader.h"

namespace fixgate::audit {
namespace {

using Clock = std::chrono::steady_clock;

// libpq's multi-line messages as one line, without the final period (the log line goes on).
std::string oneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  std::string out;
  for (const char c : text) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  return out;
}

std::string pqMessage(PGconn* conn, std::string_view what) {
  return fmt::format("{}: {}", what, oneLine(conn != nullptr ? PQerrorMessage(conn) : "no connection"));
}

std::string resultMessage(PGresult* result, PGconn* conn, std::string_view what) {
  const std::string text = result != nullptr ? PQresultErrorMessage(result) : "";
  if (text.empty()) return pqMessage(conn, what);
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return fmt::format("{}: {} [SQLSTATE {}]", what, oneLine(text), sqlstate != nullptr ? sqlstate : "?");
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// A command without results; "" on success, else the error.
std::string command(PGconn* conn, const char* sql) {
  Result r(PQexec(conn, sql));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) return resultMessage(r.get(), conn, sql);
  return {};
}

// COPY audit.<table> FROM STDIN with `data` (text format, complete lines).
std::string copy(PGconn* conn, AuditTable table, const std::string& data) {
  const std::string sql = fmt::format("COPY audit.{} FROM STDIN", tableName(table));
  {
    Result r(PQexec(conn, sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) return resultMessage(r.get(), conn, sql);
  }
  constexpr std::size_t kChunk = 1 << 20;
  std::string error;
  for (std::size_t pos = 0; pos < data.size(); pos += kChunk) {
    const auto n = std::min(kChunk, data.size() - pos);
    if (PQputCopyData(conn, data.data() + pos, static_cast<int>(n)) != 1) {
      error = pqMessage(conn, sql + " (sending rows)");
      break;
    }
  }
  if (PQputCopyEnd(conn, error.empty() ? nullptr : "shipper aborted the copy") != 1 && error.empty())
    error = pqMessage(conn, sql + " (ending)");
  // Drain every result; the first failure is the one to report.
  while (Result r{PQgetResult(conn)}) {
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && error.empty())
      error = resultMessage(r.get(), conn, sql);
  }
  if (error.empty() && PQstatus(conn) != CONNECTION_OK) error = pqMessage(conn, sql);
  return error;
}

// One batch of mapped records: the COPY text per table, its last seq, the trade dates it starts.
struct Batch {
  std::array<std::string, kAuditTableCount> copy_text;
  std::uint64_t last_seq = 0;
  std::int64_t first_ts_us = 0;  // the oldest record in the batch
  std::size_t records = 0;
  std::vector<std::string> new_dates;  // dates whose partitions this connection set has not ensured yet
};

// A connection, the tables it ships, and its thread's queue of batches (guarded by Shipper::mutex_).
struct Lane {
  PGconn* conn = nullptr;
  std::vector<AuditTable> tables;
  std::deque<std::shared_ptr<const Batch>> queue;
  std::uint64_t committed_seq = 0;  // every batch up to this seq is committed (or had no rows) on this lane
  std::thread thread;

  [[nodiscard]] bool hasRows(const Batch& batch) const {
    return std::any_of(tables.begin(), tables.end(),
                       [&](AuditTable t) { return !batch.copy_text[static_cast<std::size_t>(t)].empty(); });
  }
};

// audit.ensure_partitions for the batch's new dates, each its own transaction; "" or the error. Every lane
// runs it before it ships a batch, rows or not: lanes run at their own pace, and the first rows of a day
// may reach any of them first.
std::string ensurePartitions(const Lane& lane, const Batch& batch) {
  for (const auto& date : batch.new_dates) {
    const char* params[] = {date.c_str()};
    Result r(PQexecParams(lane.conn, "SELECT audit.ensure_partitions($1::date)", 1, nullptr, params, nullptr,
                          nullptr, 0));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      return resultMessage(r.get(), lane.conn, fmt::format("audit.ensure_partitions('{}')", date));
  }
  return {};
}

// BEGIN and one COPY per table of the lane that has rows in the batch; "" or the error.
std::string beginAndCopy(const Lane& lane, const Batch& batch) {
  if (auto error = command(lane.conn, "BEGIN"); !error.empty()) return error;
  for (const AuditTable table : lane.tables) {
    const std::string& text = batch.copy_text[static_cast<std::size_t>(table)];
    if (text.empty()) continue;
    if (auto error = copy(lane.conn, table, text); !error.empty()) return error;
  }
  return {};
}

// The last seq in `table` (0 when empty): where it resumes.
std::expected<std::uint64_t, std::string> lastSeq(PGconn* conn, AuditTable table) {
  const std::string sql =
      fmt::format("SELECT seq FROM audit.{} ORDER BY trade_date DESC, seq DESC LIMIT 1", tableName(table));
  Result r(PQexecParams(conn, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0));
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    return std::unexpected(resultMessage(
        r.get(), conn,
        fmt::format("reading the resume point from audit.{} (the writer may read it once migration 005 is "
                    "applied: fixgate-db status)",
                    tableName(table))));
  std::uint64_t seq = 0;
  if (PQntuples(r.get()) == 1) {
    const std::string_view text = PQgetvalue(r.get(), 0, 0);
    std::from_chars(text.data(), text.data() + text.size(), seq);
  }
  return seq;
}

// Batches mapped but not yet committed in journal_records, at most: bounds memory (a few MB each) and how
// far the typed tables may run ahead.
constexpr std::size_t kMaxBatchesInFlight = 4;
// ApplySettings records whose instruments the mapping thread keeps for resumes behind them: one per start
// and per settings reload, so this reaches back far beyond any resume but a restore of a months-old backup.
constexpr std::size_t kMaxInstrumentVersions = 64;

}  // namespace

std::vector<std::vector<AuditTable>> shipperLanes(std::size_t connections) {
  using enum AuditTable;
  switch (connections) {
    case 1:
      return {{JournalRecords, FixMessages, OrderEvents, RiskDecisions, ConfigVersions, TradingStateChanges}};
    case 2:
      return {{JournalRecords},
              {FixMessages, OrderEvents, RiskDecisions, ConfigVersions, TradingStateChanges}};
    default:
      return {
          {JournalRecords}, {OrderEvents}, {FixMessages, RiskDecisions, ConfigVersions, TradingStateChanges}};
  }
}

// The shipper's state. The shipper thread reads, maps and chains batches; one thread per connection ships
// them, each in batch order, so every connection stays busy (a barrier per batch left cores idle while the
// slowest table finished). journal_records' thread commits a batch only after every other connection has
// committed it (see the header).
class Shipper::Worker {
 public:
  explicit Worker(Shipper& owner) : s_(owner) {
    for (auto& tables : shipperLanes(s_.settings_.connections))
      lanes_.emplace_back().tables = std::move(tables);
  }
  ~Worker() {
    stopLanes();
    disconnect();
  }

  void run() {
    while (!s_.stop_.load()) {
      if (!connectAndResume()) continue;
      startLanes();
      mapUntilFailure();
      stopLanes();
      fail();
    }
  }

 private:
  // Reads and maps batches and hands them to every lane until a lane fails, the journal cannot be read, or
  // stop(); error_ says which.
  void mapUntilFailure() {
    while (!s_.stop_.load()) {
      {
        std::unique_lock lock(s_.mutex_);
        s_.changed_.wait(lock,
                         [&] { return failed_ || s_.stop_.load() || in_flight_ < kMaxBatchesInFlight; });
        if (failed_ || s_.stop_.load()) return;
      }
      auto batch = collectBatch();
      if (!batch) {
        laneFailed(batch.error());
        return;
      }
      if ((*batch)->records == 0) {
        updateRate(0);
        std::unique_lock lock(s_.mutex_);
        s_.changed_.wait_for(lock, s_.settings_.poll_interval, [&] { return failed_ || s_.stop_.load(); });
        continue;
      }
      std::lock_guard lock(s_.mutex_);
      ++in_flight_;
      // After a failure the same records are mapped again: the oldest unshipped stays the one seen first.
      if (s_.oldest_unshipped_us_.load() == 0) s_.oldest_unshipped_us_.store((*batch)->first_ts_us);
      for (Lane& lane : lanes_) lane.queue.push_back(*batch);
      s_.changed_.notify_all();
    }
  }

  // Up to batch_max_records durable records, mapped and chained from the last mapped record.
  std::expected<std::shared_ptr<const Batch>, std::string> collectBatch() {
    auto batch = std::make_shared<Batch>();
    for (std::size_t t = 0; t < kAuditTableCount; ++t) batch->copy_text[t].reserve(reserve_[t]);
    const std::uint64_t durable = s_.durable_seq_();
    while (batch->records < s_.settings_.batch_max_records && reader_->nextSeq() <= durable) {
      auto next = reader_->next();
      if (!next) return std::unexpected(fmt::format("reading the journal: {}", next.error().message));
      if (!next->has_value()) break;
      const journal::RecordView& record = **next;
      if (batch->records == 0) batch->first_ts_us = record.ts_us;
      auto rows = toAuditRows(record, names_);
      if (rows && rows->instruments_from_here) instrumentsFrom(record.seq, *rows->instruments_from_here);
      if (!rows) {
        s_.undecodable_.fetch_add(1);
        spdlog::error("audit shipper: journal record {} does not decode ({}); shipped as undecodable",
                      record.seq, rows.error());
        rows = undecodableRows(record, rows.error());
      }
      canonical_.clear();
      appendCanonical(canonical_, *rows);
      mapped_hash_ = chainHash(mapped_hash_, canonical_);

      std::string& journal = batch->copy_text[static_cast<std::size_t>(AuditTable::JournalRecords)];
      for (const auto& value : rows->journal) {
        appendCopyValue(journal, value);
        journal += '\t';
      }
      journal += mapped_hash_;
      journal += '\n';
      if (rows->typed) {
        const auto table = static_cast<std::size_t>(rows->typed->table);
        if (record.seq > skip_through_[table]) appendCopyLine(batch->copy_text[table], rows->typed->values);
      }
      const std::string& date = *rows->journal[0];
      if (date != last_date_seen_) {
        last_date_seen_ = date;
        if (dates_.insert(date).second) batch->new_dates.push_back(date);
      }
      batch->last_seq = record.seq;
      ++batch->records;
    }
    for (std::size_t t = 0; t < kAuditTableCount; ++t)
      reserve_[t] = std::max(reserve_[t], batch->copy_text[t].size());
    return batch;
  }

  // A lane's thread: ships the batches of its queue in order until a failure or stop().
  void shipLane(Lane& lane, bool journal_lane) {
    while (true) {
      std::shared_ptr<const Batch> batch;
      {
        std::unique_lock lock(s_.mutex_);
        s_.changed_.wait(lock, [&] { return failed_ || s_.stop_.load() || !lane.queue.empty(); });
        if (failed_ || s_.stop_.load()) return;
        batch = lane.queue.front();
      }
      const bool has_rows = lane.hasRows(*batch);
      std::string error = ensurePartitions(lane, *batch);
      if (error.empty() && has_rows) error = beginAndCopy(lane, *batch);
      if (error.empty() && journal_lane) {
        std::unique_lock lock(s_.mutex_);
        s_.changed_.wait(lock, [&] {
          return failed_ || s_.stop_.load() ||
                 std::all_of(lanes_.begin() + 1, lanes_.end(),
                             [&](const Lane& other) { return other.committed_seq >= batch->last_seq; });
        });
        if (failed_ || s_.stop_.load()) return;  // its open transaction dies with the connection
      }
      if (error.empty() && has_rows) error = command(lane.conn, "COMMIT");
      if (!error.empty()) {
        laneFailed(std::move(error));
        return;
      }
      {
        std::lock_guard lock(s_.mutex_);
        lane.queue.pop_front();
        lane.committed_seq = batch->last_seq;
        if (journal_lane) {
          --in_flight_;
          s_.oldest_unshipped_us_.store(lane.queue.empty() ? 0 : lane.queue.front()->first_ts_us);
        }
        s_.changed_.notify_all();
      }
      if (journal_lane) {
        last_seq_.store(batch->last_seq);
        s_.shipped_seq_.store(batch->last_seq);
        s_.batches_.fetch_add(1);
        s_.notifyChanged();
        updateRate(batch->records);
      }
    }
  }

  void laneFailed(std::string error) {
    std::lock_guard lock(s_.mutex_);
    if (!failed_) error_ = std::move(error);
    failed_ = true;
    s_.changed_.notify_all();
  }

  void startLanes() {
    for (std::size_t i = 0; i < lanes_.size(); ++i)
      lanes_[i].thread = std::thread([this, i] { shipLane(lanes_[i], i == 0); });
  }

  void stopLanes() {
    laneFailed(s_.stop_.load() ? "stopped" : "shipping ended");  // wakes every lane; keeps the first error
    for (Lane& lane : lanes_) {
      if (lane.thread.joinable()) lane.thread.join();
    }
  }

  bool connectAndResume() {
    failed_ = false;
    error_.clear();
    in_flight_ = 0;
    const std::string timeout = std::to_string(s_.settings_.connect_timeout.count());
    const std::array<const char*, 4> keywords = {"connect_timeout", "application_name", "dbname", nullptr};
    const std::array<const char*, 4> values = {timeout.c_str(), "fixgate-shipper",
                                               s_.settings_.conninfo.c_str(), nullptr};
    for (Lane& lane : lanes_) {
      lane.queue.clear();
      lane.committed_seq = 0;
      lane.conn = PQconnectdbParams(keywords.data(), values.data(), 1);
      if (lane.conn == nullptr || PQstatus(lane.conn) != CONNECTION_OK) {
        error_ = pqMessage(lane.conn, "connecting to PostgreSQL");
        fail();
        return false;
      }
      std::lock_guard lock(s_.mutex_);
      s_.cancels_.push_back(PQgetCancel(lane.conn));
    }
    PGconn* const journal_conn = lanes_.front().conn;
    Result r(PQexecParams(journal_conn,
                          "SELECT seq, hash FROM audit.journal_records ORDER BY seq DESC LIMIT 1", 0, nullptr,
                          nullptr, nullptr, nullptr, 0));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      error_ = resultMessage(r.get(), journal_conn, "reading the resume point from audit.journal_records");
      fail();
      return false;
    }
    std::uint64_t resume = 0;
    mapped_hash_ = std::string(kGenesisHash);
    if (PQntuples(r.get()) == 1) {
      const std::string_view seq = PQgetvalue(r.get(), 0, 0);
      std::from_chars(seq.data(), seq.data() + seq.size(), resume);
      mapped_hash_ = PQgetvalue(r.get(), 0, 1);
    }
    last_seq_.store(resume);
    skip_through_.fill(0);
    for (Lane& lane : lanes_) {
      lane.committed_seq = resume;
      for (const AuditTable table : lane.tables) {
        if (table == AuditTable::JournalRecords) continue;
        auto seq = lastSeq(lane.conn, table);
        if (!seq) {
          error_ = seq.error();
          fail();
          return false;
        }
        skip_through_[static_cast<std::size_t>(table)] = *seq;
      }
    }
    auto reader = journal::JournalReader::open(s_.settings_.journal_directory, resume + 1);
    if (!reader) {
      error_ = fmt::format("opening the journal at seq {}: {}", resume + 1, reader.error().message);
      fail();
      return false;
    }
    reader_.emplace(std::move(*reader));
    instrumentsAt(resume);
    dates_.clear();
    last_date_seen_.clear();
    s_.shipped_seq_.store(resume);
    s_.connected_.store(true);
    s_.notifyChanged();
    const auto durable = s_.durable_seq_();
    if (resume > durable && !warned_ahead_) {
      warned_ahead_ = true;
      spdlog::error(
          "audit shipper: PostgreSQL holds records up to seq {} but the journal's durable seq is {}: is this "
          "the right journal directory ({}) and database? Shipping resumes after seq {} once the journal "
          "gets there.",
          resume, durable, s_.settings_.journal_directory.string(), resume);
    }
    if (outage_) {
      spdlog::info(
          "audit shipper: PostgreSQL reachable again after {} ms ({} failed attempts); resuming after seq "
          "{}",
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - outage_start_).count(),
          outage_attempts_, resume);
      outage_ = false;
    } else {
      spdlog::info("audit shipper: connected ({} connection(s)); resuming after seq {}", lanes_.size(),
                   resume);
    }
    backoff_ = s_.settings_.retry_backoff_initial;
    return true;
  }

  void updateRate(std::size_t n) {
    std::lock_guard lock(rate_mutex_);
    s_.records_shipped_.fetch_add(n);
    window_records_ += n;
    const auto now = Clock::now();
    const auto elapsed = std::chrono::duration<double>(now - window_start_).count();
    if (elapsed >= 1.0) {
      s_.records_per_second_.store(static_cast<double>(window_records_) / elapsed);
      window_records_ = 0;
      window_start_ = now;
    }
  }

  // After any error (the lane threads joined): drop the connections, the reader and every batch in flight
  // (the database says where to resume), log once per outage, back off.
  void fail() {
    disconnect();
    reader_.reset();
    for (Lane& lane : lanes_) lane.queue.clear();
    if (s_.stop_.load()) return;  // stopping, or a statement cancelled by stop(): not an error
    s_.noteError(error_);
    ++outage_attempts_;
    const std::uint64_t from = last_seq_.load() + 1;
    // Class 22 (data exception) and 23 (integrity constraint): PostgreSQL refuses the rows themselves, so
    // every retry fails the same way until the schema or the mapping is fixed.
    const bool refused =
        error_.find("[SQLSTATE 22") != std::string::npos || error_.find("[SQLSTATE 23") != std::string::npos;
    if (!outage_ && refused) {
      outage_ = true;
      outage_start_ = Clock::now();
      outage_attempts_ = 1;
      spdlog::error(
          "audit shipper: PostgreSQL refuses the rows of a batch after seq {}: {}. Shipping is blocked "
          "there (the chain is gapless, no record is skipped) and retried every {} ms; the records stay in "
          "the journal. The audit schema does not accept what this gateway journals: apply the pending "
          "migrations (fixgate-db status) or report the record to the developers; the gateway keeps "
          "trading.",
          from - 1, error_, s_.settings_.retry_backoff_max.count());
    } else if (!outage_) {
      outage_ = true;
      outage_start_ = Clock::now();
      outage_attempts_ = 1;
      spdlog::error(
          "audit shipper: {}. Shipping is suspended from seq {}: the records stay in the journal and are "
          "shipped when this is fixed (retrying every {} ms at most). Check that PostgreSQL is running and "
          "reachable with the configured conninfo as fixgate_writer, and its log; the gateway keeps "
          "trading.",
          error_, from, s_.settings_.retry_backoff_max.count());
    } else {
      spdlog::debug("audit shipper: still failing: {}", error_);
    }
    s_.sleepFor(backoff_);
    backoff_ = std::min(backoff_ * 2, s_.settings_.retry_backoff_max);
  }

  void disconnect() {
    {
      std::lock_guard lock(s_.mutex_);
      for (void* cancel : s_.cancels_) PQfreeCancel(static_cast<PGcancel*>(cancel));
      s_.cancels_.clear();
    }
    for (Lane& lane : lanes_) {
      if (lane.conn != nullptr) PQfinish(lane.conn);
      lane.conn = nullptr;
    }
    s_.connected_.store(false);
  }

  // An ApplySettings record at `seq`: its instruments serve the records after it.
  void instrumentsFrom(std::uint64_t seq, const std::vector<core::Instrument>& instruments) {
    core::StringMap<core::Instrument> by_symbol;
    for (const auto& instrument : instruments) by_symbol.emplace(instrument.symbol, instrument);
    while (!instrument_versions_.empty() && instrument_versions_.back().first >= seq) {
      instrument_versions_.pop_back();  // mapped again after a resume
    }
    instrument_versions_.emplace_back(seq, by_symbol);
    if (instrument_versions_.size() > kMaxInstrumentVersions) instrument_versions_.pop_front();
    names_.instruments = std::move(by_symbol);
  }

  // Resuming after `seq`: the instruments of the last ApplySettings at or before it, as far as this process
  // has seen one (otherwise the configured ones, as at start).
  void instrumentsAt(std::uint64_t seq) {
    names_.instruments = s_.names_.instruments;
    for (auto it = instrument_versions_.rbegin(); it != instrument_versions_.rend(); ++it) {
      if (it->first <= seq) {
        names_.instruments = it->second;
        break;
      }
    }
  }

  Shipper& s_;
  std::deque<Lane> lanes_;  // lanes_.front() ships journal_records; a deque: Lane holds a thread

  // Shared by the shipper thread and the lane threads, guarded by s_.mutex_ (s_.changed_ wakes them, also on
  // stop()).
  bool failed_ = false;
  std::string error_;          // the first failure of this connection set
  std::size_t in_flight_ = 0;  // batches handed to the lanes, not yet committed in journal_records
  std::atomic<std::uint64_t> last_seq_{0};  // committed in every table

  // The shipper thread's own.
  std::optional<journal::JournalReader> reader_;
  std::string mapped_hash_;  // chain head after the last record read and mapped
  // Per typed table: rows up to this seq are already in the database (a connection ahead of journal_records).
  std::array<std::uint64_t, kAuditTableCount> skip_through_{};
  std::set<std::string> dates_;  // trade dates handed to the lanes on this connection set
  std::array<std::size_t, kAuditTableCount> reserve_{};  // largest COPY text so far, per table
  std::string canonical_;
  std::string last_date_seen_;
  // Names the records are mapped with: the configured ones, whose instruments each ApplySettings record
  // replaces from its seq on. The last kMaxInstrumentVersions of those (seq, instruments) are kept, so that
  // a resume behind them (after an outage, or a restore of an older backup) maps with the right ones.
  Names names_{s_.names_};
  std::deque<std::pair<std::uint64_t, core::StringMap<core::Instrument>>> instrument_versions_;
  bool outage_ = false;
  bool warned_ahead_ = false;
  Clock::time_point outage_start_;
  std::uint64_t outage_attempts_ = 0;
  std::chrono::milliseconds backoff_{s_.settings_.retry_backoff_initial};

  std::mutex rate_mutex_;
  Clock::time_point window_start_ = Clock::now();
  std::uint64_t window_records_ = 0;
};

Shipper::Shipper(ShipperSettings settings, std::function<std::uint64_t()> durable_seq, Names names)
    : settings_(std::move(settings)), durable_seq_(std::move(durable_seq)), names_(std::move(names)) {}

Shipper::~Shipper() {
  stop();
}

void Shipper::start() {
  if (thread_.joinable()) return;
  stop_.store(false);
  thread_ = std::thread([this] { run(); });
}

void Shipper::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_.store(true);
    for (void* cancel : cancels_) {
      std::array<char, 256> error{};
      PQcancel(static_cast<PGcancel*>(cancel), error.data(), static_cast<int>(error.size()));
    }
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Shipper::run() {
  Worker worker(*this);
  worker.run();
  spdlog::info("audit shipper: stopped at seq {}", shipped_seq_.load());
}

void Shipper::sleepFor(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, duration, [&] { return stop_.load(); });
}

void Shipper::notifyChanged() {
  { std::lock_guard lock(mutex_); }
  changed_.notify_all();
}

void Shipper::noteError(const std::string& message) {
  errors_.fetch_add(1);
  std::lock_guard lock(mutex_);
  last_error_ = message;
}

ShipperProgress Shipper::progress() const {
  ShipperProgress p;
  p.shipped_seq = shipped_seq_.load();
  p.records_shipped = records_shipped_.load();
  p.batches = batches_.load();
  p.errors = errors_.load();
  p.undecodable = undecodable_.load();
  p.records_per_second = records_per_second_.load();
  p.connected = connected_.load();
  p.oldest_unshipped_us = oldest_unshipped_us_.load();
  std::lock_guard lock(mutex_);
  p.last_error = last_error_;
  return p;
}

bool Shipper::waitShipped(std::uint64_t seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return shipped_seq_.load() >= seq; });
}

}  // namespace fixgate::audit
