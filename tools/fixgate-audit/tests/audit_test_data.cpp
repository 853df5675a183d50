#include "audit_test_data.h"

#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "audit/chain.h"
#include "common.h"

namespace fixgate::audit_tools::testing {

namespace {

const std::vector<std::string_view>& columnsOf(const std::string& table) {
  for (const auto& t : typedTables()) {
    if (t.name == table) return t.columns;
  }
  throw std::invalid_argument("no audit table " + table);
}

}  // namespace

AuditChainBuilder::AuditChainBuilder() : prev_hash_(audit::kGenesisHash) {}

std::int64_t AuditChainBuilder::journalOnly(std::int64_t ts_us, const std::string& record_type,
                                            const std::string& summary) {
  return add(ts_us, record_type, summary, "", {});
}

std::int64_t AuditChainBuilder::typed(const std::string& table, std::int64_t ts_us, const Fields& fields,
                                      const std::string& record_type) {
  return add(ts_us, record_type, fmt::format("{} record", table), table, fields);
}

std::int64_t AuditChainBuilder::add(std::int64_t ts_us, const std::string& record_type,
                                    const std::string& summary, const std::string& table,
                                    const Fields& fields) {
  const std::int64_t seq = next_seq_++;
  const std::string trade_date = utcDateOf(ts_us);
  Pending record;
  record.journal = {trade_date, std::to_string(seq), std::to_string(ts_us), record_type, summary};
  std::string canonical;
  audit::appendCanonicalLine(canonical, record.journal);
  if (!table.empty()) {
    record.table = table;
    const auto& columns = columnsOf(table);
    record.typed.assign(columns.size(), std::nullopt);
    record.typed[0] = trade_date;
    record.typed[1] = std::to_string(seq);
    record.typed[2] = std::to_string(ts_us);
    for (const auto& [name, value] : fields) {
      bool found = false;
      for (std::size_t i = 3; i < columns.size(); ++i) {
        if (columns[i] == name) {
          record.typed[i] = value;
          found = true;
        }
      }
      if (!found) throw std::invalid_argument(fmt::format("{} has no column {}", table, name));
    }
    canonical.append(table).append("\t");
    audit::appendCanonicalLine(canonical, audit::chainedValues(table, record.typed));
  }
  prev_hash_ = audit::chainHash(prev_hash_, canonical);
  record.journal.emplace_back(prev_hash_);
  pending_.push_back(std::move(record));
  return seq;
}

void AuditChainBuilder::insert(pqxx::connection& writer) {
  pqxx::work txn(writer);
  std::set<std::string> days;
  for (const auto& record : pending_) days.insert(*record.journal[0]);
  for (const auto& day : days) txn.exec_params("SELECT audit.ensure_partitions($1::date)", day);
  for (const auto& record : pending_) {
    const auto& j = record.journal;
    txn.exec_params(
        "INSERT INTO audit.journal_records (trade_date, seq, ts_us, record_type, summary, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        j[0], j[1], j[2], j[3], j[4], j[5]);
    if (record.table.empty()) continue;
    const auto& columns = columnsOf(record.table);
    std::string names, placeholders;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i != 0) {
        names += ", ";
        placeholders += ", ";
      }
      names += columns[i];
      placeholders += fmt::format("${}", i + 1);
    }
    txn.exec_params(fmt::format("INSERT INTO audit.{} ({}) VALUES ({})", record.table, names, placeholders),
                    pqxx::prepare::make_dynamic_params(record.typed));
  }
  txn.commit();
  pending_.clear();
}

std::int64_t utcMicros(const std::string& text) {
  return parseUtcTime(text, "test time");
}

}  // namespace fixgate::audit_tools::testing
