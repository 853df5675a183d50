// The inbox the tests wait on: matching, taking, ordering and deadlines.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "message_fields.h"
#include "message_inbox.h"
#include "message_predicates.h"

namespace fixgate::client {
namespace {

namespace F = FIX::FIELD;
using namespace std::chrono_literals;

FIX::Message report(const std::string& cl_ord_id, const std::string& exec_type) {
  FIX::Message m;
  m.getHeader().setField(F::MsgType, "8");
  m.setField(F::ClOrdID, cl_ord_id);
  m.setField(F::ExecType, exec_type);
  return m;
}

FIX::Message sessionReject(int ref_seq_num) {
  FIX::Message m;
  m.getHeader().setField(F::MsgType, "3");
  m.setField(F::RefSeqNum, std::to_string(ref_seq_num));
  return m;
}

TEST(MessageInbox, WaitForTakesTheFirstMatchAndLeavesTheRest) {
  MessageInbox inbox;
  inbox.push(report("A", "0"));
  inbox.push(report("B", "0"));
  inbox.push(report("A", "F"));
  const auto first = inbox.waitFor(execReportFor("A", "0F"), 0ms);
  ASSERT_TRUE(first);
  EXPECT_EQ(fieldOr(*first, F::ExecType), "0");
  const auto second = inbox.waitFor(execReportFor("A", "0F"), 0ms);
  ASSERT_TRUE(second);
  EXPECT_EQ(fieldOr(*second, F::ExecType), "F");
  EXPECT_FALSE(inbox.waitFor(execReportFor("A", "0F"), 0ms)) << "each message is taken once";
  EXPECT_TRUE(inbox.waitFor(execReportFor("B", "0"), 0ms));
  EXPECT_EQ(inbox.history().size(), 3u) << "taken messages stay in the history";
}

TEST(MessageInbox, WaitForGivesUpAtTheDeadline) {
  MessageInbox inbox;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(inbox.waitFor(execReportFor("A", "0"), 100ms));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 2s);
}

TEST(MessageInbox, AMessageArrivingWhileWaitingWakesTheWaiter) {
  MessageInbox inbox;
  std::jthread pusher([&] {
    std::this_thread::sleep_for(50ms);
    inbox.push(report("A", "0"));
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(inbox.waitFor(execReportFor("A", "0"), 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST(MessagePredicates, AnswerToMatchesReportsByClOrdIdAndRejectsBySequenceNumber) {
  const auto answer = answerTo("A", 7);
  EXPECT_TRUE(answer(report("A", "0")));
  EXPECT_TRUE(answer(report("A", "8")));
  EXPECT_FALSE(answer(report("A", "A"))) << "PendingNew is not an answer";
  EXPECT_FALSE(answer(report("A", "E"))) << "PendingReplace is not an answer";
  EXPECT_FALSE(answer(report("B", "0")));
  EXPECT_TRUE(answer(sessionReject(7)));
  EXPECT_FALSE(answer(sessionReject(6)));
}

}  // namespace
}  // namespace fixgate::client
