// A venue connection that drops with an acknowledgement still owed: the order stays PendingNew (never
// rejected for the drop), and when the gateway reconnects it asks the venue for the order's status and
// reconciles the answer - here the venue had the order, so the client gets its New, once.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "admin/client.h"
#include "fix_client.h"
#include "gateway_under_test.h"
#include "http_get.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"
#include "tcp_ports.h"
#include "text_file.h"

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

// Orders for a disconnected venue that holds them (hold_while_disconnected_ms): the client is told the order
// is held, and it is sent when the venue is back, or rejected when the hold ends first; a held order can be
// canceled without the venue.
GatewayOptions holdingSimB(const std::vector<std::string>& sim_b_args, int hold_ms) {
  GatewayOptions options;
  options.venues = {
      VenueSpec{"SIM-A", {"--fill-model", "rest"}, "", {}},
      VenueSpec{"SIM-B", sim_b_args, "", {fmt::format("hold_while_disconnected_ms: {}", hold_ms)}},
  };
  return options;
}

class HeldOrders : public ::testing::Test {
 protected:
  void startWith(GatewayOptions options) {
    gateway_ = std::make_unique<GatewayUnderTest>(std::move(options));
    ASSERT_TRUE(gateway_->start());
    client_ = gateway_->connectClient("FIX.4.4", "C44A");
  }
  void TearDown() override {
    if (HasFailure() && gateway_)
      std::cerr << "received by C44A:\n" << received() << gateway_->diagnostics(40);
    client_.reset();
    gateway_.reset();
  }
  std::string received() const {
    std::string lines;
    if (client_) {
      for (const FIX::Message& m : client_->received()) lines += "  " + client::toLine(m) + "\n";
    }
    return lines;
  }
  void sendVod(const std::string& cl_ord_id) {
    ASSERT_NE(client_->send(client::newOrderSingle(FixVersion::Fix44,
                                                   client::limitOrder(cl_ord_id, "VOD.L", '1', "100", "72"))),
              0);
  }
  // The report saying `cl_ord_id` is held: ExecType I, OrdStatus A (pending new), and a text that says so.
  void expectHeld(const std::string& cl_ord_id) {
    const auto held =
        client_->waitFor(client::execReportFor(cl_ord_id, "I"), std::chrono::milliseconds(3000));
    ASSERT_TRUE(held) << "no held report for " << cl_ord_id;
    EXPECT_TRUE(hasField(*held, F::OrdStatus, "A")) << client::toLine(*held);
    EXPECT_NE(client::fieldOr(*held, F::Text, "").find("held: venue SIM-B is not connected"),
              std::string::npos)
        << client::toLine(*held);
  }

  std::unique_ptr<GatewayUnderTest> gateway_;
  std::unique_ptr<client::FixClient> client_;
};

TEST_F(HeldOrders, AnOrderHeldWhileItsVenueRestartsIsSentWhenItIsBack) {
  // SIM-B restarts once, 2 s after start-up, keeping its book, and accepts again 1 s later.
  startWith(holdingSimB({"--fill-model", "rest", "--restart-after-s", "2", "--keep-book"}, 10000));
  ASSERT_TRUE(gateway_->gateway().waitForOutput("venue SIM-B logged out", std::chrono::milliseconds(8000)));
  EXPECT_TRUE(gateway_->gateway().waitForOutput("new orders for it are held up to 10000 ms",
                                                std::chrono::milliseconds(100)));
  sendVod("H-1");
  expectHeld("H-1");
  const auto accepted =
      client_->waitFor(client::execReportFor("H-1", "08"), std::chrono::milliseconds(10000));
  ASSERT_TRUE(accepted) << "H-1 was not sent when SIM-B came back";
  EXPECT_TRUE(hasField(*accepted, F::ExecType, "0")) << client::toLine(*accepted);
  EXPECT_TRUE(hasField(*accepted, F::OrdStatus, "0")) << client::toLine(*accepted);
}

