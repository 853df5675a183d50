#include "fix/normalize.h"

#include <fmt/format.h>

#include <charconv>

#include "fix/field_codes.h"
#include "fix/message_access.h"

namespace fixgate::fix {
namespace {

using core::RejectCode;

const std::string& field(const FIX::FieldMap& map, int tag) {
  return fieldOrEmpty(map, tag);
}
char charField(const FIX::FieldMap& map, int tag) {
  return charFieldOrZero(map, tag);
}

// A refusal of the message's own kind: ExecutionReport for D and H, OrderCancelReject for F and G,
// OrderMassCancelReport for q. The core's report types carry everything needed.
struct Refuser {
  const FIX::Message& message;
  std::string msg_type;
  core::SessionId session;
  core::Timestamp now;

  InboundRefusal operator()(RejectCode code, const std::string& detail) const {
    auto reject = core::makeReject(code, detail);
    if (msg_type == "F" || msg_type == "G") {
      core::CancelReject r;
      r.session = session;
      r.for_replace = msg_type == "G";
      r.cl_ord_id = field(message, tag::ClOrdID);
      r.orig_cl_ord_id = field(message, tag::OrigClOrdID);
      r.order_id = "NONE";
      r.reject = reject.code;
      r.text = std::move(reject.text);
      r.transact_time = now;
      return core::Action{std::move(r)};
    }
    if (msg_type == "q") {
      core::MassCancelReport r;
      r.session = session;
      r.cl_ord_id = field(message, tag::ClOrdID);
      r.order_id = "NONE";
      r.raw_scope = charField(message, tag::MassCancelRequestType);
      r.symbol = field(message, tag::Symbol);
      r.reject = reject.code;
      r.text = std::move(reject.text);
      r.transact_time = now;
      return core::Action{std::move(r)};
    }
    core::ExecReport r;
    r.session = session;
    r.kind = msg_type == "H" ? core::ExecKind::Status : core::ExecKind::Rejected;
    r.status = core::OrdStatus::Rejected;
    r.order_id = "NONE";
    r.cl_ord_id = field(message, tag::ClOrdID);
    r.symbol = field(message, tag::Symbol);
    r.side = sideFromFix(charField(message, tag::Side)).value_or(core::Side::Buy);
    r.account = field(message, tag::Account);
    r.reject = reject.code;
    r.text = std::move(reject.text);
    r.transact_time = now;
    return core::Action{std::move(r)};
  }
};

template <typename T>
using Result = std::expected<T, InboundRefusal>;

Result<std::string> required(const FIX::Message& m, int tag_number, const char* name, const Refuser& refuse) {
  const auto& value = field(m, tag_number);
  if (value.empty()) {
    return std::unexpected(refuse(RejectCode::UnsupportedValue,
                                  fmt::format("required field {} ({}) is missing", name, tag_number)));
  }
  return value;
}

core::PartyRef* partySlot(core::Parties& parties, int role) {
  switch (role) {
    case 3:
      return &parties.client;
    case 122:
      return &parties.investment_decision;
    case 12:
      return &parties.execution_within_firm;
    default:
      return nullptr;
  }
}

std::optional<int> parseInt(const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// QuickFIX does not type-check fields inside repeating groups, so every party value is checked here.
Result<core::Parties> readParties(const FIX::Message& m, const Refuser& refuse) {
  core::Parties parties;
  const auto count = m.groupCount(tag::NoPartyIDs);
  for (std::size_t i = 1; i <= count; ++i) {
    const FIX::FieldMap& group = m.getGroupRef(static_cast<int>(i), tag::NoPartyIDs);
    const auto& role_text = field(group, tag::PartyRole);
    const auto role = parseInt(role_text);
    if (!role) {
      return std::unexpected(
          refuse(RejectCode::UnsupportedValue,
                 fmt::format("PartyRole (452) '{}' in party {} is not a number", role_text, i)));
    }
    core::PartyRef* slot = partySlot(parties, *role);
    if (slot == nullptr) continue;  // other roles are accepted and not used
    if (!slot->empty()) {
      return std::unexpected(refuse(RejectCode::UnsupportedValue,
                                    fmt::format("PartyRole (452) {} appears twice in NoPartyIDs", *role)));
    }
    slot->id = field(group, tag::PartyID);
    const auto& source = field(group, tag::PartyIDSource);
    if (source.size() > 1) {
      return std::unexpected(
          refuse(RejectCode::UnsupportedValue,
                 fmt::format("PartyIDSource (447) '{}' must be one character, e.g. P for a "
                             "short code",
                             source)));
    }
    slot->source = source.empty() ? 0 : source[0];
    const auto& qualifier_text = field(group, tag::PartyRoleQualifier);
    if (!qualifier_text.empty()) {
      const auto qualifier = parseInt(qualifier_text);
      if (!qualifier || (*qualifier != 22 && *qualifier != 23 && *qualifier != 24)) {
        return std::unexpected(refuse(RejectCode::UnsupportedValue,
                                      fmt::format("PartyRoleQualifier (2376) '{}' is not supported; use 22 "
                                                  "algorithm, 23 firm or legal entity or 24 natural person",
                                                  qualifier_text)));
      }
      slot->qualifier = *qualifier;
    }
  }
  return parties;
}

std::optional<core::Price> optionalPrice(const FIX::Message& m, int tag_number, const char* name,
                                         const Refuser& refuse, std::optional<InboundRefusal>& error) {
  const auto& text = field(m, tag_number);
  if (text.empty()) return std::nullopt;
  auto price = core::parsePrice(text);
  if (!price) {
    error = refuse(
        RejectCode::InvalidPrice,
        fmt::format("{} ({}) '{}' is not a decimal price with at most 8 places", name, tag_number, text));
  }
  return price;
}

// Terms common to NewOrderSingle and OrderCancelReplaceRequest.
Result<core::OrderTerms> readTerms(const FIX::Message& m, FixVersion version, const Refuser& refuse) {
  core::OrderTerms t;
  auto symbol = required(m, tag::Symbol, "Symbol", refuse);
  if (!symbol) return std::unexpected(symbol.error());
  t.symbol = *symbol;
  t.account = field(m, tag::Account);
  t.security_id = field(m, tag::SecurityID);
  t.security_id_source = charField(m, tag::SecurityIDSource);
  t.security_exchange = field(m, tag::SecurityExchange);
  t.ex_destination = field(m, tag::ExDestination);
  t.currency = field(m, tag::Currency);

  const char side_code = charField(m, tag::Side);
  const auto side = sideFromFix(side_code);
  if (!side) {
    return std::unexpected(
        refuse(RejectCode::UnsupportedValue,
               fmt::format("Side (54) '{}' is not supported; use 1 buy, 2 sell or 5 sell short",
                           field(m, tag::Side))));
  }
  t.side = *side;

  const auto ord_type = ordTypeFromFix(charField(m, tag::OrdType));
  if (!ord_type) {
    return std::unexpected(
        refuse(RejectCode::UnsupportedValue,
               fmt::format("OrdType (40) '{}' is not supported; use 1 market, 2 limit, 3 stop "
                           "or 4 stop limit",
                           field(m, tag::OrdType))));
  }
  t.ord_type = *ord_type;

  if (m.isSetField(tag::TimeInForce)) {
    const auto tif = timeInForceFromFix(charField(m, tag::TimeInForce));
    if (!tif) {
      return std::unexpected(
          refuse(RejectCode::UnsupportedValue,
                 fmt::format("TimeInForce (59) '{}' is not supported; use 0 day, 1 GTC, 3 IOC, "
                             "4 FOK or 6 GTD",
                             field(m, tag::TimeInForce))));
    }
    t.time_in_force = *tif;
  }
  t.expire = m.isSetField(tag::ExpireTime) ? field(m, tag::ExpireTime) : field(m, tag::ExpireDate);

  const auto& qty_text = field(m, tag::OrderQty);
  const auto qty = core::parseQty(qty_text);
  if (!qty) {
    return std::unexpected(refuse(
        RejectCode::InvalidQuantity,
        qty_text.empty() ? std::string("OrderQty (38) is missing")
                         : fmt::format("OrderQty (38) '{}' is not a whole number of units", qty_text)));
  }
  t.quantity = *qty;

  std::optional<InboundRefusal> error;
  t.price = optionalPrice(m, tag::Price, "Price", refuse, error);
  if (!error) t.stop_price = optionalPrice(m, tag::StopPx, "StopPx", refuse, error);
  if (error) return std::unexpected(std::move(*error));

  // FIX 4.2 carries trading capacity in Rule80A (47); 4.4 and 5.0 in OrderCapacity (528).
  t.capacity =
      capacityFromFix(charField(m, version == FixVersion::Fix42 ? tag::Rule80A : tag::OrderCapacity));

  auto parties = readParties(m, refuse);
  if (!parties) return std::unexpected(parties.error());
  t.parties = std::move(*parties);
  return t;
}

std::string messageName(const std::string& msg_type) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"E", "NewOrderList"},        {"R", "QuoteRequest"},
      {"V", "MarketDataRequest"},   {"c", "SecurityDefinitionRequest"},
      {"x", "SecurityListRequest"}, {"s", "NewOrderCross"},
      {"AB", "NewOrderMultileg"},   {"8", "ExecutionReport"},
      {"9", "OrderCancelReject"},   {"r", "OrderMassCancelReport"}};
  for (const auto& [type, label] : kNames) {
    if (msg_type == type) return label;
  }
  return "this message type";
}

