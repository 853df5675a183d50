// A venue that stops reading its socket (a hung exchange connection). The gateway writes venue messages
// under its engine lock with a bounded socket write (kVenueSendTimeout, 2 s): once SIM-A's buffers are
// full, the write that blocks holds every session's order path for at most those 2 s, then SIM-A is
// disconnected. Whether the order in that write reached SIM-A is not known, so it stays pending until
// SIM-A's status answer at the next logon settles it; orders meanwhile are rejected; the rest carries on.
//
// SIM-A (--stop-reading-after 20 --stop-reading-ms 6000, receive buffer 4 KiB) stops reading at the 20th
// order; the gateway's socket to it has a 16 KiB send buffer (socket_send_buffer_kib), so a few hundred
// orders fill both. C44A floods it with orders (at most 3,000, bounded in time) until the gateway logs the
// disconnect; meanwhile C44B sends an order to SIM-B every 100 ms and times each answer. Then, once SIM-A
// reads again and the gateway has reconnected and reconciled:
//   - C44B's orders were each answered, none later than the 2 s write bound plus a margin;
//   - orders that came while SIM-A was disconnected were rejected, saying so;
//   - every flooded order ended known (new at SIM-A, or rejected) and none reached SIM-A twice (the
//     invariants of the fault stream tests, fault_invariants.h).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "fault_invariants.h"
#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"
#include "message_predicates.h"

namespace fixgate::testing {
namespace {

using client::FixVersion;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kMaxFloodOrders = 3000;
constexpr milliseconds kFloodDeadline{20000};
constexpr milliseconds kStall{6000};  // SIM-A's pause: well past the gateway's 2 s write bound
// The gateway's bound on one venue write (kVenueSendTimeout) plus a margin for a loaded machine, and more
// for the sanitizers' build; still well short of SIM-A's pause, which an unbounded write would wait out.
#ifdef FIXGATE_SANITIZED
constexpr milliseconds kMaxProbeWait{5000};
#else
constexpr milliseconds kMaxProbeWait{4000};
#endif
// A probe sent while the write blocks waits most of its 2 s: the other sessions did meet the stall.
constexpr milliseconds kMinSlowestProbeWait{1000};
constexpr std::string_view kDisconnectLine =
    "venue SIM-A did not take a message within 2000 ms: it is not reading";

GatewayOptions stallingVenue() {
  GatewayOptions options;
  options.venues = {
      VenueSpec{"SIM-A",
                {"--fill-model", "rest", "--stop-reading-after", "20", "--stop-reading-ms",
                 std::to_string(kStall.count())},
                "",
                {"socket_send_buffer_kib: 16"}},
      VenueSpec{"SIM-B", {"--fill-model", "rest"}, "", {}},
  };
  return options;
}

// Orders to SIM-B from a second session, one every 100 ms, each waited for; the slowest answer is what the
// stalled write cost the other sessions.
struct Prober {
  client::FixClient& client;
  std::atomic<bool>& stop;
  std::vector<long> waits_ms;
  std::vector<std::string> unanswered;

