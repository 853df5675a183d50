// Binary encoding of journal payloads: core events and actions, FIX messages, run markers. Compact and
// allocation-free when encoding into a reused buffer (the order path encodes every event and action).
// Layout: little-endian fixed-width integers, strings as u32 length + bytes, optionals as a u8 flag,
// variants as a u8 index; structs field by field in declaration order. Stored in the journal, so a change
// to an encoded struct is a format change: add a record type or a version rather than reorder fields.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/actions.h"
#include "core/events.h"
#include "core/limits.h"
#include "records/record_types.h"

namespace fixgate::records {

// Turns journaled limits YAML back into a snapshot during replay (config::loadLimitsText in the gateway).
using LimitsParser = std::function<std::expected<std::shared_ptr<const core::Limits>, std::string>(
    std::string_view content, std::string_view source)>;

// Append the encoding to `out` (cleared by the caller when it reuses the buffer).
void encodeEvent(const core::Event& event, std::string& out);
void encodeAction(const core::Action& action, std::string& out);
void encodeFixMessage(Direction direction, std::string_view session, std::string_view raw, std::string& out);
void encodeRunStarted(const RunStartedRecord& run, std::string& out);
void encodeSecurityEvent(const SecurityEventRecord& event, std::string& out);
void encodeOperatorCommand(const OperatorCommandRecord& command, std::string& out);

// Decoding fails with a message naming what was malformed (truncated payload, unknown variant index...).
// Without a parser an ApplyLimits event decodes to a snapshot holding only version, source and content
// (enough for the audit); with one, the content is parsed and must reproduce the journaled version.
std::expected<core::Event, std::string> decodeEvent(std::string_view bytes,
                                                    const LimitsParser& parse_limits = nullptr);
std::expected<core::Action, std::string> decodeAction(std::string_view bytes);
std::expected<FixMessageRecord, std::string> decodeFixMessage(std::string_view bytes);
std::expected<RunStartedRecord, std::string> decodeRunStarted(std::string_view bytes);
std::expected<SecurityEventRecord, std::string> decodeSecurityEvent(std::string_view bytes);
std::expected<OperatorCommandRecord, std::string> decodeOperatorCommand(std::string_view bytes);

}  // namespace fixgate::records
