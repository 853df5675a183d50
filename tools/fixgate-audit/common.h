// What every fixgate-audit command shares: the connection to the audit store, UTC times in microseconds,
// a result as plain text values, server-side cursors, RFC 4180 CSV, and errors that say what to do.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

namespace fixgate::audit_tools {

// Bad command-line input (exit code 2). The message says what was wrong and what is accepted.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens a session on the audit store with the settings the tools rely on: DateStyle ISO (dates print as
// YYYY-MM-DD, as the hash chain expects), TimeZone UTC, client_encoding UTF8. Throws std::runtime_error
// saying how to fix the connection string when it cannot connect.
[[nodiscard]] std::unique_ptr<pqxx::connection> connectAuditStore(
    const std::string& conninfo, const std::string& application_name = "fixgate-audit");

// Turns any exception from a database call into one line saying what happened and what to do.
[[nodiscard]] std::string explainDatabaseError(const std::exception& error);

// "2024-11-22", "2024-11-22T08:00", "2024-11-22 08:00:00", "2024-11-22T08:00:00.123456Z", "...+00:00":
// microseconds since the Unix epoch, UTC. Throws UsageError naming `what` when the text is none of these.
[[nodiscard]] std::int64_t parseUtcTime(std::string_view text, std::string_view what);
// "2024-11-22 08:00:00.123456" (UTC, always six fraction digits).
[[nodiscard]] std::string formatUtcMicros(std::int64_t ts_us);
// "2024-11-22": the UTC date (the trade_date) of a time.
[[nodiscard]] std::string utcDateOf(std::int64_t ts_us);
// Days since 1970-01-01 <-> "YYYY-MM-DD".
[[nodiscard]] std::int64_t daysFromIsoDate(std::string_view date);
[[nodiscard]] std::string isoDateFromDays(std::int64_t days);

// Values as PostgreSQL prints them in text format; NULL is nullopt.
using Value = std::optional<std::string>;
using Row = std::vector<Value>;

struct Table {
  std::vector<std::string> columns;
  std::vector<Row> rows;

  // Index of a column; throws std::out_of_range naming it when absent.
  [[nodiscard]] std::size_t column(std::string_view name) const;
  [[nodiscard]] const Value& at(std::size_t row, std::string_view name) const {
    return rows.at(row)[column(name)];
  }
};

[[nodiscard]] Row rowValues(const pqxx::row& row);
[[nodiscard]] Table toTable(const pqxx::result& result);

// A NO SCROLL server-side cursor inside `txn`, read in batches: memory stays flat however large the result.
class Cursor {
 public:
  template <typename... Args>
  Cursor(pqxx::transaction_base& txn, std::string name, const std::string& query, Args&&... args)
      : txn_(txn), name_(std::move(name)) {
    txn_.exec_params("DECLARE " + txn_.quote_name(name_) + " NO SCROLL CURSOR FOR " + query,
                     std::forward<Args>(args)...);
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  // The next `count` rows (fewer at the end, none when done).
  [[nodiscard]] pqxx::result fetch(std::size_t count);

 private:
  pqxx::transaction_base& txn_;
  std::string name_;
};

// RFC 4180: fields separated by commas, records ended by CRLF, a field quoted when it holds a comma, a quote,
// CR or LF (quotes doubled). NULL is an empty field and an empty string is "" so the two stay apart, as
// PostgreSQL's COPY ... CSV does.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}
  void writeHeader(std::span<const std::string> names);
  void writeRow(std::span<const Value> values);

 private:
  void writeField(std::string_view value, bool force_quotes);
  std::ostream& out_;
};

// Progress of a long operation: called every batch.
using ProgressFn = std::function<void(std::uint64_t done, std::optional<std::uint64_t> total)>;

// The columns of each typed table, in the contract's order (sql/README.md).
struct TypedTable {
  std::string_view name;
  std::vector<std::string_view> columns;
};
[[nodiscard]] const std::vector<TypedTable>& typedTables();
[[nodiscard]] const std::vector<std::string_view>& journalColumns();  // with hash last
[[nodiscard]] const std::vector<std::string_view>& orderEventsColumns();

}  // namespace fixgate::audit_tools
