// Every refusal the order path can give reaches the client as the right FIX message with the reason code
// leading its Text, in every FIX version the gateway speaks.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "order_path_fixture.h"
#include "report_checks.h"

namespace fixgate::testing {
namespace {

using client::FixClient;
namespace F = FIX::FIELD;

class OrderRejects : public GatewayFixture {
 protected:
  // Sends a new order and waits for the gateway's answer.
  std::optional<FIX::Message> sendNew(FixClient& client, const client::NewOrderParams& params) {
    return sendAndAwait(client, client::newOrderSingle(version(), params), params.cl_ord_id);
  }

  [[nodiscard]] ::testing::AssertionResult answersAResend(const FIX::Message& answer) const;

  // A rejected new order: ExecutionReport with ExecType and OrdStatus 8 and Text led by the reason code.
  void expectOrderRejected(const FIX::Message& answer, const std::string& cl_ord_id,
                           const std::string& code) {
    EXPECT_TRUE(hasField(answer, F::MsgType, "8"));
    EXPECT_TRUE(hasField(answer, F::ExecType, "8"));
    EXPECT_TRUE(hasField(answer, F::OrdStatus, "8"));
    EXPECT_TRUE(hasField(answer, F::ClOrdID, cl_ord_id));
    EXPECT_TRUE(fieldStartsWith(answer, F::Text, code));
    EXPECT_TRUE(hasExecTransTypeFor(version(), answer));
  }

  // A rejected cancel ('1') or replace ('2'): OrderCancelReject with Text led by the reason code.
  void expectCancelRejected(const FIX::Message& answer, char response_to, const std::string& cl_ord_id,
                            const std::string& code) {
    EXPECT_TRUE(hasField(answer, F::MsgType, "9"));
    EXPECT_TRUE(hasField(answer, F::CxlRejResponseTo, {response_to}));
    EXPECT_TRUE(hasField(answer, F::ClOrdID, cl_ord_id));
    EXPECT_TRUE(fieldStartsWith(answer, F::Text, code));
  }

  std::string noAnswer(const FixClient& client, const std::string& what) const {
    return "no answer to " + what + " within " + std::to_string(kAnswerTimeout.count()) + " ms; received:\n" +
           receivedSoFar(client);
  }
};

TEST_P(OrderRejects, ZeroQuantityIsRejectedWithFG101) {
  const auto answer = sendNew(clientA(), client::limitOrder("Z-1", "AAPL", '1', "0", "10"));
  ASSERT_TRUE(answer) << noAnswer(clientA(), "Z-1");
  expectOrderRejected(*answer, "Z-1", "FG101");
}

TEST_P(OrderRejects, NegativeQuantityIsRejectedWithFG101) {
  const auto answer = sendNew(clientA(), client::limitOrder("NEG-1", "AAPL", '1', "-5", "10"));
  ASSERT_TRUE(answer) << noAnswer(clientA(), "NEG-1");
  expectOrderRejected(*answer, "NEG-1", "FG101");
}

TEST_P(OrderRejects, NotANumberQuantityIsRejected) {
  const auto answer = sendNew(clientA(), client::limitOrder("NAN-1", "AAPL", '1', "NaN", "10"));
  ASSERT_TRUE(answer) << noAnswer(clientA(), "NAN-1");
  // Refusing it at the session level (bad data format in tag 38) is as right as a business reject.
  if (client::msgType(*answer) == "3") {
    EXPECT_TRUE(hasField(*answer, F::RefTagID, "38"));
  } else {
    expectOrderRejected(*answer, "NAN-1", "FG101");
  }
}

TEST_P(OrderRejects, LimitOrderWithoutPriceIsRejectedWithFG102) {
  client::NewOrderParams order = client::limitOrder("NP-1", "AAPL", '1', "100", "10");
  order.price.reset();
  const auto answer = sendNew(clientA(), order);
  ASSERT_TRUE(answer) << noAnswer(clientA(), "NP-1");
  expectOrderRejected(*answer, "NP-1", "FG102");
}

TEST_P(OrderRejects, UnknownSymbolIsRejectedWithFG106) {
  const auto answer = sendNew(clientA(), client::limitOrder("U-1", "NOPE", '1', "100", "10"));
  ASSERT_TRUE(answer) << noAnswer(clientA(), "U-1");
  expectOrderRejected(*answer, "U-1", "FG106");
  EXPECT_TRUE(hasField(*answer, F::OrdRejReason, "1"));  // unknown symbol
}

TEST_P(OrderRejects, DuplicateClOrdIdOnOneSessionIsRejectedWithFG107) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "D-1", "AAPL", '1', "100", "10"));
  const auto answer = sendNew(a, client::limitOrder("D-1", "AAPL", '1', "100", "10"));
  ASSERT_TRUE(answer) << noAnswer(a, "the second D-1");
  expectOrderRejected(*answer, "D-1", "FG107");
  EXPECT_TRUE(hasField(*answer, F::OrdRejReason, "6"));  // duplicate order
}

