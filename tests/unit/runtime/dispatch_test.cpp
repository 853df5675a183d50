// Runtime dispatch: the engine lock is free while actions are carried out; actions leave in decision
// order even when several threads submit at once; a thread that finds another dispatching leaves its
// actions to it and returns at once; the arrival stamp of each message travels with its actions; a refused
// venue send comes back as a follow-up event that is applied and dispatched in its turn.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core_fixture.h"
#include "ops/stage_timing.h"
#include "runtime/runtime.h"

namespace fixgate::runtime {
namespace {

using core::testing::kAlpha;
using core::testing::kBeta;
using core::testing::kStart;
using core::testing::kXpar;
using core::testing::limit;
using core::testing::newOrder;
using namespace std::chrono_literals;

core::Engine makeEngine() {
  const auto refdata = core::testing::standardReferenceData();
  return core::Engine(refdata, std::string(core::testing::kIdPrefix),
                      core::testing::permissiveLimits(refdata));
}

// What the handler saw, in the order it saw it, with the thread it ran on.
struct Sent {
  std::string description;  // core::testing::describe
  std::string full;         // core::testing::describeFully, texts included
  std::thread::id thread;
  std::int64_t arrived_ns = 0;  // the arrival stamp current while it was dispatched
};

class Recorder {
 public:
  void add(const core::Action& action) {
    std::lock_guard lock(mutex_);
    sent_.push_back({core::testing::describe(action), core::testing::describeFully(action),
                     std::this_thread::get_id(), ops::currentInbound().arrived_ns});
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

TEST(RuntimeDispatch, TheEngineLockIsFreeWhileAnActionIsCarriedOut) {
  Runtime* runtime = nullptr;
  bool engine_free_while_sending = false;
  int venue_sends = 0;
  Runtime rt(makeEngine(), [&](const core::Action& action) -> std::optional<core::Event> {
    if (!std::holds_alternative<core::VenueNewOrder>(action)) return std::nullopt;
    ++venue_sends;
    // Another thread reads the engine while this send is in progress; under the old design (dispatch
    // under the engine lock) it would wait until the send returned.
    auto reader = std::async(std::launch::async,
                             [&] { return runtime->inspect([](const core::Engine&) { return true; }); });
    engine_free_while_sending = reader.wait_for(5s) == std::future_status::ready && reader.get();
    return std::nullopt;
  });
  runtime = &rt;
  rt.submit(core::Event{kStart, core::VenueUp{kXpar}});
  rt.submit(core::Event{kStart + 1, newOrder(kAlpha, "A1", limit("AIR", 100, "10"))});
  EXPECT_EQ(venue_sends, 1);
  EXPECT_TRUE(engine_free_while_sending);
}

TEST(RuntimeDispatch, AThreadThatFindsAnotherDispatchingLeavesItsActionsToItAndReturns) {
  std::mutex gate_mutex;
  std::condition_variable gate;
  bool first_send_started = false;
  bool release_first_send = false;
  Recorder recorder;
  Runtime rt(makeEngine(), [&](const core::Action& action) -> std::optional<core::Event> {
    recorder.add(action);
    if (std::holds_alternative<core::VenueNewOrder>(action)) {
      std::unique_lock lock(gate_mutex);
      if (!first_send_started) {
        first_send_started = true;
        gate.notify_all();
        // The first venue write "blocks" until the test lets it go.
        gate.wait_for(lock, 10s, [&] { return release_first_send; });
      }
    }
    return std::nullopt;
  });
  rt.submit(core::Event{kStart, core::VenueUp{kXpar}});

  std::int64_t first_arrival = 0;
  std::thread first([&] {
    const ops::InboundScope inbound(ops::Origin::Client);
    first_arrival = ops::currentInbound().arrived_ns;
    rt.submit(core::Event{kStart + 1, newOrder(kAlpha, "A1", limit("AIR", 100, "10"))});
  });
  {
    std::unique_lock lock(gate_mutex);
    ASSERT_TRUE(gate.wait_for(lock, 10s, [&] { return first_send_started; }));
  }
  // While the first thread is inside its venue write, a second order is decided and returns at once: it
  // neither waits for the engine lock nor for its turn to send.
  std::int64_t second_arrival = 0;
  auto second = std::async(std::launch::async, [&] {
    const ops::InboundScope inbound(ops::Origin::Client);
    second_arrival = ops::currentInbound().arrived_ns;
    rt.submit(core::Event{kStart + 2, newOrder(kBeta, "B1", limit("AIR", 200, "10"))});
  });
  EXPECT_EQ(second.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(recorder.venueOrders().size(), 1u) << "the second order must wait for the first one's send";
  {
    std::lock_guard lock(gate_mutex);
    release_first_send = true;
  }
  gate.notify_all();
  first.join();
  second.wait();

  // The dispatching thread sent both, in decision order, each with its own message's arrival stamp.
  std::vector<Sent> venue_sends;
  for (const auto& s : recorder.sent()) {
    if (s.description.starts_with("VenueNewOrder")) venue_sends.push_back(s);
  }
  ASSERT_EQ(venue_sends.size(), 2u);
  EXPECT_THAT(venue_sends[0].description, ::testing::HasSubstr("qty=100"));
  EXPECT_THAT(venue_sends[1].description, ::testing::HasSubstr("qty=200"));
  EXPECT_EQ(venue_sends[0].thread, venue_sends[1].thread);
  EXPECT_EQ(venue_sends[0].arrived_ns, first_arrival);
  EXPECT_EQ(venue_sends[1].arrived_ns, second_arrival);
  EXPECT_NE(first_arrival, second_arrival);
}

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

TEST(RuntimeDispatch, ARefusedVenueSendIsAppliedAsAFollowUpAndItsReportDispatched) {
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

  // On a single thread the follow-up is applied and its report dispatched before submit returns, after
  // the send it answers.
  const auto sent = recorder.sent();
  const auto venue_send = std::find_if(
      sent.begin(), sent.end(), [](const Sent& s) { return s.description.starts_with("VenueNewOrder"); });
  ASSERT_NE(venue_send, sent.end());
  const auto report = std::find_if(venue_send, sent.end(),
                                   [](const Sent& s) { return s.description.starts_with("ExecReport"); });
  ASSERT_NE(report, sent.end()) << "no client report after the refused send";
  EXPECT_THAT(report->description, ::testing::HasSubstr("Rejected"));
  EXPECT_THAT(report->full, ::testing::HasSubstr("venue session went down"));
  const bool open = rt.inspect([](const core::Engine& engine) { return engine.openOrderCount() > 0; });
  EXPECT_FALSE(open);
}

}  // namespace
}  // namespace fixgate::runtime
