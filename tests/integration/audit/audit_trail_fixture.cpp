#include "audit_trail_fixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <thread>

#include "journal/journal_reader.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"

namespace fixgate::testing {
namespace {

[[maybe_unused]] const auto* const kPostgres = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

constexpr const char* kBeginString = "FIX.4.4";
constexpr const char* kSession = "C44A";

std::string databaseNameOfCurrentTest() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "e2e_" + std::string(info->name());
  for (char& c : name) {
    c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  }
  return name.substr(0, 63);
}

}  // namespace

std::string text(const pqxx::field& field) {
  return field.is_null() ? std::string("<NULL>") : std::string(field.c_str());
}

void AuditTrailTest::SetUp() {
  database_ = databaseNameOfCurrentTest();
  ASSERT_NO_THROW(cluster().createDatabase(database_));
  const CommandResult migrated = cluster().migrate(database_);
  ASSERT_EQ(migrated.exit_code, 0) << "fixgate-db migrate of " << database_ << " failed:\n"
                                   << migrated.output;
}

void AuditTrailTest::TearDown() {
  if (HasFailure()) {
    std::cerr << "received by " << kSession << ":\n" << receivedSoFar();
    std::cerr << "PostgreSQL log (" << cluster().clusterDir().string() << "):\n"
              << cluster().serverLogTail(40) << "\n";
  }
  // The client logs out while the gateway still runs; the gateway goes last (and keeps its dir on failure).
  client_.reset();
  gateway_.reset();
}

::testing::AssertionResult AuditTrailTest::startGateway(GatewayOptions options) {
  options.audit_database = conninfo(PostgresUnderTest::Role::Writer);
  gateway_ = std::make_unique<GatewayUnderTest>(std::move(options));
  return gateway_->start();
}

client::FixClient& AuditTrailTest::client() {
  if (!client_) client_ = gateway_->connectClient(kBeginString, kSession);
  return *client_;
}

void AuditTrailTest::stopClient() {
  if (client_) client_->stop();
}

std::optional<FIX::Message> AuditTrailTest::sendAndAwait(FIX::Message message, const std::string& cl_ord_id) {
  const int seq = client().send(std::move(message));
  if (seq == 0) {
    ADD_FAILURE() << "could not send " << cl_ord_id << ": the session is not logged on";
    return std::nullopt;
  }
  return client().waitFor(client::answerTo(cl_ord_id, seq), kAnswerTimeout);
}

::testing::AssertionResult AuditTrailTest::placeOrder(const std::string& cl_ord_id, const std::string& symbol,
                                                      char side, const std::string& qty,
                                                      const std::string& price, std::string* order_id) {
  const auto answer =
      sendAndAwait(client::newOrderSingle(client::FixVersion::Fix44,
                                          client::limitOrder(cl_ord_id, symbol, side, qty, price)),
                   cl_ord_id);
  if (!answer) {
    return ::testing::AssertionFailure()
           << "no answer to order " << cl_ord_id << " within " << kAnswerTimeout.count() << " ms; received:\n"
           << receivedSoFar();
  }
  if (!client::isExecReport(*answer, "0")) {
    return ::testing::AssertionFailure()
           << "order " << cl_ord_id << " was not accepted (ExecType 0): " << client::toLine(*answer);
  }
  if (order_id != nullptr) *order_id = client::field(*answer, FIX::FIELD::OrderID).value_or("");
  return ::testing::AssertionSuccess();
}

std::string AuditTrailTest::receivedSoFar() const {
  if (!client_) return "  (no client)\n";
  std::string lines;
  for (const FIX::Message& m : client_->received()) lines += "  " + client::toLine(m) + "\n";
  return lines.empty() ? "  (nothing)\n" : lines;
}

