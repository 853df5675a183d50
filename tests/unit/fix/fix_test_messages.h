// Helpers shared by the FIX translation tests: build QuickFIX messages field by field, the way a parsed
// inbound message looks to the application (MsgType and MsgSeqNum in the header, repeating groups as groups).
#pragma once

#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>

#include "fix/field_codes.h"
#include "fix/fix_version.h"
#include "quickfix/quickfix.h"

namespace fixgate::fix {

// Lets GoogleTest print a FixVersion parameter by name.
inline void PrintTo(FixVersion v, std::ostream* os) {
  *os << name(v);
}

}  // namespace fixgate::fix

namespace fixgate::fix::testing {

using Fields = std::initializer_list<std::pair<int, std::string>>;

inline FIX::Message makeMessage(const std::string& msg_type, Fields fields,
                                const std::string& begin_string = "", int seq_num = 0) {
  FIX::Message m;
  if (!begin_string.empty()) m.getHeader().setField(8, begin_string);
  m.getHeader().setField(tag::MsgType, msg_type);
  if (seq_num > 0) m.getHeader().setField(34, std::to_string(seq_num));
  for (const auto& [number, value] : fields) m.setField(number, value);
  return m;
}

struct PartyEntry {
  std::string id;
  std::string source;     // 447, empty for absent
  std::string role;       // 452
  std::string qualifier;  // 2376, empty for absent
};

inline void addParty(FIX::Message& m, const PartyEntry& p) {
  FIX::Group group(
      tag::NoPartyIDs, tag::PartyID,
      FIX::message_order(tag::PartyID, tag::PartyIDSource, tag::PartyRole, tag::PartyRoleQualifier, 0));
  group.setField(tag::PartyID, p.id);
  if (!p.source.empty()) group.setField(tag::PartyIDSource, p.source);
  group.setField(tag::PartyRole, p.role);
  if (!p.qualifier.empty()) group.setField(tag::PartyRoleQualifier, p.qualifier);
  m.addGroup(group);
}

// The value of a field, or "<absent>" so a missing field shows up readably in a failed expectation.
inline std::string get(const FIX::FieldMap& m, int number) {
  return m.isSetField(number) ? m.getField(number) : std::string("<absent>");
}

inline std::string headerField(const FIX::Message& m, int number) {
  return get(m.getHeader(), number);
}

}  // namespace fixgate::fix::testing
