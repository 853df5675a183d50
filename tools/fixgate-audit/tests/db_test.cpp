// fixgate-audit against a real PostgreSQL 15 (PostgresUnderTest, migrated with sql/001..003): the hash-chain
// check, order lives, orders by account, the CSV export, retention, and who may run what.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "audit_test_data.h"
#include "common.h"
#include "order_queries.h"
#include "postgres_under_test.h"
#include "retention.h"
#include "verify.h"

namespace fixgate::audit_tools {
namespace {

using fixgate::testing::PostgresEnvironment;
using fixgate::testing::PostgresUnderTest;
using Role = PostgresUnderTest::Role;
using testing::AuditChainBuilder;
using testing::Fields;
using testing::utcMicros;

[[maybe_unused]] auto* const kPostgres = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

// Each test gets its own freshly migrated database, so tampering in one never shows in another.
class AuditDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    database_ = fmt::format("audit_{}_{}", counter++, info->name());
    for (auto& c : database_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& pg = PostgresEnvironment::get();
    pg.createDatabase(database_);
    const auto migrated = pg.migrate(database_);
    ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  }

  [[nodiscard]] std::string conninfo(Role role) const {
    return PostgresEnvironment::get().conninfo(role, database_);
  }
  [[nodiscard]] std::unique_ptr<pqxx::connection> connect(Role role) const {
    return connectAuditStore(conninfo(role));
  }
  void insert(AuditChainBuilder& chain) {
    auto writer = connect(Role::Writer);
    chain.insert(*writer);
  }
  // As the superuser with the append-only triggers off for this session: what an attacker with DBA rights
  // does.
  void tamper(const std::string& sql) {
    auto admin = connect(Role::Admin);
    pqxx::work txn(*admin);
    txn.exec0("SET LOCAL session_replication_role = replica");
    txn.exec0(sql);
    txn.commit();
  }
  [[nodiscard]] fixgate::testing::CommandResult runCli(const std::vector<std::string>& args) {
    auto& pg = PostgresEnvironment::get();
    return fixgate::testing::runCommand("fixgate-audit", FIXGATE_AUDIT_BINARY, args,
                                        pg.nextLogFile("fixgate-audit"), std::chrono::seconds(60));
  }

  // 40 records over two days: order events, FIX messages, risk decisions, journal-only records.
  void buildMixedChain(AuditChainBuilder& chain) {
    std::int64_t ts = utcMicros("2025-03-03 23:59:59.990000");
    for (int i = 0; i < 40; ++i) {
      ts += 1000;  // crosses midnight into 2025-03-04 after ten records
      switch (i % 4) {
        case 0:
          chain.orderEvent(ts, {{"event_type", "new"},
                                {"session", "CLIENT1"},
                                {"account", "ACC1"},
                                {"cl_ord_id", fmt::format("C{}", i)},
                                {"symbol", "VOD.L"},
                                {"side", "buy"},
                                {"limit_price", "101.50"},
                                {"quantity", "100"},
                                {"short_sell", "f"}});
          break;
        case 1:
          chain.fixMessage(ts, "CLIENT1",
                           fmt::format("8=FIX.4.4\x01"
                                       "35=D\x01"
                                       "11=C{}\x01",
                                       i),
                           std::to_string(i));
          break;
        case 2:
          chain.typed("risk_decisions", ts,
                      {{"session", "CLIENT1"},
                       {"account", "ACC1"},
                       {"cl_ord_id", fmt::format("C{}", i)},
                       {"request", "new"},
                       {"decision", "accepted"},
                       {"limits_version", "v1"}},
                      "risk");
          break;
        default:
          chain.journalOnly(ts, "heartbeat", fmt::format("tick {}", i));
      }
    }
    insert(chain);
  }

