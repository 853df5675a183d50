// The execution-quality report (sql/007, fixgate-exec-quality) on genuine audit rows: a real FIX.4.4 client
// on each of two sessions sends orders through the real gateway to two exchange simulators, the shipper
// copies the journal into a private PostgreSQL, and the report's figures must be the ones those orders give.
//
// The orders (permissive limits: reference price 100 for every symbol but BARC.L, which has none):
//   SIM-B fills half of each order at its limit at once and acknowledges 150 ms late:
//     Q-1  C44A buy  1000 VOD.L  @ 100.50  arrival 100  -> 500 @ 100.50   slippage +50 bps (paid more)
//     Q-2  C44B sell  400 MSFT   @ 99      arrival 100  -> 200 @ 99       slippage +100 bps (received less)
//     N-1  C44A buy   100 BARC.L @ 50      no arrival price -> 50 @ 50     counted, no slippage
//   SIM-A rests orders and refuses IBM:
//     A-1  C44A buy   100 AAPL   @ 101     arrival 100, rests; filled 100 @ 101 by A-2   +100 bps
//     A-2  C44A sell  100 AAPL   @ 101     arrival 100 (no trade yet), crosses A-1       -100 bps (better)
//     A-3  C44A buy    50 AAPL   @ 90      rests, never filled; then resent with PossDupFlag=Y, as after
//                                           a gateway crash: answered with its status, still one order (008)
//     V-1  C44A buy    10 IBM    @ 100     refused by the venue: FG401
//   the gateway:
//     R-1  C44B buy 5000000 AAPL @ 10      over max_order_qty: FG505, never routed
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "audit_trail_fixture.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"

