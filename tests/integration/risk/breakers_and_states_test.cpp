// Trading states and session breakers seen from a client: the reject-rate and repeated-execution breakers
// latch a session (FG604) until a named operator resets it; an operator halt of one session refuses only its
// new orders (FG601); an account in reduce-only state takes position-reducing orders and refuses the rest
// (FG602).
#include <gtest/gtest.h>

#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"
#include "risk_fixture.h"

namespace fixgate::testing::risk {
namespace {

using client::FixClient;
namespace F = FIX::FIELD;

class TradingStates : public RiskTest {};

client::NewOrderParams forAccount(std::string cl_ord_id, char side, std::string qty, std::string price,
                                  std::string account) {
  client::NewOrderParams params =
      client::limitOrder(std::move(cl_ord_id), "AAPL", side, std::move(qty), std::move(price));
  params.account = std::move(account);
  return params;
}

TEST_F(TradingStates, RejectRateBreakerLatchesTheSessionUntilANamedOperatorResetsIt) {
  LimitsFile limits;
  limits.breakers =
      "{ reject_window_s: 60, reject_min_messages: 10, reject_pct: 50, repeat_max: 100000, "
      "venue_consecutive_failures: 100000 }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  const std::string session = sessionNameOf("C44A");

  // Ten refused orders in a row: 100% of the minimum of 10 requests.
  for (int i = 1; i <= 10; ++i) {
    const std::string id = "RR-" + std::to_string(i);
    const auto answer = sendNew(a, client::limitOrder(id, "AAPL", '1', "20000", "100"));
    ASSERT_TRUE(answer) << noAnswer(a, id);
    ASSERT_TRUE(isOrderReject(*answer, id, "FG505"));
  }
  EXPECT_TRUE(gateway().gateway().waitForOutput(
      "session " + session + ": Active -> Halted by reject-rate breaker", kAnswerTimeout))
      << "the gateway log does not show the breaker latching\n"
      << gateway().diagnostics();

  // Now even a good order is refused; another session is not affected.
  const auto latched = sendNew(a, client::limitOrder("RR-11", "AAPL", '1', "100", "100"));
  ASSERT_TRUE(latched) << noAnswer(a, "RR-11");
  EXPECT_TRUE(isOrderReject(*latched, "RR-11", "FG604"));
  EXPECT_TRUE(textContains(*latched, {session, "reject-rate breaker", "reset"}));
  EXPECT_TRUE(placeResting(clientB(), "RB-1", "AAPL", '1', "100", "100"));

  const auto state = admin("status");
  ASSERT_TRUE(state) << state.error();
  EXPECT_TRUE(containsAll(*state, {"session breaker " + session + ": latched"}));

  // A reset must name the operator; without one the breaker stays latched.
  const auto anonymous = admin("reset-breaker session=" + session);
  ASSERT_TRUE(anonymous) << anonymous.error();
  EXPECT_TRUE(anonymous->starts_with("error")) << *anonymous;
  const auto still = sendNew(a, client::limitOrder("RR-12", "AAPL", '1', "100", "100"));
  ASSERT_TRUE(still) << noAnswer(a, "RR-12");
  EXPECT_TRUE(isOrderReject(*still, "RR-12", "FG604"));

  const auto reset = admin("reset-breaker session=" + session + " by=carol");
  ASSERT_TRUE(reset) << reset.error();
  EXPECT_TRUE(containsAll(*reset, {"session " + session + ": Halted -> Active by carol"}));
  EXPECT_TRUE(placeResting(a, "RR-13", "AAPL", '1', "100", "100"));
  const auto after = admin("status");
  ASSERT_TRUE(after) << after.error();
  EXPECT_FALSE(containsAll(*after, {"latched"})) << *after;
}

TEST_F(TradingStates, RepeatedExecutionBreakerLatchesTheSessionUntilReset) {
  LimitsFile limits;
  limits.breakers =
      "{ repeat_max: 3, repeat_window_s: 60, reject_min_messages: 100000, venue_consecutive_failures: 100000 "
      "}";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  const std::string session = sessionNameOf("C44A");

  // Four identical orders: the fourth is one more than repeat_max, and latches the session.
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(placeResting(a, "RE-" + std::to_string(i), "AAPL", '1', "100", "99"));
  }
  const auto latched = sendNew(a, client::limitOrder("RE-5", "AAPL", '1', "100", "98"));
  ASSERT_TRUE(latched) << noAnswer(a, "RE-5");
  EXPECT_TRUE(isOrderReject(*latched, "RE-5", "FG604"));
  EXPECT_TRUE(textContains(*latched, {session, "repeated-execution breaker"}));

