// decide() and describe(): every fault knob's rule, without QuickFIX.
#include "faults.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace fixgate::sim {
namespace {

using namespace std::chrono_literals;

OutboundInfo report(char execType, std::uint64_t number = 1, const std::string& symbol = "XYZ") {
  OutboundInfo info;
  info.session = "FIX.4.4:SIM->FIXGATE";
  info.msgType = "8";
  info.execType = execType;
  info.symbol = symbol;
  info.orderId = 7;
  info.sessionMessageNumber = number;
  return info;
}

OutboundInfo ack(std::uint64_t number = 1, const std::string& symbol = "XYZ") {
  return report('0', number, symbol);
}
OutboundInfo fill(std::uint64_t number = 1) {
  return report('F', number);
}

// The actions decide() takes for messages 1..count made by `make`.
template <typename Make>
std::vector<FaultAction> actionsFor(const FaultPlan& plan, Make make, std::uint64_t count = 200) {
  std::vector<FaultAction> actions;
  for (std::uint64_t n = 1; n <= count; ++n) actions.push_back(decide(plan, make(n)).action);
  return actions;
}

std::size_t countOf(const std::vector<FaultAction>& actions, FaultAction action) {
  return static_cast<std::size_t>(std::ranges::count(actions, action));
}

TEST(Faults, NoPlanDeliversEverything) {
  FaultPlan plan;
  for (char t : {'0', '4', '5', 'F', '8', 'I', 'C'})
    EXPECT_EQ(decide(plan, report(t)).action, FaultAction::Deliver);
  EXPECT_EQ(describe(plan), "none");
}

TEST(Faults, OnlyExecTypes054AreAcknowledgementsAndOnlyFIsAFill) {
  for (char t : {'0', '4', '5'}) EXPECT_TRUE(isAcknowledgement(report(t)));
  for (char t : {'F', '8', 'I', 'C'}) EXPECT_FALSE(isAcknowledgement(report(t)));
  EXPECT_TRUE(isFill(report('F')));
  OutboundInfo cancelReject = report('4');
  cancelReject.msgType = "9";
  cancelReject.execType.reset();
  EXPECT_FALSE(isAcknowledgement(cancelReject));
  EXPECT_FALSE(isFill(cancelReject));
}

TEST(Faults, AckDelayHoldsAcknowledgementsOnly) {
  FaultPlan plan;
  plan.ackDelay = 250ms;
  FaultDecision d = decide(plan, ack());
  EXPECT_EQ(d.action, FaultAction::Delay);
  EXPECT_EQ(d.delay, 250ms);
  EXPECT_EQ(decide(plan, fill()).action, FaultAction::Deliver);
}

TEST(Faults, DropAcksRateZeroDropsNothingAndRateOneDropsEveryAck) {
  FaultPlan plan;
  plan.dropAckRate = 0.0;
  EXPECT_EQ(countOf(actionsFor(plan, [](auto n) { return ack(n); }), FaultAction::Drop), 0u);
  plan.dropAckRate = 1.0;
  EXPECT_EQ(countOf(actionsFor(plan, [](auto n) { return ack(n); }), FaultAction::Drop), 200u);
  for (char t : {'4', '5'}) EXPECT_EQ(decide(plan, report(t)).action, FaultAction::Drop);
  // Fills, rejects and status answers are not acknowledgements.
  for (char t : {'F', '8', 'I', 'C'}) EXPECT_EQ(decide(plan, report(t)).action, FaultAction::Deliver);
}

TEST(Faults, DropAcksRateDropsAboutThatShareAndRepeatsForTheSameSeed) {
  FaultPlan plan;
  plan.dropAckRate = 0.3;
  plan.seed = 42;
  auto first = actionsFor(
      plan, [](auto n) { return ack(n); }, 1000);
  auto again = actionsFor(
      plan, [](auto n) { return ack(n); }, 1000);
  EXPECT_EQ(first, again);
  std::size_t dropped = countOf(first, FaultAction::Drop);
  EXPECT_GT(dropped, 200u);
  EXPECT_LT(dropped, 400u);

  plan.seed = 43;
  EXPECT_NE(actionsFor(
                plan, [](auto n) { return ack(n); }, 1000),
            first);
}

TEST(Faults, DropAcksDependsOnTheSession) {
  FaultPlan plan;
  plan.dropAckRate = 0.5;
  auto bySession = [&](const std::string& session) {
    return actionsFor(plan, [&](auto n) {
      OutboundInfo info = ack(n);
      info.session = session;
      return info;
    });
  };
  EXPECT_NE(bySession("FIX.4.4:SIM->A"), bySession("FIX.4.4:SIM->B"));
}

TEST(Faults, DropAcksForSymbolDropsEveryAckOfThatSymbolOnly) {
  FaultPlan plan;
  plan.dropAckSymbols = {"LOST", "GONE"};
  for (char t : {'0', '4', '5'}) {
    EXPECT_EQ(decide(plan, report(t, 1, "LOST")).action, FaultAction::Drop);
    EXPECT_EQ(decide(plan, report(t, 1, "GONE")).action, FaultAction::Drop);
    EXPECT_EQ(decide(plan, report(t, 1, "XYZ")).action, FaultAction::Deliver);
  }
  EXPECT_EQ(decide(plan, report('F', 1, "LOST")).action, FaultAction::Deliver);
}

TEST(Faults, DroppingWinsOverDelaying) {
  FaultPlan plan;
  plan.ackDelay = 100ms;
  plan.dropAckSymbols = {"LOST"};
  EXPECT_EQ(decide(plan, ack(1, "LOST")).action, FaultAction::Drop);
  EXPECT_EQ(decide(plan, ack(1, "XYZ")).action, FaultAction::Delay);
}

TEST(Faults, DisconnectAfterNTakesTheNPlusFirstMessage) {
  FaultPlan plan;
  plan.disconnectAfter = 3;
  auto actions = actionsFor(
      plan, [](auto n) { return report(n % 2 ? '0' : 'F', n); }, 6);
  EXPECT_EQ(actions,
            (std::vector<FaultAction>{FaultAction::Deliver, FaultAction::Deliver, FaultAction::Deliver,
                                      FaultAction::Disconnect, FaultAction::Deliver, FaultAction::Deliver}));
  OutboundInfo cancelReject;
  cancelReject.msgType = "9";
  cancelReject.sessionMessageNumber = 4;
  EXPECT_EQ(decide(plan, cancelReject).action, FaultAction::Disconnect);
}

TEST(Faults, DisconnectZeroIsOffAndWinsOverOtherKnobs) {
  FaultPlan plan;
  EXPECT_EQ(countOf(actionsFor(plan, [](auto n) { return ack(n); }), FaultAction::Disconnect), 0u);
  plan.disconnectAfter = 1;
  plan.dropAckRate = 1.0;
  plan.duplicateExecRate = 1.0;
  EXPECT_EQ(decide(plan, ack(2)).action, FaultAction::Disconnect);
  EXPECT_EQ(decide(plan, fill(2)).action, FaultAction::Disconnect);
}

TEST(Faults, DuplicateExecsRateZeroAndOne) {
  FaultPlan plan;
  plan.duplicateExecRate = 0.0;
  EXPECT_EQ(countOf(actionsFor(plan, [](auto n) { return fill(n); }), FaultAction::Duplicate), 0u);
  plan.duplicateExecRate = 1.0;
  EXPECT_EQ(countOf(actionsFor(plan, [](auto n) { return fill(n); }), FaultAction::Duplicate), 200u);
  for (char t : {'0', '4', '5', '8', 'I', 'C'})
    EXPECT_EQ(decide(plan, report(t)).action, FaultAction::Deliver);
}

TEST(Faults, DuplicateExecsRepeatForTheSameSeedAndDrawIndependentlyOfDrops) {
  FaultPlan plan;
  plan.duplicateExecRate = 0.5;
  plan.seed = 7;
  auto first = actionsFor(plan, [](auto n) { return fill(n); });
  EXPECT_EQ(actionsFor(plan, [](auto n) { return fill(n); }), first);
  std::size_t duplicated = countOf(first, FaultAction::Duplicate);
  EXPECT_GT(duplicated, 60u);
  EXPECT_LT(duplicated, 140u);

  // The same message numbers under --drop-acks 0.5 draw differently: the knobs use separate streams.
  FaultPlan drops;
  drops.dropAckRate = 0.5;
  drops.seed = 7;
  auto dropped = actionsFor(drops, [](auto n) { return ack(n); });
  std::vector<bool> duplicatedAt, droppedAt;
  for (std::size_t i = 0; i < first.size(); ++i) {
    duplicatedAt.push_back(first[i] == FaultAction::Duplicate);
    droppedAt.push_back(dropped[i] == FaultAction::Drop);
  }
  EXPECT_NE(duplicatedAt, droppedAt);
}

TEST(Faults, DescribeNamesEveryActiveKnob) {
  FaultPlan plan;
  plan.ackDelay = 400ms;
  EXPECT_EQ(describe(plan), "ack-delay=400ms");
  plan.dropAckRate = 0.25;
  plan.dropAckSymbols = {"B", "A"};
  plan.loseNewSymbols = {"IBM"};
  plan.disconnectAfter = 5;
  plan.duplicateExecRate = 0.5;
  plan.seed = 9;
  plan.restart = RestartPlan{.afterS = 30, .count = 2, .keepBook = true};
  EXPECT_EQ(
      describe(plan),
      "ack-delay=400ms drop-acks=0.25 drop-acks-for-symbol=A,B lose-new-for-symbol=IBM disconnect-after=5 "
      "duplicate-execs=0.5 "
      "restart-after-s=30 restart-count=2 book=kept fault-seed=9");

  FaultPlan restartOnly;
  restartOnly.restart.afterS = 10;
  EXPECT_EQ(describe(restartOnly), "restart-after-s=10 restart-count=1 book=wiped");

  FaultPlan stopReading;
  stopReading.stopReadingAfter = 20;
  stopReading.stopReadingFor = 8000ms;
  EXPECT_EQ(describe(stopReading), "stop-reading-after=20 stop-reading-ms=8000");
}

TEST(Faults, StopReadingHappensOnceAtTheNthInboundMessage) {
  FaultPlan plan;
  for (std::uint64_t n = 0; n <= 5; ++n) EXPECT_FALSE(stopsReadingAt(plan, n)) << "off by default, n=" << n;
  plan.stopReadingAfter = 3;
  std::vector<std::uint64_t> stops;
  for (std::uint64_t n = 1; n <= 10; ++n)
    if (stopsReadingAt(plan, n)) stops.push_back(n);
  EXPECT_EQ(stops, std::vector<std::uint64_t>{3});
}

}  // namespace
}  // namespace fixgate::sim
