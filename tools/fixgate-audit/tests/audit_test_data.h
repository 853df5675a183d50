// Builds audit-store contents with a correct hash chain (src/audit/chain.h), for the fixgate-audit tests.
// Values are given exactly as PostgreSQL prints them in text format (bigint in decimal, numeric as inserted,
// boolean t/f, date YYYY-MM-DD); a column left out is NULL. Records are inserted through the writer role.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

namespace fixgate::audit_tools::testing {

// column name -> value as PostgreSQL prints it
using Fields = std::vector<std::pair<std::string, std::string>>;

class AuditChainBuilder {
 public:
  // The next record gets seq 1, chained to the genesis hash.
  AuditChainBuilder();

  // One journal record with no typed row.
  std::int64_t journalOnly(std::int64_t ts_us, const std::string& record_type, const std::string& summary);
  // One journal record and its typed row in `table` (every column not in `fields` but trade_date, seq and
  // ts_us is NULL). Returns the record's seq.
  std::int64_t typed(const std::string& table, std::int64_t ts_us, const Fields& fields,
                     const std::string& record_type);
  std::int64_t orderEvent(std::int64_t ts_us, const Fields& fields) {
    return typed("order_events", ts_us, fields, "order");
  }
  std::int64_t fixMessage(std::int64_t ts_us, const std::string& session, const std::string& raw,
                          const std::string& msg_seq_num = "1") {
    return typed("fix_messages", ts_us,
                 {{"session", session},
                  {"direction", "in"},
                  {"msg_seq_num", msg_seq_num},
                  {"msg_type", "D"},
                  {"raw", raw}},
                 "fix");
  }

  // Inserts the records added since the last call as `writer` (audit.ensure_partitions for each new day
  // first), in one transaction.
  void insert(pqxx::connection& writer);

  [[nodiscard]] std::int64_t lastSeq() const { return next_seq_ - 1; }
  [[nodiscard]] const std::string& lastHash() const { return prev_hash_; }

 private:
  struct Pending {
    std::vector<std::optional<std::string>> journal;  // with hash last
    std::string table;                                // empty: no typed row
    std::vector<std::optional<std::string>> typed;
  };
  std::int64_t add(std::int64_t ts_us, const std::string& record_type, const std::string& summary,
                   const std::string& table, const Fields& fields);

  std::int64_t next_seq_ = 1;
  std::string prev_hash_;
  std::vector<Pending> pending_;
};

// Microseconds since the epoch of a UTC "YYYY-MM-DD HH:MM:SS[.ffffff]".
[[nodiscard]] std::int64_t utcMicros(const std::string& text);

}  // namespace fixgate::audit_tools::testing