  const auto reset = admin("reset-breaker session=" + session + " by=carol");
  ASSERT_TRUE(reset) << reset.error();
  EXPECT_TRUE(containsAll(*reset, {"session " + session + ": Halted -> Active by carol"}));
  EXPECT_TRUE(placeResting(a, "RE-6", "AAPL", '1', "100", "98"));
}

TEST_F(TradingStates, SessionHaltRefusesThatSessionsNewOrdersOnlyAndLetsItCancel) {
  ASSERT_TRUE(start(LimitsFile{}));
  FixClient& a = clientA();
  FixClient& b = clientB();
  const std::string session = sessionNameOf("C44A");
  ASSERT_TRUE(placeResting(a, "SH-1", "AAPL", '1', "100", "99"));

  const auto reply = admin("halt scope=session key=" + session + R"( by=dave reason="desk review")");
  ASSERT_TRUE(reply) << reply.error();
  EXPECT_TRUE(containsAll(*reply, {"session " + session + ": Active -> Halted by dave (desk review)"}));
  EXPECT_FALSE(containsAll(*reply, {"being canceled"})) << "a halt is not a kill: " << *reply;

  const auto refused = sendNew(a, client::limitOrder("SH-2", "AAPL", '1', "100", "98"));
  ASSERT_TRUE(refused) << noAnswer(a, "SH-2");
  EXPECT_TRUE(isOrderReject(*refused, "SH-2", "FG601"));
  EXPECT_TRUE(textContains(*refused, {"session " + session, "dave", "desk review"}));
  EXPECT_TRUE(placeResting(b, "SH-3", "AAPL", '1', "100", "98"));

  // The halted session's working order stays, and it may still cancel it.
  const auto working = status(a, "SH-1", "AAPL", '1');
  ASSERT_TRUE(working) << noAnswer(a, "status of SH-1");
  EXPECT_TRUE(hasField(*working, F::OrdStatus, "0"));
  const auto canceled = sendAndAwait(
      a,
      client::cancel(
          kVersion,
          {.cl_ord_id = "SH-1X", .orig_cl_ord_id = "SH-1", .symbol = "AAPL", .side = '1', .qty = "100"}),
      "SH-1X");
  ASSERT_TRUE(canceled) << noAnswer(a, "cancel SH-1X");
  EXPECT_TRUE(hasField(*canceled, F::ExecType, "4"));

  const auto resumed = admin("resume scope=session key=" + session + " by=dave");
  ASSERT_TRUE(resumed) << resumed.error();
  EXPECT_TRUE(containsAll(*resumed, {"session " + session + ": Halted -> Active by dave"}));
  EXPECT_TRUE(placeResting(a, "SH-4", "AAPL", '1', "100", "98"));
}

TEST_F(TradingStates, ReduceOnlyAccountTakesPositionReducingOrdersAndRefusesIncreasingOnesWithFG602) {
  ASSERT_TRUE(start(LimitsFile{}));
  FixClient& a = clientA();
  FixClient& b = clientB();
  // IT-2 buys 100 AAPL from IT-1: IT-2 is long 100.
  ASSERT_TRUE(placeResting(b, forAccount("RD-S1", '2', "100", "100", "IT-1")));
  a.send(client::newOrderSingle(kVersion, forAccount("RD-B1", '1', "100", "100", "IT-2")));
  const auto filled = a.waitFor(
      [](const FIX::Message& m) {
        return client::isExecReport(m, "F12") && client::fieldOr(m, F::ClOrdID) == "RD-B1" &&
               client::fieldOr(m, F::OrdStatus) == "2";
      },
      kAnswerTimeout);
  ASSERT_TRUE(filled) << noAnswer(a, "RD-B1 (expected it to fill completely)");

  const auto reply = admin(R"(reduce scope=account key=IT-2 by=erin reason="over limit")");
  ASSERT_TRUE(reply) << reply.error();
  EXPECT_TRUE(containsAll(*reply, {"account IT-2: Active -> Reducing by erin (over limit)"}));

  // Buying more increases the position.
  const auto buy = sendNew(a, forAccount("RD-2", '1', "10", "99", "IT-2"));
  ASSERT_TRUE(buy) << noAnswer(a, "RD-2");
  EXPECT_TRUE(isOrderReject(*buy, "RD-2", "FG602"));
  EXPECT_TRUE(textContains(*buy, {"account IT-2", "erin", "over limit"}));
  // Selling more than the position would turn it short.
  const auto flip = sendNew(a, forAccount("RD-3", '2', "200", "101", "IT-2"));
  ASSERT_TRUE(flip) << noAnswer(a, "RD-3");
  EXPECT_TRUE(isOrderReject(*flip, "RD-3", "FG602"));

  // Sells within the position pass, counting the ones already working.
  EXPECT_TRUE(placeResting(a, forAccount("RD-4", '2', "50", "101", "IT-2")));
  EXPECT_TRUE(placeResting(a, forAccount("RD-5", '2', "50", "102", "IT-2")));
  const auto beyond = sendNew(a, forAccount("RD-6", '2', "1", "103", "IT-2"));
  ASSERT_TRUE(beyond) << noAnswer(a, "RD-6");
  EXPECT_TRUE(isOrderReject(*beyond, "RD-6", "FG602"));

  // Other accounts trade as before; after resume IT-2 may buy again.
  EXPECT_TRUE(placeResting(a, forAccount("RD-7", '1', "10", "99", "IT-1")));
  const auto resumed = admin("resume scope=account key=IT-2 by=erin");
  ASSERT_TRUE(resumed) << resumed.error();
  EXPECT_TRUE(containsAll(*resumed, {"account IT-2: Reducing -> Active by erin"}));
  EXPECT_TRUE(placeResting(a, forAccount("RD-8", '1', "10", "99", "IT-2")));
}

TEST_F(TradingStates, ReduceOnlyAccountMayAmendAnOrderThatStaysPositionReducing) {
  ASSERT_TRUE(start(LimitsFile{}));
  FixClient& a = clientA();
  FixClient& b = clientB();
  // IT-2 long 100 AAPL, then reduce-only, with a sell of the whole position working.
  ASSERT_TRUE(placeResting(b, forAccount("RA-S1", '2', "100", "100", "IT-1")));
  a.send(client::newOrderSingle(kVersion, forAccount("RA-B1", '1', "100", "100", "IT-2")));
  const auto filled = a.waitFor(
      [](const FIX::Message& m) {
        return client::isExecReport(m, "F12") && client::fieldOr(m, F::ClOrdID) == "RA-B1" &&
               client::fieldOr(m, F::OrdStatus) == "2";
      },
      kAnswerTimeout);
  ASSERT_TRUE(filled) << noAnswer(a, "RA-B1 (expected it to fill completely)");
  const auto reply = admin(R"(reduce scope=account key=IT-2 by=erin reason="over limit")");
  ASSERT_TRUE(reply) << reply.error();
  ASSERT_TRUE(placeResting(a, forAccount("RA-1", '2', "100", "105", "IT-2")));

  // A new price for the same 100: after the replace the account still only sells what it holds.
  client::ReplaceParams reprice = client::limitReplace("RA-2", "RA-1", "AAPL", '2', "100", "104");
  reprice.account = "IT-2";
  const auto repriced = sendAndAwait(a, client::replace(kVersion, reprice), "RA-2");
  ASSERT_TRUE(repriced) << noAnswer(a, "replace RA-2");
  EXPECT_TRUE(client::isExecReport(*repriced, "5"))
      << "a price-only amend of a sell of exactly the position was refused in reduce-only state (the "
         "replaced order's own working quantity is counted against the new terms): "
      << client::toLine(*repriced);

  // A smaller size reduces even less.
  const std::string orig = client::isExecReport(*repriced, "5") ? "RA-2" : "RA-1";
  client::ReplaceParams smaller = client::limitReplace("RA-3", orig, "AAPL", '2', "60", "104");
  smaller.account = "IT-2";
  const auto downsized = sendAndAwait(a, client::replace(kVersion, smaller), "RA-3");
  ASSERT_TRUE(downsized) << noAnswer(a, "replace RA-3");
  EXPECT_TRUE(client::isExecReport(*downsized, "5"))
      << "cutting a position-reducing sell from 100 to 60 was refused in reduce-only state: "
      << client::toLine(*downsized);
}

}  // namespace
}  // namespace fixgate::testing::risk
