#include "report.h"

#include <charconv>
#include <map>
#include <memory>
#include <tuple>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "common.h"  // fixgate-audit's connection and UTC time helpers

namespace fixgate::exec_quality {

namespace {

constexpr const char* kMigrateHint =
    "Apply the migrations with `fixgate-db migrate --db \"<admin connection string>\" --dir sql` (it needs "
    "sql/006_arrival_price.sql and sql/007_execution_quality.sql), then retry.";

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The first line of a database error, without libpq's "ERROR:  " prefix.
std::string firstLine(const std::exception& error) {
  std::string what = trimmed(error.what());
  if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
  if (what.starts_with("ERROR:")) what.erase(0, what.find_first_not_of(' ', 6));
  return what;
}

ReportError explain(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return {ReportError::Kind::Connection,
            fmt::format("lost the connection to the audit database ({}). Check that the server is running "
                        "and retry.",
                        firstLine(error))};
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    const std::string& state = sql->sqlstate();
    if (state == "42501") {
      return {ReportError::Kind::Permission,
              fmt::format("the database refused access: {}. The report needs the fixgate_compliance role: "
                          "connect with --db \"... user=fixgate_compliance\".",
                          firstLine(error))};
    }
    if (state == "42P01" || state == "42883" || state == "3F000" || state == "42703") {
      return {ReportError::Kind::MissingMigration,
              fmt::format("the audit schema lacks what the report reads: {}. {}", firstLine(error),
                          kMigrateHint)};
    }
    return {ReportError::Kind::Database,
            fmt::format("the database refused the report: {}{}", firstLine(error),
                        state.empty() ? "" : " (SQLSTATE " + state + ")")};
  }
  return {ReportError::Kind::Database, trimmed(error.what())};
}

std::string sqlTimestamp(std::int64_t ts_us) {
  return audit_tools::formatUtcMicros(ts_us) + "+00";
}

std::optional<double> optionalNumber(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  // numeric and double precision both print as plain decimals (or NaN/Infinity, which strtod reads).
  return std::strtod(field.c_str(), nullptr);
}

std::int64_t count(const pqxx::field& field) {
  return field.is_null() ? 0 : field.as<std::int64_t>();
}

std::optional<std::string> optionalText(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str(), field.size());
}

// Whether the schema has what the report reads; an error that says what is missing otherwise.
std::expected<void, ReportError> checkSchema(pqxx::transaction_base& txn) {
  const pqxx::row found = txn.exec1(
      "SELECT to_regnamespace('audit') IS NOT NULL, "
      "       to_regclass('audit.schema_migrations') IS NOT NULL, "
      "       to_regprocedure('audit.execution_quality(timestamptz, timestamptz, text)') IS NOT NULL, "
      "       to_regprocedure('audit.execution_rejects(timestamptz, timestamptz, text)') IS NOT NULL");
  if (!found[0].as<bool>() || !found[1].as<bool>()) {
    return std::unexpected(ReportError{
        ReportError::Kind::MissingMigration,
        fmt::format("this database has no audit schema (or the role may not see it): is --db the fixgate "
                    "audit store? {}",
                    kMigrateHint)});
  }
  if (!found[2].as<bool>() || !found[3].as<bool>()) {
    std::string version = "unknown";
    try {
      version = txn.exec1("SELECT coalesce(max(version), 0)::text FROM audit.schema_migrations")[0].c_str();
    } catch (const pqxx::sql_error&) {
      // Only for the message (the transaction ends with this error anyway): a role that may not read
      // schema_migrations still gets the hint below.
    }
    return std::unexpected(
        ReportError{ReportError::Kind::MissingMigration,
                    fmt::format("the audit store is at migration {}: the execution-quality functions of "
                                "sql/007_execution_quality.sql are missing. {}",
                                version, kMigrateHint)});
  }
  return {};
}

}  // namespace

std::string_view toString(Grouping grouping) {
  switch (grouping) {
    case Grouping::Venue:
      return "venue";
    case Grouping::Session:
      return "session";
    case Grouping::Both:
      return "both";
  }
  return "?";
}

std::optional<Grouping> parseGrouping(std::string_view text) {
  if (text == "venue") return Grouping::Venue;
  if (text == "session") return Grouping::Session;
  if (text == "both") return Grouping::Both;
  return std::nullopt;
}

std::int64_t Report::totalOrders() const {
  std::int64_t total = 0;
  for (const GroupFigures& group : groups) total += group.orders;
  return total;
}

std::string groupLabel(const GroupFigures& group, Grouping grouping) {
  const std::string venue = group.venue.value_or("(not routed)");
  const std::string session = group.session.value_or("(no session)");
  switch (grouping) {
    case Grouping::Venue:
      return venue;
    case Grouping::Session:
      return session;
    case Grouping::Both:
      return venue + " / " + session;
  }
  return "(all)";
}

std::expected<std::unique_ptr<pqxx::connection>, ReportError> connect(const std::string& conninfo) {
  try {
    return audit_tools::connectAuditStore(conninfo, "fixgate-exec-quality");
  } catch (const pqxx::failure& e) {  // connected, but the session settings were refused
    return std::unexpected(explain(e));
  } catch (const std::runtime_error& e) {  // could not connect; the text says what to check
    return std::unexpected(ReportError{ReportError::Kind::Connection, e.what()});
  } catch (const std::exception& e) {
    return std::unexpected(explain(e));
  }
}

