// The kill switch over the admin socket: every open order in scope is canceled at its venue (each order's own
// session is told why), orders out of scope are untouched, new orders in scope are refused with FG601 naming
// the operator, and resume opens the scope again. What the venue's book holds is checked by a client logged
// on to the simulator itself.
#include <gtest/gtest.h>

#include <tuple>
#include <utility>

#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"
#include "risk_fixture.h"

namespace fixgate::testing::risk {
namespace {

using client::FixClient;
namespace F = FIX::FIELD;

// How long a crossing order at the venue is given to fill before the test concludes nothing was there.
constexpr std::chrono::milliseconds kNoFillWait{1500};

class KillSwitch : public RiskTest {
 protected:
  // The cancel the kill switch caused for `cl_ord_id`, on the order's own session.
  void expectKilled(FixClient& client, const std::string& cl_ord_id, const std::string& operator_name) {
    const auto canceled = client.waitFor(client::execReportFor(cl_ord_id, "4"), kAnswerTimeout);
    ASSERT_TRUE(canceled) << "no cancel (ExecType 4) for " << cl_ord_id << " within "
                          << kAnswerTimeout.count() << " ms; received:\n"
                          << receivedSoFar(client);
    EXPECT_TRUE(hasField(*canceled, F::OrdStatus, "4"));
    EXPECT_TRUE(hasNumber(*canceled, F::LeavesQty, 0));
    EXPECT_TRUE(textContains(*canceled, {"kill switch", operator_name}));
  }

