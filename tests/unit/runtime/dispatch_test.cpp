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
#include <thread>
#include <vector>

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

// What the handler saw, in the order it saw it.
struct Sent {
  std::string description;  // core::testing::describe
  std::string full;         // core::testing::describeFully, texts included
};

class Recorder {
 public:
  void add(const core::Action& action) {
    std::lock_guard lock(mutex_);
    sent_.push_back({core::testing::describe(action), core::testing::describeFully(action)});
  }
  std::vector<Sent> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::vector<std::string> venueOrders() {
    std::vector<std::string> out;
    for (const auto& s : sent()) {
      if (s.description.starts_with("VenueNewOrder")) out.push_back(s.description);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<Sent> sent_;
};

// The number in a venue-side ClOrdID of a description ("VenueNewOrder v=0 id=T1-V17 ..."): the engine
// mints ids from one counter, in decision order.
std::uint64_t venueSequence(const std::string& description) {
  const auto at = description.find(" id=T1-");
  if (at == std::string::npos) return 0;
  std::uint64_t value = 0;
  const char* begin = description.data() + at + 8;
  std::from_chars(begin, description.data() + description.size(), value);
  return value;
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

  const auto orders = recorder.venueOrders();
  ASSERT_EQ(orders.size(), static_cast<std::size_t>(kThreads * kOrdersEach));
  std::uint64_t previous = 0;
  for (const auto& order : orders) {
    const auto sequence = venueSequence(order);
    ASSERT_GT(sequence, previous) << "sent out of decision order: " << order;
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
  const auto sent = recorder.sent();
  const auto venue_send = std::find_if(
      sent.begin(), sent.end(), [](const Sent& s) { return s.description.starts_with("VenueNewOrder"); });
  ASSERT_NE(venue_send, sent.end());
  ASSERT_NE(venue_send + 1, sent.end()) << "no client report after the refused send";
  const auto& report = *(venue_send + 1);
  EXPECT_TRUE(report.description.starts_with("ExecReport")) << report.description;
  EXPECT_THAT(report.description, ::testing::HasSubstr("Rejected"));
  EXPECT_THAT(report.full, ::testing::HasSubstr("venue session went down"));
  const bool open = rt.inspect([](const core::Engine& engine) { return engine.openOrderCount() > 0; });
  EXPECT_FALSE(open);
}

}  // namespace
}  // namespace fixgate::runtime
