#include "report_line.h"

#include <fmt/format.h>

#include "message_fields.h"

namespace fixgate::client {
namespace {

std::string msgTypeName(const std::string& type) {
  if (type == "8") return "ExecutionReport";
  if (type == "9") return "OrderCancelReject";
  if (type == "r") return "OrderMassCancelReport";
  if (type == "3") return "Reject";
  if (type == "j") return "BusinessMessageReject";
  if (type == "5") return "Logout";
  if (type == "A") return "Logon";
  return "MsgType(" + type + ")";
}

std::string execTypeName(char value) {
  switch (value) {
    case '0':
      return "New";
    case '1':
      return "PartialFill";
    case '2':
      return "Fill";
    case '4':
      return "Canceled";
    case '5':
      return "Replaced";
    case '6':
      return "PendingCancel";
    case '8':
      return "Rejected";
    case 'A':
      return "PendingNew";
    case 'E':
      return "PendingReplace";
    case 'F':
      return "Trade";
    case 'I':
      return "OrderStatus";
    default:
      return "?";
  }
}

std::string ordStatusName(char value) {
  switch (value) {
    case '0':
      return "New";
    case '1':
      return "PartiallyFilled";
    case '2':
      return "Filled";
    case '4':
      return "Canceled";
    case '5':
      return "Replaced";
    case '6':
      return "PendingCancel";
    case '8':
      return "Rejected";
    case 'A':
      return "PendingNew";
    case 'E':
      return "PendingReplace";
    default:
      return "?";
  }
}

void append(std::string& line, const FIX::Message& message, const char* name, int tag) {
  if (const auto value = field(message, tag)) line += fmt::format(" {}={}", name, *value);
}

void appendCoded(std::string& line, const FIX::Message& message, const char* name, int tag,
                 std::string (*describe)(char)) {
  const auto value = field(message, tag);
  if (!value) return;
  line += fmt::format(" {}={}", name, *value);
  if (value->size() == 1) line += "(" + describe((*value)[0]) + ")";
}

}  // namespace

std::string reportLine(const FIX::Message& message) {
  std::string line = msgTypeName(msgType(message));
  append(line, message, "ClOrdID", FIX::FIELD::ClOrdID);
  append(line, message, "OrigClOrdID", FIX::FIELD::OrigClOrdID);
  append(line, message, "OrderID", FIX::FIELD::OrderID);
  appendCoded(line, message, "ExecType", FIX::FIELD::ExecType, execTypeName);
  appendCoded(line, message, "OrdStatus", FIX::FIELD::OrdStatus, ordStatusName);
  const auto last_qty = field(message, FIX::FIELD::LastQty);
  if (last_qty) line += fmt::format(" Last={}@{}", *last_qty, fieldOr(message, FIX::FIELD::LastPx, "?"));
  append(line, message, "CumQty", FIX::FIELD::CumQty);
  append(line, message, "LeavesQty", FIX::FIELD::LeavesQty);
  append(line, message, "AvgPx", FIX::FIELD::AvgPx);
  append(line, message, "MassCancelResponse", FIX::FIELD::MassCancelResponse);
  append(line, message, "TotalAffectedOrders", FIX::FIELD::TotalAffectedOrders);
  append(line, message, "RefSeqNum", FIX::FIELD::RefSeqNum);
  append(line, message, "Text", FIX::FIELD::Text);
  return line;
}

}  // namespace fixgate::client
