#include "common.h"

#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace fixgate::audit_tools {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Reads exactly `width` digits at `pos`; false when they are not all digits.
bool readDigits(std::string_view text, std::size_t& pos, std::size_t width, int& value) {
  if (pos + width > text.size()) return false;
  int result = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  value = result;
  pos += width;
  return true;
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::unique_ptr<pqxx::connection> connectAuditStore(const std::string& conninfo,
                                                    const std::string& application_name) {
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo);
    pqxx::nontransaction setup(*conn);
    setup.exec0("SET DateStyle = 'ISO, YMD'");
    setup.exec0("SET TimeZone = 'UTC'");
    setup.exec0("SET client_encoding = 'UTF8'");
    setup.exec0("SET application_name = " + setup.quote(application_name));
    setup.commit();
    return conn;
  } catch (const pqxx::broken_connection& e) {
    std::string detail = e.what();
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    throw std::runtime_error(fmt::format(
        "cannot connect to the audit database ({}). Check --db or FIXGATE_AUDIT_DB (a libpq connection "
        "string such as \"host=/path/to/socket port=5432 dbname=fixgate user=fixgate_compliance\"; "
        "tools/pg/fixgate-pg.sh conninfo DIR compliance prints the private cluster's) and that the server is "
        "running (tools/pg/fixgate-pg.sh start DIR).",
        detail));
  }
}

std::string explainDatabaseError(const std::exception& error) {
  std::string what = error.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    // Keep the first line: the query itself follows in pqxx's message.
    if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
    if (what.starts_with("ERROR:")) what.erase(0, what.find_first_not_of(' ', 6));
    const std::string& state = sql->sqlstate();
    const bool privilege = state == "42501" ||
                           dynamic_cast<const pqxx::insufficient_privilege*>(sql) != nullptr ||
                           what.find("permission denied") != std::string::npos;
    const bool missing = state == "42P01" || state == "42883" || state == "3F000" ||
                         dynamic_cast<const pqxx::undefined_table*>(sql) != nullptr ||
                         dynamic_cast<const pqxx::undefined_function*>(sql) != nullptr;
    if (privilege) {
      return fmt::format(
          "the database refused access: {}. Read commands (order, orders, export, verify) need the "
          "fixgate_compliance role; retention needs the admin role that owns the audit tables (the one "
          "fixgate-db migrate ran as). Connect with --db \"... user=<that role>\".",
          what);
    }
    if (missing) {
      return fmt::format(
          "the audit schema is missing or not fully migrated: {}. Run `fixgate-db migrate` against this "
          "database (it applies sql/001..003), then retry.",
          what);
    }
    if (state == "55P03" || state == "57014") {
      return fmt::format(
          "the database gave up waiting for a lock ({}). Another session is using the table: "
          "retry when it is done.",
          what);
    }
    return fmt::format("the database refused the request: {}{}", what,
                       state.empty() ? "" : " (SQLSTATE " + state + ")");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return fmt::format(
        "lost the connection to the audit database ({}). Check that the server is running and "
        "retry.",
        what);
  }
  return what;
}

std::int64_t parseUtcTime(std::string_view text, std::string_view what) {
  const auto fail = [&]() -> std::int64_t {
    throw UsageError(fmt::format(
        "{}: \"{}\" is not a UTC time. Use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.ffffff]] with an optional Z or "
        "+00:00 (a space may replace the T).",
        what, text));
  };
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t micros = 0;
  if (!readDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !readDigits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !readDigits(text, pos, 2, day)) {
    return fail();
  }
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    if (!readDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !readDigits(text, pos, 2, minute)) {
      return fail();
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!readDigits(text, pos, 2, second)) return fail();
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (digits == 6) return fail();  // finer than a microsecond cannot be stored
          micros = micros * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return fail();
        for (; digits < 6; ++digits) micros *= 10;
      }
    }
  }
  const std::string_view zone = text.substr(pos);
  if (!zone.empty() && zone[0] != '+' && zone[0] != '-' && zone[0] != 'Z' && zone[0] != 'z') return fail();
  if (!(zone.empty() || zone == "Z" || zone == "z" || zone == "+00:00" || zone == "+00" ||
        zone == "-00:00")) {
    throw UsageError(
        fmt::format("{}: \"{}\" has the offset \"{}\"; give times in UTC (Z or +00:00).", what, text, zone));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return fail();
  const std::int64_t days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  return ((days * kSecondsPerDay) + hour * 3600 + minute * 60 + second) * kMicrosPerSecond + micros;
}

std::string formatUtcMicros(std::int64_t ts_us) {
  const std::int64_t seconds = floorDiv(ts_us, kMicrosPerSecond);
  const std::int64_t micros = ts_us - seconds * kMicrosPerSecond;
  const std::int64_t days = floorDiv(seconds, kSecondsPerDay);
  const std::int64_t in_day = seconds - days * kSecondsPerDay;
  return fmt::format("{} {:02}:{:02}:{:02}.{:06}", isoDateFromDays(days), in_day / 3600, (in_day / 60) % 60,
                     in_day % 60, micros);
}

