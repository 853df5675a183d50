// An order's life through the gateway to simulated venues and back, in every FIX version the gateway
// speaks: acknowledgement, fills, replace, cancel, status, mass cancel, and several sessions side by side.
#include <gtest/gtest.h>

#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "order_path_fixture.h"
#include "report_checks.h"

namespace fixgate::testing {
namespace {

using client::FixClient;
namespace F = FIX::FIELD;

class OrderLifecycle : public GatewayFixture {
 protected:
  std::string noAnswer(const FixClient& client, const std::string& what) const {
    return "no " + what + " within " + std::to_string(kAnswerTimeout.count()) + " ms; received:\n" +
           receivedSoFar(client);
  }
};

TEST_P(OrderLifecycle, NewLimitOrderIsAcknowledgedWithTheGatewaysOrderId) {
  FixClient& a = clientA();
  const auto ack = sendAndAwait(
      a, client::newOrderSingle(version(), client::limitOrder("N-1", "AAPL", '1', "100", "10")), "N-1");
  ASSERT_TRUE(ack) << noAnswer(a, "answer to N-1");
  EXPECT_TRUE(hasField(*ack, F::MsgType, "8"));
  EXPECT_TRUE(hasField(*ack, F::ExecType, "0"));
  EXPECT_TRUE(hasField(*ack, F::OrdStatus, "0"));
  EXPECT_TRUE(hasField(*ack, F::ClOrdID, "N-1"));
  EXPECT_TRUE(hasNumber(*ack, F::CumQty, 0));
  EXPECT_TRUE(hasNumber(*ack, F::LeavesQty, 100));
  EXPECT_TRUE(hasNumber(*ack, F::AvgPx, 0));
  // The gateway mints OrderIDs with its instance_id as prefix; a venue's id would not carry it.
  EXPECT_TRUE(fieldStartsWith(*ack, F::OrderID, gateway().options().instance_id));
  EXPECT_TRUE(hasExecTransTypeFor(version(), *ack));
}

TEST_P(OrderLifecycle, CrossingOrdersFromTwoSessionsFillBothSides) {
  FixClient& seller = clientB();
  FixClient& buyer = clientA();
  ASSERT_TRUE(placeResting(seller, "S-1", "AAPL", '2', "100", "10"));
  buyer.send(client::newOrderSingle(version(), client::limitOrder("B-1", "AAPL", '1', "40", "10")));

  const auto buy_fill = buyer.waitFor(client::execReportFor("B-1", "F12"), kAnswerTimeout);
  ASSERT_TRUE(buy_fill) << noAnswer(buyer, "fill for B-1");
  EXPECT_TRUE(hasField(*buy_fill, F::ExecType, fillExecType(true)));
  EXPECT_TRUE(hasField(*buy_fill, F::OrdStatus, "2"));
  EXPECT_TRUE(hasNumber(*buy_fill, F::LastQty, 40));
  EXPECT_TRUE(hasNumber(*buy_fill, F::LastPx, 10));
  EXPECT_TRUE(hasNumber(*buy_fill, F::CumQty, 40));
  EXPECT_TRUE(hasNumber(*buy_fill, F::LeavesQty, 0));
  EXPECT_TRUE(hasNumber(*buy_fill, F::AvgPx, 10));
  EXPECT_TRUE(hasExecTransTypeFor(version(), *buy_fill));

  const auto sell_fill = seller.waitFor(client::execReportFor("S-1", "F12"), kAnswerTimeout);
  ASSERT_TRUE(sell_fill) << noAnswer(seller, "fill for S-1");
  EXPECT_TRUE(hasField(*sell_fill, F::ExecType, fillExecType(false)));
  EXPECT_TRUE(hasField(*sell_fill, F::OrdStatus, "1"));
  EXPECT_TRUE(hasNumber(*sell_fill, F::LastQty, 40));
  EXPECT_TRUE(hasNumber(*sell_fill, F::LastPx, 10));
  EXPECT_TRUE(hasNumber(*sell_fill, F::CumQty, 40));
  EXPECT_TRUE(hasNumber(*sell_fill, F::LeavesQty, 60));
  EXPECT_TRUE(hasExecTransTypeFor(version(), *sell_fill));
}

TEST_P(OrderLifecycle, OrderRoutedToPartialFillVenueIsAcknowledgedThenHalfFilled) {
  FixClient& a = clientA();
  a.send(client::newOrderSingle(version(), client::limitOrder("P-1", "VOD.L", '1', "1000", "100")));

  const auto ack = a.waitFor(client::execReportFor("P-1", "0"), kAnswerTimeout);
  ASSERT_TRUE(ack) << noAnswer(a, "New for P-1");
  EXPECT_TRUE(hasNumber(*ack, F::LeavesQty, 1000));

  const auto fill = a.waitFor(client::execReportFor("P-1", "F12"), kAnswerTimeout);
  ASSERT_TRUE(fill) << noAnswer(a, "fill for P-1");
  EXPECT_TRUE(hasField(*fill, F::ExecType, fillExecType(false)));
  EXPECT_TRUE(hasField(*fill, F::OrdStatus, "1"));
  EXPECT_TRUE(hasNumber(*fill, F::LastQty, 500));
  EXPECT_TRUE(hasNumber(*fill, F::LastPx, 100));
  EXPECT_TRUE(hasNumber(*fill, F::CumQty, 500));
  EXPECT_TRUE(hasNumber(*fill, F::LeavesQty, 500));
  EXPECT_TRUE(hasExecTransTypeFor(version(), *fill));
}

TEST_P(OrderLifecycle, ReplaceChangesQuantityAndPriceOfARestingOrder) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "R-1", "AAPL", '1', "100", "10"));
  const auto answer = sendAndAwait(
      a, client::replace(version(), client::limitReplace("R-2", "R-1", "AAPL", '1', "150", "11")), "R-2");
  ASSERT_TRUE(answer) << noAnswer(a, "answer to replace R-2");
  EXPECT_TRUE(hasField(*answer, F::MsgType, "8"));
  EXPECT_TRUE(hasField(*answer, F::ExecType, "5"));
  EXPECT_TRUE(hasField(*answer, F::ClOrdID, "R-2"));
  EXPECT_TRUE(hasField(*answer, F::OrigClOrdID, "R-1"));
  EXPECT_TRUE(hasNumber(*answer, F::OrderQty, 150));
  EXPECT_TRUE(hasNumber(*answer, F::CumQty, 0));
  EXPECT_TRUE(hasNumber(*answer, F::LeavesQty, 150));
  if (client::field(*answer, F::Price)) {
    EXPECT_TRUE(hasNumber(*answer, F::Price, 11));
  }
  // FIX 4.2 reported a replaced order as OrdStatus 5 (Replaced); 4.4 dropped that status for the order's own.
  if (isFix42()) {
    EXPECT_TRUE(hasFieldOneOf(*answer, F::OrdStatus, {"0", "5"}));
  } else {
    EXPECT_TRUE(hasField(*answer, F::OrdStatus, "0"));
  }
  EXPECT_TRUE(hasExecTransTypeFor(version(), *answer));
}

