#include "fix_inbound.h"

#include <fmt/format.h>

namespace fixgate::sim {
namespace {

Decoded<Side> decodeSide(const FIX::FieldMap& msg) {
  auto v = fieldOf(msg, FIX::FIELD::Side);
  if (!v) return std::unexpected("Side (54) missing");
  if (*v == "1") return Side::Buy;
  if (*v == "2") return Side::Sell;
  return std::unexpected(fmt::format("unsupported Side {} (1 buy and 2 sell are)", *v));
}

Decoded<OrdType> decodeOrdType(const FIX::FieldMap& msg) {
  auto v = fieldOf(msg, FIX::FIELD::OrdType);
  if (!v) return std::unexpected("OrdType (40) missing");
  if (*v == "1") return OrdType::Market;
  if (*v == "2") return OrdType::Limit;
  return std::unexpected(fmt::format("unsupported OrdType {} (1 market and 2 limit are)", *v));
}

Decoded<TimeInForce> decodeTimeInForce(const FIX::FieldMap& msg) {
  auto v = fieldOf(msg, FIX::FIELD::TimeInForce);
  if (!v || *v == "0") return TimeInForce::Day;
  if (*v == "1") return TimeInForce::GoodTillCancel;
  if (*v == "3") return TimeInForce::ImmediateOrCancel;
  if (*v == "4") return TimeInForce::FillOrKill;
  return std::unexpected(fmt::format("unsupported TimeInForce {} (0, 1, 3 and 4 are)", *v));
}

Decoded<Qty> decodeQty(const FIX::FieldMap& msg) {
  auto v = fieldOf(msg, FIX::FIELD::OrderQty);
  if (!v) return std::unexpected("OrderQty (38) missing");
  auto q = parseQty(*v);
  if (!q) return std::unexpected(fmt::format("OrderQty {} is not a whole number", *v));
  return *q;
}

Decoded<std::optional<Price>> decodePrice(const FIX::FieldMap& msg) {
  auto v = fieldOf(msg, FIX::FIELD::Price);
  if (!v) return std::optional<Price>{};
  auto p = parsePrice(*v);
  if (!p) return std::unexpected(fmt::format("Price {} is not a decimal with at most 8 places", *v));
  return p;
}

}  // namespace

std::optional<std::string> fieldOf(const FIX::FieldMap& msg, int tag) {
  if (!msg.isSetField(tag)) return std::nullopt;
  return msg.getField(tag);
}

Decoded<NewOrderRequest> decodeNewOrder(const FIX::Message& msg, const std::string& session) {
  auto side = decodeSide(msg);
  if (!side) return std::unexpected(side.error());
  auto type = decodeOrdType(msg);
  if (!type) return std::unexpected(type.error());
  auto tif = decodeTimeInForce(msg);
  if (!tif) return std::unexpected(tif.error());
  auto qty = decodeQty(msg);
  if (!qty) return std::unexpected(qty.error());
  auto price = decodePrice(msg);
  if (!price) return std::unexpected(price.error());
  return NewOrderRequest{.session = session,
                         .clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or(""),
                         .symbol = fieldOf(msg, FIX::FIELD::Symbol).value_or(""),
                         .side = *side,
                         .type = *type,
                         .tif = *tif,
                         .price = *price,
                         .qty = *qty};
}

Decoded<CancelRequest> decodeCancel(const FIX::Message& msg, const std::string& session) {
  auto orig = fieldOf(msg, FIX::FIELD::OrigClOrdID);
  if (!orig) return std::unexpected("OrigClOrdID (41) missing");
  return CancelRequest{
      .session = session, .clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or(""), .origClOrdId = *orig};
}

Decoded<ReplaceRequest> decodeReplace(const FIX::Message& msg, const std::string& session) {
  auto orig = fieldOf(msg, FIX::FIELD::OrigClOrdID);
  if (!orig) return std::unexpected("OrigClOrdID (41) missing");
  auto side = decodeSide(msg);
  if (!side) return std::unexpected(side.error());
  auto type = decodeOrdType(msg);
  if (!type) return std::unexpected(type.error());
  auto qty = decodeQty(msg);
  if (!qty) return std::unexpected(qty.error());
  auto price = decodePrice(msg);
  if (!price) return std::unexpected(price.error());
  return ReplaceRequest{.session = session,
                        .clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or(""),
                        .origClOrdId = *orig,
                        .symbol = fieldOf(msg, FIX::FIELD::Symbol).value_or(""),
                        .side = *side,
                        .type = *type,
                        .price = *price,
                        .qty = *qty};
}

Decoded<MassCancelRequest> decodeMassCancel(const FIX::Message& msg, const std::string& session) {
  MassCancelRequest r{.session = session, .symbol = std::nullopt, .side = std::nullopt};
  auto type = fieldOf(msg, FIX::FIELD::MassCancelRequestType);
  if (!type) return std::unexpected("MassCancelRequestType (530) missing");
  if (*type == "1") {
    r.symbol = fieldOf(msg, FIX::FIELD::Symbol);
    if (!r.symbol) return std::unexpected("MassCancelRequestType 1 needs Symbol (55)");
  } else if (*type != "7") {
    return std::unexpected(fmt::format("unsupported MassCancelRequestType {} (1 and 7 are)", *type));
  }
  if (msg.isSetField(FIX::FIELD::Side)) {
    auto side = decodeSide(msg);
    if (!side) return std::unexpected(side.error());
    r.side = *side;
  }
  return r;
}

}  // namespace fixgate::sim
