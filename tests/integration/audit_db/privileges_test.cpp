// Who may do what in schema audit: the writer inserts and reads only what it needs to resume; compliance
// reads everything and writes nothing; UPDATE, DELETE and TRUNCATE are refused by grants for both, and by
// triggers even for the owner (fixgate_admin, a superuser), on the tables and on their partitions.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit_db_support.h"

namespace fixgate::testing::audit_db {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kTriggerRefusal = "audit record change refused";

TEST(WriterRole, InsertsIntoEveryAuditTable) {
  const Day d = day(2031, 5, 1);
  auto connection = connect(Role::Writer);
  pqxx::work tx(*connection);
  tx.exec(fmt::format("SELECT audit.ensure_partitions({})", d.sql()));
  std::int64_t seq = 1;
  for (const std::string& table : kAuditTables) {
    EXPECT_NO_THROW(tx.exec(insertSql(table, d, seq++))) << table;
  }
  tx.commit();
  for (const std::string& table : kAuditTables) {
    EXPECT_EQ(queryValue(Role::Compliance,
                         fmt::format("SELECT count(*) FROM audit.{} WHERE trade_date = {}", table, d.sql())),
              "1")
        << table;
  }
}

TEST(WriterRole, UpdateDeleteAndTruncateAreDeniedByGrants) {
  const Day d = day(2031, 5, 2);
  insertRowInEveryTable(d, 1);
  for (const std::string& table : kAuditTables) {
    const std::string denied = fmt::format("permission denied for table {}", table);
    EXPECT_THAT(errorOf(Role::Writer, fmt::format("UPDATE audit.{} SET ts_us = ts_us + 1", table)),
                HasSubstr(denied));
    EXPECT_THAT(errorOf(Role::Writer, fmt::format("DELETE FROM audit.{}", table)), HasSubstr(denied));
    EXPECT_THAT(errorOf(Role::Writer, fmt::format("TRUNCATE audit.{}", table)), HasSubstr(denied));
    // Nor on the day's partition directly.
    const std::string partition = fmt::format("{}_{}", table, d.compact());
    EXPECT_THAT(errorOf(Role::Writer, fmt::format("DELETE FROM audit.{}", partition)),
                HasSubstr(fmt::format("permission denied for table {}", partition)));
  }
  EXPECT_EQ(queryValue(Role::Compliance,
                       fmt::format("SELECT count(*) FROM audit.order_events WHERE trade_date = {}", d.sql())),
            "1");
}

TEST(WriterRole, ReadsOnlyTheResumeColumns) {
  const Day d = day(2031, 5, 3);
  insertRowInEveryTable(d, 7);
  EXPECT_EQ(
      queryValue(Role::Writer,
                 fmt::format("SELECT max(seq) FROM audit.journal_records WHERE trade_date = {}", d.sql())),
      "7");
  EXPECT_THAT(errorOf(Role::Writer, "SELECT trade_date, seq, hash FROM audit.journal_records"), IsEmpty());
  EXPECT_THAT(errorOf(Role::Writer, "SELECT summary FROM audit.journal_records"),
              HasSubstr("permission denied for table journal_records"));
  EXPECT_THAT(errorOf(Role::Writer, "SELECT * FROM audit.order_events"),
              HasSubstr("permission denied for table order_events"));
  EXPECT_THAT(errorOf(Role::Writer, "SELECT raw FROM audit.fix_messages"),
              HasSubstr("permission denied for table fix_messages"));
  // The shipper resumes each typed table from its last seq (005): (trade_date, seq) only.
  for (const std::string& table : kAuditTables) {
    const auto last_seq = fmt::format("SELECT max(seq) FROM audit.{} WHERE trade_date = {}", table, d.sql());
    EXPECT_EQ(queryValue(Role::Writer, last_seq), queryValue(Role::Admin, last_seq)) << table;
    EXPECT_NE(queryValue(Role::Writer, last_seq), "") << table;
  }
  EXPECT_THAT(errorOf(Role::Writer, "SELECT account FROM audit.order_events"),
              HasSubstr("permission denied for table order_events"));
  EXPECT_THAT(errorOf(Role::Writer, "SELECT * FROM audit.schema_migrations"),
              HasSubstr("permission denied for table schema_migrations"));
  EXPECT_THAT(errorOf(Role::Writer, fmt::format("SELECT * FROM audit.order_events_{}", d.compact())),
              HasSubstr("permission denied"));
}

TEST(WriterRole, CannotCreateAnything) {
  EXPECT_THAT(errorOf(Role::Writer, "CREATE TABLE audit.mine (a integer)"),
              HasSubstr("permission denied for schema audit"));
  EXPECT_THAT(errorOf(Role::Writer, "CREATE TEMPORARY TABLE mine (a integer)"),
              HasSubstr("permission denied to create temporary tables"));
  EXPECT_THAT(errorOf(Role::Writer, "CREATE TABLE public.mine (a integer)"),
              HasSubstr("permission denied for schema public"));
}

TEST(OwnerRole, UpdateDeleteAndTruncateAreRefusedByTriggers) {
  const Day d = day(2031, 5, 4);
  insertRowInEveryTable(d, 1);
  for (const std::string& table : kAuditTables) {
    const std::string partition = fmt::format("{}_{}", table, d.compact());
    for (const std::string& target : {table, partition}) {
      SCOPED_TRACE(target);
      const std::string update =
          errorOf(Role::Admin, fmt::format("UPDATE audit.{} SET ts_us = ts_us + 1", target));
      EXPECT_THAT(update, HasSubstr(kTriggerRefusal));
      EXPECT_THAT(update, HasSubstr("UPDATE on audit."));
      EXPECT_THAT(errorOf(Role::Admin, fmt::format("DELETE FROM audit.{}", target)),
                  HasSubstr(kTriggerRefusal));
      const std::string truncate = errorOf(Role::Admin, fmt::format("TRUNCATE audit.{}", target));
      EXPECT_THAT(truncate, HasSubstr(kTriggerRefusal));
      EXPECT_THAT(truncate, HasSubstr(fmt::format("TRUNCATE on audit.{}", target)));
    }
    EXPECT_EQ(queryValue(Role::Admin, fmt::format("SELECT count(*) FROM audit.{}", partition)), "1") << table;
  }
  // The migration history is append-only as well.
  EXPECT_THAT(errorOf(Role::Admin, "DELETE FROM audit.schema_migrations"), HasSubstr(kTriggerRefusal));
  EXPECT_THAT(errorOf(Role::Admin, "UPDATE audit.schema_migrations SET sha256 = repeat('0', 64)"),
              HasSubstr(kTriggerRefusal));
}

TEST(ComplianceRole, ReadsEveryTablePartitionAndView) {
  const Day d = day(2031, 5, 5);
  insertRowInEveryTable(d, 1);
  for (const std::string& table : kAuditTables) {
    EXPECT_THAT(errorOf(Role::Compliance, fmt::format("SELECT * FROM audit.{}", table)), IsEmpty()) << table;
    // Partitions made later by audit.ensure_partitions are readable directly too (default privileges).
    EXPECT_THAT(errorOf(Role::Compliance, fmt::format("SELECT * FROM audit.{}_{}", table, d.compact())),
                IsEmpty())
        << table;
  }
  EXPECT_THAT(errorOf(Role::Compliance, "SELECT * FROM audit.schema_migrations"), IsEmpty());
  auto connection = connect(Role::Admin);
  pqxx::work tx(*connection);
  const auto views = tx.exec("SELECT table_name FROM information_schema.views WHERE table_schema = 'audit'");
  for (const auto& row : views) {
    const auto view = row[0].as<std::string>();
    EXPECT_THAT(errorOf(Role::Compliance, fmt::format("SELECT * FROM audit.{}", view)), IsEmpty()) << view;
  }
}

TEST(ComplianceRole, WritesNothing) {
  const Day d = day(2031, 5, 6);
  insertRowInEveryTable(d, 1);
  for (const std::string& table : kAuditTables) {
    const std::string denied = fmt::format("permission denied for table {}", table);
    EXPECT_THAT(errorOf(Role::Compliance, insertSql(table, d, 100)), HasSubstr(denied));
    EXPECT_THAT(errorOf(Role::Compliance, fmt::format("UPDATE audit.{} SET ts_us = ts_us", table)),
                HasSubstr(denied));
    EXPECT_THAT(errorOf(Role::Compliance, fmt::format("DELETE FROM audit.{}", table)), HasSubstr(denied));
    EXPECT_THAT(errorOf(Role::Compliance, fmt::format("TRUNCATE audit.{}", table)), HasSubstr(denied));
  }
  EXPECT_THAT(errorOf(Role::Compliance, fmt::format("SELECT audit.ensure_partitions({})", d.next().sql())),
              HasSubstr("permission denied for function ensure_partitions"));
  EXPECT_THAT(errorOf(Role::Compliance, "CREATE TABLE audit.mine (a integer)"),
              HasSubstr("permission denied for schema audit"));
}

}  // namespace
}  // namespace fixgate::testing::audit_db
