// Shared by the audit store tests: the one cluster of this test binary (PostgresEnvironment), connections
// per role, and rows for the six audit tables.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "postgres_under_test.h"

namespace fixgate::testing::audit_db {

using Role = PostgresUnderTest::Role;

// The six audit tables of sql/README.md, in its order.
inline const std::vector<std::string> kAuditTables = {"journal_records", "fix_messages",
                                                      "order_events",    "risk_decisions",
                                                      "config_versions", "trading_state_changes"};

[[nodiscard]] PostgresUnderTest& cluster();
[[nodiscard]] std::unique_ptr<pqxx::connection> connect(Role role, const std::string& database = "fixgate");

// Runs `sql` as `role` in a transaction and commits it. "" when that worked, else the error PostgreSQL gave.
[[nodiscard]] std::string errorOf(Role role, const std::string& sql, const std::string& database = "fixgate");
// The single value `sql` returns, as text, run as `role` (throws on error).
[[nodiscard]] std::string queryValue(Role role, const std::string& sql,
                                     const std::string& database = "fixgate");

// A trade date and the timestamps in it.
struct Day {
  std::chrono::year_month_day date;
  [[nodiscard]] std::string iso() const;      // 2030-01-05
  [[nodiscard]] std::string compact() const;  // 20300105, as in partition names
  [[nodiscard]] std::string sql() const;      // DATE '2030-01-05'
  [[nodiscard]] std::int64_t tsUs(std::int64_t micros_into_day = 0) const;
  [[nodiscard]] Day next() const;
};
[[nodiscard]] Day day(int year, unsigned month, unsigned day_of_month);

// INSERT of one minimal valid row into audit.<table> for `day` with sequence number `seq`.
[[nodiscard]] std::string insertSql(const std::string& table, const Day& day, std::int64_t seq);
// As the writer: ensure_partitions(day), then one row in every audit table (seq, seq+1, ...).
void insertRowInEveryTable(const Day& day, std::int64_t first_seq);

}  // namespace fixgate::testing::audit_db
