#include "verify.h"

#include <charconv>

#include <fmt/format.h>

#include "audit/chain.h"

namespace fixgate::audit_tools {

namespace {

std::int64_t toInt64(const Value& v, std::string_view what) {
  std::int64_t out = 0;
  if (!v || std::from_chars(v->data(), v->data() + v->size(), out).ec != std::errc{}) {
    throw std::runtime_error(fmt::format("{} is not a number ({})", what, v ? *v : "NULL"));
  }
  return out;
}

// SELECT list: the journal row (hash last), then every column of every typed table, in the contract's order,
// each table LEFT JOINed on the record's (trade_date, seq). Values come back as PostgreSQL prints them.
std::string walkQuery() {
  std::string select = "SELECT j.trade_date, j.seq, j.ts_us, j.record_type, j.summary, j.hash";
  std::string joins;
  const auto& tables = typedTables();
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const std::string alias = fmt::format("t{}", t);
    for (const auto column : tables[t].columns) select += fmt::format(", {}.{}", alias, column);
    joins += fmt::format(" LEFT JOIN audit.{0} {1} ON {1}.trade_date = j.trade_date AND {1}.seq = j.seq",
                         tables[t].name, alias);
  }
  return select + " FROM audit.journal_records j" + joins + " WHERE j.seq >= $1 ORDER BY j.seq, j.trade_date";
}

std::string shortHash(const Value& v) {
  return v ? v->substr(0, 16) + "…" : std::string("NULL");
}

std::string afterBreakAdvice(std::int64_t resume_seq) {
  return fmt::format(
      "Do not modify the store. Compare the rows named with the gateway's write-ahead journal or the last "
      "backup, restore them from there, and report the break to compliance. `fixgate-audit verify --from-seq "
      "{}` checks the rest of the chain.",
      resume_seq);
}

}  // namespace

std::string_view toString(BreakKind kind) {
  switch (kind) {
    case BreakKind::kAltered:
      return "altered";
    case BreakKind::kMissing:
      return "deleted";
    case BreakKind::kReordered:
      return "reordered";
    case BreakKind::kMalformed:
      return "malformed";
  }
  return "unknown";
}

