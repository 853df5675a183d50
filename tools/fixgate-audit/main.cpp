// fixgate-audit: compliance tools over the audit store (sql/README.md). A thin command line over the
// fixgate_audit_tools library.
//
// Exit codes: 0 done (verify: chain intact), 1 verify found a break / order not found,
// 2 usage, connection or database error.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "common.h"
#include "order_queries.h"
#include "retention.h"
#include "verify.h"

namespace {

using namespace fixgate::audit_tools;

constexpr int kExitOk = 0;
constexpr int kExitFound = 1;
constexpr int kExitError = 2;

// Progress on stderr at most twice a second: rewritten in place on a terminal, one line each otherwise.
class Progress {
 public:
  explicit Progress(std::string what) : what_(std::move(what)), tty_(::isatty(STDERR_FILENO) == 1) {}
  ~Progress() {
    if (printed_ && tty_) std::fputc('\n', stderr);
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void operator()(std::uint64_t done, std::optional<std::uint64_t> total) {
    const auto now = std::chrono::steady_clock::now();
    if (printed_ && now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    printed_ = true;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const std::string rate =
        seconds > 0 ? fmt::format(", {:.0f}/s", static_cast<double>(done) / seconds) : "";
    std::string line =
        total && *total > 0
            ? fmt::format("{}: {} of ~{} ({:.1f}%{})", what_, done, *total,
                          100.0 * static_cast<double>(done) / static_cast<double>(*total), rate)
            : fmt::format("{}: {}{}", what_, done, rate);
    std::fputs(tty_ ? ("\r" + line + "\x1b[K").c_str() : (line + "\n").c_str(), stderr);
  }

 private:
  std::string what_;
  bool tty_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

OrderFilter makeFilter(const std::optional<std::string>& account, const std::optional<std::string>& symbol,
                       const std::string& from, const std::string& to) {
  OrderFilter filter;
  filter.account = account;
  filter.symbol = symbol;
  filter.from_us = parseUtcTime(from, "--from");
  // A bare date as --to means the whole of that day.
  filter.to_us = parseUtcTime(to, "--to");
  if (to.size() == 10) filter.to_us += 86'400'000'000LL;
  return filter;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "fixgate-audit: compliance tools over the fixgate audit store (PostgreSQL, schema audit; see "
      "sql/README.md).\n"
      "Times are UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]; ranges are [--from, --to), and a bare "
      "date as --to includes that whole day.\n"
      "Roles: order, orders, export and verify need fixgate_compliance; retention needs the admin role that "
      "owns the audit tables (the one `fixgate-db migrate` ran as).\n"
      "Exit codes: 0 done (verify: intact), 1 verify found a break or the order was not found, 2 usage, "
      "connection or database error."};
  app.set_help_all_flag("--help-all", "Show the help of every subcommand");
  app.require_subcommand(1);

  std::string conninfo;
  app.add_option("--db", conninfo,
                 "libpq connection string of the audit store, e.g. \"host=/run/fixgate/pg port=5432 "
                 "dbname=fixgate user=fixgate_compliance\"")
      ->envname("FIXGATE_AUDIT_DB")
      ->required();

  // order
  auto* order = app.add_subcommand("order",
                                   "Print the whole life of one order across every cancel/replace, "
                                   "client and venue side, ordered by seq");
  std::optional<std::string> cl_ord_id, venue_order_id, scope;
  auto* cl_opt = order->add_option("--cl-ord-id", cl_ord_id,
                                   "any client ClOrdID of the order (first, replace, "
                                   "cancel)");
  auto* venue_opt = order->add_option("--venue-order-id", venue_order_id, "the venue's OrderID");
  cl_opt->excludes(venue_opt);
  order->add_option("--session", scope,
                    "with --cl-ord-id: the client session, when several clients used that ClOrdID; with "
                    "--venue-order-id: the venue");

  // orders
  auto* orders = app.add_subcommand("orders",
                                    "List the order events of an account and/or a symbol in a UTC time "
                                    "range");
  std::optional<std::string> account, symbol;
  std::string from, to;
  orders->add_option("--account", account, "the account");
  orders->add_option("--symbol", symbol, "the symbol");
  orders->add_option("--from", from, "start of the range (inclusive), UTC")->required();
  orders->add_option("--to", to, "end of the range (exclusive; a bare date includes that day), UTC")
      ->required();

  // export
  auto* exporter =
      app.add_subcommand("export",
                         "Write every column of the order records in a UTC time range as CSV (RFC 4180, "
                         "header row; NULL is an empty field, an empty string is \"\")");
  std::optional<std::string> export_account, export_symbol;
  std::string export_from, export_to, out_path;
  exporter->add_option("--from", export_from, "start of the range (inclusive), UTC")->required();
  exporter->add_option("--to", export_to, "end of the range (exclusive; a bare date includes that day), UTC")
      ->required();
  exporter->add_option("--account", export_account, "only this account");
  exporter->add_option("--symbol", export_symbol, "only this symbol");
  exporter->add_option("--out", out_path, "the CSV file to write (\"-\" for standard output)")->required();

  // verify
  auto* verify = app.add_subcommand(
      "verify",
      "Recompute the hash chain from the rows as stored and name the first record altered, deleted or "
      "reordered (exit 0 intact, 1 broken)");
  std::optional<std::int64_t> from_seq;
  std::size_t batch = 5000;
  verify->add_option("--from-seq", from_seq, "start at this seq, trusting the stored hash of the one before")
      ->check(CLI::PositiveNumber);
  verify->add_option("--batch", batch, "rows fetched per round trip")->check(CLI::Range(100, 1'000'000));

  // retention
  auto* retention = app.add_subcommand(
      "retention",
      "Detach and drop the day partitions of every audit table older than --keep-years (MiFID II: 5 years, 7 "
      "on request), optionally archiving each to CSV first. Needs the admin role (owner of the audit "
      "tables).");
  int keep_years = kMinRetentionYears;
  std::optional<std::string> archive_dir;
  bool dry_run = false;
  retention->add_option("--keep-years", keep_years, "years to keep (5 or more)")->capture_default_str();
  retention->add_option("--archive-dir", archive_dir,
                        "write each partition to DIR/<table>/<partition>.csv (synced) before dropping it");
  retention->add_flag("--dry-run", dry_run, "list what would be dropped; change nothing");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    std::cerr << "Run `fixgate-audit --help` (or `fixgate-audit <command> --help`) for usage.\n";
    return kExitError;
  }

  try {
    if (*order) {
      if (!cl_ord_id && !venue_order_id) {
        throw UsageError("order: give --cl-ord-id X or --venue-order-id Y");
      }
      const auto conn = connectAuditStore(conninfo);
      const OrderKey key = cl_ord_id ? OrderKey::ClOrdId : OrderKey::VenueOrderId;
      const std::string& id = cl_ord_id ? *cl_ord_id : *venue_order_id;
      const Table life = orderLife(*conn, key, id, scope);
      if (life.rows.empty()) {
        std::cerr << fmt::format(
            "No order event has {} \"{}\"{}. Check the id (it is case-sensitive), the "
            "--session/venue, and that the shipper has copied that day.\n",
            cl_ord_id ? "ClOrdID" : "venue OrderID", id, scope ? fmt::format(" in {}", *scope) : "");
        return kExitFound;
      }
      if (cl_ord_id && !scope) {
        // A ClOrdID is unique only within its client session: say so when several sessions used it.
        std::set<std::string> sessions;
        for (std::size_t r = 0; r < life.rows.size(); ++r) {
          if (life.at(r, "cl_ord_id") == id || life.at(r, "orig_cl_ord_id") == id) {
            sessions.insert(life.at(r, "session").value_or(""));
          }
        }
        if (sessions.size() > 1) {
          std::cerr << fmt::format(
              "warning: ClOrdID \"{}\" was used in {} sessions ({}): the lives of all those "
              "orders are shown together; add --session to see one.\n",
              id, sessions.size(), fmt::join(sessions, ", "));
        }
      }
      std::cout << fmt::format("Order life of {} \"{}\": {} events\n",
                               cl_ord_id ? "ClOrdID" : "venue OrderID", id, life.rows.size());
      printOrderEvents(std::cout, life);
      return kExitOk;
    }
    if (*orders) {
      if (!account && !symbol) throw UsageError("orders: give --account A and/or --symbol S");
      const OrderFilter filter = makeFilter(account, symbol, from, to);
      const auto conn = connectAuditStore(conninfo);
      const Table events = ordersInRange(*conn, filter);
      std::cout << fmt::format("{} order events from {} to {} (UTC){}{}\n", events.rows.size(),
                               formatUtcMicros(filter.from_us), formatUtcMicros(filter.to_us),
                               account ? ", account " + *account : "", symbol ? ", symbol " + *symbol : "");
      if (!events.rows.empty()) printOrderEvents(std::cout, events);
      return kExitOk;
    }
    if (*exporter) {
      const OrderFilter filter = makeFilter(export_account, export_symbol, export_from, export_to);
      const auto conn = connectAuditStore(conninfo);
      Progress progress("exporting order records");
      std::uint64_t rows = 0;
      if (out_path == "-") {
        rows = exportOrdersCsv(*conn, filter, std::cout, std::ref(progress));
      } else {
        const std::string partial = out_path + ".partial";
        {
          std::ofstream out(partial, std::ios::binary | std::ios::trunc);
          if (!out) {
            throw std::runtime_error(
                fmt::format("cannot create {}: check the directory exists and is writable", partial));
          }
          rows = exportOrdersCsv(*conn, filter, out, std::ref(progress));
        }
        std::filesystem::rename(partial, out_path);
      }
      std::cerr << fmt::format("exported {} order records to {}\n", rows,
                               out_path == "-" ? "stdout" : out_path);
      return kExitOk;
    }
    if (*verify) {
      const auto conn = connectAuditStore(conninfo);
      Progress progress("verifying the hash chain");
      VerifyOptions options;
      options.from_seq = from_seq;
      options.batch_size = batch;
      options.progress = std::ref(progress);
      const VerifyReport report = verifyChain(*conn, options);
      printVerifyReport(std::cout, report);
      return report.intact() ? kExitOk : kExitFound;
    }
    if (*retention) {
      const auto conn = connectAuditStore(conninfo);
      RetentionOptions options;
      options.keep_years = keep_years;
      if (archive_dir) options.archive_dir = std::filesystem::path(*archive_dir);
      options.dry_run = dry_run;
      options.log = [](const std::string& line) { std::cout << line << std::endl; };
      const RetentionReport report = applyRetention(*conn, options);
      std::cout << fmt::format("{} {} partitions older than {}.\n", dry_run ? "Would drop" : "Dropped",
                               report.dropped.size(), report.cutoff);
      return kExitOk;
    }
  } catch (const UsageError& e) {
    std::cerr << "fixgate-audit: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "fixgate-audit: " << explainDatabaseError(e) << "\n";
    return kExitError;
  }
  return kExitError;
}
