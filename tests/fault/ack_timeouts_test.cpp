// Acknowledgement timeouts against a real simulator that loses or delays its acknowledgements: the client
// is told the order's venue state is unknown, the gateway asks the venue (OrderStatusRequest) and reconciles
// the answer, and every order ends in a known state with exactly one New report - never "rejected" for a
// venue that simply answered late.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fault_invariants.h"
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

constexpr std::chrono::milliseconds kAnswerTimeout{5000};
constexpr int kAckTimeoutMs = 300;

// SIM-A loses every acknowledgement (ExecType 0/5/4) of MSFT orders but keeps the orders, and never receives
// a first NewOrderSingle for IBM (only a PossResend copy); SIM-B holds every acknowledgement 1.5 s. Both
// venues time acknowledgements out after 300 ms.
GatewayOptions faultyVenues() {
  GatewayOptions options;
  const std::vector<std::string> timeouts = {fmt::format("ack_timeout_new_ms: {}", kAckTimeoutMs),
                                             fmt::format("ack_timeout_cancel_ms: {}", kAckTimeoutMs),
                                             fmt::format("ack_timeout_replace_ms: {}", kAckTimeoutMs)};
  options.venues = {
      VenueSpec{"SIM-A",
                {"--fill-model", "rest", "--drop-acks-for-symbol", "MSFT", "--lose-new-for-symbol", "IBM"},
                "",
                timeouts},
      VenueSpec{"SIM-B", {"--fill-model", "rest", "--ack-delay-ms", "1500"}, "", timeouts},
  };
  return options;
}

class AckTimeouts : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayUnderTest>(faultyVenues());
    ASSERT_TRUE(gateway_->start());
    client_ = gateway_->connectClient("FIX.4.4", "C44A");
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "received by C44A:\n" << received() << gateway_->diagnostics(40);
    client_.reset();
    gateway_.reset();
  }
  std::string received() const {
    std::string lines;
    for (const FIX::Message& m : client_->received()) lines += "  " + client::toLine(m) + "\n";
    return lines;
  }
  std::optional<FIX::Message> awaitReport(const std::string& cl_ord_id, const std::string& exec_types) {
    return client_->waitFor(client::execReportFor(cl_ord_id, exec_types), kAnswerTimeout);
  }
  int countReports(const std::string& cl_ord_id, const std::string& exec_type) const {
    int n = 0;
    for (const FIX::Message& m : client_->received()) {
      n += client::field(m, F::ClOrdID) == cl_ord_id && client::isExecReport(m, exec_type) ? 1 : 0;
    }
    return n;
  }

  std::unique_ptr<GatewayUnderTest> gateway_;
  std::unique_ptr<client::FixClient> client_;
};

TEST_F(AckTimeouts, ALostAcknowledgementIsReportedUnknownThenReconciledByAStatusQuery) {
  ASSERT_NE(client_->send(client::newOrderSingle(FixVersion::Fix44,
                                                 client::limitOrder("L-1", "MSFT", '1', "100", "400"))),
            0);
  const auto unknown = awaitReport("L-1", "I");
  ASSERT_TRUE(unknown) << "no ExecType I (state unknown) for L-1; received:\n" << received();
  EXPECT_TRUE(hasField(*unknown, F::OrdStatus, "A")) << client::toLine(*unknown);  // still PendingNew
  EXPECT_NE(client::fieldOr(*unknown, F::Text, "")
                .find("no acknowledgement of the order from venue SIM-A "
                      "within 300 ms"),
            std::string::npos)
      << client::toLine(*unknown);
  // SIM-A answers the status query with the order it holds: the gateway reports the order New.
  const auto accepted = awaitReport("L-1", "0");
  ASSERT_TRUE(accepted) << "the status answer did not make L-1 New; received:\n" << received();
  EXPECT_TRUE(hasField(*accepted, F::OrdStatus, "0"));

  // The cancel's acknowledgement is lost too: unknown, then the status answer shows it canceled.
  ASSERT_NE(client_->send(client::cancel(
                FixVersion::Fix44,
                {.cl_ord_id = "L-2", .orig_cl_ord_id = "L-1", .symbol = "MSFT", .side = '1', .qty = "100"})),
            0);
  const auto cancel_unknown = awaitReport("L-1", "I");
  ASSERT_TRUE(cancel_unknown) << "no ExecType I for the unanswered cancel; received:\n" << received();
  EXPECT_TRUE(hasField(*cancel_unknown, F::OrdStatus, "6")) << client::toLine(*cancel_unknown);
  const auto canceled = awaitReport("L-2", "4");
  ASSERT_TRUE(canceled) << "the status answer did not complete the cancel; received:\n" << received();
  EXPECT_TRUE(hasField(*canceled, F::OrdStatus, "4"));
  EXPECT_TRUE(hasField(*canceled, F::OrigClOrdID, "L-1"));
  EXPECT_EQ(countReports("L-1", "0"), 1);
  EXPECT_EQ(countReports("L-1", "8"), 0);
}