// PossDupFlag (43) = Y: the client resends the request (the core answers one it already has); absent when N.
std::optional<bool> resent(const FIX::Message& message) {
  if (fieldOrEmpty(message.getHeader(), tag::PossDupFlag) == "Y") return true;
  return std::nullopt;
}

}  // namespace

std::expected<core::EventBody, InboundRefusal> normalize(const FIX::Message& message, FixVersion version,
                                                         core::SessionId session, core::Timestamp now) {
  const std::string& msg_type = message.getHeader().getField(tag::MsgType);
  const Refuser refuse{message, msg_type, session, now};

  if (msg_type == "D") {
    auto cl_ord_id = required(message, tag::ClOrdID, "ClOrdID", refuse);
    if (!cl_ord_id) return std::unexpected(cl_ord_id.error());
    auto terms = readTerms(message, version, refuse);
    if (!terms) return std::unexpected(terms.error());
    return core::NewOrder{session, std::move(*cl_ord_id), std::move(*terms), resent(message)};
  }
  if (msg_type == "F" || msg_type == "G") {
    auto cl_ord_id = required(message, tag::ClOrdID, "ClOrdID", refuse);
    if (!cl_ord_id) return std::unexpected(cl_ord_id.error());
    auto orig = required(message, tag::OrigClOrdID, "OrigClOrdID", refuse);
    if (!orig) return std::unexpected(orig.error());
    if (msg_type == "G") {
      auto terms = readTerms(message, version, refuse);
      if (!terms) return std::unexpected(terms.error());
      return core::ReplaceOrder{session, std::move(*cl_ord_id), std::move(*orig), std::move(*terms),
                                resent(message)};
    }
    const auto side = sideFromFix(charField(message, tag::Side));
    return core::CancelOrder{session,
                             std::move(*cl_ord_id),
                             std::move(*orig),
                             field(message, tag::Symbol),
                             side.value_or(core::Side::Buy),
                             resent(message)};
  }
  if (msg_type == "H") {
    auto cl_ord_id = required(message, tag::ClOrdID, "ClOrdID", refuse);
    if (!cl_ord_id) return std::unexpected(cl_ord_id.error());
    const auto side = sideFromFix(charField(message, tag::Side));
    return core::StatusRequest{session, std::move(*cl_ord_id), field(message, tag::OrderID),
                               field(message, tag::Symbol), side.value_or(core::Side::Buy)};
  }
  if (msg_type == "q") {
    auto cl_ord_id = required(message, tag::ClOrdID, "ClOrdID", refuse);
    if (!cl_ord_id) return std::unexpected(cl_ord_id.error());
    core::MassCancel cmd{session, std::move(*cl_ord_id), core::MassCancelScope::Unsupported,
                         charField(message, tag::MassCancelRequestType), field(message, tag::Symbol)};
    if (cmd.raw_scope == '7') cmd.scope = core::MassCancelScope::AllOrders;
    if (cmd.raw_scope == '1') {
      if (cmd.symbol.empty()) {
        return std::unexpected(
            refuse(RejectCode::UnsupportedValue, "MassCancelRequestType 1 (by security) needs Symbol (55)"));
      }
      cmd.scope = core::MassCancelScope::BySymbol;
    }
    return cmd;
  }

  BusinessReject bmr;
  bmr.session = session;
  bmr.ref_msg_type = msg_type;
  const auto& seq = fieldOrEmpty(message.getHeader(), 34);
  bmr.ref_seq_num = parseInt(seq).value_or(0);
  bmr.text = fmt::format(
      "MsgType {} ({}) is not supported by fixgate; supported: NewOrderSingle (D), OrderCancelRequest (F), "
      "OrderCancelReplaceRequest (G), OrderStatusRequest (H), OrderMassCancelRequest (q)",
      msg_type, messageName(msg_type));
  return std::unexpected(std::move(bmr));
}

}  // namespace fixgate::fix
