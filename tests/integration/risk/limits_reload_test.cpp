// Reloading the limits file while the gateway runs: a valid file swaps in whole between two orders - every
// order is judged by exactly one version, none is lost or held up - and the log records the old and new
// version (SHA-256 of the file). An invalid file is refused with each error's file and line, and the limits
// in force stay.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "digest/sha256.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"
#include "risk_fixture.h"

namespace fixgate::testing::risk {
namespace {

using client::FixClient;
using Clock = std::chrono::steady_clock;
namespace F = FIX::FIELD;

class LimitsReload : public RiskTest {
 protected:
  // `text` with `from` replaced by `to` (which must occur exactly once).
  static std::string edited(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    if (pos == std::string::npos || text.find(from, pos + 1) != std::string::npos) {
      throw std::logic_error("'" + from + "' does not occur exactly once in the limits file");
    }
    return text.replace(pos, from.size(), to);
  }

  // The first line of `text` holding every one of `parts`, or "" when none does.
  static std::string lineWith(const std::string& text, const std::vector<std::string>& parts) {
    std::size_t begin = 0;
    while (begin < text.size()) {
      auto end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(begin, end - begin);
      bool all = true;
      for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
      if (all) return line;
      begin = end + 1;
    }
    return "";
  }

  static ::testing::AssertionResult hasLineWith(const std::string& text,
                                                const std::vector<std::string>& parts) {
    if (!lineWith(text, parts).empty()) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure() << "no line holds all of:";
    for (const auto& p : parts) failure << " '" << p << "'";
    return failure << "\nin:\n" << text;
  }
};

TEST_F(LimitsReload, SighupInTheMiddleOfAStreamSwapsTheLimitsBetweenTwoOrders) {
  LimitsFile limits;  // max_order_qty 10000; the stream's orders are 5000 each
  limits.symbols.at(0) = "{ symbol: AAPL, reference_price: 10 }";
  limits.accountDefault("max_long_position", "100000000");
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();

  const std::string old_text = readFile(gateway().limitsFile());
  const std::string old_version = digest::sha256Hex(old_text);
  const std::string new_text = edited(old_text, "    max_order_qty: 10000\n", "    max_order_qty: 1000\n");
  const std::string new_version = digest::sha256Hex(new_text);
  ASSERT_TRUE(containsAll(gateway().gateway().log(), {"limits " + old_version + " loaded from"}))
      << "the gateway does not report the SHA-256 of the limits file it started with";

  constexpr int kOrders = 200;
  constexpr auto kSpacing = std::chrono::milliseconds(10);
  constexpr int kSwapAfter = 80;  // orders sent before the file is replaced and SIGHUP sent
  constexpr auto kMaxLatency = std::chrono::milliseconds(2000);
  const auto id = [](int i) { return "S-" + std::to_string(i); };

  struct Sent {
    int seq = 0;
    Clock::time_point at;
  };
  struct Answer {
    std::optional<FIX::Message> message;
    Clock::time_point at;
  };
  std::vector<Sent> sent(kOrders);
  std::vector<Answer> answers(kOrders);
  std::atomic<int> sent_count{0};

  // The sender keeps its pace whatever the gateway does; the collector takes each answer in order.
  std::thread sender([&] {
    const auto begin = Clock::now();
    for (int i = 0; i < kOrders; ++i) {
      std::this_thread::sleep_until(begin + i * kSpacing);
      // Stamped before sending: an order stamped after the swap was seen cannot have reached the gateway
      // first.
      const auto at = Clock::now();
      const int seq =
          a.send(client::newOrderSingle(kVersion, client::limitOrder(id(i), "AAPL", '1', "5000", "10")));
      sent[static_cast<std::size_t>(i)] = {seq, at};
      sent_count.store(i + 1, std::memory_order_release);
    }
  });
  std::thread collector([&] {
    const auto give_up = Clock::now() + kOrders * kSpacing + std::chrono::seconds(15);
    for (int i = 0; i < kOrders; ++i) {
      while (sent_count.load(std::memory_order_acquire) <= i) {
        if (Clock::now() > give_up) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      const auto& s = sent[static_cast<std::size_t>(i)];
      if (s.seq == 0) continue;
      const auto wait =
          std::max(std::chrono::milliseconds(0),
                   std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Clock::now()));
      auto message = a.waitFor(client::answerTo(id(i), s.seq), std::min(wait, kAnswerTimeout));
      answers[static_cast<std::size_t>(i)] = {std::move(message), Clock::now()};
    }
  });

  // Mid-stream: the new file goes in whole (rename), then SIGHUP.
  const auto swap_deadline = Clock::now() + std::chrono::seconds(10);
  while (sent_count.load() < kSwapAfter && Clock::now() < swap_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  replaceFile(gateway().limitsFile(), new_text);
  const auto signaled_at = Clock::now();
  const bool signaled = gateway().signalGateway(SIGHUP);
  const bool applied = gateway().gateway().waitForOutput("limits " + new_version + " applied by SIGHUP",
                                                         std::chrono::milliseconds(5000));
  const auto applied_seen_at = Clock::now();
  sender.join();
  collector.join();

  ASSERT_TRUE(signaled) << "could not send SIGHUP to the gateway\n" << gateway().diagnostics();
  ASSERT_TRUE(applied) << "the gateway did not log 'limits " << new_version
                       << " applied by SIGHUP' within 5 s of the signal\n"
                       << gateway().diagnostics();
  EXPECT_TRUE(hasLineWith(gateway().gateway().log(), {"limits " + new_version + " applied by SIGHUP from",
                                                      "limits.yaml", "(was " + old_version + ")"}));

  // Every order got an answer, soon, and it was accepted or refused for quantity - nothing else.
  int first_refused = -1;
  for (int i = 0; i < kOrders; ++i) {
    const auto& s = sent[static_cast<std::size_t>(i)];
    const auto& answer = answers[static_cast<std::size_t>(i)];
    ASSERT_NE(s.seq, 0) << id(i) << " could not be sent: the session is not logged on";
    ASSERT_TRUE(answer.message) << "no answer to " << id(i) << "; received:\n" << receivedSoFar(a);
    EXPECT_LE(answer.at - s.at, kMaxLatency)
        << id(i) << " was answered "
        << std::chrono::duration_cast<std::chrono::milliseconds>(answer.at - s.at).count()
        << " ms after it was sent";
    const bool accepted = client::isExecReport(*answer.message, "0");
    if (!accepted) {
      ASSERT_TRUE(isOrderReject(*answer.message, id(i), "FG505")) << id(i);
      EXPECT_TRUE(textContains(*answer.message, {"max_order_qty 1000 "})) << id(i);
      if (first_refused < 0) first_refused = i;
    } else {
      // Accepted after one was refused: the old limits came back, or two versions were mixed.
      EXPECT_LT(first_refused, 0) << id(i) << " was accepted after " << id(first_refused)
                                  << " was refused by the new limit: " << client::toLine(*answer.message);
    }
    if (answer.at < signaled_at) {
      EXPECT_TRUE(accepted) << id(i) << " was refused before the reload";
    }
    if (s.at > applied_seen_at) {
      EXPECT_FALSE(accepted) << id(i) << " was accepted after the reload was logged";
    }
  }
  EXPECT_NE(first_refused, -1) << "no order was judged by the new limits";
  EXPECT_NE(first_refused, 0) << "no order was judged by the old limits";
  std::cerr << "limits swapped between S-" << first_refused - 1 << " and S-" << first_refused << "\n";

  // Exactly one answer per order, and no session-level rejects.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::vector<int> answer_count(kOrders, 0);
  for (const FIX::Message& m : a.received()) {
    const std::string type = client::msgType(m);
    EXPECT_NE(type, "3") << "session-level reject: " << client::toLine(m);
    EXPECT_NE(type, "j") << "business message reject: " << client::toLine(m);
    if (type != "8" || client::isPendingReport(m)) continue;
    const std::string cl_ord_id = client::fieldOr(m, F::ClOrdID);
    if (!cl_ord_id.starts_with("S-")) continue;
    ++answer_count.at(static_cast<std::size_t>(std::stoi(cl_ord_id.substr(2))));
  }
  for (int i = 0; i < kOrders; ++i) {
    EXPECT_EQ(answer_count[static_cast<std::size_t>(i)], 1) << id(i) << " got this many answers";
  }
}

TEST_F(LimitsReload, InvalidLimitsFilesAreRefusedWithFileAndLineAndTheOldLimitsStay) {
  ASSERT_TRUE(start(LimitsFile{}));  // max_order_qty 10000
  FixClient& a = clientA();
  const std::string old_text = readFile(gateway().limitsFile());
  const std::string old_version = digest::sha256Hex(old_text);
  // Every attempt also lowers max_order_qty to 1000, so a 5000 order shows which limits are in force.
  const std::string lowered = edited(old_text, "    max_order_qty: 10000\n", "    max_order_qty: 1000\n");
  int order = 0;
  const auto expectOldLimitsInForce = [&](const std::string& after) {
    const std::string cl_ord_id = "INV-" + std::to_string(++order);
    EXPECT_TRUE(placeResting(a, cl_ord_id, "AAPL", '1', "5000", std::to_string(95 + order)))
        << "after " << after << ", an order within the old max_order_qty 10000 was not accepted";
    const auto state = admin("status");
    ASSERT_TRUE(state) << state.error();
    EXPECT_TRUE(containsAll(*state, {"limits " + old_version}));
  };

  // 1. An unknown key, through the admin socket.
  {
    const std::string bad =
        edited(lowered, "    max_order_qty: 1000\n", "    max_order_qty: 1000\n    max_order_qtty: 5\n");
    const int line = lineOf(bad, "max_order_qtty");
    replaceFile(gateway().limitsFile(), bad);
    const auto reply = admin("reload-limits by=ops");
    ASSERT_TRUE(reply) << reply.error();
    EXPECT_TRUE(reply->starts_with("error")) << *reply;
    EXPECT_TRUE(containsAll(*reply, {"refused", "ops", old_version}));
    EXPECT_TRUE(hasLineWith(*reply, {"limits.yaml:" + std::to_string(line) + ":", "max_order_qtty"}));
    // The reply can arrive before the asynchronous logger has written the refusal to the log file.
    EXPECT_TRUE(gateway().gateway().waitForOutput("limits reload requested by ops refused",
                                                  std::chrono::milliseconds(5000)))
        << "the gateway did not log the refused reload\n"
        << gateway().diagnostics();
    EXPECT_TRUE(hasLineWith(gateway().gateway().log(),
                            {"limits.yaml:" + std::to_string(line) + ":", "max_order_qtty"}));
    expectOldLimitsInForce("an unknown key");
  }

  // 2. A negative limit, through SIGHUP: the refusal goes to the log.
  {
    const std::string bad =
        edited(lowered, "    max_order_notional: 2000000\n", "    max_order_notional: -5\n");
    const int line = lineOf(bad, "max_order_notional: -5");
    replaceFile(gateway().limitsFile(), bad);
    ASSERT_TRUE(gateway().signalGateway(SIGHUP));
    ASSERT_TRUE(gateway().gateway().waitForOutput("limits reload requested by SIGHUP refused",
                                                  std::chrono::milliseconds(5000)))
        << "the gateway did not log the refused reload\n"
        << gateway().diagnostics();
    const std::string log = gateway().gateway().log();
    EXPECT_TRUE(hasLineWith(log, {"requested by SIGHUP refused", old_version}));
    EXPECT_TRUE(hasLineWith(log, {"limits.yaml:" + std::to_string(line) + ":", "max_order_notional"}));
    expectOldLimitsInForce("a negative limit");
  }

  // 3. A YAML syntax error, through the admin socket.
  {
    const std::string bad =
        edited(lowered, "    max_open_orders: 1000\n", "    max_open_orders: [1000, 2000\n");
    const int line = lineOf(bad, "max_open_orders: [");
    replaceFile(gateway().limitsFile(), bad);
    const auto reply = admin("reload-limits by=ops");
    ASSERT_TRUE(reply) << reply.error();
    EXPECT_TRUE(reply->starts_with("error")) << *reply;
    EXPECT_TRUE(containsAll(*reply, {"refused", old_version, "YAML"}));
    // The parser may only notice the unclosed list a line or two later; the error must point at it, not at
    // the end of the file or at no line at all.
    const bool near = !lineWith(*reply, {"limits.yaml:" + std::to_string(line) + ":"}).empty() ||
                      !lineWith(*reply, {"limits.yaml:" + std::to_string(line + 1) + ":"}).empty() ||
                      !lineWith(*reply, {"limits.yaml:" + std::to_string(line + 2) + ":"}).empty();
    EXPECT_TRUE(near) << "the syntax error is on line " << line << "; the reply:\n" << *reply;
    expectOldLimitsInForce("a YAML syntax error");
  }

  // Fixed, the same reload goes through, and the lower limit applies.
  replaceFile(gateway().limitsFile(), lowered);
  const auto reply = admin("reload-limits by=ops");
  ASSERT_TRUE(reply) << reply.error();
  EXPECT_TRUE(containsAll(*reply, {"limits " + digest::sha256Hex(lowered) + " applied by ops from",
                                   "(was " + old_version + ")"}));
  const auto refused = sendNew(a, client::limitOrder("INV-9", "AAPL", '1', "5000", "99"));
  ASSERT_TRUE(refused) << noAnswer(a, "INV-9");
  EXPECT_TRUE(isOrderReject(*refused, "INV-9", "FG505"));
  EXPECT_TRUE(textContains(*refused, {"max_order_qty 1000 "}));
}

}  // namespace
}  // namespace fixgate::testing::risk
