// The audit trail end to end: orders sent by a real FIX.4.4 client through the real gateway to simulated
// venues must land in PostgreSQL - every journal record exactly once, with its typed rows - across a
// PostgreSQL outage and a gateway crash, and `fixgate-audit verify` must accept the chain as shipped and
// name the record an administrator altered behind the triggers' back.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "admin/client.h"
#include "audit_trail_fixture.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"
#include "text_file.h"

namespace fixgate::testing {
namespace {

using client::FixVersion;
namespace F = FIX::FIELD;
using Role = PostgresUnderTest::Role;

constexpr const char* kVodIsin = "GB00BH4HKS39";

// One order_events row, column name -> value as PostgreSQL prints it ("<NULL>" for NULL).
using EventRow = std::map<std::string, std::string>;

std::vector<EventRow> toRows(const pqxx::result& result) {
  std::vector<EventRow> rows;
  for (const pqxx::row& r : result) {
    EventRow row;
    for (const pqxx::field& f : r) row[f.name()] = text(f);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string describe(const std::vector<EventRow>& rows) {
  std::string lines;
  for (const EventRow& row : rows) {
    std::string line = " ";
    for (const auto& [column, value] : row) line += " " + column + "=" + value;
    lines += line + "\n";
  }
  return lines.empty() ? "  (no rows)\n" : lines;
}

bool isNumericColumn(const std::string& column) {
  static const std::set<std::string> numeric{"limit_price", "stop_price", "last_px", "avg_px",
                                             "quantity",    "last_qty",   "cum_qty", "leaves_qty"};
  return numeric.contains(column);
}

bool valueMatches(const std::string& column, const std::string& actual, const std::string& expected) {
  if (actual == expected) return true;
  if (!isNumericColumn(column) || actual == "<NULL>" || expected == "<NULL>") return false;
  // numeric: 100 == 100.00, 100.5 == 100.50
  char* end = nullptr;
  const double a = std::strtod(actual.c_str(), &end);
  if (end == actual.c_str() || *end != '\0') return false;
  return a == std::strtod(expected.c_str(), nullptr);
}

// At least one row of `event_type` in `rows` with every column of `expected` equal.
::testing::AssertionResult hasEvent(const std::vector<EventRow>& rows, const std::string& event_type,
                                    const std::map<std::string, std::string>& expected) {
  std::vector<EventRow> of_type;
  for (const EventRow& row : rows) {
    if (row.at("event_type") != event_type) continue;
    of_type.push_back(row);
    bool all = true;
    for (const auto& [column, value] : expected) {
      const auto it = row.find(column);
      if (it == row.end() || !valueMatches(column, it->second, value)) all = false;
    }
    if (all) return ::testing::AssertionSuccess();
  }
  std::string wanted;
  for (const auto& [column, value] : expected) wanted += " " + column + "=" + value;
  return ::testing::AssertionFailure() << "no order_events row '" << event_type << "' with" << wanted << "; "
                                       << of_type.size() << " row(s) of that type:\n"
                                       << describe(of_type) << "every row of the order:\n"
                                       << describe(rows);
}

std::string noAnswer(const std::string& what, const std::string& received) {
  return fmt::format("no {} within {} ms; received:\n{}", what, kAnswerTimeout.count(), received);
}

// ------------------------------------------------------------------------------------------------------
TEST_F(AuditTrailTest, EveryMessageIsAudited) {
  ASSERT_TRUE(startGateway());

  // New on VOD.L: routed to SIM-B, which fills half at once.
  std::string order_id;
  ASSERT_TRUE(placeOrder("E-1", "VOD.L", '1', "1000", "100", &order_id));
  ASSERT_FALSE(order_id.empty());
  const auto fill = client().waitFor(client::execReportFor("E-1", "F"), kAnswerTimeout);
  ASSERT_TRUE(fill) << noAnswer("partial fill of E-1", receivedSoFar());
  EXPECT_TRUE(hasNumber(*fill, F::LastQty, 500));

  // Replace, then cancel, the rest of it.
  const auto replaced = sendAndAwait(
      client::replace(FixVersion::Fix44, client::limitReplace("E-2", "E-1", "VOD.L", '1', "1200", "100.5")),
      "E-2");
  ASSERT_TRUE(replaced) << noAnswer("answer to replace E-2", receivedSoFar());
  ASSERT_TRUE(hasField(*replaced, F::ExecType, "5"));
  const auto canceled = sendAndAwait(
      client::cancel(
          FixVersion::Fix44,
          {.cl_ord_id = "E-3", .orig_cl_ord_id = "E-2", .symbol = "VOD.L", .side = '1', .qty = "1200"}),
      "E-3");
  ASSERT_TRUE(canceled) << noAnswer("answer to cancel E-3", receivedSoFar());
  ASSERT_TRUE(hasField(*canceled, F::ExecType, "4"));

  // A pre-trade risk reject: over max_order_qty (1,000,000) of the permissive limits.
  const auto rejected = sendAndAwait(
      client::newOrderSingle(FixVersion::Fix44, client::limitOrder("E-R", "AAPL", '1', "5000000", "10")),
      "E-R");
  ASSERT_TRUE(rejected) << noAnswer("answer to E-R", receivedSoFar());
  ASSERT_TRUE(hasField(*rejected, F::ExecType, "8"));

  std::size_t exec_reports_received = 0;
  for (const FIX::Message& m : client().received()) {
    if (client::field(m, F::MsgType) == "8") ++exec_reports_received;
  }

  // A clean stop: the gateway ships what it journaled before it exits.
  stopClient();
  EXPECT_EQ(gateway().gateway().stop(std::chrono::seconds(15)), 0) << gateway().diagnostics();
  ASSERT_TRUE(auditHoldsTheWholeJournal());

  // fix_messages: the client's NewOrderSingle in, every ExecutionReport out, and the venue sessions.
  const auto client_sessions =
      query("SELECT DISTINCT session FROM audit.fix_messages WHERE session LIKE '%C44A%' ORDER BY session");
  ASSERT_EQ(client_sessions.size(), 1U) << "expected exactly one fix_messages session naming C44A";
  const std::string session = client_sessions[0][0].c_str();
  const std::string soh(1, '\x01');
  EXPECT_EQ(query("SELECT count(*) FROM audit.fix_messages WHERE session = $1 AND direction = 'in' AND "
                  "msg_type = 'D' AND strpos(raw, $2) > 0",
                  session, soh + "11=E-1" + soh)[0][0]
                .as<std::int64_t>(),
            1)
      << "the NewOrderSingle E-1 ('in', 35=D, 11=E-1 in raw) of session " << session;
  EXPECT_EQ(query("SELECT count(*) FROM audit.fix_messages WHERE session = $1 AND direction = 'in' AND "
                  "msg_type = 'D' AND strpos(raw, $2) > 0",
                  session, soh + "11=E-R" + soh)[0][0]
                .as<std::int64_t>(),
            1)
      << "the NewOrderSingle E-R of session " << session;
  EXPECT_EQ(query("SELECT count(*) FROM audit.fix_messages WHERE session = $1 AND direction = 'out' AND "
                  "msg_type = '8'",
                  session)[0][0]
                .as<std::size_t>(),
            exec_reports_received)
      << "ExecutionReports 'out' on " << session << " vs ExecutionReports the client received";
  EXPECT_EQ(query("SELECT count(*) FROM audit.fix_messages WHERE session = $1 AND direction = 'out' AND "
                  "msg_type = '8' AND strpos(raw, $2) > 0",
                  session, soh + "11=E-3" + soh)[0][0]
                .as<std::int64_t>(),
            1)
      << "the Canceled ExecutionReport of E-3";
  EXPECT_EQ(query("SELECT count(*) FROM audit.fix_messages WHERE session = $1 AND direction = 'in' AND "
                  "msg_seq_num IS NULL",
                  session)[0][0]
                .as<std::int64_t>(),
            0);
  for (const std::string venue : {"SIM-A", "SIM-B"}) {
    const auto venue_rows = toRows(
        query("SELECT session, direction, msg_type, count(*) AS n FROM audit.fix_messages WHERE session LIKE "
              "'%' || $1 || '%' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
              venue));
    bool logon_out = false;
    bool logon_in = false;
    bool order_out = false;
    bool report_in = false;
    for (const EventRow& row : venue_rows) {
      logon_out |= row.at("direction") == "out" && row.at("msg_type") == "A";
      logon_in |= row.at("direction") == "in" && row.at("msg_type") == "A";
      order_out |= row.at("direction") == "out" && row.at("msg_type") == "D";
      report_in |= row.at("direction") == "in" && row.at("msg_type") == "8";
    }
    EXPECT_TRUE(logon_out && logon_in) << "venue session " << venue << " logon out and in:\n"
                                       << describe(venue_rows);
    if (venue == "SIM-B") {
      EXPECT_TRUE(order_out && report_in) << "venue session SIM-B order out, reports in:\n"
                                          << describe(venue_rows);
    }
  }

  // order_events: the ClOrdID chain E-1 -> E-2 -> E-3, the gateway's order id, and the venue's side of it.
  const auto chain = toRows(query(
      "SELECT seq, event_type, session, account, cl_ord_id, orig_cl_ord_id, order_id, venue, "
      "venue_cl_ord_id, venue_order_id, symbol, isin, mic, side, ord_type, quantity, limit_price, last_qty, "
      "last_px, cum_qty, leaves_qty, ord_status FROM audit.order_events "
      "WHERE cl_ord_id IN ('E-1', 'E-2', 'E-3') OR order_id = $1 OR venue_cl_ord_id IN "
      "(SELECT venue_cl_ord_id FROM audit.order_events WHERE order_id = $1 AND venue_cl_ord_id IS NOT NULL) "
      "ORDER BY seq",
      order_id));
  // The request rows (new, modify, cancel) are the order as the client sent it, without Account (1): the
  // session's default account IT-1 appears from the gateway's answers and venue requests on.
  const std::map<std::string, std::string> order{
      {"symbol", "VOD.L"}, {"side", "buy"}, {"quantity", "1000"}, {"limit_price", "100"}};
  auto with = [](std::map<std::string, std::string> base, const std::map<std::string, std::string>& more) {
    for (const auto& [k, v] : more) base[k] = v;
    return base;
  };
  EXPECT_TRUE(hasEvent(chain, "new",
                       with(order, {{"cl_ord_id", "E-1"}, {"session", "it-C44A"}, {"account", "<NULL>"}})));
  EXPECT_TRUE(hasEvent(chain, "accepted",
                       with(order, {{"cl_ord_id", "E-1"}, {"order_id", order_id}, {"account", "IT-1"}})));
  EXPECT_TRUE(hasEvent(chain, "routed",
                       with(order, {{"order_id", order_id}, {"venue", "SIM-B"}, {"account", "IT-1"}})));
  EXPECT_TRUE(hasEvent(chain, "venue-accepted", {{"venue", "SIM-B"}}));
  EXPECT_TRUE(hasEvent(chain, "venue-fill", {{"venue", "SIM-B"}, {"last_qty", "500"}, {"last_px", "100"}}));
  const bool partial = hasEvent(chain, "partial-fill", {{"cl_ord_id", "E-1"}, {"last_qty", "500"}});
  const bool full = hasEvent(chain, "fill", {{"cl_ord_id", "E-1"}, {"last_qty", "500"}});
  EXPECT_TRUE(partial || full) << "no 'partial-fill' or 'fill' row for E-1 with last_qty 500:\n"
                               << describe(chain);
  EXPECT_TRUE(hasEvent(chain, "modify",
                       {{"cl_ord_id", "E-2"},
                        {"orig_cl_ord_id", "E-1"},
                        {"symbol", "VOD.L"},
                        {"side", "buy"},
                        {"quantity", "1200"},
                        {"limit_price", "100.5"}}));
  EXPECT_TRUE(hasEvent(chain, "replaced",
                       {{"cl_ord_id", "E-2"},
                        {"orig_cl_ord_id", "E-1"},
                        {"account", "IT-1"},
                        {"symbol", "VOD.L"},
                        {"quantity", "1200"},
                        {"limit_price", "100.5"}}));
  EXPECT_TRUE(
      hasEvent(chain, "cancel",
               {{"cl_ord_id", "E-3"}, {"orig_cl_ord_id", "E-2"}, {"symbol", "VOD.L"}, {"side", "buy"}}));
  EXPECT_TRUE(
      hasEvent(chain, "canceled",
               {{"cl_ord_id", "E-3"}, {"orig_cl_ord_id", "E-2"}, {"account", "IT-1"}, {"symbol", "VOD.L"}}));
  // The instrument has an ISIN (instruments.yaml: "ISIN for audit records"): the order's terms carry it.
  EXPECT_TRUE(hasEvent(chain, "new", {{"cl_ord_id", "E-1"}, {"isin", kVodIsin}}));
  EXPECT_TRUE(hasEvent(chain, "routed", {{"venue", "SIM-B"}, {"isin", kVodIsin}}));
  EXPECT_TRUE(hasEvent(chain, "modify", {{"cl_ord_id", "E-2"}, {"isin", kVodIsin}}));
  EXPECT_TRUE(hasEvent(chain, "accepted", {{"cl_ord_id", "E-1"}, {"isin", kVodIsin}, {"mic", "XLON"}}));

  // risk_decisions: accepted E-1 (and the replace E-2), rejected E-R, each under the version put in force.
  const auto versions =
      query("SELECT new_version, applied_by, content FROM audit.config_versions ORDER BY seq");
  ASSERT_EQ(versions.size(), 1U) << "one limits version, put in force at start";
  const std::string limits_version = text(versions[0][0]);
  ASSERT_NE(limits_version, "<NULL>");
  EXPECT_EQ(text(versions[0][1]), "start");
  // The version's text is kept with it: compliance can see exactly which limits applied.
  EXPECT_NE(text(versions[0][2]).find("IT-1"), std::string::npos) << text(versions[0][2]);
  const auto decisions =
      toRows(query("SELECT cl_ord_id, request, decision, reject_code, account, symbol, limits_version "
                   "FROM audit.risk_decisions ORDER BY seq"));
  auto hasDecision = [&](const std::string& cl_ord_id, const std::string& request,
                         const std::string& decision) -> ::testing::AssertionResult {
    for (const EventRow& row : decisions) {
      if (row.at("cl_ord_id") == cl_ord_id && row.at("request") == request && row.at("decision") == decision)
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "no risk_decisions row " << cl_ord_id << " " << request << " " << decision << " in:\n"
           << describe(decisions);
  };
  EXPECT_TRUE(hasDecision("E-1", "new", "accepted"));
  EXPECT_TRUE(hasDecision("E-2", "replace", "accepted"));
  EXPECT_TRUE(hasDecision("E-R", "new", "rejected"));
  for (const EventRow& row : decisions) {
    EXPECT_EQ(row.at("limits_version"), limits_version) << describe({row});
    EXPECT_EQ(row.at("account"), "IT-1") << describe({row});
    if (row.at("decision") == "rejected") {
      EXPECT_NE(row.at("reject_code"), "<NULL>") << describe({row});
      EXPECT_NE(row.at("reject_code"), "") << describe({row});
    } else {
      EXPECT_EQ(row.at("reject_code"), "<NULL>") << describe({row});
    }
  }

  const CommandResult verified = runVerify();
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// ------------------------------------------------------------------------------------------------------
TEST_F(AuditTrailTest, PostgresOutageLosesNothing) {
  ASSERT_TRUE(startGateway());
  constexpr int kOrders = 200;
  constexpr int kBeforeOutage = 60;
  constexpr int kDuringOutage = 80;
  auto id = [](int i) { return fmt::format("S-{}", i); };
  auto send = [&](int i) {
    return client().send(client::newOrderSingle(
        FixVersion::Fix44, client::limitOrder(id(i), "AAPL", i % 2 == 0 ? '1' : '2', "10",
                                              fmt::format("{}.{:02}", i % 2 == 0 ? 90 : 110, i % 100))));
  };
  auto awaitAck = [&](int i) -> ::testing::AssertionResult {
    if (client().waitFor(client::execReportFor(id(i), "0"), kAnswerTimeout))
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << noAnswer("acknowledgement of " + id(i), receivedSoFar());
  };

  // A burst, and PostgreSQL crashes while the shipper follows it.
  for (int i = 1; i <= kBeforeOutage; ++i) ASSERT_NE(send(i), 0);
  ASSERT_NO_THROW(cluster().kill());
  for (int i = 1; i <= kBeforeOutage; ++i) ASSERT_TRUE(awaitAck(i));

  // Trading goes on without the audit store.
  for (int i = kBeforeOutage + 1; i <= kBeforeOutage + kDuringOutage; ++i) {
    ASSERT_NE(send(i), 0);
    ASSERT_TRUE(awaitAck(i));
  }
  EXPECT_FALSE(cluster().running());
  EXPECT_TRUE(gateway().gateway().running()) << gateway().diagnostics();

  ASSERT_NO_THROW(cluster().start());
  for (int i = kBeforeOutage + kDuringOutage + 1; i <= kOrders; ++i) ASSERT_NE(send(i), 0);
  for (int i = kBeforeOutage + kDuringOutage + 1; i <= kOrders; ++i) ASSERT_TRUE(awaitAck(i));

  // The shipper catches up by itself, the gateway still running.
  const auto last = journalLastSeq();
  ASSERT_TRUE(last);
  ASSERT_TRUE(waitForAudit(*last));
  EXPECT_TRUE(everySeqExactlyOnce(auditSeqs(), *last, /*journal_may_grow=*/true));
  EXPECT_EQ(
      query("SELECT count(DISTINCT cl_ord_id) FROM audit.order_events WHERE event_type = 'accepted' AND "
            "cl_ord_id LIKE 'S-%'")[0][0]
          .as<int>(),
      kOrders);
  EXPECT_EQ(query("SELECT count(*) FROM audit.fix_messages WHERE direction = 'in' AND msg_type = 'D' AND "
                  "session LIKE '%C44A%'")[0][0]
                .as<int>(),
            kOrders);
  // The shipper saw the outage (and said so), the gateway never stopped trading.
  EXPECT_NE(gateway().gateway().log().find("audit shipper"), std::string::npos) << gateway().diagnostics();

  // After a clean stop the audit holds the whole journal, each record once.
  stopClient();
  EXPECT_EQ(gateway().gateway().stop(std::chrono::seconds(15)), 0) << gateway().diagnostics();
  EXPECT_TRUE(auditHoldsTheWholeJournal());

  const CommandResult verified = runVerify();
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// ------------------------------------------------------------------------------------------------------
TEST_F(AuditTrailTest, GatewayKilledMidRunRecovers) {
  ASSERT_TRUE(startGateway());
  constexpr int kResting = 5;
  std::vector<std::string> order_ids;
  for (int i = 1; i <= kResting; ++i) {
    std::string order_id;
    ASSERT_TRUE(
        placeOrder(fmt::format("K-{}", i), "AAPL", '1', "100", fmt::format("10.{:02}", i), &order_id));
    order_ids.push_back(order_id);
  }

  ASSERT_TRUE(gateway().killGateway());
  // The client sees the connection drop before the gateway is back (bounded).
  ASSERT_TRUE(client().waitLogout(std::chrono::seconds(10)))
      << "the client still thinks it is logged on 10 s after the gateway died";

  ASSERT_TRUE(gateway().restartGateway());
  const std::string log = gateway().gateway().log();
  std::smatch replayed;
  ASSERT_TRUE(std::regex_search(log, replayed,
                                std::regex(R"(replayed (\d+) journaled events: (\d+) open orders restored)")))
      << gateway().diagnostics();
  EXPECT_GT(std::stoul(replayed[1].str()), 0U) << replayed[0].str();
  EXPECT_EQ(std::stoi(replayed[2].str()), kResting) << replayed[0].str();

  // The client's initiator reconnects by itself to the gateway on the same port.
  ASSERT_TRUE(client().waitLogon(std::chrono::seconds(15))) << gateway().diagnostics();
  for (int i = 1; i <= kResting; ++i) {
    const std::string orig = fmt::format("K-{}", i);
    const std::string cl_ord_id = fmt::format("K-{}-X", i);
    const auto answer = sendAndAwait(
        client::cancel(
            FixVersion::Fix44,
            {.cl_ord_id = cl_ord_id, .orig_cl_ord_id = orig, .symbol = "AAPL", .side = '1', .qty = "100"}),
        cl_ord_id);
    ASSERT_TRUE(answer) << noAnswer("answer to cancel " + cl_ord_id, receivedSoFar())
                        << gateway().diagnostics();
    EXPECT_TRUE(hasField(*answer, F::MsgType, "8"));
    EXPECT_TRUE(hasField(*answer, F::ExecType, "4"));
    EXPECT_TRUE(hasField(*answer, F::OrdStatus, "4"));
    EXPECT_TRUE(hasField(*answer, F::OrigClOrdID, orig));
    EXPECT_TRUE(hasField(*answer, F::OrderID, order_ids[static_cast<std::size_t>(i - 1)]));
  }

  // The audit catches up with the journal of both runs, each record once.
  const auto last = journalLastSeq();
  ASSERT_TRUE(last);
  ASSERT_TRUE(waitForAudit(*last));
  EXPECT_TRUE(everySeqExactlyOnce(auditSeqs(), *last, /*journal_may_grow=*/true));

  // SIM-A canceled each pre-crash order: its Canceled answer to the gateway's venue cancel is in the audit.
  for (std::size_t i = 0; i < order_ids.size(); ++i) {
    const auto rows = toRows(query(
        "SELECT seq, event_type, venue, venue_cl_ord_id, orig_cl_ord_id, order_id FROM audit.order_events "
        "WHERE order_id = $1 OR venue_cl_ord_id IN (SELECT venue_cl_ord_id FROM audit.order_events "
        "WHERE order_id = $1 AND venue_cl_ord_id IS NOT NULL) ORDER BY seq",
        order_ids[i]));
    EXPECT_TRUE(hasEvent(rows, "routed", {{"venue", "SIM-A"}}));
    EXPECT_TRUE(hasEvent(rows, "venue-cancel", {{"venue", "SIM-A"}}));
    EXPECT_TRUE(hasEvent(rows, "venue-canceled", {{"venue", "SIM-A"}}));
  }

  stopClient();
  EXPECT_EQ(gateway().gateway().stop(std::chrono::seconds(15)), 0) << gateway().diagnostics();
  EXPECT_TRUE(auditHoldsTheWholeJournal());
  const CommandResult verified = runVerify();
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// ------------------------------------------------------------------------------------------------------
// The audit database is lost and put back from a backup older than what was shipped (fixgate-pg.sh backup
// and restore) while the gateway trades on: its shipper reconnects by itself and ships again, out of the
// journal, every record after the backup's last one, continuing the chain.
TEST_F(AuditTrailTest, RestoreFromAnOlderBackup) {
  ASSERT_TRUE(startGateway());
  auto place = [&](int from, int to) -> ::testing::AssertionResult {
    for (int i = from; i <= to; ++i) {
      auto placed = placeOrder(fmt::format("R-{}", i), "AAPL", '1', "100", fmt::format("10.{:02}", i));
      if (!placed) return placed;
    }
    return ::testing::AssertionSuccess();
  };
  ASSERT_TRUE(place(1, 5));
  const auto backed_up = journalLastSeq();
  ASSERT_TRUE(backed_up);
  ASSERT_TRUE(waitForAudit(*backed_up));

  const auto backup = cluster().dir() / (database() + ".backup");
  const CommandResult made = cluster().script(
      {"backup", cluster().clusterDir().string(), backup.string(), "--database", database()});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  EXPECT_NE(made.output.find("journal records up to seq"), std::string::npos) << made.output;

  ASSERT_TRUE(place(6, 10));
  const auto shipped = journalLastSeq();
  ASSERT_TRUE(shipped);
  ASSERT_TRUE(waitForAudit(*shipped));

  const CommandResult restored = cluster().script(
      {"restore", cluster().clusterDir().string(), backup.string(), "--database", database()});
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  std::smatch ends;
  ASSERT_TRUE(std::regex_search(restored.output, ends, std::regex(R"(journal_records ends at seq (\d+))")))
      << restored.output;
  const auto restored_to = std::stoull(ends[1].str());
  EXPECT_GE(restored_to, *backed_up) << restored.output;
  EXPECT_LT(restored_to, *shipped) << "the backup holds what was shipped after it: " << restored.output;

  // The shipper fills the gap by itself; the gateway never stopped.
  ASSERT_TRUE(place(11, 12));
  const auto last = journalLastSeq();
  ASSERT_TRUE(last);
  ASSERT_TRUE(waitForAudit(*last)) << gateway().diagnostics();
  EXPECT_TRUE(everySeqExactlyOnce(auditSeqs(), *last, /*journal_may_grow=*/true));
  EXPECT_EQ(
      query("SELECT count(DISTINCT cl_ord_id) FROM audit.order_events WHERE event_type = 'accepted' AND "
            "cl_ord_id LIKE 'R-%'")[0][0]
          .as<int>(),
      12);
  // The database the restore replaced is kept, renamed; the restored one has the same privileges (a dump
  // does not carry those on the database itself).
  const auto acls = query(
      "SELECT datname, datacl::text FROM pg_database WHERE datname = $1 OR datname LIKE $2 ORDER BY datname",
      database(), database() + "\\_old\\_%");
  ASSERT_EQ(acls.size(), 2U);
  EXPECT_EQ(text(acls[0][1]), text(acls[1][1]))
      << text(acls[0][0]) << " has other privileges than " << text(acls[1][0]);

  stopClient();
  EXPECT_EQ(gateway().gateway().stop(std::chrono::seconds(15)), 0) << gateway().diagnostics();
  EXPECT_TRUE(auditHoldsTheWholeJournal());
  const CommandResult verified = runVerify();
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// ------------------------------------------------------------------------------------------------------
// `text` with the line holding `anchor` followed by `line`.
std::string withLineAfter(std::string text, const std::string& anchor, const std::string& line) {
  const auto at = text.find(anchor);
  if (at == std::string::npos) throw std::logic_error("no '" + anchor + "' in:\n" + text);
  const auto end = text.find('\n', at);
  return text.insert(end + 1, line + "\n");
}

// reload-settings: an instrument and a route added to the files while the gateway trades are in force for
// the next order, its ISIN reaches the audit, and the reload is journaled, so a restart on files without
// them replays that order as it happened. A file that does not validate changes nothing.
TEST_F(AuditTrailTest, SettingsReloadedLiveAreAuditedAndReplayed) {
  ASSERT_TRUE(startGateway());
  const auto admin = [&](const std::string& line) {
    auto reply = admin::sendAdminCommand(gateway().adminSocket(), line, std::chrono::seconds(5));
    return reply ? *reply : "admin channel: " + reply.error().message;
  };
  const auto instruments_file = gateway().dir() / "instruments.yaml";
  const auto config_file = gateway().dir() / "gateway.yaml";
  const std::string instruments = readTextFile(instruments_file);
  const std::string config = readTextFile(config_file);

  const auto unknown = sendAndAwait(
      client::newOrderSingle(FixVersion::Fix44, client::limitOrder("L-1", "TSLA", '1', "10", "200")), "L-1");
  ASSERT_TRUE(unknown) << noAnswer("answer to L-1", receivedSoFar());
  EXPECT_TRUE(client::isExecReport(*unknown, "8")) << client::toLine(*unknown);

  constexpr const char* kTslaIsin = "US88160R1014";
  writeTextFile(
      instruments_file,
      withLineAfter(instruments, "instruments:",
                    fmt::format("  - {{ symbol: \"TSLA\", isin: \"{}\", mic: \"XNAS\", currency: USD, "
                                "tick_size: 0.01 }}",
                                kTslaIsin)));
  // SIM-A is listed first: its block gets the hold.
  writeTextFile(config_file,
                withLineAfter(withLineAfter(config, "  rules:", "    - { symbol: \"TSLA\", venue: SIM-B }"),
                              "reconnect_interval_s: 1", "    hold_while_disconnected_ms: 5000"));
  const std::string reply = admin("reload-settings by=olga");
  EXPECT_NE(reply.find("applied by olga"), std::string::npos) << reply;
  EXPECT_NE(reply.find("instruments: added TSLA"), std::string::npos) << reply;
  EXPECT_NE(reply.find("routing: 2 rule(s), default venue SIM-A (was 1 rule(s)"), std::string::npos) << reply;
  EXPECT_NE(reply.find("venue SIM-A: hold_while_disconnected_ms 0 -> 5000"), std::string::npos) << reply;
  EXPECT_NE(admin("reload-settings by=olga").find("settings unchanged"), std::string::npos);

  std::string order_id;
  ASSERT_TRUE(placeOrder("L-2", "TSLA", '1', "100", "200", &order_id));

  // A reload that does not validate is refused whole: the file and line named, nothing applied.
  writeTextFile(instruments_file,
                withLineAfter(instruments, "instruments:", "  - { symbol: \"BAD\", tick_size: -1 }"));
  const std::string refused = admin("reload-settings by=olga");
  EXPECT_NE(refused.find("error: settings reload requested by olga refused"), std::string::npos) << refused;
  EXPECT_NE(refused.find("instruments.yaml:"), std::string::npos) << refused;
  ASSERT_TRUE(placeOrder("L-3", "TSLA", '1', "100", "200"));
  // The operator's log at a venue's logout says the hold in force.
  gateway().stopVenue("SIM-A");
  EXPECT_TRUE(gateway().gateway().waitForOutput(
      "venue SIM-A logged out; new orders for it are held up to 5000 ms", std::chrono::seconds(8)))
      << gateway().diagnostics();

  const auto last = journalLastSeq();
  ASSERT_TRUE(last);
  ASSERT_TRUE(waitForAudit(*last));
  const auto rows =
      toRows(query("SELECT seq, event_type, venue, isin, mic, order_id, cl_ord_id, venue_cl_ord_id FROM "
                   "audit.order_events "
                   "WHERE order_id = $1 OR cl_ord_id = 'L-2' ORDER BY seq",
                   order_id));
  EXPECT_TRUE(hasEvent(rows, "new", {{"cl_ord_id", "L-2"}, {"isin", kTslaIsin}, {"mic", "XNAS"}}));
  EXPECT_TRUE(hasEvent(rows, "routed", {{"venue", "SIM-B"}, {"isin", kTslaIsin}}));

  // Restarted on the files as they were: the journaled reload decides the replay of L-2, the files the
  // orders after it.
  writeTextFile(instruments_file, instruments);
  writeTextFile(config_file, config);
  ASSERT_TRUE(gateway().killGateway());
  ASSERT_TRUE(client().waitLogout(std::chrono::seconds(10)));
  ASSERT_TRUE(gateway().restartGateway());
  ASSERT_TRUE(client().waitLogon(std::chrono::seconds(15))) << gateway().diagnostics();
  const auto status = sendAndAwait(client::statusRequest(FixVersion::Fix44, "L-2", "TSLA", '1'), "L-2");
  ASSERT_TRUE(status) << noAnswer("status of L-2", receivedSoFar());
  EXPECT_TRUE(hasField(*status, F::OrdStatus, "1"))
      << "L-2 was partly filled at SIM-B: " << client::toLine(*status);
  EXPECT_TRUE(hasField(*status, F::OrderID, order_id)) << client::toLine(*status);
  const auto after = sendAndAwait(
      client::newOrderSingle(FixVersion::Fix44, client::limitOrder("L-4", "TSLA", '1', "10", "200")), "L-4");
  ASSERT_TRUE(after) << noAnswer("answer to L-4", receivedSoFar());
  EXPECT_TRUE(client::isExecReport(*after, "8")) << client::toLine(*after);
}

// ------------------------------------------------------------------------------------------------------
TEST_F(AuditTrailTest, TamperingIsFound) {
  ASSERT_TRUE(startGateway());
  ASSERT_TRUE(placeOrder("T-1", "AAPL", '1', "100", "10"));
  ASSERT_TRUE(placeOrder("T-2", "VOD.L", '2', "300", "100"));
  stopClient();
  EXPECT_EQ(gateway().gateway().stop(std::chrono::seconds(15)), 0) << gateway().diagnostics();
  ASSERT_TRUE(auditHoldsTheWholeJournal());
  const CommandResult before = runVerify();
  ASSERT_EQ(before.exit_code, 0) << "the chain must verify before it is tampered with:\n" << before.output;

  // The superuser disables the append-only triggers for its session and changes a quantity.
  std::int64_t tampered = 0;
  {
    pqxx::connection admin(conninfo(Role::Admin));
    pqxx::work tx(admin);
    tx.exec("SET session_replication_role = replica");
    const pqxx::result updated = tx.exec(
        "UPDATE audit.order_events SET quantity = quantity + 1 WHERE seq = (SELECT min(seq) FROM "
        "audit.order_events WHERE event_type = 'new' AND cl_ord_id = 'T-2') RETURNING seq");
    ASSERT_EQ(updated.size(), 1U);
    tampered = updated[0][0].as<std::int64_t>();
    tx.commit();
  }
  EXPECT_EQ(
      query("SELECT quantity FROM audit.order_events WHERE seq = $1", tampered)[0][0].as<std::int64_t>(),
      301);

  const CommandResult after = runVerify();
  EXPECT_EQ(after.exit_code, 1) << after.output;
  EXPECT_TRUE(std::regex_search(after.output, std::regex(fmt::format(R"(\bseq {}\b)", tampered))))
      << "verify should name seq " << tampered << ":\n"
      << after.output;
}

}  // namespace
}  // namespace fixgate::testing
