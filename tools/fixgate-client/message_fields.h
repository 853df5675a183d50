// Reading fields out of received messages without a data dictionary: the client parses with
// UseDataDictionary=N, so every field is a plain string and a missing one is an ordinary outcome.
#pragma once

#include <optional>
#include <string>

#include "quickfix/quickfix.h"

namespace fixgate::client {

// The value of `tag` from the body, else the header, else the trailer; nullopt when absent.
[[nodiscard]] std::optional<std::string> field(const FIX::Message& message, int tag);

// field() or "" - for comparisons where absent and empty mean the same.
[[nodiscard]] std::string fieldOr(const FIX::Message& message, int tag, std::string fallback = "");

// MsgType (35) from the header, "" when absent.
[[nodiscard]] std::string msgType(const FIX::Message& message);

// The message as one line with '|' for SOH, for logs and assertion messages.
[[nodiscard]] std::string toLine(const FIX::Message& message);

}  // namespace fixgate::client