  std::string database_;
};

TEST_F(AuditDbTest, VerifyPassesOnAnIntactChain) {
  AuditChainBuilder chain;
  buildMixedChain(chain);
  auto compliance = connect(Role::Compliance);
  VerifyOptions options;
  options.batch_size = 7;  // several batches
  std::uint64_t progress_calls = 0;
  options.progress = [&](std::uint64_t, std::optional<std::uint64_t> total) {
    ++progress_calls;
    EXPECT_EQ(total, 40u);
  };
  const VerifyReport report = verifyChain(*compliance, options);
  EXPECT_TRUE(report.intact()) << report.first_break->detail;
  EXPECT_EQ(report.records_checked, 40u);
  EXPECT_EQ(report.first_seq, 1);
  EXPECT_EQ(report.last_seq, 40);
  EXPECT_FALSE(report.trusted_start);
  EXPECT_GE(progress_calls, 6u);

  const auto cli = runCli({"--db", conninfo(Role::Compliance), "verify"});
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("Chain intact: 40 records"), std::string::npos) << cli.output;
}

TEST_F(AuditDbTest, VerifyNamesAnAlteredOrderEvent) {
  AuditChainBuilder chain;
  buildMixedChain(chain);  // seq 17 is an order event (i = 16), on 2025-03-04
  tamper("UPDATE audit.order_events SET quantity = 1000 WHERE seq = 17");
  auto compliance = connect(Role::Compliance);
  const VerifyReport report = verifyChain(*compliance);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 17);
  EXPECT_EQ(report.first_break->kind, BreakKind::kAltered);
  EXPECT_EQ(report.first_break->trade_date, "2025-03-04");
  EXPECT_NE(report.first_break->table.find("order_events"), std::string::npos);
  EXPECT_EQ(report.last_seq, 16);

  const auto cli = runCli({"--db", conninfo(Role::Compliance), "verify"});
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_NE(cli.output.find("CHAIN BROKEN at seq 17 (trade date 2025-03-04"), std::string::npos)
      << cli.output;
  EXPECT_NE(cli.output.find("What to do"), std::string::npos) << cli.output;

  // The rest of the chain still verifies from the record after the break.
  VerifyOptions from;
  from.from_seq = 18;
  const VerifyReport rest = verifyChain(*compliance, from);
  EXPECT_TRUE(rest.intact());
  EXPECT_EQ(rest.records_checked, 23u);
  EXPECT_TRUE(rest.trusted_start);
}

TEST_F(AuditDbTest, VerifyNamesADeletedRecord) {
  AuditChainBuilder chain;
  buildMixedChain(chain);
  tamper("DELETE FROM audit.journal_records WHERE seq = 22");
  auto compliance = connect(Role::Compliance);
  const VerifyReport report = verifyChain(*compliance);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->kind, BreakKind::kMissing);
  EXPECT_EQ(report.first_break->seq, 22);
  EXPECT_NE(report.first_break->detail.find("record 22 is missing"), std::string::npos)
      << report.first_break->detail;
  EXPECT_EQ(report.last_seq, 21);
}

TEST_F(AuditDbTest, VerifyNamesSwappedPayloads) {
  AuditChainBuilder chain;
  buildMixedChain(chain);  // seq 26 and 30 are FIX messages (i = 25, 29)
  tamper(
      "UPDATE audit.fix_messages f SET raw = o.raw, msg_seq_num = o.msg_seq_num"
      "  FROM audit.fix_messages o"
      " WHERE (f.seq, o.seq) IN ((26, 30), (30, 26))");
  auto compliance = connect(Role::Compliance);
  const VerifyReport report = verifyChain(*compliance);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 26);
  EXPECT_NE(report.first_break->table.find("fix_messages"), std::string::npos);
}

TEST_F(AuditDbTest, VerifyNamesReorderedRecords) {
  AuditChainBuilder chain;
  buildMixedChain(chain);  // seq 4 and 8 are journal-only records on 2025-03-03
  tamper(
      "UPDATE audit.journal_records j SET ts_us = o.ts_us, summary = o.summary, record_type = o.record_type"
      "  FROM audit.journal_records o WHERE (j.seq, o.seq) IN ((4, 8), (8, 4))");
  auto compliance = connect(Role::Compliance);
  const VerifyReport report = verifyChain(*compliance);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 4);
  EXPECT_EQ(report.first_break->trade_date, "2025-03-03");
}

