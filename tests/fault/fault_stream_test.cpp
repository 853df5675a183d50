// Each venue fault under a stream of orders: a FIX 4.4 client sends 60 paced orders to SIM-A (AAPL, MSFT and
// IBM, buys and sells at prices that often cross, so the venue fills them), cancels every 4th, and waits
// (bounded) until everything has settled. Then, whatever the fault did:
//   1. every client order's last report is final (filled, canceled, rejected, expired) or known-live (new,
//      partially filled) - never pending new, pending cancel, or "unknown" (ExecType I) - and final or live
//      as SIM-A's last word on the order says it is (a status answer included);
//   2. no order reached the venue twice: every NewOrderSingle ClOrdID appears once, and no client order was
//      sent as more than one NewOrderSingle (the gateway's outgoing log and the venue's incoming log);
//   3. the fills the client saw equal the venue's fills: per order, the LastQty the client was sent adds up
//      to the CumQty of its last report and to the highest CumQty SIM-A reported for it - what it executed,
//      including fills whose execution reports were lost in a drop or a restart and show only in its status
//      answers (ExecType F copies with PossResend count once); the client's and the venue's totals are equal
//      too.
// The stream, the settling and the checks live in fault_invariants.{h,cpp} (shared with fixgate-chaos).
// The audit trail of the same faults is tested in tests/integration/audit.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "fault_invariants.h"
#include "gateway_under_test.h"

namespace fixgate::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kAckTimeoutMs = 300;

struct StreamScenario {
  std::string name;
  std::vector<std::string> sim_args;  // SIM-A's
  // A line SIM-A must have logged by the end, showing the fault fired; empty: none to wait for.
  std::string fault_line;
  // The client must have seen at least one ExecType I (state unknown): the fault hit an acknowledgement.
  bool expects_unknown = false;
};

void PrintTo(const StreamScenario& scenario, std::ostream* os) {
  *os << scenario.name;
}

std::vector<StreamScenario> scenarios() {
  return {
      {"AckDelay800ms", {"--fill-model", "rest", "--ack-delay-ms", "800"}, "", true},
      {"DropAcks30pct", {"--fill-model", "partial", "--drop-acks", "0.3"}, "fault: dropped", true},
      {"DuplicateExecs50pct",
       {"--fill-model", "partial", "--duplicate-execs", "0.5"},
       "fault: sent execution",
       false},
      {"DisconnectAfter25",
       {"--fill-model", "rest", "--disconnect-after", "25"},
       "fault: disconnected",
       false},
      {"RestartKeepingBook",
       {"--fill-model", "rest", "--restart-after-s", "3", "--keep-book"},
       "accepting again on port",
       false},
      {"RestartLosingBook",
       {"--fill-model", "rest", "--restart-after-s", "3"},
       "accepting again on port",
       false},
  };
}

GatewayOptions streamOptions(const StreamScenario& scenario) {
  GatewayOptions options;
  const std::vector<std::string> timeouts = {fmt::format("ack_timeout_new_ms: {}", kAckTimeoutMs),
                                             fmt::format("ack_timeout_cancel_ms: {}", kAckTimeoutMs),
                                             fmt::format("ack_timeout_replace_ms: {}", kAckTimeoutMs)};
  options.venues = {
      VenueSpec{"SIM-A", scenario.sim_args, "", timeouts},
      VenueSpec{"SIM-B", {"--fill-model", "partial", "--partial-ratio", "0.5"}, "", {}},
  };
  return options;
}

// --- the test -----------------------------------------------------------------------------------------

std::string joined(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, "\n  "));
}

class FaultStream : public ::testing::TestWithParam<StreamScenario> {};

TEST_P(FaultStream, EveryOrderEndsKnownOnceAtTheVenueWithTheVenuesFills) {
  const StreamScenario& scenario = GetParam();
  GatewayUnderTest gateway(streamOptions(scenario));
  ASSERT_TRUE(gateway.start());
  auto client = gateway.connectClient("FIX.4.4", "C44A");
  const fault::StreamConfig config;
  std::vector<fault::PlannedOrder> orders = fault::planStream(config);

  const auto stream_start = Clock::now();
  const std::string send_error = fault::driveStream(*client, orders, config);
  ASSERT_TRUE(send_error.empty()) << send_error;

  // The fault must have fired before the end is judged (a restart may still be due when the stream ends).
  if (!scenario.fault_line.empty()) {
    EXPECT_TRUE(gateway.venue("SIM-A").waitForOutput(scenario.fault_line, config.settle_timeout))
        << "SIM-A never logged '" << scenario.fault_line << "': the fault did not fire";
  }

  // Settled: every order known, nothing outstanding, and nothing new arriving for the quiet period.
  fault::waitUntilSettled(*client, orders, config);
  const auto settled_after = std::chrono::duration_cast<milliseconds>(Clock::now() - stream_start).count();
  const fault::InvariantReport report = fault::checkInvariants(client->received(), orders, gateway.dir());

  // Invariant 1: every order in a final or known-live state.
  EXPECT_TRUE(report.unsettled.empty())
      << scenario.name << ": orders not in a final or known state " << settled_after
      << " ms after the stream began:\n  " << joined(report.unsettled);
  EXPECT_TRUE(report.client_unattributed.empty())
      << "reports for no order of the stream:\n  " << joined(report.client_unattributed);
  if (scenario.expects_unknown) {
    EXPECT_GT(report.unknown_reports, 0) << "no order's state became unknown: the fault did not hit an ack";
  }

  // Invariant 2: no duplicate order at the venue, as the gateway sent them and as the venue received them.
  EXPECT_TRUE(report.gateway_duplicates.empty())
      << "duplicate orders from the gateway:\n  " << joined(report.gateway_duplicates);
  EXPECT_TRUE(report.venue_duplicates.empty())
      << "duplicate orders at the venue:\n  " << joined(report.venue_duplicates);

  // Invariant 3: the client's fills equal the venue's, per order and in total.
  EXPECT_TRUE(report.venue_unattributed.empty())
      << "SIM-A reports for no order of the stream:\n  " << joined(report.venue_unattributed);
  EXPECT_GT(report.venue_executions, 0) << "SIM-A filled nothing: the stream did not exercise fills";
  EXPECT_EQ(report.client_filled, report.venue_executed) << joined(report.totals);
  EXPECT_TRUE(report.fill_mismatches.empty())
      << scenario.name << ": fills the client saw differ from the venue's:\n  "
      << joined(report.fill_mismatches);
  EXPECT_TRUE(report.state_mismatches.empty())
      << scenario.name << ": orders the client and SIM-A disagree on (final vs live):\n  "
      << joined(report.state_mismatches);

  std::cerr << fmt::format(
      "[ stream   ] {}: settled {} ms after the stream began; {} unknown reports; SIM-A: {} NewOrderSingles, "
      "{} executions ({} duplicate copies) for {}; client filled {}\n",
      scenario.name, settled_after, report.unknown_reports, report.venue_new_orders, report.venue_executions,
      report.venue_copies, report.venue_delivered, report.client_filled);
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultStream, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<StreamScenario>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace fixgate::testing
