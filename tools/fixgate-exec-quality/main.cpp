// fixgate-exec-quality: the execution-quality report over the audit store (sql/007_execution_quality.sql,
// sql/README.md "Execution quality"). A thin command line over the fixgate_exec_quality library.
//
// Exit codes: 0 report written, 1 no client order arrived in the range, 2 usage, connection or database
// error (the message says what to do).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common.h"
#include "render.h"
#include "report.h"
#include "svg_plot.h"

namespace {

using namespace fixgate::exec_quality;

constexpr int kExitOk = 0;
constexpr int kExitNoOrders = 1;
constexpr int kExitError = 2;
constexpr std::int64_t kMicrosPerDay = 86'400'000'000LL;

constexpr const char* kColumnsHelp = R"HELP(
What the report measures (per group; an order belongs to the range by its arrival at the gateway):
  orders          client NewOrderSingles that arrived in the range
  rejected        orders refused, with the share of orders: by the gateway (validation, routing, pre-trade
                  risk, trading states: never routed, so --by venue shows them as "(not routed)") or by the
                  venue (FG401 refused, FG402 unknown to the venue after an acknowledgement timeout)
  filled/ordered  quantity filled / quantity ordered (as last accepted, after replaces) of the working orders
                  (routed and not rejected)
  fill qty        the same as a ratio
  fill orders     working orders with at least one fill, and their share of the working orders
  ack µs          venue acknowledgement latency p50/p90/p99 in microseconds: from the venue NewOrderSingle
                  leaving the gateway (its 35=D in the audit's FIX messages) to the venue's ExecType 0
  1st fill µs     time from the order's arrival to its first fill, p50/p90
  full fill µs    time from the order's arrival to its complete fill, p50/p90 (completely filled orders only)
  slippage bps    of the order's average fill price against the arrival price (the symbol's reference price
                  when the order was risk-checked: last trade, else the configured one), in basis points,
                  mean/median over filled orders (n); + is worse for the client: a buy paid more, a sell
                  received less. Filled orders without an arrival price count everywhere else, not here.
  top rejects     the most frequent reject codes; the table below it lists every code with its commonest text
"-" means there was nothing to measure. Percentiles are PostgreSQL's percentile_cont (interpolated).

CSV and JSON carry every figure under the column names of audit.execution_quality (sql/README.md): ratios as
fractions (0.5 = 50 %), times in microseconds, slippage in basis points, missing values empty/null.

Examples:
  fixgate-exec-quality --db "$(tools/pg/fixgate-pg.sh conninfo var/pg compliance)"
  fixgate-exec-quality --db ... --from 2026-11-22 --to 2026-11-23 --by both --plot quality.svg
  fixgate-exec-quality --db ... --from 2026-11-22T08:00 --to 2026-11-22T16:30 --format csv > quality.csv

Exit codes: 0 report written, 1 no client order arrived in the range, 2 usage, connection or database error.)HELP";

// Writes `text` to `path` through a temporary file, so that a half-written plot never replaces a good one.
std::optional<std::string> writeFileAtomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out)
      return fmt::format("cannot create {}: check that the directory exists and is writable",
                         partial.string());
    out << text;
    out.flush();
    if (!out) return fmt::format("writing {} failed (disk full?)", partial.string());
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error)
    return fmt::format("cannot rename {} to {}: {}", partial.string(), path.string(), error.message());
  return std::nullopt;
}

std::int64_t startOfTodayUtc() {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return now - now % kMicrosPerDay;
}

int exitCodeOf(const ReportError& error) {
  return error.kind == ReportError::Kind::EmptyRange ? kExitNoOrders : kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "fixgate-exec-quality: execution quality from the fixgate audit store (PostgreSQL, schema audit, "
      "sql/007_execution_quality.sql): venue acknowledgement latency, fill ratio, reject ratio by reason, "
      "time "
      "to fill and slippage against the arrival price, per venue and/or per client session, as a table, CSV "
      "or "
      "JSON, and optionally an SVG plot.\n"
      "Times are UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]; the range is [--from, --to), and a "
      "bare "
      "date as --to includes that whole day. Needs the fixgate_compliance role."};
  app.footer(kColumnsHelp);

  std::string conninfo;
  app.add_option(
         "--db,--database", conninfo,
         "libpq connection string of the audit store as fixgate_compliance, e.g. \"host=/run/fixgate/pg "
         "port=5432 dbname=fixgate user=fixgate_compliance passfile=/run/fixgate/pg/pgpass\" (the same "
         "as fixgate-audit --db)")
      ->envname("FIXGATE_AUDIT_DB")
      ->required();
  std::optional<std::string> from_text;
  std::optional<std::string> to_text;
  app.add_option("--from", from_text, "start of the range (inclusive), UTC; default: today 00:00 UTC");
  app.add_option(
      "--to", to_text,
      "end of the range (exclusive; a bare date includes that whole day), UTC; default: the end of "
      "--from's day (today when --from is not given)");
  std::string by = "venue";
  app.add_option("--by", by,
                 "group by venue (orders the gateway rejected before routing show as \"(not routed)\"), by "
                 "client session, or by both")
      ->check(CLI::IsMember({"venue", "session", "both"}))
      ->capture_default_str();
  std::string format = "table";
  app.add_option("--format", format,
                 "table (for people), csv (RFC 4180, one record per group) or json (one object) on standard "
                 "output")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  std::optional<std::string> plot_path;
  app.add_option(
      "--plot", plot_path,
      "also write FILE.svg: ack latency p50/p90/p99 (log scale), slippage mean/median and fill/reject "
      "ratios, one group of bars per venue/session; a self-contained SVG any browser opens");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    std::cerr << "Run `fixgate-exec-quality --help` for usage.\n";
    return kExitError;
  }

  std::int64_t from_us = 0;
  std::int64_t to_us = 0;
  try {
    from_us = from_text ? fixgate::audit_tools::parseUtcTime(*from_text, "--from") : startOfTodayUtc();
    if (to_text) {
      to_us = fixgate::audit_tools::parseUtcTime(*to_text, "--to");
      if (to_text->size() == 10) to_us += kMicrosPerDay;  // a bare date: the whole of that day
    } else {
      to_us = from_us - from_us % kMicrosPerDay + kMicrosPerDay;
    }
  } catch (const fixgate::audit_tools::UsageError& e) {
    std::cerr << "fixgate-exec-quality: " << e.what() << "\n";
    return kExitError;
  }
  const Grouping grouping = parseGrouping(by).value_or(Grouping::Venue);  // IsMember checked it

  auto connection = connect(conninfo);
  if (!connection) {
    std::cerr << "fixgate-exec-quality: " << connection.error().message << "\n";
    return exitCodeOf(connection.error());
  }
  const auto report = loadReport(**connection, from_us, to_us, grouping);
  if (!report) {
    std::cerr << "fixgate-exec-quality: " << report.error().message << "\n";
    return exitCodeOf(report.error());
  }

  if (format == "csv") {
    std::cout << formatCsv(*report);
  } else if (format == "json") {
    std::cout << formatJson(*report);
  } else {
    std::cout << formatTable(*report);
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "fixgate-exec-quality: writing the report to standard output failed\n";
    return kExitError;
  }
  if (plot_path) {
    if (const auto failure = writeFileAtomically(*plot_path, renderSvg(*report))) {
      std::cerr << "fixgate-exec-quality: " << *failure << "\n";
      return kExitError;
    }
    std::cerr << fmt::format("fixgate-exec-quality: wrote the plot to {}\n", *plot_path);
  }
  return kExitOk;
}
