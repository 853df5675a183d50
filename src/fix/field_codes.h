// FIX tag numbers and enumerated values the translation code uses, in one place. Version differences are
// spelled out next to the code that depends on them.
#pragma once

#include <optional>
#include <string>

#include "core/events.h"
#include "core/types.h"

namespace fixgate::fix {

namespace tag {
inline constexpr int Account = 1, AvgPx = 6, ClOrdID = 11, CumQty = 14, Currency = 15, ExecID = 17,
                     ExecTransType = 20, HandlInst = 21, SecurityIDSource = 22, LastPx = 31, LastQty = 32,
                     MsgType = 35, OrderID = 37, OrderQty = 38, OrdStatus = 39, OrdType = 40,
                     OrigClOrdID = 41, PossDupFlag = 43, Price = 44, RefSeqNum = 45, Rule80A = 47,
                     SecurityID = 48, Side = 54, Symbol = 55, Text = 58, PossResend = 97, TimeInForce = 59,
                     TransactTime = 60, StopPx = 99, ExDestination = 100, CxlRejReason = 102,
                     OrdRejReason = 103, ExpireTime = 126, ExecType = 150, LeavesQty = 151,
                     SecurityExchange = 207, RefMsgType = 372, BusinessRejectRefID = 379,
                     BusinessRejectReason = 380, ExpireDate = 432, CxlRejResponseTo = 434,
                     PartyIDSource = 447, PartyID = 448, PartyRole = 452, NoPartyIDs = 453,
                     OrderCapacity = 528, MassCancelRequestType = 530, MassCancelResponse = 531,
                     MassCancelRejectReason = 532, TotalAffectedOrders = 533, OrdStatusReqID = 790,
                     PartyRoleQualifier = 2376;
}  // namespace tag

std::optional<core::Side> sideFromFix(char c);
char sideToFix(core::Side s);
std::optional<core::OrdType> ordTypeFromFix(char c);
char ordTypeToFix(core::OrdType t);
std::optional<core::TimeInForce> timeInForceFromFix(char c);
char timeInForceToFix(core::TimeInForce t);
char ordStatusToFix(core::OrdStatus s);
std::optional<core::OrdStatus> ordStatusFromFix(char c);
core::TradingCapacity capacityFromFix(char c);
char capacityToFix(core::TradingCapacity c);

// "YYYYMMDD-HH:MM:SS.ffffff" (UTCTimestamp with microseconds, RTS 25).
std::string formatUtcMicros(core::Timestamp micros);

}  // namespace fixgate::fix
