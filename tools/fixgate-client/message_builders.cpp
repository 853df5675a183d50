#include "message_builders.h"

namespace fixgate::client {
namespace {

// Header for an application message. FIX 5.0SP2 travels over FIXT.1.1 and names its application version
// in ApplVerID (1128), as QuickFIX's own FIX50SP2::Message does.
FIX::Message makeMessage(FixVersion version, const char* msg_type) {
  FIX::Message message;
  message.getHeader().setField(FIX::BeginString(beginString(version)));
  message.getHeader().setField(FIX::MsgType(msg_type));
  if (version == FixVersion::Fix50Sp2) message.getHeader().setField(FIX::ApplVerID("9"));
  return message;
}

void setIfNotEmpty(FIX::Message& message, int tag, const std::string& value) {
  if (!value.empty()) message.setField(tag, value);
}

void setIfPresent(FIX::Message& message, int tag, const std::optional<std::string>& value) {
  if (value) message.setField(tag, *value);
}

void setChar(FIX::Message& message, int tag, char value) {
  message.setField(tag, std::string(1, value));
}

void setTransactTimeNow(FIX::Message& message) {
  message.setField(FIX::FIELD::TransactTime, FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3));
}

// FIX 4.2 order messages require HandlInst (21); later versions made it optional, so only 4.2 gets it.
void setHandlInstFor42(FixVersion version, FIX::Message& message) {
  if (version == FixVersion::Fix42) setChar(message, FIX::FIELD::HandlInst, '1');
}

void addParties(FIX::Message& message, const std::vector<Party>& parties) {
  for (const Party& party : parties) {
    FIX::Group group(FIX::FIELD::NoPartyIDs, FIX::FIELD::PartyID);
    group.setField(FIX::FIELD::PartyID, party.id);
    group.setField(FIX::FIELD::PartyIDSource, std::string(1, party.id_source));
    group.setField(FIX::FIELD::PartyRole, std::to_string(party.role));
    if (party.role_qualifier) group.setField(2376, std::to_string(*party.role_qualifier));
    message.addGroup(group);
  }
}

}  // namespace

Party clientIdParty(std::string id) {
  return Party{std::move(id), 'D', 3, std::nullopt};
}
Party investmentDecisionParty(std::string id) {
  return Party{std::move(id), 'D', 122, 24};
}
Party executionWithinFirmParty(std::string id) {
  return Party{std::move(id), 'D', 12, 22};
}

NewOrderParams limitOrder(std::string cl_ord_id, std::string symbol, char side, std::string qty,
                          std::string price) {
  NewOrderParams params;
  params.cl_ord_id = std::move(cl_ord_id);
  params.symbol = std::move(symbol);
  params.side = side;
  params.ord_type = '2';
  params.qty = std::move(qty);
  params.price = std::move(price);
  return params;
}

ReplaceParams limitReplace(std::string cl_ord_id, std::string orig_cl_ord_id, std::string symbol, char side,
                           std::string qty, std::string price) {
  ReplaceParams params;
  params.cl_ord_id = std::move(cl_ord_id);
  params.orig_cl_ord_id = std::move(orig_cl_ord_id);
  params.symbol = std::move(symbol);
  params.side = side;
  params.ord_type = '2';
  params.qty = std::move(qty);
  params.price = std::move(price);
  return params;
}

FIX::Message newOrderSingle(FixVersion version, const NewOrderParams& params) {
  FIX::Message message = makeMessage(version, "D");
  message.setField(FIX::FIELD::ClOrdID, params.cl_ord_id);
  message.setField(FIX::FIELD::Symbol, params.symbol);
  setChar(message, FIX::FIELD::Side, params.side);
  setChar(message, FIX::FIELD::OrdType, params.ord_type);
  message.setField(FIX::FIELD::OrderQty, params.qty);
  setIfPresent(message, FIX::FIELD::Price, params.price);
  setIfPresent(message, FIX::FIELD::StopPx, params.stop_px);
  if (params.time_in_force) setChar(message, FIX::FIELD::TimeInForce, *params.time_in_force);
  setIfNotEmpty(message, FIX::FIELD::Account, params.account);
  setIfNotEmpty(message, FIX::FIELD::SecurityExchange, params.security_exchange);
  setIfNotEmpty(message, FIX::FIELD::ExDestination, params.ex_destination);
  setHandlInstFor42(version, message);
  setTransactTimeNow(message);
  addParties(message, params.parties);
  return message;
}

FIX::Message cancel(FixVersion version, const CancelParams& params) {
  FIX::Message message = makeMessage(version, "F");
  message.setField(FIX::FIELD::ClOrdID, params.cl_ord_id);
  message.setField(FIX::FIELD::OrigClOrdID, params.orig_cl_ord_id);
  message.setField(FIX::FIELD::Symbol, params.symbol);
  setChar(message, FIX::FIELD::Side, params.side);
  message.setField(FIX::FIELD::OrderQty, params.qty);
  setTransactTimeNow(message);
  return message;
}

FIX::Message replace(FixVersion version, const ReplaceParams& params) {
  FIX::Message message = makeMessage(version, "G");
  message.setField(FIX::FIELD::ClOrdID, params.cl_ord_id);
  message.setField(FIX::FIELD::OrigClOrdID, params.orig_cl_ord_id);
  message.setField(FIX::FIELD::Symbol, params.symbol);
  setChar(message, FIX::FIELD::Side, params.side);
  setChar(message, FIX::FIELD::OrdType, params.ord_type);
  message.setField(FIX::FIELD::OrderQty, params.qty);
  setIfPresent(message, FIX::FIELD::Price, params.price);
  setIfPresent(message, FIX::FIELD::StopPx, params.stop_px);
  if (params.time_in_force) setChar(message, FIX::FIELD::TimeInForce, *params.time_in_force);
  setIfNotEmpty(message, FIX::FIELD::Account, params.account);
  setHandlInstFor42(version, message);
  setTransactTimeNow(message);
  return message;
}

FIX::Message statusRequest(FixVersion version, const std::string& cl_ord_id, const std::string& symbol,
                           char side) {
  FIX::Message message = makeMessage(version, "H");
  message.setField(FIX::FIELD::ClOrdID, cl_ord_id);
  message.setField(FIX::FIELD::Symbol, symbol);
  setChar(message, FIX::FIELD::Side, side);
  return message;
}

FIX::Message massCancel(FixVersion version, const std::string& cl_ord_id, char mass_cancel_type,
                        const std::string& symbol) {
  FIX::Message message = makeMessage(version, "q");
  message.setField(FIX::FIELD::ClOrdID, cl_ord_id);
  setChar(message, FIX::FIELD::MassCancelRequestType, mass_cancel_type);
  setIfNotEmpty(message, FIX::FIELD::Symbol, symbol);
  setTransactTimeNow(message);
  return message;
}

FIX::Message quoteRequest(FixVersion version, const std::string& quote_req_id, const std::string& symbol) {
  FIX::Message message = makeMessage(version, "R");
  message.setField(FIX::FIELD::QuoteReqID, quote_req_id);
  FIX::Group related(FIX::FIELD::NoRelatedSym, FIX::FIELD::Symbol);
  related.setField(FIX::FIELD::Symbol, symbol);
  message.addGroup(related);
  return message;
}

}  // namespace fixgate::client
