// Gateway crash recovery (issue 5, point 3): the gateway is SIGKILLed with resting orders and restarted on
// the same journal and session stores. The client's FIX session resumes with both sequence numbers carried
// on (no reset, no gap the client must recover), the venues are reconnected and reconciled, and the client
// cancels every order it placed before the crash.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"

namespace fixgate::testing {
namespace {

using client::FixVersion;
using namespace std::chrono_literals;

int seqNumOf(const FIX::Message& message) {
  return std::stoi(message.getHeader().getField(34));
}

TEST(CrashRecovery, SessionsResumeWithTheirSequenceNumbersAndPreCrashOrdersCanBeCanceled) {
  GatewayUnderTest gateway;
  ASSERT_TRUE(gateway.start());
  // A client like a production engine: a file store, and no ResetSeqNumFlag on its Logons.
  client::ClientConfig config;
  config.port = gateway.clientPort();
  config.sessions = {{"FIX.4.4", "C44A", "FIXGATE"}};
  config.data_dir = gateway.dir() / "clients" / "C44A";
  config.heartbeat_interval_s = gateway.options().heartbeat_interval_s;
  config.reset_on_logon = false;
  auto client = std::make_unique<client::FixClient>(config);
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
  const auto dropped_by = std::chrono::steady_clock::now() + 10s;
  while (client->isLoggedOn() && std::chrono::steady_clock::now() < dropped_by)
    std::this_thread::sleep_for(20ms);
  ASSERT_FALSE(client->isLoggedOn()) << "the client did not notice the gateway's death within 10 s";
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

}  // namespace
}  // namespace fixgate::testing