std::expected<Report, ReportError> loadReport(pqxx::connection& connection, std::int64_t from_us,
                                              std::int64_t to_us, Grouping grouping) {
  if (to_us <= from_us) {
    return std::unexpected(
        ReportError{ReportError::Kind::EmptyRange,
                    fmt::format("the time range is empty: --to ({}) must be after --from ({}).",
                                audit_tools::formatUtcMicros(to_us), audit_tools::formatUtcMicros(from_us))});
  }
  Report report;
  report.from_us = from_us;
  report.to_us = to_us;
  report.grouping = grouping;
  try {
    // One snapshot for the figures and the reject reasons, so that they agree.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(connection);
    if (auto schema = checkSchema(txn); !schema) return std::unexpected(schema.error());
    const std::string from = sqlTimestamp(from_us);
    const std::string to = sqlTimestamp(to_us);
    const std::string by(toString(grouping));

    const pqxx::result figures = txn.exec_params(
        "SELECT venue, session, orders, rejected, rejected_by_gateway, rejected_by_venue, reject_ratio, "
        "working, ordered_qty, filled_qty, fill_ratio_qty, orders_with_fill, fill_ratio_orders, "
        "orders_filled_fully, acks, ack_latency_p50_us, ack_latency_p90_us, ack_latency_p99_us, "
        "time_to_first_fill_p50_us, time_to_first_fill_p90_us, time_to_fill_p50_us, time_to_fill_p90_us, "
        "slippage_orders, slippage_bps_mean, slippage_bps_p50, filled_without_arrival_price "
        "FROM audit.execution_quality($1::timestamptz, $2::timestamptz, $3)",
        from, to, by);
    std::map<std::tuple<std::optional<std::string>, std::optional<std::string>>, std::size_t> index;
    for (const pqxx::row& row : figures) {
      GroupFigures g;
      g.venue = optionalText(row["venue"]);
      g.session = optionalText(row["session"]);
      g.orders = count(row["orders"]);
      g.rejected = count(row["rejected"]);
      g.rejected_by_gateway = count(row["rejected_by_gateway"]);
      g.rejected_by_venue = count(row["rejected_by_venue"]);
      g.reject_ratio = optionalNumber(row["reject_ratio"]);
      g.working = count(row["working"]);
      g.ordered_qty = optionalNumber(row["ordered_qty"]);
      g.filled_qty = optionalNumber(row["filled_qty"]);
      g.fill_ratio_qty = optionalNumber(row["fill_ratio_qty"]);
      g.orders_with_fill = count(row["orders_with_fill"]);
      g.fill_ratio_orders = optionalNumber(row["fill_ratio_orders"]);
      g.orders_filled_fully = count(row["orders_filled_fully"]);
      g.acks = count(row["acks"]);
      g.ack_latency_p50_us = optionalNumber(row["ack_latency_p50_us"]);
      g.ack_latency_p90_us = optionalNumber(row["ack_latency_p90_us"]);
      g.ack_latency_p99_us = optionalNumber(row["ack_latency_p99_us"]);
      g.time_to_first_fill_p50_us = optionalNumber(row["time_to_first_fill_p50_us"]);
      g.time_to_first_fill_p90_us = optionalNumber(row["time_to_first_fill_p90_us"]);
      g.time_to_fill_p50_us = optionalNumber(row["time_to_fill_p50_us"]);
      g.time_to_fill_p90_us = optionalNumber(row["time_to_fill_p90_us"]);
      g.slippage_orders = count(row["slippage_orders"]);
      g.slippage_bps_mean = optionalNumber(row["slippage_bps_mean"]);
      g.slippage_bps_p50 = optionalNumber(row["slippage_bps_p50"]);
      g.filled_without_arrival_price = count(row["filled_without_arrival_price"]);
      index.emplace(std::make_tuple(g.venue, g.session), report.groups.size());
      report.groups.push_back(std::move(g));
    }

    const pqxx::result reasons = txn.exec_params(
        "SELECT venue, session, reject_code, reject_source, orders, share_of_orders, common_text "
        "FROM audit.execution_rejects($1::timestamptz, $2::timestamptz, $3)",
        from, to, by);
    for (const pqxx::row& row : reasons) {
      const auto group =
          index.find(std::make_tuple(optionalText(row["venue"]), optionalText(row["session"])));
      if (group == index.end()) continue;  // cannot happen in one snapshot; never invent a group
      report.groups[group->second].rejects.push_back(RejectReason{
          optionalText(row["reject_code"]).value_or(""), optionalText(row["reject_source"]).value_or(""),
          count(row["orders"]), optionalNumber(row["share_of_orders"]).value_or(0),
          optionalText(row["common_text"]).value_or("")});
    }

    if (report.totalOrders() == 0) {
      // Say where the orders are, so that the operator can fix the range. max(trade_date) reads one key of
      // each partition's primary key index.
      const pqxx::row latest =
          txn.exec1("SELECT max(trade_date)::text FROM audit.order_events WHERE event_type = 'new'");
      txn.commit();
      return std::unexpected(ReportError{
          ReportError::Kind::EmptyRange,
          fmt::format("no client order arrived from {} to {} (UTC). {}",
                      audit_tools::formatUtcMicros(from_us), audit_tools::formatUtcMicros(to_us),
                      latest[0].is_null()
                          ? "The audit store holds no orders at all: is the gateway's audit.database this "
                            "database, and is its shipper running?"
                          : fmt::format("The latest trade date with orders is {}: try --from {} --to {}.",
                                        latest[0].c_str(), latest[0].c_str(), latest[0].c_str()))});
    }
    txn.commit();
  } catch (const std::exception& e) {
    return std::unexpected(explain(e));
  }
  return report;
}

}  // namespace fixgate::exec_quality