std::optional<std::uint64_t> AuditTrailTest::journalLastSeq() {
  auto reader = journal::JournalReader::open(gateway_->dir() / "data" / "journal", 1);
  if (!reader) {
    ADD_FAILURE() << "cannot open the gateway's journal in "
                  << (gateway_->dir() / "data" / "journal").string();
    return std::nullopt;
  }
  std::uint64_t last = 0;
  for (;;) {
    auto record = reader->next();
    if (!record) {
      ADD_FAILURE() << "the gateway's journal does not read back after seq " << last;
      return std::nullopt;
    }
    if (!record->has_value()) return last;
    last = (*record)->seq;
  }
}

::testing::AssertionResult AuditTrailTest::waitForAudit(std::uint64_t seq,
                                                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last_error = "none";
  std::int64_t held = -1;
  for (;;) {
    try {
      pqxx::connection connection(conninfo(PostgresUnderTest::Role::Compliance));
      pqxx::read_transaction tx(connection);
      held = tx.exec1("SELECT coalesce(max(seq), 0) FROM audit.journal_records")[0].as<std::int64_t>();
      if (held >= static_cast<std::int64_t>(seq)) return ::testing::AssertionSuccess();
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return ::testing::AssertionFailure()
             << "the audit store did not reach journal seq " << seq << " within " << timeout.count()
             << " ms: it holds up to seq " << held << " (last database error: " << last_error << ")\n"
             << gateway_->diagnostics(40);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

AuditSeqs AuditTrailTest::auditSeqs() {
  AuditSeqs seqs;
  pqxx::connection connection(conninfo(PostgresUnderTest::Role::Compliance));
  pqxx::read_transaction tx(connection);
  const pqxx::row totals = tx.exec1(
      "SELECT count(*), count(DISTINCT seq), coalesce(min(seq), 0), coalesce(max(seq), 0) "
      "FROM audit.journal_records");
  seqs.count = totals[0].as<std::int64_t>();
  seqs.distinct = totals[1].as<std::int64_t>();
  seqs.min_seq = totals[2].as<std::int64_t>();
  seqs.max_seq = totals[3].as<std::int64_t>();
  for (const pqxx::row& row : tx.exec(
           "SELECT seq FROM audit.journal_records GROUP BY seq HAVING count(*) > 1 ORDER BY seq LIMIT 20")) {
    seqs.duplicated.push_back(row[0].as<std::int64_t>());
  }
  return seqs;
}

::testing::AssertionResult AuditTrailTest::everySeqExactlyOnce(const AuditSeqs& seqs,
                                                               std::uint64_t journal_last,
                                                               bool journal_may_grow) {
  const auto last = static_cast<std::int64_t>(journal_last);
  const bool reaches_the_journal = journal_may_grow ? seqs.max_seq >= last : seqs.max_seq == last;
  if (journal_last == 0 || !reaches_the_journal || seqs.count != seqs.max_seq ||
      seqs.distinct != seqs.count || seqs.min_seq != 1 || !seqs.duplicated.empty()) {
    return ::testing::AssertionFailure() << fmt::format(
               "audit.journal_records should hold seqs 1..{}{} (the journal's) exactly once; it holds {} "
               "rows, "
               "{} distinct seqs, min {}, max {}, duplicated seqs [{}]",
               journal_last, journal_may_grow ? " or more" : "", seqs.count, seqs.distinct, seqs.min_seq,
               seqs.max_seq, fmt::join(seqs.duplicated, ", "));
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult AuditTrailTest::auditHoldsTheWholeJournal() {
  const auto last = journalLastSeq();
  if (!last) return ::testing::AssertionFailure() << "the gateway's journal cannot be read";
  if (auto caught_up = waitForAudit(*last); !caught_up) return caught_up;
  return everySeqExactlyOnce(auditSeqs(), *last);
}

CommandResult AuditTrailTest::runVerify() {
  return runCommand("fixgate-audit-verify", FIXGATE_AUDIT_BINARY,
                    {"--db", conninfo(PostgresUnderTest::Role::Compliance), "verify"},
                    cluster().nextLogFile("fixgate-audit-verify"), std::chrono::seconds(60));
}

}  // namespace fixgate::testing
