#include "retention.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace fixgate::audit_tools {

namespace {

constexpr std::size_t kBatchRows = 5000;

const std::vector<std::string>& auditTables() {
  // journal_records first: see applyRetention.
  static const std::vector<std::string> tables = {"journal_records", "fix_messages",
                                                  "order_events",    "risk_decisions",
                                                  "config_versions", "trading_state_changes"};
  return tables;
}

std::size_t tableRank(const std::string& table) {
  const auto& tables = auditTables();
  return static_cast<std::size_t>(std::find(tables.begin(), tables.end(), table) - tables.begin());
}

std::string todayUtc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return isoDateFromDays(now.time_since_epoch().count());
}

void syncPath(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(
        fmt::format("cannot open {} to sync it: {}", path.string(), std::strerror(errno)));
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    throw std::runtime_error(fmt::format("cannot sync {}: {}", path.string(), std::strerror(saved)));
  }
}

// Writes every row of the partition (ordered by seq) to DIR/<table>/<partition>.csv: first to a .partial
// file, synced, then renamed, so a file with the final name is always complete.
std::uint64_t archivePartition(pqxx::transaction_base& txn, const PartitionAction& action,
                               const std::filesystem::path& file) {
  std::filesystem::create_directories(file.parent_path());
  const std::filesystem::path partial = file.string() + ".partial";
  std::uint64_t rows = 0;
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw std::runtime_error(
          fmt::format("cannot create the archive file {}: {}. Check that --archive-dir "
                      "is writable.",
                      partial.string(), std::strerror(errno)));
    }
    Cursor cursor(txn, "fixgate_audit_archive",
                  "SELECT * FROM " + txn.quote_name("audit") + "." + txn.quote_name(action.partition) +
                      " ORDER BY seq");
    CsvWriter csv(out);
    bool header = false;
    for (;;) {
      const pqxx::result batch = cursor.fetch(kBatchRows);
      if (!header) {
        std::vector<std::string> names;
        for (pqxx::row::size_type i = 0; i < batch.columns(); ++i) names.emplace_back(batch.column_name(i));
        csv.writeHeader(names);
        header = true;
      }
      if (batch.empty()) break;
      for (const auto& row : batch) {
        const Row values = rowValues(row);
        csv.writeRow(values);
      }
      rows += batch.size();
    }
    txn.exec("CLOSE fixgate_audit_archive");
    out.flush();
    if (!out) {
      throw std::runtime_error(fmt::format(
          "writing the archive file {} failed (disk full?). Nothing was dropped.", partial.string()));
    }
  }
  syncPath(partial, O_RDONLY);
  std::filesystem::rename(partial, file);
  syncPath(file.parent_path(), O_RDONLY | O_DIRECTORY);
  return rows;
}

// "FOR VALUES FROM ('2019-01-01') TO ('2019-01-02')" (as pg_get_expr prints a date range bound) -> the two
// dates; nullopt for anything else (DEFAULT, MINVALUE, other types).
std::optional<std::pair<std::string, std::string>> dayRange(std::string_view bound) {
  constexpr std::string_view kFrom = "FOR VALUES FROM ('";
  constexpr std::string_view kTo = "') TO ('";
  constexpr std::string_view kEnd = "')";
  constexpr std::size_t kDate = 10;
  if (bound.size() != kFrom.size() + kDate + kTo.size() + kDate + kEnd.size() || !bound.starts_with(kFrom) ||
      bound.substr(kFrom.size() + kDate, kTo.size()) != kTo || !bound.ends_with(kEnd)) {
    return std::nullopt;
  }
  std::string from(bound.substr(kFrom.size(), kDate));
  std::string to(bound.substr(kFrom.size() + kDate + kTo.size(), kDate));
  try {
    (void)daysFromIsoDate(from);
    (void)daysFromIsoDate(to);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  return std::make_pair(std::move(from), std::move(to));
}

}  // namespace

std::string retentionCutoff(const std::string& today, int keep_years) {
  const std::chrono::year_month_day now{std::chrono::sys_days{std::chrono::days{daysFromIsoDate(today)}}};
  std::chrono::year_month_day cutoff{now.year() - std::chrono::years{keep_years}, now.month(), now.day()};
  if (!cutoff.ok())
    cutoff = std::chrono::year_month_day_last{cutoff.year(), std::chrono::month_day_last{cutoff.month()}};
  return isoDateFromDays(std::chrono::sys_days{cutoff}.time_since_epoch().count());
}

