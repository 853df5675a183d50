// `fixgate-audit retention`: drops the day partitions of every audit table that are older than the retention
// period (MiFID II: at least 5 years, 7 when the authority asks), optionally archiving each one as CSV first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common.h"

namespace fixgate::audit_tools {

inline constexpr int kMinRetentionYears = 5;

struct RetentionOptions {
  int keep_years = kMinRetentionYears;
  std::optional<std::filesystem::path> archive_dir;  // DIR/<table>/<partition>.csv before each drop
  bool dry_run = false;
  std::optional<std::string> today;             // YYYY-MM-DD (UTC); the current date when unset
  std::function<void(const std::string&)> log;  // one line per step
};

struct PartitionAction {
  std::string table;      // journal_records, order_events, ...
  std::string partition;  // the day partition's name
  std::string from_date;  // first trade_date it holds
  std::string to_date;    // first trade_date it does not hold
  std::optional<std::uint64_t> archived_rows;
  std::optional<std::filesystem::path> archive_file;
};

struct RetentionReport {
  std::string cutoff;                    // partitions ending on or before this date are dropped
  std::vector<PartitionAction> dropped;  // (or, for a dry run, that would be)
  std::vector<std::string> skipped;      // partitions whose bounds are not a date range (e.g. DEFAULT)
};

// The first trade date kept: `today` minus `keep_years` years (29 February becomes 28 February).
[[nodiscard]] std::string retentionCutoff(const std::string& today, int keep_years);

// Detaches and drops, oldest first and journal_records before the typed tables of the same day (so that a
// run cut short never leaves a journal record without its typed row), every partition entirely before the
// cutoff. Each partition is archived (file written and synced) and dropped in one transaction. Needs the role
// that owns the audit tables. Throws UsageError for a retention period under kMinRetentionYears.
RetentionReport applyRetention(pqxx::connection& conn, const RetentionOptions& options);

}  // namespace fixgate::audit_tools