// One order, replaced twice, with its venue side; plus another client using the same first ClOrdID and an
// unrelated order, neither of which belongs to the life.
void buildOrderLives(AuditChainBuilder& chain) {
  std::int64_t ts = utcMicros("2025-05-06 09:00:00");
  const auto next = [&ts] { return ts += 1500; };
  const Fields client = {{"session", "CLIENT1"}, {"account", "ACC1"}, {"symbol", "VOD.L"}, {"side", "buy"}};
  const auto with = [](Fields base, const Fields& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  chain.orderEvent(
      next(),
      with(client,
           {{"event_type", "new"}, {"cl_ord_id", "A1"}, {"quantity", "100"}, {"limit_price", "101.5"}}));
  chain.orderEvent(next(), {{"event_type", "routed"},
                            {"session", "VENUE1"},
                            {"venue", "XLON"},
                            {"order_id", "GW-1"},
                            {"venue_cl_ord_id", "V-1"},
                            {"quantity", "100"}});
  chain.orderEvent(next(), {{"event_type", "new"},
                            {"session", "CLIENT2"},
                            {"account", "ACC2"},
                            {"cl_ord_id", "A1"},
                            {"symbol", "BP.L"},
                            {"quantity", "5"}});  // another client's A1
  chain.orderEvent(next(), {{"event_type", "venue-accepted"},
                            {"session", "VENUE1"},
                            {"venue", "XLON"},
                            {"venue_cl_ord_id", "V-1"},
                            {"venue_order_id", "X-900"}});  // venue ids only
  chain.orderEvent(
      next(),
      with(client,
           {{"event_type", "accepted"}, {"cl_ord_id", "A1"}, {"order_id", "GW-1"}, {"ord_status", "0"}}));
  chain.orderEvent(
      next(),
      with(client,
           {{"event_type", "modify"}, {"cl_ord_id", "A2"}, {"orig_cl_ord_id", "A1"}, {"quantity", "150"}}));
  chain.orderEvent(next(), {{"event_type", "new"},
                            {"session", "CLIENT1"},
                            {"account", "ACC1"},
                            {"cl_ord_id", "Z9"},
                            {"order_id", "GW-2"}});  // unrelated order
  chain.orderEvent(next(), {{"event_type", "venue-replace"},
                            {"session", "VENUE1"},
                            {"venue", "XLON"},
                            {"order_id", "GW-1"},
                            {"venue_cl_ord_id", "V-2"},
                            {"venue_order_id", "X-900"}});
  chain.orderEvent(next(), {{"event_type", "venue-replaced"},
                            {"session", "VENUE1"},
                            {"venue", "XLON"},
                            {"venue_cl_ord_id", "V-2"},
                            {"venue_order_id", "X-900"}});
  chain.orderEvent(next(), with(client, {{"event_type", "replaced"},
                                         {"cl_ord_id", "A2"},
                                         {"orig_cl_ord_id", "A1"},
                                         {"order_id", "GW-1"},
                                         {"ord_status", "5"}}));
  chain.orderEvent(
      next(),
      with(client,
           {{"event_type", "modify"}, {"cl_ord_id", "A3"}, {"orig_cl_ord_id", "A2"}, {"quantity", "200"}}));
  chain.orderEvent(next(), with(client, {{"event_type", "replaced"},
                                         {"cl_ord_id", "A3"},
                                         {"orig_cl_ord_id", "A2"},
                                         {"order_id", "GW-1"}}));
  chain.orderEvent(next(), {{"event_type", "venue-fill"},
                            {"session", "VENUE1"},
                            {"venue", "XLON"},
                            {"venue_cl_ord_id", "V-3"},
                            {"venue_order_id", "X-900"},
                            {"last_qty", "200"},
                            {"last_px", "101.25"}});
  chain.orderEvent(next(), with(client, {{"event_type", "fill"},
                                         {"cl_ord_id", "A3"},
                                         {"order_id", "GW-1"},
                                         {"last_qty", "200"},
                                         {"last_px", "101.25"},
                                         {"ord_status", "2"},
                                         {"cum_qty", "200"},
                                         {"leaves_qty", "0"}}));
}

std::vector<std::string> seqsOf(const Table& table) {
  std::vector<std::string> seqs;
  for (std::size_t r = 0; r < table.rows.size(); ++r) seqs.push_back(table.at(r, "seq").value_or("NULL"));
  return seqs;
}

TEST_F(AuditDbTest, OrderLifeAcrossTwoReplacesFromAnyId) {
  AuditChainBuilder chain;
  buildOrderLives(chain);
  insert(chain);
  auto compliance = connect(Role::Compliance);
  const std::vector<std::string> life = {"1", "2", "4", "5", "6", "8", "9", "10", "11", "12", "13", "14"};

  EXPECT_EQ(seqsOf(orderLife(*compliance, OrderKey::ClOrdId, "A1", std::string("CLIENT1"))), life);
  EXPECT_EQ(seqsOf(orderLife(*compliance, OrderKey::ClOrdId, "A3", std::nullopt)), life);
  EXPECT_EQ(seqsOf(orderLife(*compliance, OrderKey::VenueOrderId, "X-900", std::nullopt)), life);
  EXPECT_EQ(seqsOf(orderLife(*compliance, OrderKey::ClOrdId, "A1", std::string("CLIENT2"))),
            std::vector<std::string>{"3"});
  EXPECT_TRUE(orderLife(*compliance, OrderKey::ClOrdId, "nope", std::nullopt).rows.empty());

  // The view presents ts_us exactly, to the microsecond.
  const Table first = orderLife(*compliance, OrderKey::ClOrdId, "A3", std::nullopt);
  EXPECT_EQ(first.at(0, "ts").value_or(""), "2025-05-06 09:00:00.0015+00");

  const auto cli = runCli({"--db", conninfo(Role::Compliance), "order", "--cl-ord-id", "A3"});
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("12 events"), std::string::npos) << cli.output;
  EXPECT_NE(cli.output.find("2025-05-06 09:00:00.001500"), std::string::npos) << cli.output;
  EXPECT_NE(cli.output.find("X-900"), std::string::npos) << cli.output;
  const auto missing = runCli({"--db", conninfo(Role::Compliance), "order", "--venue-order-id", "nope"});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
}

