// The fixture of the audit-trail end-to-end tests: one private PostgreSQL cluster per test process
// (PostgresEnvironment), a fresh database migrated by fixgate-db for each test, and a real gateway with SIM-A
// (resting) and SIM-B (partial fills) whose audit shipper writes into that database as fixgate_writer. What
// the audit holds is read as fixgate_compliance, and judged against the gateway's own journal
// (data_dir/journal) and by the fixgate-audit binary.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "fix_client.h"
#include "gateway_under_test.h"
#include "postgres_under_test.h"

namespace fixgate::testing {

// How long a test waits for any one answer from the gateway.
inline constexpr std::chrono::milliseconds kAnswerTimeout{5000};
// How long the audit store may take to catch up with the journal (outages included).
inline constexpr std::chrono::milliseconds kAuditCatchUpTimeout{60000};

// What the audit store holds of audit.journal_records.
struct AuditSeqs {
  std::int64_t count = 0;
  std::int64_t distinct = 0;
  std::int64_t min_seq = 0;
  std::int64_t max_seq = 0;
  std::vector<std::int64_t> duplicated;  // seqs stored more than once (GROUP BY seq HAVING count > 1)
};

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  [[nodiscard]] static PostgresUnderTest& cluster() { return PostgresEnvironment::get(); }
  // The test's own database, e.g. "e2e_everymessageisaudited".
  [[nodiscard]] const std::string& database() const { return database_; }
  [[nodiscard]] std::string conninfo(PostgresUnderTest::Role role) const {
    return cluster().conninfo(role, database_);
  }

  // Starts the gateway and simulators with `options`, audit.database set to this test's database as
  // fixgate_writer. Use as ASSERT_TRUE(startGateway()).
  [[nodiscard]] ::testing::AssertionResult startGateway(GatewayOptions options = {});
  [[nodiscard]] GatewayUnderTest& gateway() { return *gateway_; }
  // A FIX.4.4 client on session C44A, connected on first use.
  [[nodiscard]] client::FixClient& client();
  // Logs the client out and stops it (before the gateway stops).
  void stopClient();

  // Sends `message` and waits for the gateway's answer to it (see client::answerTo).
  [[nodiscard]] std::optional<FIX::Message> sendAndAwait(FIX::Message message, const std::string& cl_ord_id);
  // Sends a FIX.4.4 limit order and checks it was accepted (ExecType 0); returns its OrderID (37) in
  // `order_id` when given.
  [[nodiscard]] ::testing::AssertionResult placeOrder(const std::string& cl_ord_id, const std::string& symbol,
                                                      char side, const std::string& qty,
                                                      const std::string& price,
                                                      std::string* order_id = nullptr);
  [[nodiscard]] std::string receivedSoFar() const;

  // The last seq of the gateway's journal (data_dir/journal), read from its files: 0 when empty. Fails the
  // test (and returns nullopt) when the journal cannot be read.
  [[nodiscard]] std::optional<std::uint64_t> journalLastSeq();
  // Waits (bounded) until audit.journal_records holds seq `seq`; connection errors (PostgreSQL down or
  // recovering) are retried until the deadline.
  [[nodiscard]] ::testing::AssertionResult waitForAudit(
      std::uint64_t seq, std::chrono::milliseconds timeout = kAuditCatchUpTimeout);
  // The stop of the gateway leaves the journal final: waits until the audit holds all of it, then checks
  // that it holds every seq 1..last exactly once.
  [[nodiscard]] ::testing::AssertionResult auditHoldsTheWholeJournal();
  [[nodiscard]] AuditSeqs auditSeqs();
  // Seqs 1..max each exactly once (count == max, min 1, no duplicates) and max == journal_last - or, with
  // `journal_may_grow` (the gateway still runs), max >= journal_last.
  [[nodiscard]] static ::testing::AssertionResult everySeqExactlyOnce(const AuditSeqs& seqs,
                                                                      std::uint64_t journal_last,
                                                                      bool journal_may_grow = false);

  // A query as fixgate_compliance (read-only), with $1, $2... bound to `params`.
  template <typename... Params>
  [[nodiscard]] pqxx::result query(const std::string& sql, Params&&... params) {
    pqxx::connection connection(conninfo(PostgresUnderTest::Role::Compliance));
    pqxx::read_transaction tx(connection);
    return tx.exec_params(sql, std::forward<Params>(params)...);
  }
  // fixgate-audit --db <compliance> verify, run to completion (bounded).
  [[nodiscard]] CommandResult runVerify();

 private:
  std::string database_;
  std::unique_ptr<GatewayUnderTest> gateway_;
  std::unique_ptr<client::FixClient> client_;
};

// Values of text columns; NULL becomes "<NULL>" so that it never equals a real value.
[[nodiscard]] std::string text(const pqxx::field& field);

}  // namespace fixgate::testing