  // A crossing order sent straight to SIM-A: acknowledged, and no fill, so nothing rests there to meet it.
  void expectNothingRestingAtSimA(const std::string& cl_ord_id, const std::string& symbol, char side,
                                  const std::string& qty, const std::string& price) {
    FixClient& p = probe();
    const auto ack = sendNew(p, client::limitOrder(cl_ord_id, symbol, side, qty, price));
    ASSERT_TRUE(ack) << noAnswer(p, "probe order " + cl_ord_id + " at SIM-A");
    ASSERT_TRUE(isAccepted(*ack, cl_ord_id));
    const auto fill = p.waitFor(client::execReportFor(cl_ord_id, "F12"), kNoFillWait);
    EXPECT_FALSE(fill) << "probe order " << cl_ord_id << " (" << symbol << " " << qty << " @ " << price
                       << ") traded at SIM-A, so an order the kill switch canceled is still on the book: "
                       << client::toLine(*fill);
  }
};

TEST_F(KillSwitch, SymbolKillCancelsThatSymbolsOrdersOfEverySessionAndHaltsIt) {
  ASSERT_TRUE(start(LimitsFile{}, probeableOptions()));
  FixClient& a = clientA();
  FixClient& b = clientB();
  ASSERT_TRUE(placeResting(a, "KA-1", "AAPL", '1', "100", "99"));
  ASSERT_TRUE(placeResting(b, "KB-1", "AAPL", '1', "100", "98"));
  ASSERT_TRUE(placeResting(a, "KA-2", "MSFT", '1', "100", "400"));
  (void)probe();  // logged on to SIM-A before the kill

  // A symbol the gateway does not know is refused, and nothing is canceled.
  const auto unknown = admin(R"(kill scope=symbol key=NOSUCH by=alice reason="typo")");
  ASSERT_TRUE(unknown) << unknown.error();
  EXPECT_TRUE(unknown->starts_with("error")) << *unknown;
  EXPECT_FALSE(containsAll(*unknown, {"being canceled"})) << *unknown;

  const auto reply = admin(R"(kill scope=symbol key=AAPL by=alice reason="test")");
  ASSERT_TRUE(reply) << reply.error();
  EXPECT_TRUE(containsAll(*reply, {"symbol AAPL: Active -> Halted by alice (test)",
                                   "2 open order(s) being canceled at the venues"}));
  EXPECT_FALSE(reply->starts_with("error")) << *reply;

  expectKilled(a, "KA-1", "alice");
  expectKilled(b, "KB-1", "alice");
  EXPECT_TRUE(
      gateway().gateway().waitForOutput("symbol AAPL: Active -> Halted by alice (test)", kAnswerTimeout))
      << "the gateway log does not show the state change\n"
      << gateway().diagnostics();

  // The other symbol's order is untouched.
  const auto msft = status(a, "KA-2", "MSFT", '1');
  ASSERT_TRUE(msft) << noAnswer(a, "status of KA-2");
  EXPECT_TRUE(hasField(*msft, F::OrdStatus, "0"));
  EXPECT_TRUE(hasNumber(*msft, F::LeavesQty, 100));
  for (const FIX::Message& m : a.received()) {
    EXPECT_FALSE(client::isExecReport(m, "4") && client::fieldOr(m, F::ClOrdID) == "KA-2")
        << "KA-2 (MSFT) was canceled by a kill switch on AAPL: " << client::toLine(m);
  }

  // New AAPL orders are refused on every session, naming who halted the symbol; other symbols trade.
  const auto refused_a = sendNew(a, client::limitOrder("KA-3", "AAPL", '1', "100", "99"));
  ASSERT_TRUE(refused_a) << noAnswer(a, "KA-3");
  EXPECT_TRUE(isOrderReject(*refused_a, "KA-3", "FG601"));
  EXPECT_TRUE(textContains(*refused_a, {"symbol AAPL", "alice", "test"}));
  const auto refused_b = sendNew(b, client::limitOrder("KB-3", "AAPL", '2', "100", "101"));
  ASSERT_TRUE(refused_b) << noAnswer(b, "KB-3");
  EXPECT_TRUE(isOrderReject(*refused_b, "KB-3", "FG601"));
  EXPECT_TRUE(placeResting(b, "KB-4", "IBM", '1', "100", "180"));

  // At the venue: a sell crossing both killed buys finds nothing; one crossing the MSFT buy trades with it.
  expectNothingRestingAtSimA("PR-1", "AAPL", '2', "200", "90");
  {
    FixClient& p = probe();
    p.send(client::newOrderSingle(kVersion, client::limitOrder("PR-2", "MSFT", '2', "100", "400")));
    const auto probe_fill = p.waitFor(client::execReportFor("PR-2", "F12"), kAnswerTimeout);
    EXPECT_TRUE(probe_fill) << "control failed: the probe's MSFT sell did not trade with KA-2 at SIM-A, so "
                               "the AAPL check above proves nothing\n"
                            << receivedSoFar(p);
    const auto ka2_fill = a.waitFor(client::execReportFor("KA-2", "F12"), kAnswerTimeout);
    EXPECT_TRUE(ka2_fill) << "no fill for KA-2 after the probe traded with it; received:\n"
                          << receivedSoFar(a);
  }
  for (const auto& [session, id] : {std::pair{&a, "KA-1"}, std::pair{&b, "KB-1"}}) {
    for (const FIX::Message& m : session->received()) {
      EXPECT_FALSE(client::isExecReport(m, "F12") && client::fieldOr(m, F::ClOrdID) == id)
          << id << " traded after the kill switch canceled it: " << client::toLine(m);
    }
  }

  const auto resumed = admin("resume scope=symbol key=AAPL by=alice");
  ASSERT_TRUE(resumed) << resumed.error();
  EXPECT_TRUE(containsAll(*resumed, {"symbol AAPL: Halted -> Active by alice"}));
  EXPECT_TRUE(placeResting(a, "KA-5", "AAPL", '2', "100", "101"));
}

TEST_F(KillSwitch, GlobalKillCancelsEveryOpenOrderOnEveryVenueAndHaltsAllTrading) {
  ASSERT_TRUE(start(LimitsFile{}, probeableOptions()));
  FixClient& a = clientA();
  FixClient& b = clientB();
  ASSERT_TRUE(placeResting(a, "GA-1", "AAPL", '1', "100", "99"));
  client::NewOrderParams msft = client::limitOrder("GB-1", "MSFT", '1', "100", "400");
  msft.account = "IT-2";
  ASSERT_TRUE(placeResting(b, msft));
  // VOD.L goes to SIM-B, which fills half at once: 500 stay open.
  ASSERT_TRUE(placeResting(a, "GA-2", "VOD.L", '1', "1000", "72"));
  ASSERT_TRUE(a.waitFor(client::execReportFor("GA-2", "F12"), kAnswerTimeout))
      << noAnswer(a, "the partial fill of GA-2");
  (void)probe();

  // Without a named operator nothing happens.
  const auto anonymous = admin(R"(kill scope=global reason="no name")");
  ASSERT_TRUE(anonymous) << anonymous.error();
  EXPECT_TRUE(anonymous->starts_with("error")) << *anonymous;
  EXPECT_TRUE(containsAll(*anonymous, {"by="}));
  const auto still_open = status(a, "GA-1", "AAPL", '1');
  ASSERT_TRUE(still_open) << noAnswer(a, "status of GA-1");
  EXPECT_TRUE(hasField(*still_open, F::OrdStatus, "0"));

  const auto reply = admin(R"(kill scope=global by=bob reason="end of day")");
  ASSERT_TRUE(reply) << reply.error();
  EXPECT_TRUE(containsAll(*reply, {"global -: Active -> Halted by bob (end of day)",
                                   "3 open order(s) being canceled at the venues"}));

  expectKilled(a, "GA-1", "bob");
  expectKilled(b, "GB-1", "bob");
  expectKilled(a, "GA-2", "bob");

  const auto state = admin("status");
  ASSERT_TRUE(state) << state.error();
  EXPECT_TRUE(containsAll(*state, {"global -: Halted by bob (end of day)", "open orders 0"}));

  for (const auto& [session, id, symbol, price] :
       {std::tuple{&a, "GA-3", "AAPL", "99"}, std::tuple{&b, "GB-3", "MSFT", "400"},
        std::tuple{&a, "GA-4", "VOD.L", "72"}}) {
    const auto refused = sendNew(*session, client::limitOrder(id, symbol, '1', "100", price));
    ASSERT_TRUE(refused) << noAnswer(*session, id);
    EXPECT_TRUE(isOrderReject(*refused, id, "FG601"));
    EXPECT_TRUE(textContains(*refused, {"all trading", "bob", "end of day"}));
  }

  expectNothingRestingAtSimA("PR-1", "AAPL", '2', "100", "90");
  expectNothingRestingAtSimA("PR-2", "MSFT", '2', "100", "390");

  const auto resumed = admin("resume scope=global by=bob");
  ASSERT_TRUE(resumed) << resumed.error();
  EXPECT_TRUE(containsAll(*resumed, {"global -: Halted -> Active by bob"}));
  EXPECT_TRUE(placeResting(a, "GA-5", "AAPL", '2', "100", "101"));
}

}  // namespace
}  // namespace fixgate::testing::risk