TEST_F(AuditDbTest, OrdersByAccountInATimeRange) {
  AuditChainBuilder chain;
  const auto event = [&](const std::string& at, const std::string& account, const std::string& id) {
    chain.orderEvent(utcMicros(at), {{"event_type", "new"},
                                     {"session", "CLIENT1"},
                                     {"account", account},
                                     {"cl_ord_id", id},
                                     {"symbol", "VOD.L"}});
  };
  event("2025-05-05 23:59:59.999999", "ACC1", "before");
  event("2025-05-06 00:00:00", "ACC1", "first");
  event("2025-05-06 12:00:00", "ACC2", "other-account");
  event("2025-05-06 23:59:59.999999", "ACC1", "last");
  event("2025-05-07 00:00:00", "ACC1", "after");
  insert(chain);
  auto compliance = connect(Role::Compliance);
  OrderFilter filter;
  filter.account = "ACC1";
  filter.from_us = utcMicros("2025-05-06 00:00:00");
  filter.to_us = utcMicros("2025-05-07 00:00:00");
  const Table events = ordersInRange(*compliance, filter);
  ASSERT_EQ(events.rows.size(), 2u);
  EXPECT_EQ(events.at(0, "cl_ord_id"), "first");
  EXPECT_EQ(events.at(1, "cl_ord_id"), "last");

  const auto cli = runCli({"--db", conninfo(Role::Compliance), "orders", "--account", "ACC1", "--from",
                           "2025-05-06", "--to", "2025-05-06"});
  EXPECT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("2 order events"), std::string::npos) << cli.output;
  EXPECT_EQ(cli.output.find("before"), std::string::npos) << cli.output;
  EXPECT_EQ(cli.output.find("after"), std::string::npos) << cli.output;
}

std::size_t orderColumn(std::string_view name) {
  for (std::size_t i = 0; i < orderEventsColumns().size(); ++i) {
    if (orderEventsColumns()[i] == name) return i;
  }
  throw std::out_of_range(std::string(name));
}

// RFC 4180 reader for the round trip: returns records of fields (quoted "" stays "", unquoted empty is NULL).
std::vector<std::vector<std::optional<std::string>>> readCsv(const std::string& text) {
  std::vector<std::vector<std::optional<std::string>>> records(1);
  std::string field;
  bool quoted = false, in_quotes = false, any = false;
  const auto endField = [&] {
    records.back().push_back(quoted || !field.empty() ? std::optional<std::string>(field) : std::nullopt);
    field.clear();
    quoted = false;
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      in_quotes = quoted = true;
    } else if (c == ',') {
      endField();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      endField();
      records.emplace_back();
      ++i;
    } else {
      field += c;
      any = true;
    }
  }
  (void)any;
  if (records.back().empty()) records.pop_back();
  return records;
}

