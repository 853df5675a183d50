#include "core/validation.h"

#include <fmt/format.h>

namespace fixgate::core {

std::optional<Reject> validateTerms(const OrderTerms& terms, const ReferenceData& refdata) {
  if (refdata.instrument(terms.symbol) == nullptr) {
    return makeReject(
        RejectCode::UnknownSymbol,
        fmt::format("unknown symbol '{}': not in the gateway's instrument list; check the symbol "
                    "or ask operations to add it",
                    terms.symbol));
  }
  if (terms.quantity <= 0) {
    return makeReject(RejectCode::InvalidQuantity,
                      fmt::format("OrderQty must be a positive whole number, got {}", terms.quantity));
  }
  const bool needs_price = terms.ord_type == OrdType::Limit || terms.ord_type == OrdType::StopLimit;
  const bool needs_stop = terms.ord_type == OrdType::Stop || terms.ord_type == OrdType::StopLimit;
  if (needs_price && !terms.price) {
    return makeReject(RejectCode::MissingLimitPrice,
                      fmt::format("a {} order needs Price (44); none was sent", toString(terms.ord_type)));
  }
  if (!needs_price && terms.price) {
    return makeReject(RejectCode::UnexpectedPrice,
                      fmt::format("a {} order must not carry Price (44); send OrdType=2 for a limit order",
                                  toString(terms.ord_type)));
  }
  if (needs_stop && !terms.stop_price) {
    return makeReject(RejectCode::MissingStopPrice,
                      fmt::format("a {} order needs StopPx (99); none was sent", toString(terms.ord_type)));
  }
  for (const auto& [label, price] :
       {std::pair{"Price (44)", terms.price}, std::pair{"StopPx (99)", terms.stop_price}}) {
    if (price && price->units <= 0) {
      return makeReject(RejectCode::InvalidPrice,
                        fmt::format("{} must be greater than zero, got {}", label, formatPrice(*price)));
    }
  }
  if (terms.time_in_force == TimeInForce::GoodTillDate && terms.expire.empty()) {
    return makeReject(RejectCode::MissingExpireTime,
                      "TimeInForce GTD (59=6) needs ExpireTime (126) or ExpireDate (432)");
  }
  return std::nullopt;
}

}  // namespace fixgate::core
