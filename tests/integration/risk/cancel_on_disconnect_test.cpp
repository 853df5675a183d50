// Cancel-on-disconnect (issue 5): a client session configured with it has every open order canceled at its
// venue when it logs out, and the venue's book shows it; a session without it keeps its orders. What the
// venue's book holds is checked by a client logged on to SIM-A itself (the probe), as the kill switch tests
// do.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "message_predicates.h"
#include "report_checks.h"
#include "risk_fixture.h"

namespace fixgate::testing::risk {
namespace {

using client::FixClient;

constexpr std::chrono::milliseconds kNoFillWait{1500};

class CancelOnDisconnect : public RiskTest {};

TEST_F(CancelOnDisconnect, TheDisconnectedSessionsOrdersLeaveTheBookAndOthersStay) {
  GatewayOptions options = probeableOptions();
  options.cancel_on_disconnect = {"C44A"};
  ASSERT_TRUE(start(LimitsFile{}, options));
  FixClient& a = clientA();
  FixClient& b = clientB();
  ASSERT_TRUE(placeResting(a, "CA-1", "MSFT", '1', "100", "400"));
  ASSERT_TRUE(placeResting(b, "CB-1", "IBM", '1', "100", "180"));
  FixClient& venue_probe = probe();

  a.stop();  // logs out
  ASSERT_TRUE(
      gateway().gateway().waitForOutput("[CancelOnDisconnect] session it-C44A disconnected: "
                                        "canceling its 1 open order(s)",
                                        std::chrono::milliseconds(5000)))
      << gateway().diagnostics();

  // C44A's MSFT bid is gone from SIM-A: a crossing sell finds nothing (bounded wait for the cancel first).
  const auto sell = sendNew(venue_probe, client::limitOrder("PR-1", "MSFT", '2', "100", "400"));
  ASSERT_TRUE(sell) << noAnswer(venue_probe, "probe order PR-1 at SIM-A");
  ASSERT_TRUE(isAccepted(*sell, "PR-1"));
  EXPECT_FALSE(venue_probe.waitFor(client::execReportFor("PR-1", "F12"), kNoFillWait))
      << "the probe's MSFT sell traded at SIM-A: C44A's order survived its session's disconnect";

  // C44B (no cancel-on-disconnect) keeps its IBM bid: the probe trades with it.
  const auto control = sendNew(venue_probe, client::limitOrder("PR-2", "IBM", '2', "100", "180"));
  ASSERT_TRUE(control) << noAnswer(venue_probe, "probe order PR-2 at SIM-A");
  EXPECT_TRUE(venue_probe.waitFor(client::execReportFor("PR-2", "F12"), kAnswerTimeout))
      << "control failed: the probe's IBM sell did not trade with C44B's resting bid";
}

}  // namespace
}  // namespace fixgate::testing::risk
