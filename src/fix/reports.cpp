#include "fix/reports.h"

#include "fix/field_codes.h"
#include "fix/message_access.h"

namespace fixgate::fix {
namespace {

// FIX 4.2 defines OrdRejReason 0-8 and CxlRejReason 0-3 only; later codes fall back to "broker option".
int ordRejReasonFor(core::RejectCode code, FixVersion version) {
  const int reason = core::fixReasons(code).ord_rej_reason;
  return version == FixVersion::Fix42 && reason > 8 ? 0 : reason;
}

int cxlRejReasonFor(core::RejectCode code, FixVersion version) {
  const int reason = core::fixReasons(code).cxl_rej_reason;
  return version == FixVersion::Fix42 && reason > 3 ? 2 : reason;
}

}  // namespace

char execTypeFor(core::ExecKind kind, core::OrdStatus status, FixVersion version) {
  const bool fix42 = version == FixVersion::Fix42;
  switch (kind) {
    case core::ExecKind::New:
      return '0';
    case core::ExecKind::Trade:
      if (!fix42) return 'F';
      return status == core::OrdStatus::Filled ? '2' : '1';
    case core::ExecKind::Canceled:
      return '4';
    case core::ExecKind::Replaced:
      return '5';
    case core::ExecKind::PendingCancel:
      return '6';
    case core::ExecKind::PendingReplace:
      return 'E';
    case core::ExecKind::Rejected:
      return '8';
    case core::ExecKind::Expired:
      return 'C';
    case core::ExecKind::DoneForDay:
      return '3';
    case core::ExecKind::Status:
      return fix42 ? ordStatusToFix(status) : 'I';
  }
  return '0';
}

FIX::Message buildExecutionReport(const core::ExecReport& r, FixVersion version) {
  // Fields in ascending tag order: QuickFIX 1.15.1 keeps a message's fields sorted in a vector of
  // FieldBase, which it copies (no move constructor) to make room for a field set out of order.
  FIX::Message m = messageOfType("8");
  setIfNotEmpty(m, tag::Account, r.account);            // 1
  m.setField(tag::AvgPx, core::formatPrice(r.avg_px));  // 6
  m.setField(tag::ClOrdID, r.cl_ord_id);                // 11
  m.setField(tag::CumQty, std::to_string(r.cum_qty));   // 14
  m.setField(tag::ExecID, r.exec_id);                   // 17
  if (version == FixVersion::Fix42)                     // 20
    setChar(m, tag::ExecTransType, r.kind == core::ExecKind::Status ? '3' : '0');
  if (r.kind == core::ExecKind::Trade) {
    m.setField(tag::LastPx, core::formatPrice(r.last_px));  // 31
    m.setField(tag::LastQty, std::to_string(r.last_qty));   // 32: LastShares in 4.2, LastQty in 4.4
  }
  m.setField(tag::OrderID, r.order_id);                                         // 37
  if (r.order_qty > 0) m.setField(tag::OrderQty, std::to_string(r.order_qty));  // 38
  setChar(m, tag::OrdStatus, ordStatusToFix(r.status));                         // 39
  setChar(m, tag::OrdType, ordTypeToFix(r.ord_type));                           // 40
  setIfNotEmpty(m, tag::OrigClOrdID, r.orig_cl_ord_id);                         // 41
  if (r.price) m.setField(tag::Price, core::formatPrice(*r.price));             // 44
  setChar(m, tag::Side, sideToFix(r.side));                                     // 54
  m.setField(tag::Symbol, r.symbol.empty() ? std::string("[N/A]") : r.symbol);  // 55
  setIfNotEmpty(m, tag::Text, r.text);                                          // 58
  setChar(m, tag::TimeInForce, timeInForceToFix(r.time_in_force));              // 59
  m.setField(tag::TransactTime, formatUtcMicros(r.transact_time));              // 60
  if (r.stop_price) m.setField(tag::StopPx, core::formatPrice(*r.stop_price));  // 99
  if (r.reject && (r.kind == core::ExecKind::Rejected || r.kind == core::ExecKind::Status)) {
    m.setField(tag::OrdRejReason, std::to_string(ordRejReasonFor(*r.reject, version)));  // 103
  }
  setChar(m, tag::ExecType, execTypeFor(r.kind, r.status, version));  // 150
  m.setField(tag::LeavesQty, std::to_string(r.leaves_qty));           // 151
  return m;
}

FIX::Message buildOrderCancelReject(const core::CancelReject& r, FixVersion version) {
  FIX::Message m = messageOfType("9");
  m.setField(tag::OrderID, r.order_id);
  m.setField(tag::ClOrdID, r.cl_ord_id);
  m.setField(tag::OrigClOrdID, r.orig_cl_ord_id.empty() ? std::string("NONE") : r.orig_cl_ord_id);
  setChar(m, tag::OrdStatus, ordStatusToFix(r.status));
  setChar(m, tag::CxlRejResponseTo, r.for_replace ? '2' : '1');
  m.setField(tag::CxlRejReason, std::to_string(cxlRejReasonFor(r.reject, version)));
  setIfNotEmpty(m, tag::Text, r.text);
  m.setField(tag::TransactTime, formatUtcMicros(r.transact_time));
  return m;
}

FIX::Message buildMassCancelReport(const core::MassCancelReport& r, FixVersion) {
  FIX::Message m = messageOfType("r");
  m.setField(tag::ClOrdID, r.cl_ord_id);
  m.setField(tag::OrderID, r.order_id);
  setChar(m, tag::MassCancelRequestType, r.raw_scope == 0 ? '7' : r.raw_scope);
  // MassCancelResponse 0 means refused; otherwise it echoes the scope that was applied.
  setChar(m, tag::MassCancelResponse, r.reject ? '0' : r.raw_scope);
  if (r.reject) {
    // 0 mass cancel not supported (for this scope), 1 invalid or unknown security: single characters, valid
    // in every version (532 is CHAR in 4.2/4.4).
    m.setField(tag::MassCancelRejectReason, r.reject == core::RejectCode::MassCancelUnsupportedScope
                                                ? std::string("0")
                                                : std::string("1"));
  }
  m.setField(tag::TotalAffectedOrders, std::to_string(r.affected_orders));
  setIfNotEmpty(m, tag::Symbol, r.symbol);
  setIfNotEmpty(m, tag::Text, r.text);
  m.setField(tag::TransactTime, formatUtcMicros(r.transact_time));
  return m;
}

FIX::Message buildBusinessReject(const BusinessReject& r, FixVersion) {
  FIX::Message m = messageOfType("j");
  m.setField(tag::RefSeqNum, std::to_string(r.ref_seq_num));
  m.setField(tag::RefMsgType, r.ref_msg_type);
  setIfNotEmpty(m, tag::BusinessRejectRefID, r.ref_id);
  m.setField(tag::BusinessRejectReason, std::to_string(r.reason));
  m.setField(tag::Text, r.text);
  return m;
}

}  // namespace fixgate::fix
