// The execution-quality report: what audit.execution_quality and audit.execution_rejects (sql/007) give for
// a time range, grouped by venue, client session or both, read into plain values that the table, CSV, JSON
// and SVG writers (render.h, svg_plot.h) turn into text without touching the database.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

namespace fixgate::exec_quality {

enum class Grouping { Venue, Session, Both };

[[nodiscard]] std::string_view toString(Grouping grouping);
// "venue", "session", "both"; nullopt for anything else.
[[nodiscard]] std::optional<Grouping> parseGrouping(std::string_view text);

// One reject code within a group.
struct RejectReason {
  std::string code;    // e.g. "FG505"
  std::string source;  // "gateway" (validation, routing, risk, trading states) or "venue" (FG4xx)
  std::int64_t orders = 0;
  double share_of_orders = 0;  // of the group's orders, 0..1
  std::string common_text;     // the most frequent reject text for this code in the group
};

// The figures of one group (sql/README.md, "Execution quality", defines each). Optional values are NULL in
// the database: nothing to measure (no acknowledged order, no fill, no arrival price...).
struct GroupFigures {
  std::optional<std::string> venue;    // nullopt: not grouped by venue, or orders never routed
  std::optional<std::string> session;  // nullopt: not grouped by session
  std::int64_t orders = 0;
  std::int64_t rejected = 0;
  std::int64_t rejected_by_gateway = 0;
  std::int64_t rejected_by_venue = 0;
  std::optional<double> reject_ratio;
  std::int64_t working = 0;
  std::optional<double> ordered_qty;
  std::optional<double> filled_qty;
  std::optional<double> fill_ratio_qty;
  std::int64_t orders_with_fill = 0;
  std::optional<double> fill_ratio_orders;
  std::int64_t orders_filled_fully = 0;
  std::int64_t acks = 0;
  std::optional<double> ack_latency_p50_us;
  std::optional<double> ack_latency_p90_us;
  std::optional<double> ack_latency_p99_us;
  std::optional<double> time_to_first_fill_p50_us;
  std::optional<double> time_to_first_fill_p90_us;
  std::optional<double> time_to_fill_p50_us;
  std::optional<double> time_to_fill_p90_us;
  std::int64_t slippage_orders = 0;
  std::optional<double> slippage_bps_mean;
  std::optional<double> slippage_bps_p50;
  std::int64_t filled_without_arrival_price = 0;
  std::vector<RejectReason> rejects;  // most frequent first
};

struct Report {
  std::int64_t from_us = 0;  // inclusive, UTC microseconds since the epoch
  std::int64_t to_us = 0;    // exclusive
  Grouping grouping = Grouping::Venue;
  std::vector<GroupFigures> groups;

  [[nodiscard]] std::int64_t totalOrders() const;
};

// How the report could not be made; `message` says what happened and what to do about it.
struct ReportError {
  enum class Kind {
    Connection,        // cannot reach or log on to the database
    MissingMigration,  // the audit schema or sql/007 is not there
    Permission,        // the role may not read the audit tables
    EmptyRange,        // no client order arrived in the range
    Database,          // anything else the database refused
  };
  Kind kind = Kind::Database;
  std::string message;
};

// Connects with a libpq connection string and sets the session up (UTC, ISO dates, UTF-8).
[[nodiscard]] std::expected<std::unique_ptr<pqxx::connection>, ReportError> connect(
    const std::string& conninfo);

// The figures for orders that arrived in [from_us, to_us), in one read-only snapshot. An empty range and a
// range without orders are errors (EmptyRange) that name the most recent trade date holding orders.
[[nodiscard]] std::expected<Report, ReportError> loadReport(pqxx::connection& connection,
                                                            std::int64_t from_us, std::int64_t to_us,
                                                            Grouping grouping);

// The group's name for people: "SIM-A", "it-C44A", "SIM-A / it-C44A", "(not routed)" for the orders the
// gateway rejected before choosing a venue, "(all)" when neither applies.
[[nodiscard]] std::string groupLabel(const GroupFigures& group, Grouping grouping);

}  // namespace fixgate::exec_quality
