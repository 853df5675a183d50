#include "audit/shipper.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <set>

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

}  // namespace

// The shipper thread's state: connection, reader, chain head and the reused batch buffers.
class Shipper::Worker {
 public:
  explicit Worker(Shipper& owner) : s_(owner) {}
  ~Worker() { disconnect(); }

  void run() {
    while (!s_.stop_.load()) {
      if (conn_ == nullptr && !connectAndResume()) continue;
      const std::size_t n = collectBatch();
      if (failed_) {
        fail();
        continue;
      }
      if (n == 0) {
        updateRate(0);
        s_.sleepFor(s_.settings_.poll_interval);
        continue;
      }
      if (!shipBatch()) {
        fail();
        continue;
      }
      updateRate(n);
    }
  }

 private:
  bool connectAndResume() {
    const std::string timeout = std::to_string(s_.settings_.connect_timeout.count());
    const std::array<const char*, 4> keywords = {"connect_timeout", "application_name", "dbname", nullptr};
    const std::array<const char*, 4> values = {timeout.c_str(), "fixgate-shipper",
                                               s_.settings_.conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      error_ = pqMessage(conn_, "connecting to PostgreSQL");
      fail();
      return false;
    }
    {
      std::lock_guard lock(s_.mutex_);
      s_.cancel_ = PQgetCancel(conn_);
    }
    Result r(PQexecParams(
        conn_, "SELECT seq, hash FROM audit.journal_records ORDER BY trade_date DESC, seq DESC LIMIT 1", 0,
        nullptr, nullptr, nullptr, nullptr, 0));
    if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
      error_ = resultMessage(r.get(), conn_, "reading the resume point from audit.journal_records");
      fail();
      return false;
    }
    last_seq_ = 0;
    last_hash_ = std::string(kGenesisHash);
    if (PQntuples(r.get()) == 1) {
      const std::string_view seq = PQgetvalue(r.get(), 0, 0);
      std::from_chars(seq.data(), seq.data() + seq.size(), last_seq_);
      last_hash_ = PQgetvalue(r.get(), 0, 1);
    }
    auto reader = journal::JournalReader::open(s_.settings_.journal_directory, last_seq_ + 1);
    if (!reader) {
      error_ = fmt::format("opening the journal at seq {}: {}", last_seq_ + 1, reader.error().message);
      fail();
      return false;
    }
    reader_.emplace(std::move(*reader));
    dates_.clear();
    s_.shipped_seq_.store(last_seq_);
    s_.connected_.store(true);
    s_.notifyChanged();
    const auto durable = s_.durable_seq_();
    if (last_seq_ > durable && !warned_ahead_) {
      warned_ahead_ = true;
      spdlog::error(
          "audit shipper: PostgreSQL holds records up to seq {} but the journal's durable seq is {}: is this "
          "the "
          "right journal directory ({}) and database? Shipping resumes after seq {} once the journal gets "
          "there.",
          last_seq_, durable, s_.settings_.journal_directory.string(), last_seq_);
    }
    if (outage_) {
      spdlog::info(
          "audit shipper: PostgreSQL reachable again after {} ms ({} failed attempts); resuming after seq "
          "{}",
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - outage_start_).count(),
          outage_attempts_, last_seq_);
      outage_ = false;
    } else {
      spdlog::info("audit shipper: connected; resuming after seq {}", last_seq_);
    }
    backoff_ = s_.settings_.retry_backoff_initial;
    return true;
  }

  // Reads and maps up to batch_max_records durable records into the COPY buffers; sets failed_ on a journal
  // error.
  std::size_t collectBatch() {
    for (auto& buffer : buffers_) buffer.clear();
    new_dates_.clear();
    batch_hash_ = last_hash_;
    std::size_t n = 0;
    const std::uint64_t durable = s_.durable_seq_();
    while (n < s_.settings_.batch_max_records && reader_->nextSeq() <= durable) {
      auto next = reader_->next();
      if (!next) {
        error_ = fmt::format("reading the journal: {}", next.error().message);
        failed_ = true;
        return 0;
      }
      if (!next->has_value()) break;
      const journal::RecordView& record = **next;
      auto rows = toAuditRows(record, s_.names_);
      if (!rows) {
        s_.undecodable_.fetch_add(1);
        spdlog::error("audit shipper: journal record {} does not decode ({}); shipped as undecodable",
                      record.seq, rows.error());
        rows = undecodableRows(record, rows.error());
      }
      canonical_.clear();
      appendCanonical(canonical_, *rows);
      batch_hash_ = chainHash(batch_hash_, canonical_);

      std::string& journal = buffers_[static_cast<std::size_t>(AuditTable::JournalRecords)];
      for (const auto& value : rows->journal) {
        appendCopyValue(journal, value);
        journal += '\t';
      }
      journal += batch_hash_;
      journal += '\n';
      if (rows->typed)
        appendCopyLine(buffers_[static_cast<std::size_t>(rows->typed->table)], rows->typed->values);

      const std::string& date = *rows->journal[0];
      if (date != last_date_seen_) {
        last_date_seen_ = date;
        if (!dates_.contains(date)) new_dates_.insert(date);
      }
      batch_last_seq_ = record.seq;
      ++n;
    }
    return n;
  }

  bool shipBatch() {
    if (error_ = command(conn_, "BEGIN"); !error_.empty()) return false;
    for (const auto& date : new_dates_) {
      const char* params[] = {date.c_str()};
      Result r(PQexecParams(conn_, "SELECT audit.ensure_partitions($1::date)", 1, nullptr, params, nullptr,
                            nullptr, 0));
      if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
        error_ = resultMessage(r.get(), conn_, fmt::format("audit.ensure_partitions('{}')", date));
        return false;
      }
    }
    for (std::size_t t = 0; t < buffers_.size(); ++t) {
      if (buffers_[t].empty()) continue;
      if (error_ = copy(conn_, static_cast<AuditTable>(t), buffers_[t]); !error_.empty()) return false;
    }
    if (error_ = command(conn_, "COMMIT"); !error_.empty()) return false;
    last_hash_ = batch_hash_;
    last_seq_ = batch_last_seq_;
    dates_.insert(new_dates_.begin(), new_dates_.end());
    s_.shipped_seq_.store(last_seq_);
    s_.batches_.fetch_add(1);
    s_.notifyChanged();
    return true;
  }

  void updateRate(std::size_t n) {
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

  // After any error: drop the connection and the reader (the database says where to resume), log once per
  // outage, back off.
  void fail() {
    failed_ = false;
    disconnect();
    reader_.reset();
    last_date_seen_.clear();
    s_.noteError(error_);
    if (s_.stop_.load()) return;  // a statement cancelled by stop(): not an outage
    ++outage_attempts_;
    // Class 22 (data exception) and 23 (integrity constraint): PostgreSQL refuses the rows themselves, so
    // every retry fails the same way until the schema or the mapping is fixed.
    const bool refused =
        error_.find("[SQLSTATE 22") != std::string::npos || error_.find("[SQLSTATE 23") != std::string::npos;
    if (!outage_ && refused) {
      outage_ = true;
      outage_start_ = Clock::now();
      outage_attempts_ = 1;
      spdlog::error(
          "audit shipper: PostgreSQL refuses the rows of the batch from seq {}: {}. Shipping is blocked "
          "there "
          "(the chain is gapless, no record is skipped) and retried every {} ms; the records stay in the "
          "journal. "
          "The audit schema does not accept what this gateway journals: apply the pending migrations "
          "(fixgate-db status) or report the record to the developers; the gateway keeps trading.",
          last_seq_ + 1, error_, s_.settings_.retry_backoff_max.count());
    } else if (!outage_) {
      outage_ = true;
      outage_start_ = Clock::now();
      outage_attempts_ = 1;
      spdlog::error(
          "audit shipper: {}. Shipping is suspended from seq {}: the records stay in the journal and are "
          "shipped "
          "when this is fixed (retrying every {} ms at most). Check that PostgreSQL is running and reachable "
          "with "
          "the configured conninfo as fixgate_writer, and its log; the gateway keeps trading.",
          error_, last_seq_ + 1, s_.settings_.retry_backoff_max.count());
    } else {
      spdlog::debug("audit shipper: still failing: {}", error_);
    }
    s_.sleepFor(backoff_);
    backoff_ = std::min(backoff_ * 2, s_.settings_.retry_backoff_max);
  }

  void disconnect() {
    {
      std::lock_guard lock(s_.mutex_);
      if (s_.cancel_ != nullptr) PQfreeCancel(static_cast<PGcancel*>(s_.cancel_));
      s_.cancel_ = nullptr;
    }
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    s_.connected_.store(false);
  }

  Shipper& s_;
  PGconn* conn_ = nullptr;
  std::optional<journal::JournalReader> reader_;
  std::uint64_t last_seq_ = 0;
  std::string last_hash_;
  std::set<std::string> dates_;  // trade dates whose partitions exist (ensured on this connection)

  std::array<std::string, kAuditTableCount> buffers_;  // COPY text per table
  std::string canonical_;
  std::string batch_hash_;
  std::uint64_t batch_last_seq_ = 0;
  std::set<std::string> new_dates_;
  std::string last_date_seen_;

  bool failed_ = false;
  std::string error_;
  bool outage_ = false;
  bool warned_ahead_ = false;
  Clock::time_point outage_start_;
  std::uint64_t outage_attempts_ = 0;
  std::chrono::milliseconds backoff_{s_.settings_.retry_backoff_initial};

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
    if (cancel_ != nullptr) {
      std::array<char, 256> error{};
      PQcancel(static_cast<PGcancel*>(cancel_), error.data(), static_cast<int>(error.size()));
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
  std::lock_guard lock(mutex_);
  p.last_error = last_error_;
  return p;
}

bool Shipper::waitShipped(std::uint64_t seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return shipped_seq_.load() >= seq; });
}

}  // namespace fixgate::audit
