#include "fix/message_access.h"

namespace fixgate::fix {
namespace {
const std::string kEmpty;
}  // namespace

const std::string& fieldOrEmpty(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : kEmpty;
}

char charFieldOrZero(const FIX::FieldMap& map, int tag) {
  const auto& value = fieldOrEmpty(map, tag);
  return value.size() == 1 ? value[0] : 0;
}

void setIfNotEmpty(FIX::Message& message, int tag, const std::string& value) {
  if (!value.empty()) message.setField(tag, value);
}

void setChar(FIX::Message& message, int tag, char value) {
  message.setField(tag, std::string(1, value));
}

FIX::Message messageOfType(const char* msg_type) {
  FIX::Message message;
  message.getHeader().setField(35, msg_type);
  return message;
}

}  // namespace fixgate::fix