TEST_F(AuditDbTest, CsvExportRoundTripsAndQuotes) {
  AuditChainBuilder chain;
  std::int64_t ts = utcMicros("2025-05-06 10:00:00");
  for (int i = 0; i < 25; ++i) {
    chain.orderEvent(ts += 10, {{"event_type", "rejected"},
                                {"session", "CLIENT1"},
                                {"account", "ACC1"},
                                {"cl_ord_id", fmt::format("R{}", i)},
                                {"text", fmt::format("price 1,0{}: \"outside the collar\"\nline two", i)},
                                {"reject_code", ""},
                                {"limit_price", "1.000000001"}});
  }
  chain.orderEvent(ts += 10, {{"event_type", "new"}, {"session", "CLIENT1"}, {"account", "ACC2"}});
  insert(chain);
  const auto dir = PostgresEnvironment::get().dir() / database_;
  std::filesystem::create_directories(dir);
  const auto file = dir / "orders.csv";
  const auto cli = runCli({"--db", conninfo(Role::Compliance), "export", "--from", "2025-05-06", "--to",
                           "2025-05-07", "--account", "ACC1", "--out", file.string()});
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  EXPECT_NE(cli.output.find("exported 25 order records"), std::string::npos) << cli.output;
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto records = readCsv(text.str());
  ASSERT_EQ(records.size(), 26u);  // header + 25
  EXPECT_EQ(records[0].size(), orderEventsColumns().size());
  EXPECT_EQ(records[0][0], "trade_date");
  const auto column = orderColumn;
  EXPECT_EQ(records[1][column("text")], "price 1,00: \"outside the collar\"\nline two");
  EXPECT_EQ(records[1][column("reject_code")], "");     // empty string
  EXPECT_EQ(records[1][column("isin")], std::nullopt);  // NULL
  EXPECT_EQ(records[1][column("limit_price")], "1.000000001");
  EXPECT_EQ(records[25][column("cl_ord_id")], "R24");
}

TEST_F(AuditDbTest, RetentionDropsOnlyOldPartitionsAndArchivesThem) {
  AuditChainBuilder chain;
  chain.orderEvent(utcMicros("2015-01-05 10:00:00"), {{"event_type", "new"}, {"cl_ord_id", "old1"}});
  chain.journalOnly(utcMicros("2015-01-05 10:00:01"), "heartbeat", "old");
  chain.orderEvent(utcMicros("2015-01-06 10:00:00"), {{"event_type", "new"}, {"cl_ord_id", "old2"}});
  chain.orderEvent(utcMicros("2025-05-06 10:00:00"), {{"event_type", "new"}, {"cl_ord_id", "new1"}});
  chain.journalOnly(utcMicros("2025-05-06 10:00:01"), "heartbeat", "new");
  insert(chain);
  const auto archive = PostgresEnvironment::get().dir() / database_ / "archive";
  auto admin = connect(Role::Admin);
  const auto partitions = [&] {
    pqxx::read_transaction txn(*admin);
    std::vector<std::string> names;
    for (const auto& row :
         txn.exec("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                  "JOIN pg_class p ON p.oid = i.inhparent "
                  "WHERE p.relname = 'order_events' ORDER BY 1")) {
      names.emplace_back(row[0].c_str());
    }
    return names;
  };
  ASSERT_EQ(partitions(), (std::vector<std::string>{"order_events_20150105", "order_events_20150106",
                                                    "order_events_20250506"}));

  RetentionOptions dry;
  dry.keep_years = 5;
  dry.today = "2025-06-01";
  dry.dry_run = true;
  const RetentionReport planned = applyRetention(*admin, dry);
  EXPECT_EQ(planned.cutoff, "2020-06-01");
  EXPECT_EQ(planned.dropped.size(), 12u);  // 2 days x 6 tables
  EXPECT_EQ(partitions().size(), 3u);

  // The compliance role may not drop anything.
  auto compliance = connect(Role::Compliance);
  RetentionOptions real = dry;
  real.dry_run = false;
  real.archive_dir = archive;
  EXPECT_THROW((void)applyRetention(*compliance, real), pqxx::sql_error);

  std::vector<std::string> lines;
  real.log = [&](const std::string& line) { lines.push_back(line); };
  const RetentionReport done = applyRetention(*admin, real);
  ASSERT_EQ(done.dropped.size(), 12u);
  EXPECT_EQ(done.dropped.front().table, "journal_records");  // the journal goes first on each day
  EXPECT_EQ(partitions(), std::vector<std::string>{"order_events_20250506"});
  const auto file = archive / "order_events" / "order_events_20150105.csv";
  ASSERT_TRUE(std::filesystem::exists(file));
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto records = readCsv(text.str());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1][orderColumn("cl_ord_id")], "old1");
  EXPECT_TRUE(std::filesystem::exists(archive / "journal_records" / "journal_records_20150105.csv"));
  EXPECT_FALSE(lines.empty());

  // The chain now starts at seq 4, whose stored hash is trusted.
  const VerifyReport report = verifyChain(*compliance);
  EXPECT_TRUE(report.intact());
  ASSERT_TRUE(report.trusted_start);
  EXPECT_NE(report.trusted_start->find("retention"), std::string::npos);
  EXPECT_EQ(report.first_seq, 4);
  EXPECT_EQ(report.records_checked, 1u);

  RetentionOptions too_short = real;
  too_short.keep_years = 2;
  EXPECT_THROW((void)applyRetention(*admin, too_short), UsageError);
}

