#include "order_queries.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <tuple>

#include <fmt/format.h>

namespace fixgate::audit_tools {

namespace {

constexpr std::size_t kBatchRows = 5000;

// The filter as a WHERE clause over parameters $1..$6: trade_date bounds first so that only the day
// partitions of the range are read.
constexpr const char* kFilterWhere =
    " WHERE trade_date >= $1::date AND trade_date <= $2::date AND ts_us >= $3 AND ts_us < $4"
    " AND ($5::text IS NULL OR account = $5) AND ($6::text IS NULL OR symbol = $6)";

void checkFilter(const OrderFilter& filter) {
  if (filter.to_us <= filter.from_us) {
    throw UsageError(fmt::format("the time range is empty: --to ({}) must be after --from ({})",
                                 formatUtcMicros(filter.to_us), formatUtcMicros(filter.from_us)));
  }
}

std::string lastDateOfRange(const OrderFilter& filter) {
  return utcDateOf(filter.to_us - 1);
}

std::string joined(const Value& a, const Value& b, std::string_view separator) {
  if (a && b && !a->empty() && !b->empty()) return *a + std::string(separator) + *b;
  if (a && !a->empty()) return *a;
  if (b && !b->empty()) return *b;
  return {};
}

std::string valueOr(const Value& v) {
  return v ? *v : std::string();
}

}  // namespace

Table orderLife(pqxx::connection& conn, OrderKey key, const std::string& id,
                const std::optional<std::string>& scope) {
  pqxx::read_transaction txn(conn);
  const char* query = key == OrderKey::ClOrdId ? "SELECT * FROM audit.order_life($1, $2)"
                                               : "SELECT * FROM audit.order_life_by_venue_order_id($1, $2)";
  return toTable(txn.exec_params(query, id, scope));
}

Table ordersInRange(pqxx::connection& conn, const OrderFilter& filter) {
  checkFilter(filter);
  pqxx::read_transaction txn(conn);
  return toTable(txn.exec_params(
      std::string("SELECT * FROM audit.order_events_v") + kFilterWhere + " ORDER BY ts_us, seq",
      utcDateOf(filter.from_us), lastDateOfRange(filter), filter.from_us, filter.to_us, filter.account,
      filter.symbol));
}

std::uint64_t exportOrdersCsv(pqxx::connection& conn, const OrderFilter& filter, std::ostream& out,
                              const ProgressFn& progress) {
  checkFilter(filter);
  // One snapshot for the whole export.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(conn);
  std::string columns;
  for (const auto name : orderEventsColumns()) {
    if (!columns.empty()) columns += ", ";
    columns += name;
  }
  const auto args = std::make_tuple(utcDateOf(filter.from_us), lastDateOfRange(filter), filter.from_us,
                                    filter.to_us, filter.account, filter.symbol);
  std::optional<std::uint64_t> total;
  if (progress) {
    const auto count = std::apply(
        [&](const auto&... a) {
          return txn.exec_params1(std::string("SELECT count(*) FROM audit.order_events") + kFilterWhere,
                                  a...);
        },
        args);
    total = count[0].as<std::uint64_t>();
  }
  Cursor cursor = std::apply(
      [&](const auto&... a) {
        return Cursor(
            txn, "fixgate_audit_export",
            "SELECT " + columns + " FROM audit.order_events" + kFilterWhere + " ORDER BY ts_us, seq", a...);
      },
      args);
  CsvWriter csv(out);
  std::vector<std::string> header(orderEventsColumns().begin(), orderEventsColumns().end());
  csv.writeHeader(header);
  std::uint64_t written = 0;
  for (;;) {
    const pqxx::result batch = cursor.fetch(kBatchRows);
    if (batch.empty()) break;
    for (const auto& row : batch) {
      const Row values = rowValues(row);
      csv.writeRow(values);
    }
    written += batch.size();
    if (progress) progress(written, total);
    if (!out) throw std::runtime_error("writing the CSV output failed (disk full or file not writable?)");
  }
  out.flush();
  if (!out) throw std::runtime_error("writing the CSV output failed (disk full or file not writable?)");
  txn.commit();
  return written;
}

void printOrderEvents(std::ostream& out, const Table& events) {
  struct Column {
    std::string title;
    std::function<std::string(std::size_t)> value;
  };
  const auto col = [&](std::string_view name) {
    const std::size_t i = events.column(name);
    return [&events, i](std::size_t r) { return valueOr(events.rows[r][i]); };
  };
  const std::size_t ts_us = events.column("ts_us");
  const std::vector<Column> columns = {
      {"time (UTC)",
       [&](std::size_t r) {
         const auto& v = events.rows[r][ts_us];
         std::int64_t us = 0;
         if (!v || std::from_chars(v->data(), v->data() + v->size(), us).ec != std::errc{}) return valueOr(v);
         return formatUtcMicros(us);
       }},
      {"seq", col("seq")},
      {"event", col("event_type")},
      {"session", col("session")},
      {"account", col("account")},
      {"symbol", col("symbol")},
      {"side", col("side")},
      {"cl_ord_id", col("cl_ord_id")},
      {"orig_cl_ord_id", col("orig_cl_ord_id")},
      {"order_id", col("order_id")},
      {"venue", col("venue")},
      {"venue_cl_ord_id", col("venue_cl_ord_id")},
      {"venue_order_id", col("venue_order_id")},
      {"exec_id", col("exec_id")},
      {"qty", col("quantity")},
      {"price",
       [&](std::size_t r) {
         return joined(events.at(r, "limit_price"),
                       events.at(r, "stop_price").transform([](const std::string& s) { return "stop " + s; }),
                       " ");
       }},
      {"last",
       [&](std::size_t r) { return joined(events.at(r, "last_qty"), events.at(r, "last_px"), " @ "); }},
      {"status", col("ord_status")},
      {"cum", col("cum_qty")},
      {"leaves", col("leaves_qty")},
      {"avg_px", col("avg_px")},
      {"text",
       [&](std::size_t r) { return joined(events.at(r, "reject_code"), events.at(r, "text"), ": "); }},
  };
  std::vector<std::vector<std::string>> cells(events.rows.size());
  std::vector<std::size_t> widths;
  for (const auto& c : columns) widths.push_back(c.title.size());
  for (std::size_t r = 0; r < events.rows.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      std::string text = columns[c].value(r);
      std::replace(text.begin(), text.end(), '\n', ' ');
      std::replace(text.begin(), text.end(), '\t', ' ');
      widths[c] = std::max(widths[c], text.size());
      cells[r].push_back(std::move(text));
    }
  }
  const auto printLine = [&](const auto& get) {
    std::string line;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c != 0) line += "  ";
      const std::string& text = get(c);
      line += text;
      if (c + 1 != columns.size()) line.append(widths[c] - text.size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  printLine([&](std::size_t c) -> const std::string& { return columns[c].title; });
  std::vector<std::string> rules;
  for (const auto w : widths) rules.emplace_back(w, '-');
  printLine([&](std::size_t c) -> const std::string& { return rules[c]; });
  for (const auto& row : cells) printLine([&](std::size_t c) -> const std::string& { return row[c]; });
}

}  // namespace fixgate::audit_tools
