// Gateway crash recovery (issue 5, point 3): the gateway is SIGKILLed with resting orders and restarted on
// the same journal and session stores. The client's FIX session resumes with both sequence numbers carried
// on (no reset, no gap the client must recover), the venues are reconnected and reconciled, and the client
// cancels every order it placed before the crash.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "text_file.h"

namespace fixgate::testing {
namespace {

using client::FixVersion;
using namespace std::chrono_literals;

int seqNumOf(const FIX::Message& message) {
  return std::stoi(message.getHeader().getField(34));
}

// C44A like a production engine: a file store, and no ResetSeqNumFlag on its Logons.
std::unique_ptr<client::FixClient> persistentClient(const GatewayUnderTest& gateway) {
  client::ClientConfig config;
  config.port = gateway.clientPort();
  config.sessions = {{"FIX.4.4", "C44A", "FIXGATE"}};
  config.data_dir = gateway.dir() / "clients" / "C44A";
  config.heartbeat_interval_s = gateway.options().heartbeat_interval_s;
  config.reset_on_logon = false;
  return std::make_unique<client::FixClient>(config);
}

// Sends a buy of 100 AAPL at `price` and waits for its acknowledgement (ExecType 0).
::testing::AssertionResult placeAaplBuy(client::FixClient& client, const GatewayUnderTest& gateway,
                                        const std::string& cl_ord_id, const std::string& price) {
  if (client.send(client::newOrderSingle(FixVersion::Fix44,
                                         client::limitOrder(cl_ord_id, "AAPL", '1', "100", price))) == 0) {
    return ::testing::AssertionFailure() << cl_ord_id << " could not be sent\n" << gateway.diagnostics();
  }
  if (!client.waitForExecReport(cl_ord_id, '0', 5s)) {
    return ::testing::AssertionFailure() << "no acknowledgement of " << cl_ord_id << " within 5 s\n"
                                         << gateway.diagnostics();
  }
  return ::testing::AssertionSuccess();
}

TEST(CrashRecovery, SessionsResumeWithTheirSequenceNumbersAndPreCrashOrdersCanBeCanceled) {
  GatewayUnderTest gateway;
  ASSERT_TRUE(gateway.start());
  auto client = persistentClient(gateway);
  ASSERT_TRUE(client->waitLogon(10s)) << gateway.diagnostics();

  constexpr int kResting = 3;
  int last_report_seq = 0;
  for (int i = 1; i <= kResting; ++i) {
    const std::string id = fmt::format("CR-{}", i);
    ASSERT_NE(client->send(client::newOrderSingle(FixVersion::Fix44,
                                                  client::limitOrder(id, "AAPL", '1', "100", "90.01"))),
              0);
    const auto ack = client->waitForExecReport(id, '0', 5s);
    ASSERT_TRUE(ack) << gateway.diagnostics();
    last_report_seq = seqNumOf(*ack);
  }
  const std::size_t before_crash = client->receivedCount();

  ASSERT_TRUE(gateway.killGateway());
  ASSERT_TRUE(client->waitLogout(10s)) << "the client did not notice the gateway's death within 10 s";
  ASSERT_TRUE(gateway.restartGateway());
  ASSERT_TRUE(client->waitLogon(15s)) << gateway.diagnostics();

  // The gateway's Logon answer continues its numbering exactly where the last report left it, without
  // ResetSeqNumFlag; and nothing had to be resent (no SequenceReset, no ResendRequest from either side).
  std::optional<FIX::Message> logon;
  for (const FIX::Message& m : client->received(before_crash)) {
    const std::string type = m.getHeader().getField(35);
    EXPECT_NE(type, "4") << "a SequenceReset after the restart: " << client::toLine(m);
    EXPECT_NE(type, "2") << "a ResendRequest after the restart: " << client::toLine(m);
    if (type == "A" && !logon) logon = m;
  }
  ASSERT_TRUE(logon) << "no Logon answer recorded after the restart";
  EXPECT_EQ(seqNumOf(*logon), last_report_seq + 1) << client::toLine(*logon);
  EXPECT_FALSE(logon->isSetField(141) && logon->getField(141) == "Y") << client::toLine(*logon);

  // Every order placed before the crash is canceled at its venue on the client's request, the reports
  // numbered on from the Logon.
  int previous_seq = seqNumOf(*logon);
  for (int i = 1; i <= kResting; ++i) {
    const std::string orig = fmt::format("CR-{}", i);
    const std::string id = orig + "-X";
    ASSERT_NE(client->send(client::cancel(
                  FixVersion::Fix44,
                  {.cl_ord_id = id, .orig_cl_ord_id = orig, .symbol = "AAPL", .side = '1', .qty = "100"})),
              0);
    const auto canceled = client->waitForExecReport(id, '4', 10s);
    ASSERT_TRUE(canceled) << "no Canceled for " << id << "\n" << gateway.diagnostics();
    EXPECT_GT(seqNumOf(*canceled), previous_seq);
    previous_seq = seqNumOf(*canceled);
  }
  EXPECT_TRUE(gateway.gateway().waitForOutput("venue SIM-A logged on", 1s));
}

// Fills the venue made while the gateway was down reach the client as the venue sent them: the venue
// session's sequence numbers continue across the crash, the gateway asks for what it missed
// (ResendRequest), and the venue's fill comes back with PossDupFlag=Y, its own ExecID and price - not as a
// fill reconciled from a status answer.
TEST(CrashRecovery, FillsMadeWhileTheGatewayWasDownArriveByTheVenuesResend) {
  GatewayOptions options;
  options.venues = defaultVenues();
  for (auto& venue : options.venues) {
    if (venue.name == "SIM-A") {
      venue.sim_args.insert(venue.sim_args.end(),
                            {"--client-comp-id", "FIXGATE", "--client-comp-id", "TAKER"});
    }
  }
  GatewayUnderTest gateway(options);
  ASSERT_TRUE(gateway.start());
  // It does not reset on logon, so the report it could not be sent while it was away is resent.
  auto client = persistentClient(gateway);
  ASSERT_TRUE(client->waitLogon(10s)) << gateway.diagnostics();
  ASSERT_TRUE(placeAaplBuy(*client, gateway, "RS-1", "90.25"));

  ASSERT_TRUE(gateway.killGateway());
  // Another member of SIM-A sells into RS-1 while the gateway is down: SIM-A's fill to FIXGATE is stored
  // under its next sequence number, not delivered.
  client::ClientConfig taker_config;
  taker_config.port = gateway.venuePort("SIM-A");
  taker_config.sessions = {{"FIX.4.4", "TAKER", "SIM-A"}};
  taker_config.data_dir = gateway.dir() / "clients" / "TAKER";
  client::FixClient taker(taker_config);
  ASSERT_TRUE(taker.waitLogon(10s)) << gateway.diagnostics();
  ASSERT_NE(taker.send(client::newOrderSingle(FixVersion::Fix44,
                                              client::limitOrder("T-1", "AAPL", '2', "100", "90.25"))),
            0);
  ASSERT_TRUE(taker.waitForExecReport("T-1", 'F', 5s)) << "the taker's sell did not trade";

  ASSERT_TRUE(gateway.restartGateway());
  ASSERT_TRUE(client->waitLogon(15s)) << gateway.diagnostics();
  const auto fill = client->waitForExecReport("RS-1", 'F', 10s);
  ASSERT_TRUE(fill) << "the fill made while the gateway was down never reached the client\n"
                    << gateway.diagnostics(60);
  EXPECT_EQ(client::fieldOr(*fill, FIX::FIELD::LastQty, ""), "100") << client::toLine(*fill);
  EXPECT_EQ(client::fieldOr(*fill, FIX::FIELD::LastPx, ""), "90.25") << client::toLine(*fill);
  EXPECT_EQ(client::fieldOr(*fill, FIX::FIELD::OrdStatus, ""), "2") << client::toLine(*fill);
  EXPECT_EQ(client::fieldOr(*fill, FIX::FIELD::Text, "").find("reconciled"), std::string::npos)
      << "the fill was synthesised from a status answer, not resent by the venue: " << client::toLine(*fill);
  const std::string log = gateway.gateway().log();
  EXPECT_EQ(log.find("ReconciledFills"), std::string::npos) << gateway.diagnostics(60);
  // Exactly one fill, though the venue's resend and the status answer both describe it.
  std::this_thread::sleep_for(500ms);
  int fills = 0;
  for (const FIX::Message& m : client->received()) {
    fills += client::field(m, FIX::FIELD::ClOrdID) == "RS-1" && client::isExecReport(m, "F") ? 1 : 0;
  }
  EXPECT_EQ(fills, 1);
}

// A gateway whose venue session state was lost (here: its store deleted while it was down) logs on with
// MsgSeqNum 1 to a venue that expects more: the venue refuses it ("MsgSeqNum too low"), and the gateway's
// next Logon resets both sides (ResetSeqNumFlag=Y) instead of retrying forever, says so, and trades on.
TEST(CrashRecovery, AVenueSessionWhoseSequenceNumbersWereLostIsResetByLogon) {
  GatewayUnderTest gateway;
  ASSERT_TRUE(gateway.start());
  {
    auto client = gateway.connectClient("FIX.4.4", "C44A");
    ASSERT_TRUE(placeAaplBuy(*client, gateway, "SQ-1", "90.01"));
  }
  ASSERT_TRUE(gateway.killGateway());
  std::filesystem::remove_all(gateway.dir() / "data" / "venues" / "SIM-A" / "sessions");
  std::filesystem::remove_all(gateway.dir() / "data" / "venues" / "SIM-A" / "store");
  ASSERT_TRUE(gateway.restartGateway());
  EXPECT_TRUE(gateway.gateway().waitForOutput("venue SIM-A: sequence numbers do not match", 1s))
      << gateway.diagnostics(40);
  EXPECT_TRUE(gateway.gateway().waitForOutput("venue SIM-A: sequence numbers reset to 1 on both sides", 1s))
      << gateway.diagnostics(40);
  auto client = gateway.connectClient("FIX.4.4", "C44B");
  ASSERT_NE(client->send(client::newOrderSingle(FixVersion::Fix44,
                                                client::limitOrder("SQ-2", "AAPL", '1', "100", "90.02"))),
            0);
  EXPECT_TRUE(client->waitForExecReport("SQ-2", '0', 5s)) << gateway.diagnostics(40);
}

// Removes every line of `file` that contains `needle`; returns how many it removed.
int removeLinesContaining(const std::filesystem::path& file, const std::string& needle) {
  std::istringstream in(readTextFile(file));
  std::string kept;
  int removed = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) {
      ++removed;
    } else {
      kept += line + "\n";
    }
  }
  writeTextFile(file, kept);
  return removed;
}

