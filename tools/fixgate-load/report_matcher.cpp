#include "report_matcher.h"

#include <string>

namespace fixgate::load {
namespace {

char charField(const FIX::FieldMap& map, int tag) {
  if (!map.isSetField(tag)) return '\0';
  const std::string& value = map.getField(tag);
  return value.empty() ? '\0' : value[0];
}

// The ExecTypes that answer each kind of request; anything else (fills, expiries, status) only reports on
// the order.
bool answers(RequestKind kind, char exec_type) {
  if (exec_type == '8') return true;  // refused, whatever the request
  switch (kind) {
    case RequestKind::New:
      return exec_type == '0';
    case RequestKind::Cancel:
      return exec_type == '4';
    case RequestKind::Replace:
      return exec_type == '5';
  }
  return false;
}

void moveState(OrderSlot& order, OrderState from, OrderState to, LoadStats& stats) {
  if (order.state.compare_exchange_strong(from, to, std::memory_order_acq_rel) && to == OrderState::Done)
    stats.orders_done.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

void ReportMatcher::onApplicationMessage(const FIX::Message& message, std::int64_t arrival_ns) {
  const char type = charField(message.getHeader(), FIX::FIELD::MsgType);
  if (type == '8') {
    onExecutionReport(message, arrival_ns);
  } else if (type == '9') {
    onCancelReject(message, arrival_ns);
  } else if (type == 'j') {
    stats_.business_rejects.fetch_add(1, std::memory_order_relaxed);
  } else {
    stats_.unmatched.fetch_add(1, std::memory_order_relaxed);
  }
}

void ReportMatcher::onAdminMessage(const FIX::Message& message) {
  if (charField(message.getHeader(), FIX::FIELD::MsgType) == '3')
    stats_.session_rejects.fetch_add(1, std::memory_order_relaxed);
}

RequestSlot* ReportMatcher::requestNamedBy(const FIX::Message& message, std::size_t& index) {
  if (message.isSetField(FIX::FIELD::ClOrdID)) {
    if (const auto found = table_.requestOf(message.getField(FIX::FIELD::ClOrdID))) {
      RequestSlot& request = table_.request(*found);
      if (request.phase.load(std::memory_order_acquire) != RequestPhase::Unused) {
        index = *found;
        return &request;
      }
    }
  }
  stats_.unmatched.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

bool ReportMatcher::claimAnswer(RequestSlot& request, bool rejected, std::int64_t arrival_ns) {
  RequestPhase sent = RequestPhase::Sent;
  if (!request.phase.compare_exchange_strong(sent, RequestPhase::Answered, std::memory_order_acq_rel)) {
    stats_.duplicate_answers.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  stats_.answered.fetch_add(1, std::memory_order_relaxed);
  if (rejected) {
    stats_.rejected.fetch_add(1, std::memory_order_relaxed);
    stats_.rejected_by_kind[static_cast<int>(request.kind)].fetch_add(1, std::memory_order_relaxed);
  }
  if (request.measured) {
    const std::int64_t latency = arrival_ns - request.due_ns;
    stats_.latency.record(latency);
    stats_.by_kind[static_cast<int>(request.kind)].record(latency);
    stats_.measured_answered.fetch_add(1, std::memory_order_relaxed);
    storeMax(stats_.last_measured_answer_ns, arrival_ns);
  }
  return true;
}

void ReportMatcher::onExecutionReport(const FIX::Message& message, std::int64_t arrival_ns) {
  std::size_t index = 0;
  RequestSlot* request = requestNamedBy(message, index);
  if (request == nullptr) return;
  OrderSlot& order = table_.order(request->order);
  const char exec_type = charField(message, FIX::FIELD::ExecType);
  const char ord_status = charField(message, FIX::FIELD::OrdStatus);

  if (!answers(request->kind, exec_type)) {
    stats_.other_reports.fetch_add(1, std::memory_order_relaxed);
    // A fill or expiry may end the order; one with a cancel or replace out is settled by that answer.
    if (ord_status == '2' || ord_status == '4' || ord_status == 'C' || exec_type == 'C')
      moveState(order, OrderState::Live, OrderState::Done, stats_);
    return;
  }
  const bool rejected = exec_type == '8';
  if (!claimAnswer(*request, rejected, arrival_ns)) return;
  switch (request->kind) {
    case RequestKind::New:
      moveState(order, OrderState::PendingNew, rejected ? OrderState::Done : OrderState::Live, stats_);
      break;
    case RequestKind::Cancel:
      moveState(order, OrderState::Changing, rejected ? OrderState::Live : OrderState::Done, stats_);
      break;
    case RequestKind::Replace:
      if (!rejected) {
        order.price_tenths = request->new_price_tenths;
        order.current_request = static_cast<std::uint32_t>(index);
      }
      moveState(order, OrderState::Changing, OrderState::Live, stats_);
      break;
  }
}

void ReportMatcher::onCancelReject(const FIX::Message& message, std::int64_t arrival_ns) {
  std::size_t index = 0;
  RequestSlot* request = requestNamedBy(message, index);
  if (request == nullptr || !claimAnswer(*request, true, arrival_ns)) return;
  // CxlRejReason 0: too late, the order is final.
  const bool final = charField(message, FIX::FIELD::CxlRejReason) == '0';
  moveState(table_.order(request->order), OrderState::Changing, final ? OrderState::Done : OrderState::Live,
            stats_);
}

}  // namespace fixgate::load