namespace fixgate::testing {
namespace {

using client::FixVersion;
using Role = PostgresUnderTest::Role;

constexpr const char* kSessionA = "it-C44A";
constexpr const char* kSessionB = "it-C44B";
constexpr int kSimBAckDelayMs = 150;

// The permissive limits of the support library, but BARC.L has no reference price (and no trade before
// N-1), so its arrival price is NULL.
constexpr const char* kLimitsYaml = R"(duplicate_window_ms: 0
collar: { max_deviation_pct: ~ }
defaults:
  account: { max_order_qty: 1000000, max_order_notional: 1000000000, max_gross_notional: 10000000000,
             max_net_notional: 10000000000, max_long_position: 100000000, max_short_position: 100000000,
             max_open_orders: 100000, max_daily_loss: 1000000000 }
breakers: { repeat_max: 100000, reject_min_messages: 100000, venue_consecutive_failures: 100000 }
accounts:
  - account: IT-1
symbols:
  - { symbol: "AAPL", reference_price: 100 }
  - { symbol: "MSFT", reference_price: 100 }
  - { symbol: "IBM", reference_price: 100 }
  - { symbol: "VOD.L", reference_price: 100 }
sessions:
  - { session: {session:C44A}, default_account: IT-1 }
  - { session: {session:C44B}, default_account: IT-1 }
)";

GatewayOptions scenarioOptions() {
  GatewayOptions options;
  options.venues = {
      {"SIM-A", {"--fill-model", "rest", "--reject-symbol", "IBM"}, "", {}},
      {"SIM-B",
       {"--fill-model", "partial", "--partial-ratio", "0.5", "--ack-delay-ms",
        std::to_string(kSimBAckDelayMs)},
       "",
       {}},
  };
  options.client_sessions = {{"FIX.4.4", "C44A"}, {"FIX.4.4", "C44B"}};
  options.rules = {{"symbol", "VOD.L", "SIM-B"}, {"symbol", "MSFT", "SIM-B"}, {"symbol", "BARC.L", "SIM-B"}};
  options.instruments = defaultInstruments();
  options.instruments.push_back({"BARC.L", "GB0031348658", "XLON", "GBP", "0.01"});
  options.limits_yaml = kLimitsYaml;
  return options;
}

// One row of a result as column -> text ("<NULL>" for NULL).
using Row = std::map<std::string, std::string>;

std::vector<Row> toRows(const pqxx::result& result) {
  std::vector<Row> rows;
  for (const pqxx::row& r : result) {
    Row row;
    for (const pqxx::field& f : r) row[f.name()] = text(f);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string describe(const std::vector<Row>& rows) {
  std::string lines;
  for (const Row& row : rows) {
    std::string line = " ";
    for (const auto& [column, value] : row) line += " " + column + "=" + value;
    lines += line + "\n";
  }
  return lines.empty() ? "  (no rows)\n" : lines;
}

// The row whose `key` column equals `value` ("<NULL>" for the group of NULL).
std::optional<Row> rowWhere(const std::vector<Row>& rows, const std::string& key, const std::string& value) {
  for (const Row& row : rows) {
    if (row.at(key) == value) return row;
  }
  return std::nullopt;
}

double number(const Row& row, const std::string& column) {
  const std::string& value = row.at(column);
  if (value == "<NULL>") {
    ADD_FAILURE() << column << " is NULL";
    return -1e300;
  }
  return std::strtod(value.c_str(), nullptr);
}

std::string isoUtc(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us % 1'000'000);
}

class ExecQualityTest : public AuditTrailTest {
 protected:
  // The range the orders arrive in, with room on both sides.
  std::string from_ = isoUtc(std::chrono::system_clock::now() - std::chrono::minutes(10));
  std::string to_;

  client::FixClient& clientB() {
    if (!client_b_) client_b_ = gateway().connectClient("FIX.4.4", "C44B");
    return *client_b_;
  }

  void TearDown() override {
    client_b_.reset();  // logs out while the gateway still runs
    AuditTrailTest::TearDown();
  }

  // Sends a FIX.4.4 limit order on `session` and returns the gateway's answer (acknowledgement or reject).
  std::optional<FIX::Message> order(client::FixClient& session, const std::string& cl_ord_id,
                                    const std::string& symbol, char side, const std::string& qty,
                                    const std::string& price) {
    const int seq = session.send(
        client::newOrderSingle(FixVersion::Fix44, client::limitOrder(cl_ord_id, symbol, side, qty, price)));
    if (seq == 0) {
      ADD_FAILURE() << "could not send " << cl_ord_id << ": the session is not logged on";
      return std::nullopt;
    }
    auto answer = session.waitFor(client::answerTo(cl_ord_id, seq), kAnswerTimeout);
    if (!answer) ADD_FAILURE() << "no answer to " << cl_ord_id << "; received:\n" << receivedSoFar();
    return answer;
  }

  ::testing::AssertionResult accepted(const std::optional<FIX::Message>& answer,
                                      const std::string& cl_ord_id) {
    if (!answer) return ::testing::AssertionFailure() << "no answer to " << cl_ord_id;
    if (!client::isExecReport(*answer, "0")) {
      return ::testing::AssertionFailure() << cl_ord_id << " not accepted: " << client::toLine(*answer);
    }
    return ::testing::AssertionSuccess();
  }

  ::testing::AssertionResult filled(client::FixClient& session, const std::string& cl_ord_id) {
    if (session.waitFor(client::execReportFor(cl_ord_id, "F"), kAnswerTimeout)) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "no fill for " << cl_ord_id << "; received:\n" << receivedSoFar();
  }

  // Runs the scenario of the file comment, stops the gateway and waits until the audit holds all of it.
  void runScenario() {
    ASSERT_TRUE(startGateway(scenarioOptions()));
    client::FixClient& a = client();
    client::FixClient& b = clientB();

    ASSERT_TRUE(accepted(order(a, "Q-1", "VOD.L", '1', "1000", "100.50"), "Q-1"));
    ASSERT_TRUE(filled(a, "Q-1"));
    ASSERT_TRUE(accepted(order(b, "Q-2", "MSFT", '2', "400", "99"), "Q-2"));
    ASSERT_TRUE(filled(b, "Q-2"));
    ASSERT_TRUE(accepted(order(a, "N-1", "BARC.L", '1', "100", "50"), "N-1"));
    ASSERT_TRUE(filled(a, "N-1"));

    ASSERT_TRUE(accepted(order(a, "A-1", "AAPL", '1', "100", "101"), "A-1"));
    ASSERT_TRUE(accepted(order(a, "A-2", "AAPL", '2', "100", "101"), "A-2"));
    ASSERT_TRUE(filled(a, "A-1"));
    ASSERT_TRUE(filled(a, "A-2"));
    ASSERT_TRUE(accepted(order(a, "A-3", "AAPL", '1', "50", "90"), "A-3"));
    ASSERT_NE(a.sendAsPossDup(client::newOrderSingle(FixVersion::Fix44,
                                                     client::limitOrder("A-3", "AAPL", '1', "50", "90"))),
              0);
    const auto resent = a.waitFor(client::execReportFor("A-3", "I"), kAnswerTimeout);
    ASSERT_TRUE(resent) << "no status answer to the resent A-3; received:\n" << receivedSoFar();

    const auto venue_reject = order(a, "V-1", "IBM", '1', "10", "100");
    ASSERT_TRUE(venue_reject && client::isExecReport(*venue_reject, "8"))
        << "V-1 should be refused by SIM-A: " << (venue_reject ? client::toLine(*venue_reject) : "no answer");
    const auto risk_reject = order(b, "R-1", "AAPL", '1', "5000000", "10");
    ASSERT_TRUE(risk_reject && client::isExecReport(*risk_reject, "8"))
        << "R-1 should be refused by the risk check: "
        << (risk_reject ? client::toLine(*risk_reject) : "no answer");

    client_b_.reset();
    stopClient();
    ASSERT_EQ(gateway().gateway().stop(std::chrono::seconds(15)), 0) << gateway().diagnostics();
    ASSERT_TRUE(auditHoldsTheWholeJournal());
    to_ = isoUtc(std::chrono::system_clock::now() + std::chrono::minutes(10));
  }

  // fixgate-exec-quality with `args`, run to completion (bounded).
  CommandResult runTool(const std::vector<std::string>& args) {
    return runCommand("fixgate-exec-quality", FIXGATE_EXEC_QUALITY_BINARY, args,
                      cluster().nextLogFile("fixgate-exec-quality"), std::chrono::seconds(60));
  }

  std::vector<Row> quality(const std::string& by) {
    return toRows(
        query("SELECT * FROM audit.execution_quality($1::timestamptz, $2::timestamptz, $3)", from_, to_, by));
  }
  std::vector<Row> rejects(const std::string& by) {
    return toRows(
        query("SELECT * FROM audit.execution_rejects($1::timestamptz, $2::timestamptz, $3)", from_, to_, by));
  }

 private:
  std::unique_ptr<client::FixClient> client_b_;
};

// ------------------------------------------------------------------------------------------------------
TEST_F(ExecQualityTest, FiguresPerVenueComeFromTheOrders) {
  ASSERT_NO_FATAL_FAILURE(runScenario());

  const auto by_venue = quality("venue");
  ASSERT_EQ(by_venue.size(), 3U) << "SIM-A, SIM-B and the orders never routed:\n" << describe(by_venue);

  const auto sim_b = rowWhere(by_venue, "venue", "SIM-B");
  ASSERT_TRUE(sim_b) << describe(by_venue);
  EXPECT_EQ(sim_b->at("orders"), "3");
  EXPECT_EQ(sim_b->at("rejected"), "0");
  EXPECT_EQ(sim_b->at("working"), "3");
  EXPECT_EQ(number(*sim_b, "ordered_qty"), 1500);
  EXPECT_EQ(number(*sim_b, "filled_qty"), 750);
  EXPECT_EQ(number(*sim_b, "fill_ratio_qty"), 0.5) << "SIM-B fills half of each order";
  EXPECT_EQ(number(*sim_b, "fill_ratio_orders"), 1.0);
  EXPECT_EQ(sim_b->at("orders_filled_fully"), "0");
  EXPECT_EQ(sim_b->at("acks"), "3");
  // Slippage: Q-1 +50 bps, Q-2 +100 bps; N-1 has no arrival price.
  EXPECT_EQ(sim_b->at("slippage_orders"), "2");
  EXPECT_EQ(number(*sim_b, "slippage_bps_mean"), 75.0);
  EXPECT_EQ(number(*sim_b, "slippage_bps_p50"), 75.0);
  EXPECT_EQ(sim_b->at("filled_without_arrival_price"), "1");
  // SIM-B acknowledges 150 ms late; its fills wait behind the acknowledgement.
  EXPECT_GE(number(*sim_b, "ack_latency_p50_us"), kSimBAckDelayMs * 1000.0);
  EXPECT_LT(number(*sim_b, "ack_latency_p99_us"), 5'000'000.0);
  EXPECT_GE(number(*sim_b, "time_to_first_fill_p50_us"), kSimBAckDelayMs * 1000.0);
  EXPECT_EQ(sim_b->at("time_to_fill_p50_us"), "<NULL>") << "no SIM-B order is filled completely";

  const auto sim_a = rowWhere(by_venue, "venue", "SIM-A");
  ASSERT_TRUE(sim_a) << describe(by_venue);
  EXPECT_EQ(sim_a->at("orders"), "4");
  EXPECT_EQ(sim_a->at("rejected"), "1");
  EXPECT_EQ(sim_a->at("rejected_by_venue"), "1");
  EXPECT_EQ(sim_a->at("rejected_by_gateway"), "0");
  EXPECT_EQ(number(*sim_a, "reject_ratio"), 0.25);
  EXPECT_EQ(sim_a->at("working"), "3");
  EXPECT_EQ(number(*sim_a, "fill_ratio_qty"), 0.8) << "200 of 250 filled (A-1, A-2 fully; A-3 rests)";
  EXPECT_EQ(number(*sim_a, "fill_ratio_orders"), 0.666667);
  EXPECT_EQ(sim_a->at("orders_filled_fully"), "2");
  EXPECT_EQ(sim_a->at("acks"), "3") << "V-1 was refused, not acknowledged";
  EXPECT_LT(number(*sim_a, "ack_latency_p50_us"), number(*sim_b, "ack_latency_p50_us"));
  EXPECT_GE(number(*sim_a, "ack_latency_p50_us"), 0.0);
  EXPECT_LE(number(*sim_a, "ack_latency_p50_us"), number(*sim_a, "ack_latency_p90_us"));
  EXPECT_LE(number(*sim_a, "ack_latency_p90_us"), number(*sim_a, "ack_latency_p99_us"));
  // A-1 bought at 101 against 100 (+100), A-2 sold at 101 against 100 (-100: received more).
  EXPECT_EQ(sim_a->at("slippage_orders"), "2");
  EXPECT_EQ(number(*sim_a, "slippage_bps_mean"), 0.0);
  EXPECT_EQ(sim_a->at("filled_without_arrival_price"), "0");
  EXPECT_NE(sim_a->at("time_to_fill_p50_us"), "<NULL>");

  const auto unrouted = rowWhere(by_venue, "venue", "<NULL>");
  ASSERT_TRUE(unrouted) << describe(by_venue);
  EXPECT_EQ(unrouted->at("orders"), "1");
  EXPECT_EQ(unrouted->at("rejected_by_gateway"), "1");
  EXPECT_EQ(number(*unrouted, "reject_ratio"), 1.0);
  EXPECT_EQ(unrouted->at("working"), "0");
  EXPECT_EQ(unrouted->at("fill_ratio_qty"), "<NULL>");

  const auto reasons = rejects("venue");
  ASSERT_EQ(reasons.size(), 2U) << describe(reasons);
  const auto venue_refusal = rowWhere(reasons, "venue", "SIM-A");
  ASSERT_TRUE(venue_refusal) << describe(reasons);
  EXPECT_EQ(venue_refusal->at("reject_code"), "FG401");
  EXPECT_EQ(venue_refusal->at("reject_source"), "venue");
  EXPECT_EQ(number(*venue_refusal, "share_of_orders"), 0.25);
  EXPECT_NE(venue_refusal->at("common_text").find("halted"), std::string::npos) << describe(reasons);
  const auto risk_refusal = rowWhere(reasons, "venue", "<NULL>");
  ASSERT_TRUE(risk_refusal) << describe(reasons);
  EXPECT_EQ(risk_refusal->at("reject_code"), "FG505");
  EXPECT_EQ(risk_refusal->at("reject_source"), "gateway");
}

TEST_F(ExecQualityTest, PerOrderRowsAndPerSessionFigures) {
  ASSERT_NO_FATAL_FAILURE(runScenario());

  const auto orders = toRows(query(
      "SELECT cl_ord_id, session, venue, outcome, risk_decision, reject_code, ordered_qty, filled_qty, "
      "avg_fill_px, arrival_price, slippage_bps, arrival_us, venue_sent_us, venue_ack_us, ack_latency_us, "
      "venue_cl_ord_id FROM audit.execution_orders($1::timestamptz, $2::timestamptz) ORDER BY seq",
      from_, to_));
  ASSERT_EQ(orders.size(), 8U) << describe(orders);

  const auto q1 = rowWhere(orders, "cl_ord_id", "Q-1");
  ASSERT_TRUE(q1) << describe(orders);
  EXPECT_EQ(q1->at("session"), kSessionA);
  EXPECT_EQ(q1->at("venue"), "SIM-B");
  EXPECT_EQ(q1->at("outcome"), "routed");
  EXPECT_EQ(q1->at("risk_decision"), "accepted");
  EXPECT_EQ(number(*q1, "arrival_price"), 100.0);
  EXPECT_EQ(number(*q1, "avg_fill_px"), 100.5);
  EXPECT_EQ(number(*q1, "slippage_bps"), 50.0);
  // The send time is the outgoing NewOrderSingle's own, not the order's arrival.
  const std::string soh(1, '\x01');
  const auto sent = query(
      "SELECT ts_us FROM audit.fix_messages WHERE direction = 'out' AND msg_type = 'D' AND strpos(raw, $1) > "
      "0",
      soh + "11=" + q1->at("venue_cl_ord_id") + soh);
  ASSERT_EQ(sent.size(), 1U) << "one venue NewOrderSingle for Q-1";
  EXPECT_EQ(q1->at("venue_sent_us"), sent[0][0].c_str());
  EXPECT_GE(number(*q1, "venue_sent_us"), number(*q1, "arrival_us"));
  EXPECT_EQ(number(*q1, "ack_latency_us"), number(*q1, "venue_ack_us") - number(*q1, "venue_sent_us"));

  const auto q2 = rowWhere(orders, "cl_ord_id", "Q-2");
  ASSERT_TRUE(q2) << describe(orders);
  EXPECT_EQ(number(*q2, "slippage_bps"), 100.0) << "a sell at 99 against 100 received 100 bps less";
  const auto a2 = rowWhere(orders, "cl_ord_id", "A-2");
  ASSERT_TRUE(a2) << describe(orders);
  EXPECT_EQ(number(*a2, "slippage_bps"), -100.0) << "a sell at 101 against 100 received 100 bps more";
  const auto n1 = rowWhere(orders, "cl_ord_id", "N-1");
  ASSERT_TRUE(n1) << describe(orders);
  EXPECT_EQ(n1->at("arrival_price"), "<NULL>");
  EXPECT_EQ(n1->at("slippage_bps"), "<NULL>");
  EXPECT_EQ(number(*n1, "filled_qty"), 50.0);
  const auto r1 = rowWhere(orders, "cl_ord_id", "R-1");
  ASSERT_TRUE(r1) << describe(orders);
  EXPECT_EQ(r1->at("outcome"), "rejected");
  EXPECT_EQ(r1->at("risk_decision"), "rejected");
  EXPECT_EQ(r1->at("reject_code"), "FG505");
  EXPECT_EQ(r1->at("venue"), "<NULL>");
  const auto v1 = rowWhere(orders, "cl_ord_id", "V-1");
  ASSERT_TRUE(v1) << describe(orders);
  EXPECT_EQ(v1->at("outcome"), "routed");
  EXPECT_EQ(v1->at("reject_code"), "FG401");
  EXPECT_EQ(v1->at("venue_ack_us"), "<NULL>");

  const auto by_session = quality("session");
  ASSERT_EQ(by_session.size(), 2U) << describe(by_session);
  const auto b = rowWhere(by_session, "session", kSessionB);
  ASSERT_TRUE(b) << describe(by_session);
  EXPECT_EQ(b->at("venue"), "<NULL>");
  EXPECT_EQ(b->at("orders"), "2");
  EXPECT_EQ(number(*b, "reject_ratio"), 0.5);
  EXPECT_EQ(number(*b, "fill_ratio_qty"), 0.5);
  EXPECT_EQ(number(*b, "slippage_bps_mean"), 100.0);
  const auto a = rowWhere(by_session, "session", kSessionA);
  ASSERT_TRUE(a) << describe(by_session);
  EXPECT_EQ(a->at("orders"), "6");
  EXPECT_EQ(a->at("rejected"), "1");
  // Q-1 +50, A-1 +100, A-2 -100: mean 16.6667, median 50.
  EXPECT_EQ(a->at("slippage_orders"), "3");
  EXPECT_EQ(number(*a, "slippage_bps_mean"), 16.6667);
  EXPECT_EQ(number(*a, "slippage_bps_p50"), 50.0);

  const auto session_rejects = rejects("session");
  const auto fg505 = rowWhere(session_rejects, "reject_code", "FG505");
  ASSERT_TRUE(fg505) << describe(session_rejects);
  EXPECT_EQ(fg505->at("session"), kSessionB);
  EXPECT_EQ(number(*fg505, "share_of_orders"), 0.5);

  const auto both = quality("both");
  EXPECT_EQ(both.size(), 4U) << "SIM-A/C44A, SIM-B/C44A, SIM-B/C44B, unrouted/C44B:\n" << describe(both);
}

TEST_F(ExecQualityTest, ToolPrintsTheTableCsvJsonAndPlot) {
  ASSERT_NO_FATAL_FAILURE(runScenario());
  const std::string db = conninfo(Role::Compliance);

  const CommandResult table = runTool({"--db", db, "--from", from_, "--to", to_});
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("Execution quality by venue"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find(": 8 orders"), std::string::npos) << table.output;
  // SIM-B: 750 of 1,500 filled (50.0%), slippage +75 mean and median over 2 orders.
  EXPECT_TRUE(std::regex_search(
      table.output,
      std::regex(R"(SIM-B +3 +0 0\.0% +750 / 1,500 +50\.0% +3 100\.0% .*\+75\.00 / \+75\.00 \(2\))")))
      << table.output;
  EXPECT_TRUE(std::regex_search(table.output, std::regex(R"(\(not routed\) +1 +1 100\.0% .*FG505 x1)")))
      << table.output;
  EXPECT_TRUE(std::regex_search(table.output, std::regex(R"(SIM-A +FG401 +venue +1 +25\.0% +venue SIM-A)")))
      << table.output;

  // CSV through the environment variable instead of --db.
  const std::filesystem::path plot = cluster().dir() / "exec-quality.svg";
  std::filesystem::remove(plot);
  setenv("FIXGATE_AUDIT_DB", db.c_str(), 1);
  const CommandResult csv = runTool({"--from", from_, "--to", to_, "--by", "session", "--format", "csv"});
  unsetenv("FIXGATE_AUDIT_DB");
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_NE(csv.output.find("venue,session,orders,rejected,rejected_by_gateway,"), std::string::npos)
      << csv.output;
  // it-C44B: Q-2 (200 of 400 at +100 bps) and R-1 (FG505).
  EXPECT_NE(csv.output.find("\r\n,it-C44B,2,1,1,0,0.5,1,400,200,0.5,1,1,0,1,"), std::string::npos)
      << csv.output;
  EXPECT_NE(csv.output.find(",1,100,100,0,FG505:1\r\n"), std::string::npos) << csv.output;

  const CommandResult json = runTool({"--db", db, "--from", from_, "--to", to_, "--by", "both", "--format",
                                      "json", "--plot", plot.string()});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find("\"by\": \"both\""), std::string::npos) << json.output;
  EXPECT_NE(json.output.find("{\"venue\": \"SIM-B\", \"session\": \"it-C44B\", \"orders\": 1,"),
            std::string::npos)
      << json.output;
  EXPECT_NE(json.output.find(
                "{\"code\": \"FG401\", \"source\": \"venue\", \"orders\": 1, \"share_of_orders\": 0.25,"),
            std::string::npos)
      << json.output;

  std::ifstream in(plot);
  ASSERT_TRUE(in) << "no plot written to " << plot << ": " << json.output;
  const std::string svg{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  for (const char* text : {">SIM-A / it-C44A<", ">SIM-B / it-C44B<", ">(not routed) / it-C44B<", ">+100.00<",
                           ">+50.00<", ">25.0%<", "Venue acknowledgement latency"}) {
    EXPECT_NE(svg.find(text), std::string::npos) << "the plot lacks " << text;
  }
}

TEST_F(ExecQualityTest, ToolTellsTheOperatorWhatToDo) {
  const std::string db = conninfo(Role::Compliance);

  // A range without orders: exit 1, and the message says so (this database has no orders at all).
  const CommandResult empty = runTool({"--db", db, "--from", "2020-01-01", "--to", "2020-01-02"});
  EXPECT_EQ(empty.exit_code, 1) << empty.output;
  EXPECT_NE(empty.output.find(
                "no client order arrived from 2020-01-01 00:00:00.000000 to 2020-01-03 00:00:00.000000"),
            std::string::npos)
      << empty.output;
  EXPECT_NE(empty.output.find("holds no orders at all"), std::string::npos) << empty.output;

  const CommandResult backwards = runTool({"--db", db, "--from", "2020-01-02", "--to", "2020-01-01T00:00"});
  EXPECT_EQ(backwards.exit_code, 1) << backwards.output;
  EXPECT_NE(backwards.output.find("the time range is empty"), std::string::npos) << backwards.output;

  const CommandResult bad_time = runTool({"--db", db, "--from", "yesterday"});
  EXPECT_EQ(bad_time.exit_code, 2) << bad_time.output;
  EXPECT_NE(bad_time.output.find("--from: \"yesterday\" is not a UTC time"), std::string::npos)
      << bad_time.output;

  const CommandResult bad_grouping = runTool({"--db", db, "--by", "account"});
  EXPECT_EQ(bad_grouping.exit_code, 2) << bad_grouping.output;
  EXPECT_NE(bad_grouping.output.find("--by"), std::string::npos) << bad_grouping.output;

  // Nobody listens on this socket directory.
  const CommandResult no_server = runTool(
      {"--db", "host=" + (cluster().dir() / "nowhere").string() + " dbname=fixgate user=fixgate_compliance"});
  EXPECT_EQ(no_server.exit_code, 2) << no_server.output;
  EXPECT_NE(no_server.output.find("cannot connect to the audit database"), std::string::npos)
      << no_server.output;
  EXPECT_NE(no_server.output.find("fixgate-pg.sh start"), std::string::npos) << no_server.output;

  // A store migrated up to 006 only: the message names the migration to apply.
  const std::string old_store = database() + "_006";
  ASSERT_NO_THROW(cluster().createDatabase(old_store));
  // The migrations without 007, in the cluster's temp dir (removed with it).
  const std::filesystem::path sql_dir = cluster().dir() / ("sql-" + old_store);
  std::filesystem::create_directories(sql_dir);
  for (const auto& entry : std::filesystem::directory_iterator(PostgresUnderTest::sqlDir())) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".sql" && name < "007") {
      std::filesystem::copy_file(entry.path(), sql_dir / name,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
  const CommandResult migrated = cluster().migrate(old_store, sql_dir);
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  const CommandResult missing = runTool({"--db", cluster().conninfo(Role::Compliance, old_store)});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("the audit store is at migration 6"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("fixgate-db migrate"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("007_execution_quality.sql"), std::string::npos) << missing.output;

  // --help explains the columns.
  const CommandResult help = runTool({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  for (const char* text : {"--db", "FIXGATE_AUDIT_DB", "--from", "--to", "--by", "--format", "--plot",
                           "ack µs", "slippage bps", "+ is worse for the client", "Exit codes"}) {
    EXPECT_NE(help.output.find(text), std::string::npos) << "--help lacks " << text;
  }
}

}  // namespace
}  // namespace fixgate::testing