TEST_P(OrderLifecycle, CancelOfARestingOrderIsConfirmed) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "X-1", "AAPL", '1', "100", "10"));
  const auto answer = sendCancel(a, "X-2", "X-1");
  ASSERT_TRUE(answer) << noAnswer(a, "answer to cancel X-2");
  EXPECT_TRUE(hasField(*answer, F::MsgType, "8"));
  EXPECT_TRUE(hasField(*answer, F::ExecType, "4"));
  EXPECT_TRUE(hasField(*answer, F::OrdStatus, "4"));
  EXPECT_TRUE(hasField(*answer, F::ClOrdID, "X-2"));
  EXPECT_TRUE(hasField(*answer, F::OrigClOrdID, "X-1"));
  EXPECT_TRUE(hasNumber(*answer, F::LeavesQty, 0));
  EXPECT_TRUE(hasExecTransTypeFor(version(), *answer));
}

TEST_P(OrderLifecycle, StatusRequestReportsARestingOrder) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "Q-1", "AAPL", '1', "100", "10"));
  const auto answer = sendAndAwait(a, client::statusRequest(version(), "Q-1", "AAPL", '1'), "Q-1");
  ASSERT_TRUE(answer) << noAnswer(a, "answer to status request for Q-1");
  EXPECT_TRUE(hasField(*answer, F::MsgType, "8"));
  EXPECT_TRUE(hasField(*answer, F::ClOrdID, "Q-1"));
  EXPECT_TRUE(hasField(*answer, F::OrdStatus, "0"));
  // FIX 4.2 marks a status report with ExecTransType 3; 4.4 and 5.0 with ExecType I.
  if (isFix42()) {
    EXPECT_TRUE(hasField(*answer, F::ExecTransType, "3"));
  } else {
    EXPECT_TRUE(hasField(*answer, F::ExecType, "I"));
    EXPECT_TRUE(lacksField(*answer, F::ExecTransType));
  }
}

