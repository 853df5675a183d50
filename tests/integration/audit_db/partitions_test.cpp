// Day partitions: audit.ensure_partitions(d) creates d's partition of every audit table once (later calls
// change nothing), a row lands in the partition of its trade_date, queries by trade_date read only that
// partition, and a row whose day has no partition, or whose trade_date is not the UTC date of its ts_us, is
// refused.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit_db_support.h"

namespace fixgate::testing::audit_db {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Partitions, EnsurePartitionsCreatesEachDayOnceAndIsIdempotent) {
  const Day d = day(2031, 6, 1);
  EXPECT_EQ(queryValue(Role::Writer, fmt::format("SELECT audit.ensure_partitions({})", d.sql())), "6");
  EXPECT_EQ(queryValue(Role::Writer, fmt::format("SELECT audit.ensure_partitions({})", d.sql())), "0");
  EXPECT_EQ(queryValue(Role::Admin, fmt::format("SELECT audit.ensure_partitions({})", d.sql())), "0");

  auto connection = connect(Role::Admin);
  pqxx::work tx(*connection);
  for (const std::string& table : kAuditTables) {
    const std::string partition = fmt::format("{}_{}", table, d.compact());
    const auto rows = tx.exec(fmt::format(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), "
        "       (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'refuse_truncate') "
        "  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        " WHERE i.inhparent = 'audit.{}'::regclass AND c.relname = {}",
        table, tx.quote(partition)));
    ASSERT_EQ(rows.size(), 1u) << partition << " is not a partition of audit." << table;
    EXPECT_EQ(rows[0][1].as<std::string>(),
              fmt::format("FOR VALUES FROM ('{}') TO ('{}')", d.iso(), d.next().iso()));
    EXPECT_EQ(rows[0][2].as<int>(), 1) << partition << " lacks its TRUNCATE trigger";
  }
}

TEST(Partitions, ARowLandsInItsDayAndQueriesByDayReadOnlyThatPartition) {
  const Day d = day(2031, 6, 2);
  insertRowInEveryTable(d, 1);
  insertRowInEveryTable(d.next(), 1);

  auto connection = connect(Role::Compliance);
  pqxx::work tx(*connection);
  for (const std::string& table : kAuditTables) {
    for (const Day& which : {d, d.next()}) {
      EXPECT_EQ(tx.exec(fmt::format("SELECT tableoid::regclass::text FROM audit.{} WHERE trade_date = {}",
                                    table, which.sql()))[0][0]
                    .as<std::string>(),
                fmt::format("audit.{}_{}", table, which.compact()));
    }
    std::string plan;
    for (const auto& row : tx.exec(fmt::format(
             "EXPLAIN (COSTS OFF) SELECT * FROM audit.{} WHERE trade_date = {}", table, d.sql()))) {
      plan += row[0].as<std::string>() + "\n";
    }
    EXPECT_THAT(plan, HasSubstr(fmt::format("{}_{}", table, d.compact())));
    EXPECT_THAT(plan, Not(HasSubstr(fmt::format("{}_{}", table, d.next().compact())))) << plan;
  }
}

TEST(Partitions, ARowForADayWithoutPartitionIsRefused) {
  const Day d = day(2031, 6, 4);
  const std::string error = errorOf(Role::Writer, insertSql("order_events", d, 1));
  EXPECT_THAT(error, HasSubstr("no partition of relation \"order_events\" found for row"));
}

TEST(Partitions, TradeDateMustBeTheUtcDateOfTheTimestamp) {
  const Day d = day(2031, 6, 5);
  ASSERT_EQ(queryValue(Role::Writer, fmt::format("SELECT audit.ensure_partitions({})", d.sql())), "6");
  // The last microsecond of the day belongs to it; the next one does not.
  EXPECT_EQ(
      errorOf(Role::Writer, fmt::format("INSERT INTO audit.order_events (trade_date, seq, ts_us, event_type) "
                                        "VALUES ({}, 1, {}, 'new')",
                                        d.sql(), d.next().tsUs() - 1)),
      "");
  EXPECT_THAT(
      errorOf(Role::Writer, fmt::format("INSERT INTO audit.order_events (trade_date, seq, ts_us, event_type) "
                                        "VALUES ({}, 2, {}, 'new')",
                                        d.sql(), d.next().tsUs())),
      HasSubstr("violates check constraint"));
}

TEST(Partitions, ContractValuesAreEnforced) {
  const Day d = day(2031, 6, 6);
  ASSERT_EQ(queryValue(Role::Writer, fmt::format("SELECT audit.ensure_partitions({})", d.sql())), "6");
  EXPECT_THAT(
      errorOf(Role::Writer, fmt::format("INSERT INTO audit.order_events (trade_date, seq, ts_us, event_type) "
                                        "VALUES ({}, 1, {}, 'bogus')",
                                        d.sql(), d.tsUs())),
      HasSubstr("order_events_event_type_check"));
  EXPECT_THAT(
      errorOf(Role::Writer, fmt::format("INSERT INTO audit.fix_messages (trade_date, seq, ts_us, session, "
                                        "direction, msg_type, raw) VALUES ({}, 1, {}, 'S', 'sideways', "
                                        "'D', 'x')",
                                        d.sql(), d.tsUs())),
      HasSubstr("fix_messages_direction_check"));
  // msg_seq_num may be NULL (a message that never got one).
  EXPECT_EQ(
      errorOf(Role::Writer, fmt::format("INSERT INTO audit.fix_messages (trade_date, seq, ts_us, session, "
                                        "direction, msg_seq_num, msg_type, raw) VALUES ({}, 2, {}, 'S', "
                                        "'out', NULL, '0', 'x')",
                                        d.sql(), d.tsUs())),
      "");
}

// The chain hash is 64 lower-hex digits: nothing shorter, longer, upper-case or non-hex (005 rewrote the
// check without the counted repetition; it must refuse the same values).
TEST(Partitions, JournalHashMustBe64LowerHexDigits) {
  const Day d = day(2031, 6, 7);
  ASSERT_EQ(queryValue(Role::Writer, fmt::format("SELECT audit.ensure_partitions({})", d.sql())), "6");
  const auto insert = [&](int seq, const std::string& hash) {
    return errorOf(Role::Writer, fmt::format("INSERT INTO audit.journal_records (trade_date, seq, ts_us, "
                                             "record_type, hash) VALUES ({}, {}, {}, 'x', '{}')",
                                             d.sql(), seq, d.tsUs(), hash));
  };
  EXPECT_EQ(insert(1, std::string(64, 'a')), "");
  EXPECT_EQ(insert(2, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), "");
  for (const std::string& bad : {std::string(63, 'a'), std::string(65, 'a'), std::string(64, 'A'),
                                 std::string(63, 'a') + "g", std::string(63, 'a') + "\n", std::string()})
    EXPECT_THAT(insert(3, bad), HasSubstr("journal_records_hash_check")) << bad;
}

TEST(Partitions, ANullDateIsRefusedWithAReason) {
  EXPECT_THAT(errorOf(Role::Writer, "SELECT audit.ensure_partitions(NULL)"), HasSubstr("the date is NULL"));
}

}  // namespace
}  // namespace fixgate::testing::audit_db
