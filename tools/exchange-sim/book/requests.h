// What a client can ask the venue, already decoded from FIX and free of wire details.
#pragma once

#include <optional>
#include <string>

#include "book/types.h"

namespace fixgate::sim {

struct NewOrderRequest {
  std::string session;
  std::string clOrdId;
  std::string symbol;
  Side side = Side::Buy;
  OrdType type = OrdType::Limit;
  TimeInForce tif = TimeInForce::Day;
  std::optional<Price> price;
  Qty qty = 0;
};

struct CancelRequest {
  std::string session;
  std::string clOrdId;      // of this request; becomes the order's ClOrdID if the cancel succeeds
  std::string origClOrdId;  // the order's current ClOrdID
};

// Symbol, side and type are carried so a replace that tries to change them can be refused.
struct ReplaceRequest {
  std::string session;
  std::string clOrdId;
  std::string origClOrdId;
  std::string symbol;
  Side side = Side::Buy;
  OrdType type = OrdType::Limit;
  std::optional<Price> price;
  Qty qty = 0;
};

// Cancels the requesting session's live orders only; empty filters mean "all".
struct MassCancelRequest {
  std::string session;
  std::optional<std::string> symbol;
  std::optional<Side> side;
};

}  // namespace fixgate::sim