  void run() {
    const auto deadline = Clock::now() + kFloodDeadline + kStall;
    for (int i = 0; !stop && Clock::now() < deadline && i < 400; ++i) {
      const std::string id = fmt::format("P-{}", i);
      const auto sent = Clock::now();
      if (client.send(client::newOrderSingle(FixVersion::Fix44,
                                             client::limitOrder(id, "VOD.L", '1', "100", "99.00"))) == 0) {
        unanswered.push_back(id + " (not sent)");
        return;
      }
      if (!client.waitFor(client::execReportFor(id, "08"), milliseconds(10000))) {
        unanswered.push_back(id);
        return;
      }
      waits_ms.push_back(std::chrono::duration_cast<milliseconds>(Clock::now() - sent).count());
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
};

TEST(VenueStall, AVenueThatStopsReadingHoldsOtherSessionsAtMostTheWriteBoundAndNothingIsLost) {
  GatewayUnderTest gateway(stallingVenue());
  ASSERT_TRUE(gateway.start());
  auto flooder = gateway.connectClient("FIX.4.4", "C44A");
  auto probe_client = gateway.connectClient("FIX.4.4", "C44B");

  std::atomic<bool> stop_probing{false};
  Prober prober{*probe_client, stop_probing, {}, {}};
  std::thread probing([&] { prober.run(); });

  // Buys at 99.00 against nothing: they rest, so each order's last word is New or Rejected.
  std::vector<fault::PlannedOrder> orders;
  bool disconnected = false;
  const auto flood_start = Clock::now();
  for (int i = 0; i < kMaxFloodOrders && Clock::now() - flood_start < kFloodDeadline; ++i) {
    fault::PlannedOrder o;
    o.id = fmt::format("F-{:04}", i);
    o.symbol = "AAPL";
    o.venue = "SIM-A";
    o.side = '1';
    o.qty = 100 + i;
    o.price = "99.00";
    if (flooder->send(client::newOrderSingle(
            FixVersion::Fix44, client::limitOrder(o.id, o.symbol, o.side, std::to_string(o.qty), o.price))) ==
        0) {
      ADD_FAILURE() << "could not send " << o.id;
      break;
    }
    o.sent_at = Clock::now();
    orders.push_back(std::move(o));
    if (i % 25 == 24 && gateway.gateway().waitForOutput(kDisconnectLine, milliseconds(0))) {
      disconnected = true;
      break;
    }
  }
  const auto flood_ms = std::chrono::duration_cast<milliseconds>(Clock::now() - flood_start).count();
  disconnected = disconnected || gateway.gateway().waitForOutput(kDisconnectLine, milliseconds(5000));
  // Probe on past the disconnect, then stop.
  std::this_thread::sleep_for(milliseconds(1000));
  stop_probing = true;
  probing.join();

  EXPECT_TRUE(gateway.venue("SIM-A").waitForOutput("fault: stopped reading", milliseconds(0)))
      << "SIM-A never stopped reading: the fault did not fire\n"
      << gateway.diagnostics(40);
  ASSERT_TRUE(disconnected) << orders.size() << " orders in " << flood_ms
                            << " ms did not make the gateway's write to SIM-A time out\n"
                            << gateway.diagnostics(40);

  // The other session waited at most the write bound.
  EXPECT_TRUE(prober.unanswered.empty()) << "SIM-B orders without an answer within 10 s: "
                                         << fmt::format("{}", fmt::join(prober.unanswered, ", "));
  ASSERT_GE(prober.waits_ms.size(), 5u) << "too few SIM-B orders answered to tell";
  const long slowest = *std::max_element(prober.waits_ms.begin(), prober.waits_ms.end());
  EXPECT_LT(slowest, kMaxProbeWait.count())
      << "a SIM-B order waited " << slowest << " ms for its answer while SIM-A was not reading";
  EXPECT_GE(slowest, kMinSlowestProbeWait.count())
      << "no SIM-B order waited for the blocked write to SIM-A: the test did not catch the stall";

  // Orders sent while SIM-A was disconnected are rejected, saying so; the rest settle.
  fault::StreamConfig settle;
  settle.settle_timeout = milliseconds(40000);
  fault::waitUntilSettled(*flooder, orders, settle);
  const std::vector<FIX::Message> received = flooder->received();
  const auto refused = std::count_if(received.begin(), received.end(), [](const FIX::Message& m) {
    if (!m.isSetField(FIX::FIELD::Text)) return false;
    const std::string& text = m.getField(FIX::FIELD::Text);
    return text.find("venue session went down before the order could be sent") != std::string::npos ||
           text.find("venue SIM-A is not connected") != std::string::npos;
  });
  EXPECT_GE(refused, 1) << "no order was rejected while SIM-A was disconnected";

  // Every flooded order ended new at SIM-A or rejected, and none reached SIM-A twice.
  const fault::InvariantReport report = fault::checkInvariants(received, orders, gateway.dir());
  EXPECT_TRUE(report.ok()) << fmt::format("{}", fmt::join(report.violations(), "\n  "));

  std::cerr << fmt::format(
      "[ stall    ] {} orders in {} ms until SIM-A was disconnected; {} rejected while it was; "
      "SIM-B answers: {} (slowest {} ms); SIM-A received {} NewOrderSingles; {} unknown reports\n",
      orders.size(), flood_ms, refused, prober.waits_ms.size(), slowest, report.venue_new_orders,
      report.unknown_reports);
}

}  // namespace
}  // namespace fixgate::testing