// The limits each run applied are journaled as their text and parsed again at the replay, against the
// instruments that run had (journaled with its settings), not against the files the gateway restarts on: an
// instrument taken out of the instruments file and the limits file between two runs does not stop the start.
TEST(CrashRecovery, AnInstrumentRemovedFromTheFilesBetweenRunsDoesNotStopTheReplay) {
  GatewayUnderTest gateway;
  ASSERT_TRUE(gateway.start());
  auto client = persistentClient(gateway);
  ASSERT_TRUE(client->waitLogon(10s)) << gateway.diagnostics();
  ASSERT_TRUE(placeAaplBuy(*client, gateway, "RM-1", "90.01"));

  ASSERT_TRUE(gateway.killGateway());
  EXPECT_EQ(removeLinesContaining(gateway.dir() / "instruments.yaml", "\"IBM\""), 1);
  EXPECT_EQ(removeLinesContaining(gateway.dir() / "limits.yaml", "\"IBM\""), 1);
  ASSERT_TRUE(client->waitLogout(10s)) << "the client did not notice the gateway's death within 10 s";
  ASSERT_TRUE(gateway.restartGateway()) << "the journaled limits naming IBM stopped the replay";
  ASSERT_TRUE(client->waitLogon(15s)) << gateway.diagnostics();

  // The new run trades with the new files: IBM is unknown, the order of the earlier run is still open.
  ASSERT_NE(client->send(client::newOrderSingle(FixVersion::Fix44,
                                                client::limitOrder("RM-2", "IBM", '1', "100", "120.01"))),
            0);
  const auto rejected = client->waitForExecReport("RM-2", '8', 5s);
  ASSERT_TRUE(rejected) << gateway.diagnostics();
  EXPECT_NE(client::fieldOr(*rejected, FIX::FIELD::Text, "").find("unknown symbol 'IBM'"), std::string::npos)
      << client::toLine(*rejected);
  ASSERT_NE(
      client->send(client::cancel(
          FixVersion::Fix44,
          {.cl_ord_id = "RM-1-X", .orig_cl_ord_id = "RM-1", .symbol = "AAPL", .side = '1', .qty = "100"})),
      0);
  EXPECT_TRUE(client->waitForExecReport("RM-1-X", '4', 10s)) << gateway.diagnostics(40);
}

}  // namespace
}  // namespace fixgate::testing