TEST_F(HeldOrders, AHeldOrderIsRejectedWhenItsVenueStaysDownAndCanBeCanceled) {
  startWith(holdingSimB({"--fill-model", "rest"}, 1500));
  gateway_->stopVenue("SIM-B");
  ASSERT_TRUE(gateway_->gateway().waitForOutput("venue SIM-B logged out", std::chrono::milliseconds(8000)));
  sendVod("H-2");
  expectHeld("H-2");
  sendVod("H-3");
  expectHeld("H-3");
  ASSERT_NE(client_->send(client::cancel(
                FixVersion::Fix44,
                {.cl_ord_id = "H-4", .orig_cl_ord_id = "H-3", .symbol = "VOD.L", .side = '1', .qty = "100"})),
            0);
  const auto canceled = client_->waitFor(client::execReportFor("H-4", "4"), std::chrono::milliseconds(3000));
  ASSERT_TRUE(canceled) << "the held H-3 was not canceled";
  EXPECT_NE(client::fieldOr(*canceled, F::Text, "").find("canceled before it was sent"), std::string::npos)
      << client::toLine(*canceled);
  const auto rejected = client_->waitFor(client::execReportFor("H-2", "8"), std::chrono::milliseconds(5000));
  ASSERT_TRUE(rejected) << "H-2 was not rejected when its hold ended";
  EXPECT_NE(client::fieldOr(*rejected, F::Text, "").find("venue SIM-B did not reconnect within 1500 ms"),
            std::string::npos)
      << client::toLine(*rejected);
  EXPECT_FALSE(client_->waitFor(client::execReportFor("H-3", "8"), std::chrono::milliseconds(500)))
      << "the canceled H-3 was also rejected";
}

// The venue settings are journaled at each start (ApplySettings): a restart on a gateway.yaml that changed
// them since replays the earlier run with that run's settings, and applies the new ones from then on. Here
// the order held under the old 60 s hold stays held through the replay, not rejected by the new "no hold".
TEST_F(HeldOrders, AReplayKeepsTheSettingsOfTheRunThatJournaledIt) {
  startWith(holdingSimB({"--fill-model", "rest"}, 60000));
  gateway_->stopVenue("SIM-B");
  ASSERT_TRUE(gateway_->gateway().waitForOutput("venue SIM-B logged out", std::chrono::milliseconds(8000)));
  sendVod("H-5");
  expectHeld("H-5");

  ASSERT_TRUE(gateway_->killGateway());
  const auto config_file = gateway_->dir() / "gateway.yaml";
  std::string config = readTextFile(config_file);
  const std::string held = "hold_while_disconnected_ms: 60000";
  const auto at = config.find(held);
  ASSERT_NE(at, std::string::npos) << config;
  config.replace(at, held.size(), "hold_while_disconnected_ms: 0");
  writeTextFile(config_file, config);
  ASSERT_TRUE(client_->waitLogout(std::chrono::seconds(10)))
      << "the client did not notice the gateway's death within 10 s";
  ASSERT_TRUE(gateway_->restartGateway());
  ASSERT_TRUE(client_->waitLogon(std::chrono::seconds(15))) << gateway_->diagnostics();

  ASSERT_NE(client_->send(client::statusRequest(FixVersion::Fix44, "H-5", "VOD.L", '1')), 0);
  const auto status = client_->waitFor(client::execReportFor("H-5", "I"), std::chrono::milliseconds(3000));
  ASSERT_TRUE(status) << "no status answer for H-5 after the restart";
  EXPECT_TRUE(hasField(*status, F::OrdStatus, "A")) << "H-5 is no longer held: " << client::toLine(*status);

  sendVod("H-6");  // the new gateway.yaml holds nothing for SIM-B
  const auto rejected = client_->waitFor(client::execReportFor("H-6", "8"), std::chrono::milliseconds(3000));
  ASSERT_TRUE(rejected) << "H-6 was not rejected at once with SIM-B down and no hold configured";
  EXPECT_NE(client::fieldOr(*rejected, F::Text, "").find("venue SIM-B is not connected"), std::string::npos)
      << client::toLine(*rejected);
}

// The fixture's gateway and client serve here too: a venue restart, this time with more open orders than the
// venue's status_queries_per_second. SIM-B restarts once, 8 s after it started (the orders go in well
// before), keeping its book, and never acknowledges VOD.L, so all twelve orders are still PendingNew when it
// drops and each New the client gets afterwards is the answer to one status query.
using PacedStatusQueries = HeldOrders;

// TransactTime (60), the gateway's time of the event that made the report, in microseconds since the epoch
// (QuickFIX's own parser; it throws on a malformed value, which fails the test).
std::int64_t transactTimeUs(const FIX::Message& report) {
  const FIX::UtcTimeStamp at = FIX::UtcTimeStampConvertor::convert(report.getField(F::TransactTime));
  return static_cast<std::int64_t>(at.getTimeT()) * 1'000'000 + at.getFraction(6);
}

