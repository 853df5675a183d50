// Builders for the order messages a client sends, one per FIX version. Quantities and prices are strings
// so tests can send what a well-behaved client never would ("0", "-5", "NaN").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fix_version.h"
#include "quickfix/quickfix.h"

namespace fixgate::client {

// One entry of the Parties group (NoPartyIDs 453).
struct Party {
  std::string id;        // PartyID 448
  char id_source = 'D';  // PartyIDSource 447: 'D' proprietary code, valid in every version with Parties
  int role = 0;          // PartyRole 452
  std::optional<int> role_qualifier;  // PartyRoleQualifier 2376
};

// The three parties MiFID II asks a buy-side client to identify on an order.
[[nodiscard]] Party clientIdParty(std::string id);             // role 3
[[nodiscard]] Party investmentDecisionParty(std::string id);   // role 122, qualifier 24 (natural person)
[[nodiscard]] Party executionWithinFirmParty(std::string id);  // role 12, qualifier 22 (algorithm)

struct NewOrderParams {
  std::string cl_ord_id;
  std::string symbol;
  char side = '1';                     // Side 54: 1 buy, 2 sell
  char ord_type = '2';                 // OrdType 40: 1 market, 2 limit, 3 stop, 4 stop limit
  std::string qty;                     // OrderQty 38, sent exactly as given
  std::optional<std::string> price;    // Price 44
  std::optional<std::string> stop_px;  // StopPx 99
  std::optional<char> time_in_force;   // TimeInForce 59
  std::string account;                 // Account 1, omitted when empty
  std::string security_exchange;       // SecurityExchange 207, omitted when empty
  std::string ex_destination;          // ExDestination 100, omitted when empty
  std::vector<Party> parties;
};

struct CancelParams {
  std::string cl_ord_id;
  std::string orig_cl_ord_id;
  std::string symbol;
  char side = '1';
  std::string qty;
};

struct ReplaceParams {
  std::string cl_ord_id;
  std::string orig_cl_ord_id;
  std::string symbol;
  char side = '1';
  char ord_type = '2';
  std::string qty;
  std::optional<std::string> price;
  std::optional<std::string> stop_px;
  std::optional<char> time_in_force;
  std::string account;
};

// A plain limit order / limit-order replace; change the returned struct for anything more.
[[nodiscard]] NewOrderParams limitOrder(std::string cl_ord_id, std::string symbol, char side, std::string qty,
                                        std::string price);
[[nodiscard]] ReplaceParams limitReplace(std::string cl_ord_id, std::string orig_cl_ord_id,
                                         std::string symbol, char side, std::string qty, std::string price);

[[nodiscard]] FIX::Message newOrderSingle(FixVersion version, const NewOrderParams& params);
[[nodiscard]] FIX::Message cancel(FixVersion version, const CancelParams& params);
[[nodiscard]] FIX::Message replace(FixVersion version, const ReplaceParams& params);
[[nodiscard]] FIX::Message statusRequest(FixVersion version, const std::string& cl_ord_id,
                                         const std::string& symbol, char side);
// mass_cancel_type: MassCancelRequestType 530, '1' all orders for a symbol, '7' all orders.
[[nodiscard]] FIX::Message massCancel(FixVersion version, const std::string& cl_ord_id, char mass_cancel_type,
                                      const std::string& symbol = "");
// A message type the gateway does not handle, for exercising its BusinessMessageReject path.
[[nodiscard]] FIX::Message quoteRequest(FixVersion version, const std::string& quote_req_id,
                                        const std::string& symbol);

}  // namespace fixgate::client
