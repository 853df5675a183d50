#include "fix_outbound.h"

#include <chrono>

#include "fix_inbound.h"

namespace fixgate::sim {
namespace {

constexpr int kOrdRejReasonOther = 99;

FIX::Message newMessage(const char* msgType) {
  FIX::Message m;
  m.getHeader().setField(FIX::BeginString(FIX::BeginString_FIX44));
  m.getHeader().setField(FIX::MsgType(msgType));
  return m;
}

// Required FIX strings may not be empty on the wire.
std::string orNone(const std::string& s) {
  return s.empty() ? "NONE" : s;
}

void setTransactTime(FIX::Message& m) {
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 6));
}

void setOrderFields(FIX::Message& m, const Order& o, IdGenerator& ids) {
  m.setField(FIX::OrderID(ids.orderId(o.id)));
  m.setField(FIX::ExecID(ids.nextExecId()));
  m.setField(FIX::ClOrdID(orNone(o.clOrdId)));
  m.setField(FIX::OrdStatus(ordStatusOf(o.status)));
  m.setField(FIX::Symbol(orNone(o.symbol)));
  m.setField(FIX::Side(o.side == Side::Buy ? FIX::Side_BUY : FIX::Side_SELL));
  m.setField(FIX::FIELD::OrderQty, std::to_string(o.orderQty));
  m.setField(FIX::OrdType(o.type == OrdType::Limit ? FIX::OrdType_LIMIT : FIX::OrdType_MARKET));
  if (o.price) m.setField(FIX::FIELD::Price, formatPrice(*o.price));
  switch (o.tif) {
    case TimeInForce::Day:
      m.setField(FIX::TimeInForce(FIX::TimeInForce_DAY));
      break;
    case TimeInForce::GoodTillCancel:
      m.setField(FIX::TimeInForce(FIX::TimeInForce_GOOD_TILL_CANCEL));
      break;
    case TimeInForce::ImmediateOrCancel:
      m.setField(FIX::TimeInForce(FIX::TimeInForce_IMMEDIATE_OR_CANCEL));
      break;
    case TimeInForce::FillOrKill:
      m.setField(FIX::TimeInForce(FIX::TimeInForce_FILL_OR_KILL));
      break;
  }
  m.setField(FIX::FIELD::LeavesQty, std::to_string(leavesQty(o)));
  m.setField(FIX::FIELD::CumQty, std::to_string(o.cumQty));
  m.setField(FIX::FIELD::AvgPx, formatPrice(avgPx(o)));
  setTransactTime(m);
}

}  // namespace

std::string IdGenerator::orderId(OrderId id) const {
  return id == 0 ? "NONE" : prefix_ + std::to_string(id);
}

std::string makeRunTag() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::string out;
  for (auto v = static_cast<std::uint64_t>(ms); v != 0; v /= 36)
    out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
  return out.empty() ? "0" : out;
}

char execTypeOf(EventKind kind) {
  switch (kind) {
    case EventKind::Accepted:
      return FIX::ExecType_NEW;
    case EventKind::Rejected:
      return FIX::ExecType_REJECTED;
    case EventKind::Trade:
      return FIX::ExecType_TRADE;
    case EventKind::Canceled:
      return FIX::ExecType_CANCELED;
    case EventKind::Replaced:
      return FIX::ExecType_REPLACED;
    case EventKind::Expired:
      return FIX::ExecType_EXPIRED;
    case EventKind::CancelRejected:
      break;
  }
  return '?';
}

char ordStatusOf(OrdStatus status) {
  switch (status) {
    case OrdStatus::New:
      return FIX::OrdStatus_NEW;
    case OrdStatus::PartiallyFilled:
      return FIX::OrdStatus_PARTIALLY_FILLED;
    case OrdStatus::Filled:
      return FIX::OrdStatus_FILLED;
    case OrdStatus::Canceled:
      return FIX::OrdStatus_CANCELED;
    case OrdStatus::Rejected:
      return FIX::OrdStatus_REJECTED;
    case OrdStatus::Expired:
      return FIX::OrdStatus_EXPIRED;
  }
  return '?';
}

FIX::Message executionReport(const Event& e, IdGenerator& ids) {
  FIX::Message m = newMessage(FIX::MsgType_ExecutionReport);
  setOrderFields(m, e.order, ids);
  m.setField(FIX::ExecType(execTypeOf(e.kind)));
  if (!e.origClOrdId.empty()) m.setField(FIX::OrigClOrdID(e.origClOrdId));
  if (e.kind == EventKind::Trade) {
    m.setField(FIX::FIELD::LastQty, std::to_string(e.fill.qty));
    m.setField(FIX::FIELD::LastPx, formatPrice(e.fill.price));
    // TrdMatchID 880 and LastLiquidityInd 851 would be useful, but fix_spec/venue/FIX44.xml does not declare
    // them and the gateway would reject the report (373=0). Only tags that dictionary declares are sent.
  }
  if (e.kind == EventKind::Rejected) m.setField(FIX::OrdRejReason(kOrdRejReasonOther));
  if (!e.text.empty()) m.setField(FIX::Text(e.text));
  return m;
}