std::string utcDateOf(std::int64_t ts_us) {
  return isoDateFromDays(floorDiv(floorDiv(ts_us, kMicrosPerSecond), kSecondsPerDay));
}

std::int64_t daysFromIsoDate(std::string_view date) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0;
  if (date.size() != 10 || !readDigits(date, pos, 4, year) || date[pos++] != '-' ||
      !readDigits(date, pos, 2, month) || date[pos++] != '-' || !readDigits(date, pos, 2, day)) {
    throw std::invalid_argument(fmt::format("\"{}\" is not a YYYY-MM-DD date", date));
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) throw std::invalid_argument(fmt::format("\"{}\" is not a valid date", date));
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

std::string isoDateFromDays(std::int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::size_t Table::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  throw std::out_of_range(fmt::format("no column \"{}\" in the result", name));
}

Row rowValues(const pqxx::row& row) {
  Row values;
  values.reserve(row.size());
  for (const auto& field : row) {
    if (field.is_null()) {
      values.emplace_back(std::nullopt);
    } else {
      values.emplace_back(std::string(field.c_str(), field.size()));
    }
  }
  return values;
}

Table toTable(const pqxx::result& result) {
  Table table;
  for (pqxx::row::size_type i = 0; i < result.columns(); ++i)
    table.columns.emplace_back(result.column_name(i));
  table.rows.reserve(result.size());
  for (const auto& row : result) table.rows.push_back(rowValues(row));
  return table;
}

pqxx::result Cursor::fetch(std::size_t count) {
  return txn_.exec(fmt::format("FETCH FORWARD {} FROM {}", count, txn_.quote_name(name_)));
}

void CsvWriter::writeField(std::string_view value, bool force_quotes) {
  const bool quote = force_quotes || value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out_ << value;
    return;
  }
  out_ << '"';
  for (const char c : value) {
    if (c == '"') out_ << '"';
    out_ << c;
  }
  out_ << '"';
}

void CsvWriter::writeHeader(std::span<const std::string> names) {
  bool first = true;
  for (const auto& name : names) {
    if (!first) out_ << ',';
    first = false;
    writeField(name, false);
  }
  out_ << "\r\n";
}

void CsvWriter::writeRow(std::span<const Value> values) {
  bool first = true;
  for (const auto& value : values) {
    if (!first) out_ << ',';
    first = false;
    if (value) writeField(*value, value->empty());
  }
  out_ << "\r\n";
}

const std::vector<TypedTable>& typedTables() {
  static const std::vector<TypedTable> tables = {
      {"fix_messages",
       {"trade_date", "seq", "ts_us", "session", "direction", "msg_seq_num", "msg_type", "raw"}},
      {"order_events", orderEventsColumns()},
      {"risk_decisions",
       {"trade_date", "seq", "ts_us", "session", "account", "cl_ord_id", "symbol", "request", "decision",
        "reject_code", "text", "limits_version", "arrival_price"}},
      {"config_versions",
       {"trade_date", "seq", "ts_us", "kind", "old_version", "new_version", "source", "applied_by",
        "content"}},
      {"trading_state_changes",
       {"trade_date", "seq", "ts_us", "scope", "scope_key", "from_state", "to_state", "changed_by",
        "reason"}},
  };
  return tables;
}

const std::vector<std::string_view>& journalColumns() {
  static const std::vector<std::string_view> columns = {"trade_date",  "seq",     "ts_us",
                                                        "record_type", "summary", "hash"};
  return columns;
}

const std::vector<std::string_view>& orderEventsColumns() {
  static const std::vector<std::string_view> columns = {"trade_date",
                                                        "seq",
                                                        "ts_us",
                                                        "event_type",
                                                        "session",
                                                        "account",
                                                        "client_id",
                                                        "investment_decision",
                                                        "execution_decision",
                                                        "trading_capacity",
                                                        "cl_ord_id",
                                                        "orig_cl_ord_id",
                                                        "order_id",
                                                        "venue",
                                                        "venue_cl_ord_id",
                                                        "venue_order_id",
                                                        "exec_id",
                                                        "symbol",
                                                        "isin",
                                                        "security_id",
                                                        "security_id_source",
                                                        "mic",
                                                        "side",
                                                        "ord_type",
                                                        "limit_price",
                                                        "stop_price",
                                                        "quantity",
                                                        "currency",
                                                        "time_in_force",
                                                        "expire",
                                                        "short_sell",
                                                        "ord_status",
                                                        "last_qty",
                                                        "last_px",
                                                        "cum_qty",
                                                        "leaves_qty",
                                                        "avg_px",
                                                        "reject_code",
                                                        "text"};
  return columns;
}

}  // namespace fixgate::audit_tools
