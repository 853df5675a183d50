// One readable line per received message, for people watching the demo client run.
#pragma once

#include <string>

#include "quickfix/quickfix.h"

namespace fixgate::client {

// "ExecutionReport ClOrdID=A1 ExecType=F(Trade) OrdStatus=1(PartiallyFilled) Last=500@100 CumQty=500 ..."
// Fields the message does not carry are left out.
[[nodiscard]] std::string reportLine(const FIX::Message& message);

}  // namespace fixgate::client
