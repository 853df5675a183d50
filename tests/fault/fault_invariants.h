// The reusable half of the fault stream tests (fault_stream_test.cpp) and the chaos run (chaos_run.cpp): a
// stream of paced orders and cancels driven through a GatewayUnderTest's client, a bounded wait until
// everything has settled, and the three invariants checked against the client's reports and the FIX message
// logs of the gateway and the venue(s):
//   1. every client order's last report is final (filled, canceled, rejected, expired) or known-live (new,
//      partially filled) - never pending new, pending cancel, or "unknown" (ExecType I) - and final or live
//      as the venue's last word on the order says it is (a status answer included);
//   2. no order reached the venue twice: every client order has one venue ClOrdID, sent once without
//      PossResend; a repeat carries PossResend=Y (a replay of an order the venue never received, which the
//      venue refuses as a copy if it has it) (the gateway's outgoing log and the venue's incoming log);
//   3. the fills the client saw equal the venue's fills: per order, the LastQty the client was sent adds up
//      to the CumQty of its last report and to the highest CumQty the venue reported for it (ExecType F
//      copies with PossResend count once); the client's and the venue's totals are equal too.
// Plain functions: they return what they found (counts and violation texts), the caller decides what fails.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fix_client.h"

namespace fixgate::testing::fault {

// One message of a QuickFIX FileLog message file.
struct LoggedMessage {
  std::map<int, std::string> fields;  // the first occurrence of each tag
  std::string line;                   // the message with SOH shown as '|'

  [[nodiscard]] std::string get(int tag) const {
    const auto it = fields.find(tag);
    return it == fields.end() ? std::string() : it->second;
  }
};

// Every message in the QuickFIX FileLog message files under `log_dir` (messages.current.log and any
// backups), in file order.
[[nodiscard]] std::vector<LoggedMessage> readMessageLog(const std::filesystem::path& log_dir);

struct StreamConfig {
  int orders = 60;
  int cancel_every = 4;  // every Nth order is canceled; 0: none
  // Every Nth order is VOD.L (routed to SIM-B); 0: every order is AAPL, MSFT or IBM (SIM-A).
  int sim_b_every = 0;
  std::chrono::milliseconds spacing{80};        // between orders: 60 orders over 4.8 s
  std::chrono::milliseconds cancel_after{250};  // cancel when acknowledged, or after this long unanswered
  std::chrono::milliseconds settle_timeout{20000};
  std::chrono::milliseconds quiet_period{1500};  // settled: all known, nothing new arriving for this long
};

struct PlannedOrder {
  std::string id;
  std::string symbol;
  std::string venue;  // where the gateway routes it: SIM-A, or SIM-B for VOD.L
  char side = '1';
  long qty = 0;  // unique per order: it tells which client order a NewOrderSingle at the venue carries
  std::string price;
  std::string cancel_id;  // empty: not canceled
  std::chrono::steady_clock::time_point sent_at{};
  bool cancel_sent = false;
};

// The orders of a stream: AAPL, MSFT and IBM (and VOD.L when config.sim_b_every > 0), buys and sells at
// prices that often cross, every config.cancel_every-th to be canceled.
[[nodiscard]] std::vector<PlannedOrder> planStream(const StreamConfig& config = {});

// Sends the orders one every config.spacing, and their cancels once acknowledged or config.cancel_after
// old. Returns the first send failure, empty when everything was sent. Bounded: a cancel is sent at most
// config.cancel_after plus one poll after its order.
[[nodiscard]] std::string driveStream(client::FixClient& client, std::vector<PlannedOrder>& orders,
                                      const StreamConfig& config = {});

// Waits until every order is known (see invariant 1) and nothing has arrived for config.quiet_period, or
// config.settle_timeout has passed. Returns whether it settled.
bool waitUntilSettled(const client::FixClient& client, const std::vector<PlannedOrder>& orders,
                      const StreamConfig& config = {});

struct InvariantReport {
  // Counts.
  int orders = 0;
  int unknown_reports = 0;   // ExecType I reports the client received
  long client_filled = 0;    // LastQty over the client's fills
  long venue_executed = 0;   // the venues' highest CumQty per order, delivered or not
  long venue_delivered = 0;  // LastQty over the venues' distinct executions
  int venue_executions = 0;  // distinct ExecIDs with ExecType F
  int venue_copies = 0;      // further fills with an ExecID already seen
  int venue_new_orders = 0;  // NewOrderSingles the venues received

  // Violations, one entry per problem (a first line, then indented detail lines), by check.
  std::vector<std::string> unsettled;            // invariant 1: not final or known-live
  std::vector<std::string> client_unattributed;  // reports the client got for no order of the stream
  std::vector<std::string> gateway_duplicates;   // invariant 2, the gateway's outgoing log
  std::vector<std::string> venue_duplicates;     // invariant 2, the venue's incoming log
  std::vector<std::string> venue_unattributed;   // venue reports for no order of the stream
  std::vector<std::string> totals;               // invariant 3, client total vs venue total
  std::vector<std::string> fill_mismatches;      // invariant 3, per order
  std::vector<std::string> state_mismatches;     // invariant 1, final vs live at the venue

  // Every violation above, prefixed with its check's name.
  [[nodiscard]] std::vector<std::string> violations() const;
  [[nodiscard]] bool ok() const { return violations().empty(); }
};

// Checks the three invariants: `received` is everything the client got, `gateway_dir` the GatewayUnderTest's
// dir() (its FIX message logs: data/venues/<V>/log for the gateway, venues/<V>/log for the simulator).
[[nodiscard]] InvariantReport checkInvariants(const std::vector<FIX::Message>& received,
                                              const std::vector<PlannedOrder>& orders,
                                              const std::filesystem::path& gateway_dir);

}  // namespace fixgate::testing::fault