RetentionReport applyRetention(pqxx::connection& conn, const RetentionOptions& options) {
  if (options.keep_years < kMinRetentionYears) {
    throw UsageError(
        fmt::format("--keep-years {}: MiFID II requires keeping records at least {} years (7 when "
                    "the competent authority asks); give {} or more.",
                    options.keep_years, kMinRetentionYears, kMinRetentionYears));
  }
  const auto log = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  RetentionReport report;
  report.cutoff = retentionCutoff(options.today.value_or(todayUtc()), options.keep_years);

  // Every partition of every audit table with its bounds, as PostgreSQL prints them.
  std::vector<PartitionAction> candidates;
  {
    pqxx::read_transaction txn(conn);
    const pqxx::result parts = txn.exec_params(
        "SELECT parent.relname, child.relname, pg_get_expr(child.relpartbound, child.oid)"
        "  FROM pg_inherits i"
        "  JOIN pg_class parent ON parent.oid = i.inhparent"
        "  JOIN pg_class child ON child.oid = i.inhrelid"
        "  JOIN pg_namespace n ON n.oid = parent.relnamespace"
        " WHERE n.nspname = 'audit' AND parent.relname = ANY ($1::text[])"
        " ORDER BY parent.relname, child.relname",
        "{journal_records,fix_messages,order_events,risk_decisions,config_versions,trading_state_changes}");
    if (parts.empty()) {
      const pqxx::result schema = txn.exec("SELECT to_regclass('audit.journal_records') IS NOT NULL");
      if (!schema[0][0].as<bool>()) {
        throw std::runtime_error(
            "the audit schema is missing: run `fixgate-db migrate` against this database "
            "first.");
      }
    }
    for (const auto& row : parts) {
      const std::string bound = row[2].c_str();
      const auto range = dayRange(bound);
      if (!range) {
        report.skipped.push_back(fmt::format("audit.{} ({})", row[1].c_str(), bound));
        continue;
      }
      candidates.push_back(
          PartitionAction{row[0].c_str(), row[1].c_str(), range->first, range->second, {}, {}});
    }
    txn.commit();
  }

  const std::int64_t cutoff_days = daysFromIsoDate(report.cutoff);
  std::erase_if(candidates,
                [&](const PartitionAction& p) { return daysFromIsoDate(p.to_date) > cutoff_days; });
  std::sort(candidates.begin(), candidates.end(), [](const PartitionAction& a, const PartitionAction& b) {
    if (a.from_date != b.from_date) return a.from_date < b.from_date;
    return tableRank(a.table) < tableRank(b.table);
  });

  log(fmt::format("keeping {} years: dropping day partitions before {} ({} found){}", options.keep_years,
                  report.cutoff, candidates.size(), options.dry_run ? " [dry run: nothing is changed]" : ""));
  for (const auto& skipped : report.skipped) log(fmt::format("skipping {}: not a day range", skipped));

  std::size_t done = 0;
  for (auto& action : candidates) {
    ++done;
    const std::string qualified = "audit." + action.partition;
    if (options.dry_run) {
      log(fmt::format("[{}/{}] would {}drop {} (trade dates {} to before {})", done, candidates.size(),
                      options.archive_dir ? "archive and " : "", qualified, action.from_date,
                      action.to_date));
      report.dropped.push_back(action);
      continue;
    }
    pqxx::work txn(conn);
    txn.exec0("SET LOCAL lock_timeout = '30s'");
    if (options.archive_dir) {
      const std::filesystem::path file = *options.archive_dir / action.table / (action.partition + ".csv");
      action.archived_rows = archivePartition(txn, action, file);
      action.archive_file = file;
      log(fmt::format("[{}/{}] archived {} ({} rows) to {}", done, candidates.size(), qualified,
                      *action.archived_rows, file.string()));
    }
    const std::string parent = txn.quote_name("audit") + "." + txn.quote_name(action.table);
    const std::string child = txn.quote_name("audit") + "." + txn.quote_name(action.partition);
    txn.exec0("ALTER TABLE " + parent + " DETACH PARTITION " + child);
    txn.exec0("DROP TABLE " + child);
    txn.commit();
    log(fmt::format("[{}/{}] detached and dropped {} (trade dates {} to before {})", done, candidates.size(),
                    qualified, action.from_date, action.to_date));
    report.dropped.push_back(action);
  }
  return report;
}

}  // namespace fixgate::audit_tools