TEST_P(OrderRejects, CancelOfAnUnknownOrderIsRejectedWithFG201) {
  FixClient& a = clientA();
  const auto answer = sendCancel(a, "CU-1", "NOSUCH");
  ASSERT_TRUE(answer) << noAnswer(a, "cancel CU-1");
  expectCancelRejected(*answer, '1', "CU-1", "FG201");
  EXPECT_TRUE(hasField(*answer, F::CxlRejReason, "1"));  // unknown order
}

TEST_P(OrderRejects, ReplaceOfAnUnknownOrderIsRejectedWithFG201) {
  FixClient& a = clientA();
  const auto answer = sendAndAwait(
      a, client::replace(version(), client::limitReplace("RU-1", "NOSUCH", "AAPL", '1', "100", "10")),
      "RU-1");
  ASSERT_TRUE(answer) << noAnswer(a, "replace RU-1");
  expectCancelRejected(*answer, '2', "RU-1", "FG201");
}

TEST_P(OrderRejects, ReplaceThatChangesSideIsRejectedWithFG203) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "RS-1", "AAPL", '1', "100", "10"));
  const auto answer = sendAndAwait(
      a, client::replace(version(), client::limitReplace("RS-2", "RS-1", "AAPL", '2', "100", "10")), "RS-2");
  ASSERT_TRUE(answer) << noAnswer(a, "replace RS-2");
  expectCancelRejected(*answer, '2', "RS-2", "FG203");
}

TEST_P(OrderRejects, ReplaceThatChangesSymbolIsRejectedWithFG204) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "RY-1", "AAPL", '1', "100", "10"));
  const auto answer = sendAndAwait(
      a, client::replace(version(), client::limitReplace("RY-2", "RY-1", "MSFT", '1', "100", "10")), "RY-2");
  ASSERT_TRUE(answer) << noAnswer(a, "replace RY-2");
  expectCancelRejected(*answer, '2', "RY-2", "FG204");
}

TEST_P(OrderRejects, CancelOfAFilledOrderIsRejectedWithFG202) {
  FixClient& buyer = clientA();
  FixClient& seller = clientB();
  ASSERT_TRUE(placeResting(seller, "CF-S", "AAPL", '2', "100", "10"));
  buyer.send(client::newOrderSingle(version(), client::limitOrder("CF-B", "AAPL", '1', "100", "10")));
  const auto filled = buyer.waitFor(
      [](const FIX::Message& m) {
        return client::isExecReport(m, "F12") && client::fieldOr(m, F::ClOrdID) == "CF-B" &&
               client::fieldOr(m, F::OrdStatus) == "2";
      },
      kAnswerTimeout);
  ASSERT_TRUE(filled) << noAnswer(buyer, "CF-B (expected it to fill completely)");

  const auto answer = sendCancel(buyer, "CF-X", "CF-B");
  ASSERT_TRUE(answer) << noAnswer(buyer, "cancel CF-X");
  expectCancelRejected(*answer, '1', "CF-X", "FG202");
  EXPECT_TRUE(hasField(*answer, F::CxlRejReason, "0"));  // too late to cancel
}