TEST_F(AuditDbTest, ComplianceReadsEverythingWriterCannotRead) {
  AuditChainBuilder chain;
  buildOrderLives(chain);
  insert(chain);
  const std::string compliance = conninfo(Role::Compliance);
  const std::string writer = conninfo(Role::Writer);
  const auto dir = PostgresEnvironment::get().dir() / database_;
  std::filesystem::create_directories(dir);
  const std::vector<std::vector<std::string>> reads = {
      {"order", "--cl-ord-id", "A1", "--session", "CLIENT1"},
      {"order", "--venue-order-id", "X-900"},
      {"orders", "--symbol", "VOD.L", "--from", "2025-05-06", "--to", "2025-05-07"},
      {"export", "--from", "2025-05-06", "--to", "2025-05-07", "--out", (dir / "all.csv").string()},
      {"verify"},
  };
  for (const auto& args : reads) {
    std::vector<std::string> as_compliance = {"--db", compliance};
    as_compliance.insert(as_compliance.end(), args.begin(), args.end());
    const auto ok = runCli(as_compliance);
    EXPECT_EQ(ok.exit_code, 0) << args[0] << ": " << ok.output;

    std::vector<std::string> as_writer = {"--db", writer};
    as_writer.insert(as_writer.end(), args.begin(), args.end());
    const auto refused = runCli(as_writer);
    EXPECT_EQ(refused.exit_code, 2) << args[0] << ": " << refused.output;
    EXPECT_NE(refused.output.find("fixgate_compliance"), std::string::npos) << refused.output;
  }
  auto w = connect(Role::Writer);
  pqxx::read_transaction txn(*w);
  // The writer reads (trade_date, seq) to resume (005), never the contents.
  EXPECT_THROW(txn.exec("SELECT account FROM audit.order_events"), pqxx::sql_error);
}

TEST_F(AuditDbTest, CliUsageAndConnectionErrorsExitTwo) {
  const auto no_db = runCli({"--db", "host=/nonexistent-dir port=1 dbname=x", "verify"});
  EXPECT_EQ(no_db.exit_code, 2) << no_db.output;
  EXPECT_NE(no_db.output.find("cannot connect to the audit database"), std::string::npos) << no_db.output;
  const auto bad_time = runCli({"--db", conninfo(Role::Compliance), "orders", "--account", "A", "--from",
                                "yesterday", "--to", "2025-01-01"});
  EXPECT_EQ(bad_time.exit_code, 2) << bad_time.output;
  EXPECT_NE(bad_time.output.find("is not a UTC time"), std::string::npos) << bad_time.output;
  const auto no_command = runCli({"--db", conninfo(Role::Compliance)});
  EXPECT_EQ(no_command.exit_code, 2) << no_command.output;
  const auto help = runCli({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.output;
}

}  // namespace
}  // namespace fixgate::audit_tools