TEST_F(PacedStatusQueries, AReconnectAsksAboutOpenOrdersAtTheVenuesRate) {
  GatewayOptions options;
  options.venues = {
      VenueSpec{"SIM-A", {"--fill-model", "rest"}, "", {}},
      VenueSpec{"SIM-B",
                {"--fill-model", "rest", "--drop-acks-for-symbol", "VOD.L", "--restart-after-s", "8",
                 "--restart-count", "1", "--keep-book"},
                "",
                {"ack_timeout_new_ms: 30000", "status_queries_per_second: 4"}},
  };
  options.ops_http_port = freeTcpPort();
  const std::uint16_t metrics_port = options.ops_http_port;
  startWith(std::move(options));
  // SIM-B's queue as operators see it: the gauge (nullopt when unreadable) and its `fixgate-admin venues`
  // line.
  const auto queuedOnTheGauge = [&]() -> std::optional<double> {
    const auto scraped = httpGet(metrics_port, "/metrics");
    if (!scraped) return std::nullopt;
    return metricValue(scraped->body, "fixgate_venue_status_queries_queued", {"venue=\"SIM-B\""});
  };
  const auto venueLine = [&] {
    const auto reply =
        admin::sendAdminCommand(gateway_->adminSocket(), "venues", std::chrono::milliseconds(5000));
    if (!reply) return std::string("no reply: ") + reply.error().message;
    const auto at = reply->find("venue SIM-B:");
    return at == std::string::npos ? *reply : reply->substr(at, reply->find('\n', at) - at);
  };
  const std::string kWaiting = "status queries waiting for the venue's status_queries_per_second";
  constexpr int kOrders = 12;
  for (int i = 1; i <= kOrders; ++i) sendVod(fmt::format("P-{}", i));
  ASSERT_TRUE(gateway_->gateway().waitForOutput("venue SIM-B logged out", std::chrono::milliseconds(10000)));
  ASSERT_TRUE(gateway_->gateway().waitForOutput("StatusQueriesPaced", std::chrono::milliseconds(10000)));
  EXPECT_TRUE(gateway_->gateway().waitForOutput("8 status queries wait and go out over about 2 s",
                                                std::chrono::milliseconds(100)));
  // Eight wait, four leave the queue a second later and the rest a second after that: both views show it
  // meanwhile (polled for up to 5 s, each kept once seen).
  std::optional<double> gauge_seen;
  std::string line_seen;
  for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
       std::chrono::steady_clock::now() < until && (!gauge_seen || line_seen.empty());
       std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    if (const auto queued = queuedOnTheGauge(); !gauge_seen && queued && *queued > 0) gauge_seen = queued;
    if (auto line = venueLine(); line_seen.empty() && line.find(kWaiting) != std::string::npos)
      line_seen = line;
  }
  EXPECT_TRUE(gauge_seen && *gauge_seen <= 8) << (gauge_seen ? *gauge_seen : -1.0);
  EXPECT_FALSE(line_seen.empty()) << "fixgate-admin venues never showed SIM-B's queue; last: " << venueLine();
  std::vector<std::int64_t> answered_at;
  for (int i = 1; i <= kOrders; ++i) {
    const auto accepted = client_->waitFor(client::execReportFor(fmt::format("P-{}", i), "08"),
                                           std::chrono::milliseconds(10000));
    ASSERT_TRUE(accepted) << "P-" << i << " was not reconciled after SIM-B reconnected";
    EXPECT_TRUE(hasField(*accepted, F::ExecType, "0")) << client::toLine(*accepted);
    answered_at.push_back(transactTimeUs(*accepted));
  }
  // Never more than four in a second: four at once, four a second later, the last four 2 s after the
  // reconnect. Only a lower bound holds on a loaded machine.
  EXPECT_GE(answered_at.back() - answered_at.front(), 1'500'000)
      << "the twelve answers came within " << (answered_at.back() - answered_at.front()) << " us";
  // Every answer is in, so the queue is empty (a scrape runs under the engine's lock, after the last send).
  EXPECT_EQ(queuedOnTheGauge(), 0.0);
  EXPECT_EQ(venueLine().find(kWaiting), std::string::npos) << venueLine();
}

}  // namespace
}  // namespace fixgate::testing