VerifyReport verifyChain(pqxx::connection& conn, const VerifyOptions& options) {
  VerifyReport report;
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(conn);

  std::string prev_hash(audit::kGenesisHash);
  std::int64_t start_seq = 1;
  if (options.from_seq && *options.from_seq > 1) {
    const std::int64_t from = *options.from_seq;
    const pqxx::result prev = txn.exec_params(
        "SELECT hash, trade_date FROM audit.journal_records WHERE seq = $1 ORDER BY trade_date", from - 1);
    if (prev.empty()) {
      const pqxx::result first = txn.exec("SELECT min(seq) FROM audit.journal_records");
      throw UsageError(fmt::format(
          "--from-seq {}: record {} is not in the store, so there is no stored hash to start from. Start at "
          "a "
          "seq whose predecessor is present (the first record present is {}), or omit --from-seq.",
          from, from - 1, first[0][0].is_null() ? std::string("none") : first[0][0].c_str()));
    }
    prev_hash = prev[0][0].c_str();
    start_seq = from;
    report.trusted_start = fmt::format(
        "started at seq {} as asked, trusting the stored hash of seq {} (trade date {}); records before it "
        "were not checked",
        from, from - 1, prev[0][1].c_str());
  } else {
    const pqxx::result first =
        txn.exec("SELECT seq, trade_date, hash FROM audit.journal_records ORDER BY seq, trade_date LIMIT 1");
    if (first.empty()) {
      txn.commit();
      return report;  // nothing stored: trivially intact
    }
    const std::int64_t first_seq = first[0][0].as<std::int64_t>();
    if (first_seq > 1) {
      // Retention dropped the earliest day partitions: the first present record is the new anchor.
      prev_hash = first[0][2].c_str();
      start_seq = first_seq + 1;
      report.first_seq = first_seq;
      report.last_seq = first_seq;
      report.last_trade_date = first[0][1].c_str();
      report.trusted_start = fmt::format(
          "records 1..{} are not in the store (the earliest day partitions were dropped by retention); the "
          "walk starts at seq {} (trade date {}), trusting its stored hash",
          first_seq - 1, first_seq, first[0][1].c_str());
    }
  }

  std::optional<std::uint64_t> total;
  if (options.progress) {
    const pqxx::result max = txn.exec("SELECT max(seq) FROM audit.journal_records");
    if (!max[0][0].is_null()) {
      const auto last = max[0][0].as<std::int64_t>();
      total = last >= start_seq ? static_cast<std::uint64_t>(last - start_seq + 1) : 0;
    }
  }

  Cursor cursor(txn, "fixgate_audit_verify", walkQuery(), start_seq);
  const auto& tables = typedTables();
  constexpr std::size_t kJournalValues = 5;  // without hash
  constexpr std::size_t kHashIndex = 5;

  std::int64_t expected = start_seq;
  std::optional<std::int64_t> prev_ts;
  std::optional<std::string> prev_trade_date;
  std::string canonical;
  std::vector<Value> values;

  const auto stop = [&](BreakKind kind, std::int64_t seq, std::string trade_date, std::string table,
                        std::string detail, std::int64_t resume) {
    report.first_break = ChainBreak{
        kind, seq, std::move(trade_date), std::move(table), std::move(detail), afterBreakAdvice(resume)};
  };

  while (!report.first_break) {
    const pqxx::result batch = cursor.fetch(options.batch_size);
    if (batch.empty()) break;
    for (const auto& row : batch) {
      values = rowValues(row);
      const std::int64_t seq = toInt64(values[1], "journal_records.seq");
      const std::string trade_date = values[0].value_or("NULL");
      if (!report.first_seq) report.first_seq = seq;
      if (seq < expected) {
        stop(
            BreakKind::kReordered, seq, trade_date, "journal_records",
            fmt::format("seq {} appears more than once (trade dates {} and {}): a record was copied or moved",
                        seq, prev_trade_date.value_or("?"), trade_date),
            seq + 1);
        break;
      }
      if (seq > expected) {
        stop(
            BreakKind::kMissing, expected, trade_date, "journal_records",
            seq - expected == 1
                ? fmt::format("record {} is missing: the chain goes from seq {} to seq {} (trade date {})",
                              expected, expected - 1, seq, trade_date)
                : fmt::format("records {}..{} ({} records) are missing: the chain goes from seq {} to seq {} "
                              "(trade date {})",
                              expected, seq - 1, seq - expected, expected - 1, seq, trade_date),
            seq + 1);
        break;
      }

      canonical.clear();
      audit::appendCanonicalLine(canonical, std::span<const Value>(values.data(), kJournalValues));
      std::size_t offset = kJournalValues + 1;
      std::vector<std::string_view> typed_found;
      std::optional<std::int64_t> typed_ts;
      for (const auto& table : tables) {
        const std::span<const Value> typed(values.data() + offset, table.columns.size());
        if (typed[1].has_value()) {  // seq is part of the primary key: present iff the row exists
          typed_found.push_back(table.name);
          canonical.append(table.name).append("\t");
          audit::appendCanonicalLine(canonical, audit::chainedValues(table.name, typed));
          if (typed[2]) typed_ts = toInt64(typed[2], "ts_us");
        }
        offset += table.columns.size();
      }
      if (typed_found.size() > 1) {
        stop(BreakKind::kMalformed, seq, trade_date, fmt::format("{} and {}", typed_found[0], typed_found[1]),
             fmt::format("seq {} has rows in {} typed tables ({}, {}); the contract allows one: a row was "
                         "inserted afterwards",
                         seq, typed_found.size(), typed_found[0], typed_found[1]),
             seq + 1);
        break;
      }

      const std::string computed = audit::chainHash(prev_hash, canonical);
      const Value& stored = values[kHashIndex];
      const std::int64_t ts = toInt64(values[2], "journal_records.ts_us");
      if (!stored || computed != *stored) {
        const std::string table = typed_found.empty()
                                      ? std::string("journal_records")
                                      : fmt::format("journal_records and {}", typed_found.front());
        std::string detail = fmt::format("stored hash {} but the rows as stored hash to {}",
                                         shortHash(stored), shortHash(computed));
        BreakKind kind = BreakKind::kAltered;
        if (prev_ts && ts < *prev_ts) {
          kind = BreakKind::kReordered;
          detail +=
              fmt::format("; its time {} is before the previous record's {}: records were swapped or moved",
                          formatUtcMicros(ts), formatUtcMicros(*prev_ts));
        } else if (typed_ts && *typed_ts != ts) {
          detail += fmt::format(
              "; its {} row has ts_us {} but the journal record has {}: rows were swapped "
              "between records or edited",
              typed_found.front(), *typed_ts, ts);
        } else {
          detail += "; a value of this record was changed (or its stored hash was)";
        }
        stop(kind, seq, trade_date, table, std::move(detail), seq + 1);
        break;
      }

      prev_hash = *stored;
      prev_ts = ts;
      prev_trade_date = trade_date;
      report.last_seq = seq;
      report.last_trade_date = trade_date;
      ++report.records_checked;
      ++expected;
    }
    if (options.progress) options.progress(report.records_checked, total);
  }
  txn.commit();
  return report;
}

void printVerifyReport(std::ostream& out, const VerifyReport& report) {
  if (report.trusted_start) out << "note: " << *report.trusted_start << ".\n";
  if (!report.first_seq) {
    out << "The audit store holds no journal records: nothing to verify.\n";
    return;
  }
  if (report.intact()) {
    out << fmt::format("Chain intact: {} records verified, seq {}..{} (last trade date {}).\n",
                       report.records_checked, *report.first_seq, report.last_seq.value_or(*report.first_seq),
                       report.last_trade_date.value_or("?"));
    out << "Records deleted after the last one stored cannot be seen from the chain alone: compare the last "
           "seq with the gateway journal's.\n";
    return;
  }
  const ChainBreak& b = *report.first_break;
  out << fmt::format("CHAIN BROKEN at seq {} (trade date {}, {}): record {}.\n", b.seq, b.trade_date, b.table,
                     toString(b.kind));
  out << "  " << b.detail << ".\n";
  if (report.last_seq) {
    out << fmt::format("  The chain is intact up to seq {} ({} records verified).\n", *report.last_seq,
                       report.records_checked);
  }
  out << "  What to do: " << b.what_to_do << "\n";
}

}  // namespace fixgate::audit_tools
