#include "core/reject.h"

#include <fmt/format.h>

namespace fixgate::core {

std::string_view name(RejectCode code) {
  switch (code) {
    case RejectCode::InvalidQuantity:
      return "InvalidQuantity";
    case RejectCode::MissingLimitPrice:
      return "MissingLimitPrice";
    case RejectCode::MissingStopPrice:
      return "MissingStopPrice";
    case RejectCode::InvalidPrice:
      return "InvalidPrice";
    case RejectCode::UnexpectedPrice:
      return "UnexpectedPrice";
    case RejectCode::UnknownSymbol:
      return "UnknownSymbol";
    case RejectCode::DuplicateClOrdId:
      return "DuplicateClOrdId";
    case RejectCode::MissingExpireTime:
      return "MissingExpireTime";
    case RejectCode::UnsupportedValue:
      return "UnsupportedValue";
    case RejectCode::UnknownOrder:
      return "UnknownOrder";
    case RejectCode::OrderAlreadyFinal:
      return "OrderAlreadyFinal";
    case RejectCode::ReplaceChangesSide:
      return "ReplaceChangesSide";
    case RejectCode::ReplaceChangesSymbol:
      return "ReplaceChangesSymbol";
    case RejectCode::ReplaceQtyBelowFilled:
      return "ReplaceQtyBelowFilled";
    case RejectCode::OrderPendingChange:
      return "OrderPendingChange";
    case RejectCode::MassCancelUnsupportedScope:
      return "MassCancelUnsupportedScope";
    case RejectCode::NoRouteForOrder:
      return "NoRouteForOrder";
    case RejectCode::UnknownVenue:
      return "UnknownVenue";
    case RejectCode::VenueDisconnected:
      return "VenueDisconnected";
    case RejectCode::VenueRejected:
      return "VenueRejected";
    case RejectCode::VenueUnknownOrder:
      return "VenueUnknownOrder";
    case RejectCode::VenueRequestLost:
      return "VenueRequestLost";
    case RejectCode::UnknownAccount:
      return "UnknownAccount";
    case RejectCode::NotEntitled:
      return "NotEntitled";
    case RejectCode::RestrictedSymbol:
      return "RestrictedSymbol";
    case RejectCode::ThrottleExceeded:
      return "ThrottleExceeded";
    case RejectCode::MaxOrderQty:
      return "MaxOrderQty";
    case RejectCode::MaxOrderNotional:
      return "MaxOrderNotional";
    case RejectCode::NoReferencePrice:
      return "NoReferencePrice";
    case RejectCode::PriceOffTick:
      return "PriceOffTick";
    case RejectCode::PriceCollar:
      return "PriceCollar";
    case RejectCode::MaxOpenOrders:
      return "MaxOpenOrders";
    case RejectCode::DuplicateOrder:
      return "DuplicateOrder";
    case RejectCode::GrossCreditLimit:
      return "GrossCreditLimit";
    case RejectCode::NetCreditLimit:
      return "NetCreditLimit";
    case RejectCode::LongPositionLimit:
      return "LongPositionLimit";
    case RejectCode::ShortPositionLimit:
      return "ShortPositionLimit";
    case RejectCode::DailyLossLimit:
      return "DailyLossLimit";
    case RejectCode::NoLimitsLoaded:
      return "NoLimitsLoaded";
    case RejectCode::TradingHalted:
      return "TradingHalted";
    case RejectCode::ReducingOnly:
      return "ReducingOnly";
    case RejectCode::VenueBreakerOpen:
      return "VenueBreakerOpen";
    case RejectCode::SessionBreakerLatched:
      return "SessionBreakerLatched";
    case RejectCode::SymbolMoveHalt:
      return "SymbolMoveHalt";
  }
  return "Unknown";
}

FixReasons fixReasons(RejectCode code) {
  // OrdRejReason: 0 broker option, 1 unknown symbol, 3 exceeds limit, 5 unknown order, 6 duplicate order,
  // 11 unsupported order characteristic, 13 incorrect quantity, 99 other.
  // CxlRejReason: 0 too late to cancel, 1 unknown order, 2 broker option, 3 already pending, 99 other.
  switch (code) {
    case RejectCode::InvalidQuantity:
      return {13, 99};
    case RejectCode::UnknownSymbol:
      return {1, 99};
    case RejectCode::MaxOrderQty:
    case RejectCode::MaxOrderNotional:
    case RejectCode::GrossCreditLimit:
    case RejectCode::NetCreditLimit:
    case RejectCode::LongPositionLimit:
    case RejectCode::ShortPositionLimit:
    case RejectCode::DailyLossLimit:
    case RejectCode::MaxOpenOrders:
    case RejectCode::ThrottleExceeded:
      return {3, 99};  // 3: order exceeds limit
    case RejectCode::DuplicateOrder:
      return {6, 99};
    case RejectCode::TradingHalted:
    case RejectCode::SymbolMoveHalt:
      return {2, 99};  // 2: exchange closed (trading not possible now)
    case RejectCode::DuplicateClOrdId:
      return {6, 6};
    case RejectCode::UnknownOrder:
      return {5, 1};
    case RejectCode::OrderAlreadyFinal:
      return {99, 0};
    case RejectCode::OrderPendingChange:
      return {99, 3};
    case RejectCode::UnsupportedValue:
    case RejectCode::MissingLimitPrice:
    case RejectCode::MissingStopPrice:
    case RejectCode::UnexpectedPrice:
    case RejectCode::MissingExpireTime:
    case RejectCode::InvalidPrice:
      return {11, 99};
    case RejectCode::VenueDisconnected:
    case RejectCode::NoRouteForOrder:
    case RejectCode::UnknownVenue:
      return {0, 2};
    default:
      return {99, 99};
  }
}

Reject makeReject(RejectCode code, std::string_view detail) {
  return Reject{code, fmt::format("FG{} {}", static_cast<int>(code), detail)};
}

}  // namespace fixgate::core