TEST_F(AckTimeouts, AnOrderTheVenueNeverReceivedIsSentAgainWithPossResendAndGoesLive) {
  ASSERT_NE(client_->send(client::newOrderSingle(FixVersion::Fix44,
                                                 client::limitOrder("R-1", "IBM", '1', "100", "150"))),
            0);
  const auto unknown = awaitReport("R-1", "I");
  ASSERT_TRUE(unknown) << "no ExecType I (state unknown) for R-1; received:\n" << received();
  const auto accepted = awaitReport("R-1", "0");
  ASSERT_TRUE(accepted) << "the replay of R-1 was not acknowledged; received:\n" << received();
  EXPECT_TRUE(hasField(*accepted, F::OrdStatus, "0"));
  EXPECT_EQ(countReports("R-1", "8"), 0) << received();
  EXPECT_EQ(countReports("R-1", "0"), 1) << received();
  bool told_replayed = false;
  for (const FIX::Message& m : client_->received()) {
    told_replayed |=
        client::field(m, F::ClOrdID) == "R-1" &&
        client::fieldOr(m, F::Text, "").find("fixgate sent it again with PossResend=Y") != std::string::npos;
  }
  EXPECT_TRUE(told_replayed) << received();
  // At the venue: the NewOrderSingle twice under one ClOrdID, the second with PossResend=Y, one order booked.
  std::vector<fault::LoggedMessage> orders;
  int acks = 0;
  for (const auto& m : fault::readMessageLog(gateway_->dir() / "venues" / "SIM-A" / "log")) {
    if (m.get(F::Symbol) != "IBM") continue;
    if (m.get(F::MsgType) == "D") orders.push_back(m);
    if (m.get(F::MsgType) == "8" && m.get(F::ExecType) == "0") ++acks;
  }
  ASSERT_EQ(orders.size(), 2U);
  EXPECT_EQ(orders[0].get(F::PossResend), "") << orders[0].line;
  EXPECT_EQ(orders[1].get(F::PossResend), "Y") << orders[1].line;
  EXPECT_EQ(orders[0].get(F::ClOrdID), orders[1].get(F::ClOrdID));
  EXPECT_EQ(acks, 1);
}

TEST_F(AckTimeouts, ALateAcknowledgementIsReconciledNotRejected) {
  ASSERT_NE(client_->send(client::newOrderSingle(FixVersion::Fix44,
                                                 client::limitOrder("D-1", "VOD.L", '1', "100", "72"))),
            0);
  const auto unknown = awaitReport("D-1", "I");
  ASSERT_TRUE(unknown) << "no ExecType I (state unknown) for D-1; received:\n" << received();
  const auto accepted = awaitReport("D-1", "0");
  ASSERT_TRUE(accepted) << "the late acknowledgement of D-1 was not reconciled; received:\n" << received();
  EXPECT_TRUE(hasField(*accepted, F::OrdStatus, "0"));
  // The late ack and the status answer both arrive (1.5 s after the order); the client sees one New and no
  // reject however long it waits.
  EXPECT_FALSE(client_->waitFor(client::execReportFor("D-1", "08"), std::chrono::milliseconds(2500)))
      << "a second New or a reject for D-1; received:\n"
      << received();
  EXPECT_EQ(countReports("D-1", "0"), 1) << received();
  EXPECT_EQ(countReports("D-1", "8"), 0) << received();
}

}  // namespace
}  // namespace fixgate::testing
