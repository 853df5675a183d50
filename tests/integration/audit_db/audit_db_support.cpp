#include "audit_db_support.h"

#include <fmt/format.h>

#include <stdexcept>

namespace fixgate::testing::audit_db {
namespace {

// One cluster for the whole binary: initdb and migrating cost seconds.
[[maybe_unused]] const ::testing::Environment* const kPostgres =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

}  // namespace

PostgresUnderTest& cluster() {
  return PostgresEnvironment::get();
}

std::unique_ptr<pqxx::connection> connect(Role role, const std::string& database) {
  return std::make_unique<pqxx::connection>(cluster().conninfo(role, database));
}

std::string errorOf(Role role, const std::string& sql, const std::string& database) {
  auto connection = connect(role, database);
  try {
    pqxx::work tx(*connection);
    tx.exec(sql);
    tx.commit();
  } catch (const pqxx::sql_error& e) {
    return e.what();
  }
  return "";
}

std::string queryValue(Role role, const std::string& sql, const std::string& database) {
  auto connection = connect(role, database);
  pqxx::work tx(*connection);
  const pqxx::result result = tx.exec(sql);
  tx.commit();
  if (result.size() != 1 || result.columns() != 1) {
    throw std::runtime_error(fmt::format("expected one value from `{}`, got {} rows", sql, result.size()));
  }
  return result[0][0].is_null() ? std::string("NULL") : result[0][0].as<std::string>();
}

std::string Day::iso() const {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string Day::compact() const {
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

std::string Day::sql() const {
  return fmt::format("DATE '{}'", iso());
}

std::int64_t Day::tsUs(std::int64_t micros_into_day) const {
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return static_cast<std::int64_t>(days) * kMicrosPerDay + micros_into_day;
}

Day Day::next() const {
  return Day{std::chrono::year_month_day(std::chrono::sys_days(date) + std::chrono::days(1))};
}

Day day(int year, unsigned month, unsigned day_of_month) {
  return Day{std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day_of_month))};
}

std::string insertSql(const std::string& table, const Day& day, std::int64_t seq) {
  const std::string key = fmt::format("{}, {}, {}", day.sql(), seq, day.tsUs(seq));
  if (table == "journal_records") {
    return fmt::format(
        "INSERT INTO audit.journal_records (trade_date, seq, ts_us, record_type, summary, hash) "
        "VALUES ({}, 'order_event', 'test row', repeat('0', 64))",
        key);
  }
  if (table == "fix_messages") {
    return fmt::format(
        "INSERT INTO audit.fix_messages (trade_date, seq, ts_us, session, direction, msg_seq_num, msg_type, "
        "raw) "
        "VALUES ({}, 'FIX.4.4:FIXGATE->ACME44', 'in', 2, 'D', '8=FIX.4.4|35=D|')",
        key);
  }
  if (table == "order_events") {
    return fmt::format(
        "INSERT INTO audit.order_events (trade_date, seq, ts_us, event_type, session, account, cl_ord_id, "
        "symbol, "
        "side, quantity, limit_price) VALUES ({}, 'new', 'ACME44', 'ACC1', 'ORD-{}', 'VOD.L', 'buy', 100, "
        "1.25)",
        key, seq);
  }
  if (table == "risk_decisions") {
    return fmt::format(
        "INSERT INTO audit.risk_decisions (trade_date, seq, ts_us, session, cl_ord_id, request, decision) "
        "VALUES ({}, 'ACME44', 'ORD-{}', 'new', 'accepted')",
        key, seq);
  }
  if (table == "config_versions") {
    return fmt::format(
        "INSERT INTO audit.config_versions (trade_date, seq, ts_us, kind, new_version, source, applied_by) "
        "VALUES ({}, 'limits', 'abc', 'limits.yaml', 'test')",
        key);
  }
  if (table == "trading_state_changes") {
    return fmt::format(
        "INSERT INTO audit.trading_state_changes (trade_date, seq, ts_us, scope, from_state, to_state, "
        "changed_by) "
        "VALUES ({}, 'global', 'open', 'halted', 'test')",
        key);
  }
  throw std::invalid_argument("insertSql: unknown audit table " + table);
}

void insertRowInEveryTable(const Day& day, std::int64_t first_seq) {
  auto connection = connect(Role::Writer);
  pqxx::work tx(*connection);
  tx.exec(fmt::format("SELECT audit.ensure_partitions({})", day.sql()));
  std::int64_t seq = first_seq;
  for (const std::string& table : kAuditTables) tx.exec(insertSql(table, day, seq++));
  tx.commit();
}

}  // namespace fixgate::testing::audit_db