TEST_P(OrderRejects, ExDestinationNamingAnUnknownVenueIsRejectedWithFG302) {
  client::NewOrderParams order = client::limitOrder("XD-1", "AAPL", '1', "100", "10");
  order.ex_destination = "NOWHERE";
  const auto answer = sendNew(clientA(), order);
  ASSERT_TRUE(answer) << noAnswer(clientA(), "XD-1");
  expectOrderRejected(*answer, "XD-1", "FG302");
}

TEST_P(OrderRejects, OrderForAVenueThatIsDownIsRejectedWithFG303) {
  FixClient& a = clientA();
  gateway().stopVenue("SIM-B");
  ASSERT_TRUE(gateway().gateway().waitForOutput("venue SIM-B logged out", std::chrono::seconds(15)))
      << "the gateway did not notice SIM-B going away\n"
      << gateway().diagnostics();
  const auto answer = sendNew(a, client::limitOrder("VD-1", "VOD.L", '1', "100", "100"));
  ASSERT_TRUE(answer) << noAnswer(a, "VD-1");
  expectOrderRejected(*answer, "VD-1", "FG303");
}

TEST_P(OrderRejects, UnsupportedMessageTypeGetsABusinessMessageReject) {
  FixClient& a = clientA();
  const int seq = a.send(client::quoteRequest(version(), "QR-1", "AAPL"));
  ASSERT_NE(seq, 0) << "could not send the QuoteRequest";
  const auto answer = a.waitFor(
      [seq](const FIX::Message& m) {
        const std::string type = client::msgType(m);
        return (type == "j" || type == "3") && (client::fieldOr(m, F::RefSeqNum) == std::to_string(seq) ||
                                                client::fieldOr(m, F::BusinessRejectRefID) == "QR-1");
      },
      kAnswerTimeout);
  ASSERT_TRUE(answer) << noAnswer(a, "QuoteRequest QR-1");
  EXPECT_TRUE(hasField(*answer, F::MsgType, "j"));
  EXPECT_TRUE(hasField(*answer, F::BusinessRejectReason, "3"));  // unsupported message type
}

// A status report (ExecType I; on 4.2 the order's own state with ExecTransType 3) saying it answers a resend.
::testing::AssertionResult OrderRejects::answersAResend(const FIX::Message& answer) const {
  const bool status =
      isFix42() ? hasField(answer, F::ExecTransType, "3") : hasField(answer, F::ExecType, "I");
  if (status && client::fieldOr(answer, F::Text).find("PossDupFlag=Y") != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "not a status report answering a resend: " << client::toLine(answer);
}

// The gateway asks for a resend when its incoming sequence number fell behind (a machine crash), and the
// client resends its orders with PossDupFlag=Y: one the gateway already has is answered with its status,
// neither rejected (which would read as the live order's end) nor sent to the venue again.
TEST_P(OrderRejects, AResentOrderTheGatewayHasIsAnsweredWithItsStatus) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "PD-1", "AAPL", '1', "100", "10"));
  ASSERT_NE(a.sendAsPossDup(
                client::newOrderSingle(version(), client::limitOrder("PD-1", "AAPL", '1', "100", "10"))),
            0);
  // A status report (ExecType I; on 4.2 the order's own state with ExecTransType 3) or a reject (8).
  const auto answer = a.waitFor(client::execReportFor("PD-1", "I08"), kAnswerTimeout);
  ASSERT_TRUE(answer) << noAnswer(a, "resent PD-1");
  EXPECT_TRUE(hasField(*answer, F::OrdStatus, "0")) << client::toLine(*answer);
  EXPECT_TRUE(answersAResend(*answer));
  // Still the one live order: its cancel ends it, with nothing filled.
  const auto canceled = sendCancel(a, "PD-2", "PD-1");
  ASSERT_TRUE(canceled) << noAnswer(a, "cancel PD-2");
  EXPECT_TRUE(hasField(*canceled, F::ExecType, "4")) << client::toLine(*canceled);
  EXPECT_TRUE(hasField(*canceled, F::CumQty, "0")) << client::toLine(*canceled);
}

