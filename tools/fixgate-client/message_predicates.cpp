#include "message_predicates.h"

#include "message_fields.h"

namespace fixgate::client {

bool isPendingReport(const FIX::Message& message) {
  const std::string exec_type = fieldOr(message, FIX::FIELD::ExecType);
  return msgType(message) == "8" && (exec_type == "A" || exec_type == "E" || exec_type == "6");
}

bool isExecReport(const FIX::Message& message, const std::string& exec_types) {
  const std::string exec_type = fieldOr(message, FIX::FIELD::ExecType);
  return msgType(message) == "8" && exec_type.size() == 1 &&
         exec_types.find(exec_type[0]) != std::string::npos;
}

MessagePredicate answerTo(const std::string& cl_ord_id, int seq) {
  return [cl_ord_id, seq](const FIX::Message& m) {
    const std::string type = msgType(m);
    if (type == "3" || type == "j") return fieldOr(m, FIX::FIELD::RefSeqNum) == std::to_string(seq);
    if (type == "8") return fieldOr(m, FIX::FIELD::ClOrdID) == cl_ord_id && !isPendingReport(m);
    if (type == "9" || type == "r") return fieldOr(m, FIX::FIELD::ClOrdID) == cl_ord_id;
    return false;
  };
}

MessagePredicate execReportFor(const std::string& cl_ord_id, const std::string& exec_types) {
  return [cl_ord_id, exec_types](const FIX::Message& m) {
    return isExecReport(m, exec_types) && fieldOr(m, FIX::FIELD::ClOrdID) == cl_ord_id;
  };
}

}  // namespace fixgate::client
