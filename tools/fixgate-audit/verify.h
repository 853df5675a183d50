// `fixgate-audit verify`: recomputes the hash chain of the audit store (sql/README.md) from the rows as they
// are stored and names the first record that was altered, deleted or reordered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common.h"

namespace fixgate::audit_tools {

struct VerifyOptions {
  std::optional<std::int64_t> from_seq;  // start here, trusting the stored hash of from_seq - 1
  std::size_t batch_size = 5000;         // rows per FETCH from the server-side cursor
  ProgressFn progress;                   // records checked so far, of about how many
};

enum class BreakKind {
  kAltered,    // the recomputed hash differs from the stored one
  kMissing,    // a gap in seq: records were deleted
  kReordered,  // seq goes backwards or repeats, or a record's time runs before its predecessor's
  kMalformed,  // a record's rows break the contract (two typed rows, a typed row for another record)
};

[[nodiscard]] std::string_view toString(BreakKind kind);

struct ChainBreak {
  BreakKind kind = BreakKind::kAltered;
  std::int64_t seq = 0;    // the first record that does not verify (for a gap: the first missing seq)
  std::string trade_date;  // of the record named (for a gap: of the record after it)
  std::string table;       // where to look: journal_records and/or the typed table
  std::string detail;      // what was found
  std::string what_to_do;
};

struct VerifyReport {
  std::uint64_t records_checked = 0;
  std::optional<std::int64_t> first_seq;  // first record walked
  std::optional<std::int64_t> last_seq;   // last record verified intact
  std::optional<std::string> last_trade_date;
  // Set when the walk started after seq 1 (retention dropped the earliest partitions, or --from-seq): the
  // stored hash the walk started from was trusted, not recomputed.
  std::optional<std::string> trusted_start;
  std::optional<ChainBreak> first_break;

  [[nodiscard]] bool intact() const { return !first_break.has_value(); }
};

// Walks audit.journal_records in seq order, with each record's typed row, inside one read-only snapshot.
// Throws UsageError when from_seq is not in the store, and pqxx errors on database failures.
[[nodiscard]] VerifyReport verifyChain(pqxx::connection& conn, const VerifyOptions& options = {});

// The report as the CLI prints it (a few lines ending in the verdict).
void printVerifyReport(std::ostream& out, const VerifyReport& report);

}  // namespace fixgate::audit_tools
