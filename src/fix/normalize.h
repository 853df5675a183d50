// Inbound translation: a client's FIX message, of any supported version, becomes one core command. What
// cannot be translated is answered right here with the reject the client's message type calls for.
#pragma once

#include <expected>
#include <string>
#include <variant>

#include "core/actions.h"
#include "core/events.h"
#include "fix/fix_version.h"
#include "quickfix/quickfix.h"

namespace fixgate::fix {

// BusinessMessageReject (35=j) for a well-formed message the gateway does not handle.
struct BusinessReject {
  core::SessionId session = 0;
  std::string ref_msg_type;
  int ref_seq_num = 0;
  std::string ref_id;
  int reason = 3;  // BusinessRejectReason 380: 3 unsupported message type
  std::string text;
};

using InboundRefusal = std::variant<core::Action, BusinessReject>;

std::expected<core::EventBody, InboundRefusal> normalize(const FIX::Message& message, FixVersion version,
                                                         core::SessionId session, core::Timestamp now);

}  // namespace fixgate::fix