TEST_P(OrderLifecycle, MassCancelOfAllOrdersReportsAndCancelsEach) {
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "M-1", "AAPL", '1', "100", "10"));
  ASSERT_TRUE(placeResting(a, "M-2", "MSFT", '1', "100", "20"));
  const auto report = sendAndAwait(a, client::massCancel(version(), "MC-1", '7'), "MC-1");
  ASSERT_TRUE(report) << noAnswer(a, "answer to mass cancel MC-1");
  EXPECT_TRUE(hasField(*report, F::MsgType, "r"));
  EXPECT_TRUE(hasField(*report, F::MassCancelResponse, "7"));
  EXPECT_TRUE(hasNumber(*report, F::TotalAffectedOrders, 2));

  for (const std::string order : {"M-1", "M-2"}) {
    // The canceled order may be named in ClOrdID or (with the mass cancel's id in ClOrdID) in OrigClOrdID.
    const auto canceled = a.waitFor(
        [&](const FIX::Message& m) {
          return client::isExecReport(m, "4") &&
                 (client::fieldOr(m, F::ClOrdID) == order || client::fieldOr(m, F::OrigClOrdID) == order);
        },
        kAnswerTimeout);
    ASSERT_TRUE(canceled) << noAnswer(a, "Canceled report for " + order);
    EXPECT_TRUE(hasField(*canceled, F::OrdStatus, "4"));
    EXPECT_TRUE(hasNumber(*canceled, F::LeavesQty, 0));
  }
}

TEST_P(OrderLifecycle, SameClOrdIdOnTwoSessionsIsAcceptedOnBoth) {
  FixClient& a = clientA();
  FixClient& b = clientB();
  const auto ack_a = sendAndAwait(
      a, client::newOrderSingle(version(), client::limitOrder("SAME-1", "AAPL", '1', "10", "10")), "SAME-1");
  const auto ack_b = sendAndAwait(
      b, client::newOrderSingle(version(), client::limitOrder("SAME-1", "AAPL", '2', "10", "20")), "SAME-1");
  ASSERT_TRUE(ack_a) << noAnswer(a, "answer to SAME-1 on session A");
  ASSERT_TRUE(ack_b) << noAnswer(b, "answer to SAME-1 on session B");
  EXPECT_TRUE(hasField(*ack_a, F::ExecType, "0"));
  EXPECT_TRUE(hasField(*ack_b, F::ExecType, "0"));
  EXPECT_NE(client::fieldOr(*ack_a, F::OrderID), client::fieldOr(*ack_b, F::OrderID))
      << "two orders got one OrderID";
}

TEST_P(OrderLifecycle, SessionsOfOneVersionTradeSideBySide) {
  FixClient& a = clientA();
  FixClient& b = clientB();
  ASSERT_TRUE(a.isLoggedOn());
  ASSERT_TRUE(b.isLoggedOn());
  ASSERT_TRUE(placeResting(a, "SA-1", "IBM", '1', "10", "50"));
  ASSERT_TRUE(placeResting(b, "SB-1", "MSFT", '2', "10", "60"));
  // Each session hears only about its own orders.
  EXPECT_FALSE(a.waitFor(client::execReportFor("SB-1", "0"), std::chrono::milliseconds(300)))
      << "session A received session B's report";
  EXPECT_FALSE(b.waitFor(client::execReportFor("SA-1", "0"), std::chrono::milliseconds(300)))
      << "session B received session A's report";
}

INSTANTIATE_TEST_SUITE_P(AllVersions, OrderLifecycle, ::testing::ValuesIn(allVersions()), versionName);

}  // namespace
}  // namespace fixgate::testing
