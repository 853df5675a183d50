// Runtime dispatch: actions leave in decision order even when several threads submit at once, and a
// refused venue send comes back as a follow-up event that is applied within the same decision, its report
// dispatched right after the refused send and before submit returns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "clock/clock.h"
#include "core/trading_day.h"
#include "core_fixture.h"
#include "runtime/runtime.h"

namespace fixgate::runtime {
namespace {

using core::testing::kAlpha;
using core::testing::kBeta;
using core::testing::kStart;
using core::testing::kXpar;
using core::testing::limit;
using core::testing::newOrder;

core::Engine makeEngine() {
  const auto refdata = core::testing::standardReferenceData();
  return core::Engine(refdata, std::string(core::testing::kIdPrefix),
                      core::testing::permissiveLimits(refdata));
}

// Every action the handler was given, in the order it was given them.
class Recorder {
 public:
  void add(const core::Action& action) {
    std::lock_guard lock(mutex_);
    actions_.push_back(action);
  }
  std::vector<core::Action> actions() {
    std::lock_guard lock(mutex_);
    return actions_;
  }

 private:
  std::mutex mutex_;
  std::vector<core::Action> actions_;
};

// The engine mints every id from one counter, in decision order: "T1-V17" is the 17th.
std::uint64_t idNumber(const std::string& venue_cl_ord_id) {
  const std::string_view prefix = "T1-V";
  EXPECT_TRUE(venue_cl_ord_id.starts_with(prefix)) << venue_cl_ord_id;
  std::uint64_t value = 0;
  std::from_chars(venue_cl_ord_id.data() + prefix.size(), venue_cl_ord_id.data() + venue_cl_ord_id.size(),
                  value);
  return value;
}

// An order stamped after the next trading day's start is applied in that day, the day started just before
// it, not up to a poll later.
TEST(RuntimeTradingDay, AnEventStampedAfterTheNextDaysStartIsAppliedInThatDay) {
  Recorder recorder;
  Runtime rt(makeEngine(), [&](const core::Action& action) -> std::optional<core::Event> {
    recorder.add(action);
    return std::nullopt;
  });
  rt.startTradingDayIfDue();
  const auto day_of = [&rt] { return rt.inspect([](const core::Engine& e) { return e.tradingDay(); }); };
  const std::int64_t start_s =
      rt.inspect([](const core::Engine& e) { return e.referenceData().trading_day_start_s; });
  const core::Timestamp now = clock::utcNowMicros();
  ASSERT_EQ(day_of(), core::tradingDayOf(now, start_s));
  const core::Timestamp next_start = core::nextTradingDayStart(now, start_s);

  rt.submit(core::Event{next_start - 1, core::VenueUp{kXpar}});
  EXPECT_EQ(day_of(), core::tradingDayOf(now, start_s)) << "a day started before its time";
  rt.submit(core::Event{next_start, newOrder(kAlpha, "D-1", limit("AIR", 1, "10"))});
  EXPECT_EQ(day_of(), core::tradingDayOf(next_start, start_s));

  // The day's start was decided before the order: its alert comes first.
  const auto actions = recorder.actions();
  const auto started = std::find_if(actions.begin(), actions.end(), [](const core::Action& a) {
    const auto* alert = std::get_if<core::OperatorAlert>(&a);
    return alert != nullptr && alert->code == core::alert_code::kTradingDayStarted &&
           alert->text.find("started after") != std::string::npos;
  });
  const auto routed = std::find_if(actions.begin(), actions.end(), [](const core::Action& a) {
    return std::holds_alternative<core::VenueNewOrder>(a);
  });
  ASSERT_NE(started, actions.end());
  ASSERT_NE(routed, actions.end());
  EXPECT_LT(started - actions.begin(), routed - actions.begin());
}

TEST(RuntimeDispatch, ActionsLeaveInDecisionOrderWhenManyThreadsSubmit) {
  Recorder recorder;
  Runtime rt(makeEngine(), [&](const core::Action& action) -> std::optional<core::Event> {
    recorder.add(action);
    return std::nullopt;
  });
  rt.submit(core::Event{kStart, core::VenueUp{kXpar}});
  constexpr int kThreads = 4;
  constexpr int kOrdersEach = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOrdersEach; ++i) {
        const auto session = t % 2 == 0 ? kAlpha : kBeta;
        rt.submit(core::Event{
            kStart + 1 + t * kOrdersEach + i,
            newOrder(session, "C" + std::to_string(t) + "-" + std::to_string(i), limit("AIR", 1 + i, "10"))});
      }
    });
  }
  for (auto& thread : threads) thread.join();

  const auto orders = core::testing::allOf<core::VenueNewOrder>(recorder.actions());
  ASSERT_EQ(orders.size(), static_cast<std::size_t>(kThreads * kOrdersEach));
  std::uint64_t previous = 0;
  for (const auto& order : orders) {
    const auto sequence = idNumber(order.venue_cl_ord_id);
    ASSERT_GT(sequence, previous) << "sent out of decision order: " << order.venue_cl_ord_id;
    previous = sequence;
  }
}

TEST(RuntimeDispatch, ARefusedVenueSendIsAppliedWithinTheDecisionAndItsReportFollowsIt) {
  Recorder recorder;
  Runtime rt(makeEngine(), [&](const core::Action& action) -> std::optional<core::Event> {
    recorder.add(action);
    if (std::holds_alternative<core::VenueNewOrder>(action)) {
      return refusedVenueRequest(action, "venue session went down before the order could be sent",
                                 kStart + 5);
    }
    return std::nullopt;
  });
  rt.submit(core::Event{kStart, core::VenueUp{kXpar}});
  rt.submit(core::Event{kStart + 1, newOrder(kAlpha, "A1", limit("AIR", 100, "10"))});

  // The follow-up is applied within the decision: its report is the next action dispatched after the
  // refused send, before submit returns.
  const auto sent = recorder.actions();
  const auto venue_send = std::find_if(sent.begin(), sent.end(), [](const core::Action& a) {
    return std::holds_alternative<core::VenueNewOrder>(a);
  });
  ASSERT_NE(venue_send, sent.end());
  ASSERT_NE(venue_send + 1, sent.end()) << "no client report after the refused send";
  const auto* report = std::get_if<core::ExecReport>(&*(venue_send + 1));
  ASSERT_NE(report, nullptr) << core::testing::describe(*(venue_send + 1));
  EXPECT_EQ(report->status, core::OrdStatus::Rejected);
  EXPECT_EQ(report->cl_ord_id, "A1");
  EXPECT_THAT(report->text, ::testing::HasSubstr("venue session went down"));
  const bool open = rt.inspect([](const core::Engine& engine) { return engine.openOrderCount() > 0; });
  EXPECT_FALSE(open);
}

}  // namespace
}  // namespace fixgate::runtime
