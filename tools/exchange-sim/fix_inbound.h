// FIX 4.4 requests -> book requests. Only wire-level problems are caught here (unparseable or unsupported
// values); business rules (qty > 0, limit needs a price, halts, duplicates) are the book's.
#pragma once

#include <expected>
#include <optional>
#include <string>

#include "book/requests.h"
#include "quickfix/quickfix.h"

namespace fixgate::sim {

template <typename T>
using Decoded = std::expected<T, std::string>;  // error: the Text to reject with

[[nodiscard]] std::optional<std::string> fieldOf(const FIX::FieldMap& msg, int tag);

[[nodiscard]] Decoded<NewOrderRequest> decodeNewOrder(const FIX::Message& msg, const std::string& session);
[[nodiscard]] Decoded<CancelRequest> decodeCancel(const FIX::Message& msg, const std::string& session);
[[nodiscard]] Decoded<ReplaceRequest> decodeReplace(const FIX::Message& msg, const std::string& session);
// MassCancelRequestType 1 (by Symbol) and 7 (all orders) are supported, optionally narrowed by Side.
[[nodiscard]] Decoded<MassCancelRequest> decodeMassCancel(const FIX::Message& msg,
                                                          const std::string& session);

}  // namespace fixgate::sim