// The same for a resent cancel: the order's status (here Canceled), not an OrderCancelReject, which would
// read as a cancel that failed.
TEST_P(OrderRejects, AResentCancelTheGatewayHasIsAnsweredWithTheOrdersStatus) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "PD-3", "AAPL", '1', "100", "10"));
  const auto canceled = sendCancel(a, "PD-4", "PD-3");
  ASSERT_TRUE(canceled) << noAnswer(a, "cancel PD-4");
  ASSERT_TRUE(hasField(*canceled, F::OrdStatus, "4")) << client::toLine(*canceled);
  const int seq = a.sendAsPossDup(client::cancel(
      version(),
      {.cl_ord_id = "PD-4", .orig_cl_ord_id = "PD-3", .symbol = "AAPL", .side = '1', .qty = "100"}));
  ASSERT_NE(seq, 0);
  const auto answer = a.waitFor(client::answerTo("PD-4", seq), kAnswerTimeout);
  ASSERT_TRUE(answer) << noAnswer(a, "resent cancel PD-4");
  EXPECT_EQ(client::msgType(*answer), "8") << client::toLine(*answer);
  EXPECT_TRUE(hasField(*answer, F::OrdStatus, "4")) << client::toLine(*answer);
  EXPECT_TRUE(hasField(*answer, F::OrigClOrdID, "PD-3")) << client::toLine(*answer);
  EXPECT_TRUE(answersAResend(*answer));
}

INSTANTIATE_TEST_SUITE_P(AllVersions, OrderRejects, ::testing::ValuesIn(allVersions()), versionName);

// A gateway that keeps final orders one second: after it, an order's ClOrdIDs are all it remembers.
class ReleasedOrderRejects : public OrderRejects {
 protected:
  [[nodiscard]] GatewayOptions gatewayOptions() const override {
    GatewayOptions options;
    options.final_order_retention_s = 1;
    return options;
  }
};

TEST_P(ReleasedOrderRejects, AReleasedOrdersClOrdIdIsRefusedAndItsCancelAndStatusSaySo) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "RL-1", "AAPL", '1', "100", "10"));
  const auto canceled = sendCancel(a, "RL-2", "RL-1");
  ASSERT_TRUE(canceled) << noAnswer(a, "cancel RL-2");
  ASSERT_TRUE(hasField(*canceled, F::ExecType, "4"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // past the retention of the canceled order

  // The first message after the retention releases it: its status is no longer held.
  const auto status = sendAndAwait(a, client::statusRequest(version(), "RL-1", "AAPL", '1'), "RL-1");
  ASSERT_TRUE(status) << noAnswer(a, "status of RL-1");
  EXPECT_TRUE(fieldStartsWith(*status, F::Text, "FG201"));
  EXPECT_NE(client::fieldOr(*status, F::Text).find("final since more than 1 s"), std::string::npos)
      << client::fieldOr(*status, F::Text);

  const auto cancel_again = sendCancel(a, "RL-3", "RL-1");
  ASSERT_TRUE(cancel_again) << noAnswer(a, "cancel RL-3");
  expectCancelRejected(*cancel_again, '1', "RL-3", "FG202");
  EXPECT_TRUE(hasField(*cancel_again, F::CxlRejReason, "0"));  // too late to cancel

  for (const std::string reused : {"RL-1", "RL-2"}) {  // the order's own ClOrdID and its cancel's
    const auto answer = sendNew(a, client::limitOrder(reused, "AAPL", '1', "100", "10"));
    ASSERT_TRUE(answer) << noAnswer(a, "new order reusing " + reused);
    expectOrderRejected(*answer, reused, "FG107");
  }
}

INSTANTIATE_TEST_SUITE_P(AllVersions, ReleasedOrderRejects, ::testing::ValuesIn(allVersions()), versionName);

}  // namespace
}  // namespace fixgate::testing
