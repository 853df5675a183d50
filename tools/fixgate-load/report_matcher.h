// Matches what comes back to the request it answers, by ClOrdID, and records the latency: the arrival time
// minus the request's due time. Called on the receiving session's QuickFIX thread.
#pragma once

#include <cstdint>

#include "load_stats.h"
#include "quickfix/quickfix.h"
#include "request_table.h"

namespace fixgate::load {

class ReportMatcher {
 public:
  ReportMatcher(RequestTable& table, LoadStats& stats) : table_(table), stats_(stats) {}

  void onApplicationMessage(const FIX::Message& message, std::int64_t arrival_ns);
  void onAdminMessage(const FIX::Message& message);

 private:
  void onExecutionReport(const FIX::Message& message, std::int64_t arrival_ns);
  void onCancelReject(const FIX::Message& message, std::int64_t arrival_ns);
  // The request this message names in ClOrdID (11), counted as unmatched when there is none.
  RequestSlot* requestNamedBy(const FIX::Message& message, std::size_t& index);
  // Claims the request's first answer and records it; false for a second answer.
  bool claimAnswer(RequestSlot& request, bool rejected, std::int64_t arrival_ns);

  RequestTable& table_;
  LoadStats& stats_;
};

}  // namespace fixgate::load
