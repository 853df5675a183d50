// Small helpers for reading and writing FIX fields, shared by the client and venue translations.
#pragma once

#include <string>

#include "quickfix/quickfix.h"

namespace fixgate::fix {

// The field's value, or an empty string when it is not set (never throws FieldNotFound).
const std::string& fieldOrEmpty(const FIX::FieldMap& map, int tag);
// A one-character field's value, or 0 when it is absent or longer.
char charFieldOrZero(const FIX::FieldMap& map, int tag);
void setIfNotEmpty(FIX::Message& message, int tag, const std::string& value);
void setChar(FIX::Message& message, int tag, char value);
// An empty message of the given MsgType (35); QuickFIX's Session fills the rest of the header on send.
FIX::Message messageOfType(const char* msg_type);

}  // namespace fixgate::fix