FIX::Message statusReport(const Order& order, IdGenerator& ids) {
  FIX::Message m = newMessage(FIX::MsgType_ExecutionReport);
  setOrderFields(m, order, ids);
  m.setField(FIX::ExecType(FIX::ExecType_ORDER_STATUS));
  return m;
}

FIX::Message unknownOrderStatusReport(const FIX::Message& request, IdGenerator& ids) {
  FIX::Message m = newMessage(FIX::MsgType_ExecutionReport);
  std::string clOrdId = fieldOf(request, FIX::FIELD::ClOrdID).value_or("");
  m.setField(FIX::OrderID("NONE"));
  m.setField(FIX::ExecID(ids.nextExecId()));
  m.setField(FIX::ExecType(FIX::ExecType_ORDER_STATUS));
  m.setField(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
  m.setField(FIX::ClOrdID(orNone(clOrdId)));
  m.setField(FIX::Symbol(fieldOf(request, FIX::FIELD::Symbol).value_or("NONE")));
  m.setField(FIX::FIELD::Side, fieldOf(request, FIX::FIELD::Side).value_or("1"));
  m.setField(FIX::FIELD::LeavesQty, "0");
  m.setField(FIX::FIELD::CumQty, "0");
  m.setField(FIX::FIELD::AvgPx, "0");
  m.setField(FIX::Text("unknown order: ClOrdID " + clOrdId));
  setTransactTime(m);
  return m;
}

FIX::Message cancelReject(const Event& e, IdGenerator& ids) {
  FIX::Message m = newMessage(FIX::MsgType_OrderCancelReject);
  m.setField(FIX::OrderID(ids.orderId(e.order.id)));
  m.setField(FIX::ClOrdID(orNone(e.cancelReject.clOrdId)));
  m.setField(FIX::OrigClOrdID(orNone(e.origClOrdId)));
  m.setField(FIX::OrdStatus(ordStatusOf(e.order.status)));
  m.setField(FIX::CxlRejResponseTo(e.cancelReject.responseTo == CancelRejectResponseTo::Cancel
                                       ? FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST
                                       : FIX::CxlRejResponseTo_ORDER_CANCEL_REPLACE_REQUEST));
  m.setField(FIX::CxlRejReason(static_cast<int>(e.cancelReject.reason)));
  if (!e.text.empty()) m.setField(FIX::Text(e.text));
  setTransactTime(m);
  return m;
}

FIX::Message massCancelReport(const MassCancelOutcome& o, IdGenerator& ids) {
  FIX::Message m = newMessage(FIX::MsgType_OrderMassCancelReport);
  m.setField(FIX::ClOrdID(orNone(o.clOrdId)));
  m.setField(FIX::OrderID(ids.nextMassCancelId()));
  m.setField(FIX::FIELD::MassCancelRequestType, o.requestType.empty() ? "7" : o.requestType);
  if (o.rejectReason) {
    m.setField(FIX::MassCancelResponse(FIX::MassCancelResponse_CANCEL_REQUEST_REJECTED));
    m.setField(FIX::MassCancelRejectReason(*o.rejectReason));
  } else {
    m.setField(FIX::FIELD::MassCancelResponse, o.requestType);
  }
  m.setField(FIX::TotalAffectedOrders(static_cast<int>(o.affected)));
  if (o.symbol) m.setField(FIX::Symbol(*o.symbol));
  if (o.side) m.setField(FIX::FIELD::Side, *o.side);
  if (!o.text.empty()) m.setField(FIX::Text(o.text));
  setTransactTime(m);
  return m;
}

FIX::Message businessReject(const FIX::Message& request, int reason, const std::string& text) {
  FIX::Message m = newMessage(FIX::MsgType_BusinessMessageReject);
  if (auto seq = fieldOf(request.getHeader(), FIX::FIELD::MsgSeqNum)) m.setField(FIX::FIELD::RefSeqNum, *seq);
  m.setField(FIX::RefMsgType(fieldOf(request.getHeader(), FIX::FIELD::MsgType).value_or("")));
  m.setField(FIX::BusinessRejectReason(reason));
  m.setField(FIX::Text(text));
  return m;
}

void echoRequestFields(const FIX::Message& request, FIX::Message& report) {
  for (int tag : {FIX::FIELD::Symbol, FIX::FIELD::Side, FIX::FIELD::OrderQty, FIX::FIELD::OrdType,
                  FIX::FIELD::Price, FIX::FIELD::TimeInForce}) {
    if (auto v = fieldOf(request, tag); v && !v->empty()) report.setField(tag, *v);
  }
}

}  // namespace fixgate::sim
