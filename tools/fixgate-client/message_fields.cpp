#include "message_fields.h"

#include <algorithm>

namespace fixgate::client {

std::optional<std::string> field(const FIX::Message& message, int tag) {
  if (message.isSetField(tag)) return message.getField(tag);
  if (message.getHeader().isSetField(tag)) return message.getHeader().getField(tag);
  if (message.getTrailer().isSetField(tag)) return message.getTrailer().getField(tag);
  return std::nullopt;
}

std::string fieldOr(const FIX::Message& message, int tag, std::string fallback) {
  return field(message, tag).value_or(std::move(fallback));
}

std::string msgType(const FIX::Message& message) {
  return fieldOr(message, FIX::FIELD::MsgType);
}

std::string toLine(const FIX::Message& message) {
  std::string text = message.toString();
  std::replace(text.begin(), text.end(), '\x01', '|');
  return text;
}

}  // namespace fixgate::client
