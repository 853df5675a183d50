// Ways to recognise the gateway's answer to a request among everything a client receives.
#pragma once

#include <string>

#include "message_inbox.h"
#include "quickfix/quickfix.h"

namespace fixgate::client {

// PendingNew / PendingReplace / PendingCancel reports: the venue has not decided yet, so they are not an
// answer to the request.
[[nodiscard]] bool isPendingReport(const FIX::Message& message);

// An ExecutionReport whose ExecType (150) is one of the characters in `exec_types`.
[[nodiscard]] bool isExecReport(const FIX::Message& message, const std::string& exec_types);

// The gateway's answer to a request with ClOrdID `cl_ord_id` that went out with MsgSeqNum `seq`: a
// non-pending ExecutionReport, OrderCancelReject or OrderMassCancelReport with that ClOrdID, or a session
// Reject (3) / BusinessMessageReject (j) whose RefSeqNum (45) points at the request.
[[nodiscard]] MessagePredicate answerTo(const std::string& cl_ord_id, int seq);

// An ExecutionReport for ClOrdID `cl_ord_id` (in ClOrdID 11) with an ExecType from `exec_types`.
[[nodiscard]] MessagePredicate execReportFor(const std::string& cl_ord_id, const std::string& exec_types);

}  // namespace fixgate::client
