// The shipper against a real PostgreSQL (PostgresUnderTest) and a real journal in a temp dir: every seq
// exactly once with an intact hash chain, through server stops and kills, shipper restarts, and only up to
// the journal's durable seq. Every wait is bounded.
#include "audit/shipper.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "journal/journal.h"
#include "postgres_under_test.h"
#include "record_mix.h"
#include "temp_dir.h"

namespace fixgate::audit {
namespace {

using testing::PostgresEnvironment;
using testing::PostgresUnderTest;
using Role = PostgresUnderTest::Role;
using namespace std::chrono_literals;

[[maybe_unused]] const ::testing::Environment* const kPostgres =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
// 2030-01-05 09:30 UTC; each test uses its own database, so days may repeat across tests.
constexpr std::int64_t kStartTs = 1'893'835'800'000'000;

const Names kNames{.session_names = {"acme-fix44"}, .venue_names = {"XPAR-SIM"}, .instruments = {}};

// A fresh migrated database per test, so each starts from an empty audit store.
std::string freshDatabase(const std::string& name) {
  auto& pg = PostgresEnvironment::get();
  pg.createDatabase(name);
  const auto result = pg.migrate(name);
  if (result.exit_code != 0) throw std::runtime_error("migrate failed: " + result.output);
  return name;
}

class JournalFixture {
 public:
  explicit JournalFixture(const std::string& name) : dir_(testing::makeTempDir("shipper-" + name)) {
    journal::JournalSettings settings;
    settings.directory = dir_ / "journal";
    settings.segment_bytes = 1 << 20;  // several segments for a few thousand records
    settings.flush = journal::FlushPolicy::Interval;
    settings.flush_interval_ms = 2;
    auto opened = journal::Journal::open(settings);
    if (!opened) throw std::runtime_error(opened.error().message);
    journal_ = std::move(*opened);
  }
  ~JournalFixture() {
    journal_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Appends records [next, next + n) of the mix; `day_every` > 0 moves to the next day every that many.
  void append(std::uint64_t n, std::uint64_t day_every = 0) {
    for (std::uint64_t k = 0; k < n; ++k, ++next_) {
      const auto record = testing::shipper::mixRecord(next_);
      std::int64_t ts = kStartTs + static_cast<std::int64_t>(next_) * 10;
      if (day_every > 0) ts += static_cast<std::int64_t>(next_ / day_every) * kMicrosPerDay;
      auto seq = journal_->append(static_cast<std::uint16_t>(record.type), ts, record.bytes());
      if (!seq) throw std::runtime_error(seq.error().message);
    }
  }
  void commit() { ASSERT_TRUE(journal_->commit().has_value()); }

  [[nodiscard]] journal::Journal& journal() { return *journal_; }
  [[nodiscard]] std::filesystem::path directory() const { return dir_ / "journal"; }
  [[nodiscard]] std::function<std::uint64_t()> durable() {
    return [j = journal_.get()] { return j->counters().durable_seq; };
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<journal::Journal> journal_;
  std::uint64_t next_ = 0;
};

ShipperSettings settingsFor(const std::string& database, const std::filesystem::path& journal_dir,
                            std::size_t batch = 500) {
  ShipperSettings s;
  s.conninfo = PostgresEnvironment::get().conninfo(Role::Writer, database);
  s.journal_directory = journal_dir;
  s.batch_max_records = batch;
  s.poll_interval = 5ms;
  s.retry_backoff_initial = 20ms;
  s.retry_backoff_max = 200ms;
  s.connect_timeout = 2s;
  return s;
}

// What the store holds, read back as text by the admin, and the chain recomputed from it as verify does.
struct StoreCheck {
  std::uint64_t rows = 0;
  std::uint64_t max_seq = 0;
  std::uint64_t typed_rows = 0;
  std::string problem;  // empty when every seq 1..max_seq is there once and the chain holds
};

StoreCheck checkStore(const std::string& database) {
  pqxx::connection c(PostgresEnvironment::get().conninfo(Role::Admin, database));
  pqxx::work tx(c);
  StoreCheck check;
  // Typed rows by seq: table name and every column as text.
  std::map<std::uint64_t, std::pair<std::string, std::vector<Value>>> typed;
  for (const std::string table :
       {"fix_messages", "order_events", "risk_decisions", "config_versions", "trading_state_changes"}) {
    for (const auto& row : tx.exec("SELECT * FROM audit." + table + " ORDER BY seq")) {
      std::vector<Value> values;
      for (const auto& field : row) values.push_back(field.is_null() ? Value() : Value(field.c_str()));
      const auto seq = row[1].as<std::uint64_t>();
      if (!typed.emplace(seq, std::make_pair(table, std::move(values))).second && check.problem.empty())
        check.problem = fmt::format("seq {} has two typed rows", seq);
      ++check.typed_rows;
    }
  }
  std::string prev(kGenesisHash);
  std::uint64_t expected_seq = 1;
  for (const auto& row : tx.exec("SELECT trade_date, seq, ts_us, record_type, summary, hash "
                                 "FROM audit.journal_records ORDER BY seq")) {
    const auto seq = row[1].as<std::uint64_t>();
    ++check.rows;
    check.max_seq = seq;
    if (seq != expected_seq && check.problem.empty())
      check.problem = fmt::format("expected seq {}, found {} (duplicate or gap)", expected_seq, seq);
    expected_seq = seq + 1;
    std::vector<Value> values;
    for (int i = 0; i < 5; ++i) values.push_back(row[i].is_null() ? Value() : Value(row[i].c_str()));
    std::string canonical;
    appendCanonicalLine(canonical, values);
    if (const auto it = typed.find(seq); it != typed.end()) {
      canonical += it->second.first + "\t";
      appendCanonicalLine(canonical, chainedValues(it->second.first, it->second.second));
    }
    const std::string hash = chainHash(prev, canonical);
    if (hash != row[5].c_str() && check.problem.empty())
      check.problem = fmt::format("hash of seq {} does not chain", seq);
    prev = row[5].c_str();
  }
  return check;
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

TEST(Shipper, ShipsEveryRecordOnceWithAnIntactChain) {
  const auto db = freshDatabase("ship_basic");
  JournalFixture j("basic");
  j.append(3000, 1000);  // three trade dates: partitions created on the way
  j.commit();
  Shipper shipper(settingsFor(db, j.directory()), j.durable(), kNames);
  shipper.start();
  ASSERT_TRUE(shipper.waitShipped(3000, 60s)) << shipper.progress().last_error;
  j.append(1000, 1000);  // the live tail, on a fourth day
  j.commit();
  ASSERT_TRUE(shipper.waitShipped(4000, 60s)) << shipper.progress().last_error;
  shipper.stop();
  const auto p = shipper.progress();
  EXPECT_EQ(p.shipped_seq, 4000u);
  EXPECT_EQ(p.records_shipped, 4000u);
  EXPECT_GE(p.batches, 8u);
  EXPECT_EQ(p.undecodable, 0u);

  const auto check = checkStore(db);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.rows, 4000u);
  EXPECT_EQ(check.max_seq, 4000u);
  EXPECT_EQ(check.typed_rows, 4000u);  // every record of the mix has a typed row
  pqxx::connection c(PostgresEnvironment::get().conninfo(Role::Admin, db));
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(DISTINCT trade_date) FROM audit.journal_records")[0].as<int>(), 4);
  const auto row =
      tx.exec1("SELECT event_type, session, limit_price, short_sell FROM audit.order_events WHERE seq = 2");
  EXPECT_EQ(fmt::format("{} {} {} {}", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str()),
            "new acme-fix44 101.25 f");
}

TEST(Shipper, EveryConnectionCountShipsTheSameStore) {
  for (const std::size_t connections : {1u, 2u, 3u}) {
    SCOPED_TRACE(fmt::format("{} connection(s)", connections));
    const auto db = freshDatabase(fmt::format("ship_connections_{}", connections));
    JournalFixture j(fmt::format("connections-{}", connections));
    j.append(2000, 700);  // three trade dates
    j.commit();
    auto settings = settingsFor(db, j.directory(), 300);
    settings.connections = connections;
    Shipper shipper(settings, j.durable(), kNames);
    shipper.start();
    ASSERT_TRUE(shipper.waitShipped(2000, 60s)) << shipper.progress().last_error;
    shipper.stop();
    EXPECT_EQ(shipper.progress().errors, 0u) << shipper.progress().last_error;
    const auto check = checkStore(db);
    EXPECT_EQ(check.problem, "");
    EXPECT_EQ(check.rows, 2000u);
    EXPECT_EQ(check.typed_rows, 2000u);
  }
}

// The state a crash can leave with parallel connections: the typed tables committed batches whose
// journal_records transaction did not (it commits last). Made here by deleting the journal_records tail as
// superuser with triggers off. The next shipper resumes from journal_records, skips the typed rows already
// there, and the store ends with every seq once and the same chain.
TEST(Shipper, ResumesWhenTypedTablesAreAheadOfJournalRecords) {
  const auto db = freshDatabase("ship_typed_ahead");
  JournalFixture j("typed-ahead");
  j.append(1000);
  j.commit();
  {
    Shipper first(settingsFor(db, j.directory(), 100), j.durable(), kNames);
    first.start();
    ASSERT_TRUE(first.waitShipped(1000, 60s)) << first.progress().last_error;
    first.stop();
  }
  {
    pqxx::connection c(PostgresEnvironment::get().conninfo(Role::Admin, db));
    pqxx::work tx(c);
    tx.exec0("SET LOCAL session_replication_role = replica");  // the append-only triggers stay quiet
    EXPECT_EQ(tx.exec0("DELETE FROM audit.journal_records WHERE seq > 750").affected_rows(), 250);
    // One typed table is a little behind the others, as when its connection was the slowest.
    tx.exec0("DELETE FROM audit.order_events WHERE seq > 900");
    tx.commit();
  }
  j.append(200);
  j.commit();
  Shipper second(settingsFor(db, j.directory(), 100), j.durable(), kNames);
  second.start();
  ASSERT_TRUE(second.waitShipped(1200, 60s)) << second.progress().last_error;
  second.stop();
  EXPECT_EQ(second.progress().errors, 0u) << second.progress().last_error;
  EXPECT_EQ(second.progress().records_shipped, 450u);  // 751..1200
  const auto check = checkStore(db);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.rows, 1200u);
  EXPECT_EQ(check.typed_rows, 1200u);
}

TEST(Shipper, CatchesUpAfterPostgresIsStoppedAndKilled) {
  const auto db = freshDatabase("ship_outage");
  auto& pg = PostgresEnvironment::get();
  JournalFixture j("outage");
  Shipper shipper(settingsFor(db, j.directory(), 200), j.durable(), kNames);
  shipper.start();

  // Records keep arriving from a "gateway" thread throughout.
  std::atomic<bool> appending{true};
  std::thread gateway([&] {
    while (appending.load()) {
      j.append(50);
      std::this_thread::sleep_for(5ms);
    }
  });
  ASSERT_TRUE(waitUntil([&] { return shipper.progress().shipped_seq >= 1000; }, 60s))
      << shipper.progress().last_error;

  pg.stop();  // fast shutdown
  ASSERT_TRUE(waitUntil([&] { return shipper.progress().errors > 0; }, 30s));
  std::this_thread::sleep_for(300ms);
  pg.start();
  const auto after_stop = j.journal().lastSeq();
  ASSERT_TRUE(waitUntil([&] { return shipper.progress().shipped_seq >= after_stop; }, 60s))
      << shipper.progress().last_error;

  pg.kill();  // immediate: like a crash, possibly in the middle of a COPY or a COMMIT
  const auto errors_before = shipper.progress().errors;
  ASSERT_TRUE(waitUntil([&] { return shipper.progress().errors > errors_before; }, 30s));
  std::this_thread::sleep_for(300ms);
  pg.start();

  appending.store(false);
  gateway.join();
  j.commit();
  const auto last = j.journal().lastSeq();
  ASSERT_TRUE(waitUntil([&] { return j.journal().counters().durable_seq >= last; }, 10s));
  ASSERT_TRUE(shipper.waitShipped(last, 120s)) << shipper.progress().last_error;
  shipper.stop();
  EXPECT_TRUE(shipper.progress().last_error.size() > 0);

  const auto check = checkStore(db);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.rows, last);
  EXPECT_EQ(check.max_seq, last);
}

TEST(Shipper, RestartedShipperResumesWithoutDuplicates) {
  const auto db = freshDatabase("ship_restart");
  JournalFixture j("restart");
  j.append(2000);
  j.commit();
  {
    Shipper first(settingsFor(db, j.directory(), 100), j.durable(), kNames);
    first.start();
    ASSERT_TRUE(waitUntil([&] { return first.progress().shipped_seq >= 500; }, 60s));
    first.stop();  // mid-stream
    EXPECT_LT(first.progress().shipped_seq, 2000u);
  }
  j.append(500);
  j.commit();
  Shipper second(settingsFor(db, j.directory(), 100), j.durable(), kNames);
  second.start();
  ASSERT_TRUE(second.waitShipped(2500, 60s)) << second.progress().last_error;
  second.stop();
  const auto check = checkStore(db);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.rows, 2500u);
}

TEST(Shipper, ShipsOnlyUpToTheDurableSeq) {
  const auto db = freshDatabase("ship_durable");
  JournalFixture j("durable");
  j.append(1000);
  j.commit();
  std::atomic<std::uint64_t> durable{600};
  Shipper shipper(
      settingsFor(db, j.directory()), [&] { return durable.load(); }, kNames);
  shipper.start();
  ASSERT_TRUE(shipper.waitShipped(600, 60s)) << shipper.progress().last_error;
  std::this_thread::sleep_for(200ms);  // it must not go further
  EXPECT_EQ(shipper.progress().shipped_seq, 600u);
  EXPECT_EQ(checkStore(db).max_seq, 600u);
  durable.store(1000);
  ASSERT_TRUE(shipper.waitShipped(1000, 60s));
  shipper.stop();
  const auto check = checkStore(db);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.rows, 1000u);
}

TEST(Shipper, StopIsBoundedWhilePostgresIsDown) {
  const auto db = freshDatabase("ship_stop");
  JournalFixture j("stop");
  j.append(10);
  j.commit();
  auto settings = settingsFor(db, j.directory());
  settings.conninfo = "host=/nonexistent-socket-dir dbname=fixgate user=fixgate_writer";
  Shipper shipper(settings, j.durable(), kNames);
  shipper.start();
  ASSERT_TRUE(waitUntil([&] { return shipper.progress().errors >= 2; }, 10s));
  EXPECT_FALSE(shipper.progress().connected);
  EXPECT_NE(shipper.progress().last_error.find("connecting to PostgreSQL"), std::string::npos);
  const auto before = std::chrono::steady_clock::now();
  shipper.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
}

}  // namespace
}  // namespace fixgate::audit
