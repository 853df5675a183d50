// A venue connection that drops with an acknowledgement still owed: the order stays PendingNew (never
// rejected for the drop), and when the gateway reconnects it asks the venue for the order's status and
// reconciles the answer - here the venue had the order, so the client gets its New, once.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"

namespace fixgate::testing {
namespace {

using client::FixVersion;
namespace F = FIX::FIELD;

// Reconnects every second (GatewayUnderTest's venues), far inside the 10 s acknowledgement timeout here, so
// the reconciliation seen is the reconnect's, not a timeout's.
GatewayOptions droppingVenue() {
  GatewayOptions options;
  const std::vector<std::string> timeouts = {"ack_timeout_new_ms: 10000"};
  options.venues = {
      VenueSpec{"SIM-A", {"--fill-model", "rest", "--disconnect-after", "2"}, "", timeouts},
      VenueSpec{"SIM-B", {"--fill-model", "rest"}, "", timeouts},
  };
  return options;
}

TEST(VenueDisconnect, AnOrderWhoseAckWasLostInTheDropIsReconciledOnReconnect) {
  GatewayUnderTest gateway(droppingVenue());
  ASSERT_TRUE(gateway.start());
  auto client = gateway.connectClient("FIX.4.4", "C44A");
  auto received = [&] {
    std::string lines;
    for (const FIX::Message& m : client->received()) lines += "  " + client::toLine(m) + "\n";
    return lines;
  };
  // SIM-A sends two application messages after each logon, then drops the connection instead of the third:
  // D-1's ack, D-1's cancel confirmation, then D-2's ack is lost in the drop. (On reconnect every open order
  // is queried, so only D-2 is open by then: its answer is the first message of the new logon.)
  ASSERT_NE(client->send(client::newOrderSingle(FixVersion::Fix44,
                                                client::limitOrder("D-1", "AAPL", '1', "100", "99.01"))),
            0);
  ASSERT_TRUE(client->waitFor(client::execReportFor("D-1", "0"), std::chrono::milliseconds(5000)))
      << "no New for D-1; received:\n"
      << received() << gateway.diagnostics(40);
  ASSERT_NE(client->send(client::cancel(
                FixVersion::Fix44,
                {.cl_ord_id = "X-1", .orig_cl_ord_id = "D-1", .symbol = "AAPL", .side = '1', .qty = "100"})),
            0);
  ASSERT_TRUE(client->waitFor(client::execReportFor("X-1", "4"), std::chrono::milliseconds(5000)))
      << "no Canceled for X-1; received:\n"
      << received() << gateway.diagnostics(40);
  ASSERT_NE(client->send(client::newOrderSingle(FixVersion::Fix44,
                                                client::limitOrder("D-3", "AAPL", '1', "100", "99.03"))),
            0);
  ASSERT_TRUE(gateway.gateway().waitForOutput("venue SIM-A logged out", std::chrono::milliseconds(5000)))
      << gateway.diagnostics(40);
  const auto accepted = client->waitFor(client::execReportFor("D-3", "08"), std::chrono::milliseconds(8000));
  ASSERT_TRUE(accepted) << "D-3 was not reconciled after SIM-A reconnected; received:\n"
                        << received() << gateway.diagnostics(40);
  EXPECT_TRUE(hasField(*accepted, F::ExecType, "0")) << client::toLine(*accepted);
  EXPECT_TRUE(hasField(*accepted, F::OrdStatus, "0")) << client::toLine(*accepted);
  EXPECT_FALSE(client->waitFor(client::execReportFor("D-3", "08"), std::chrono::milliseconds(1000)))
      << "a second New or a reject for D-3; received:\n"
      << received();
}

}  // namespace
}  // namespace fixgate::testing
