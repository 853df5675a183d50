#include "fix_version.h"

namespace fixgate::client {

std::optional<FixVersion> versionFromBeginString(std::string_view begin_string) {
  if (begin_string == "FIX.4.2") return FixVersion::Fix42;
  if (begin_string == "FIX.4.4") return FixVersion::Fix44;
  if (begin_string == "FIXT.1.1") return FixVersion::Fix50Sp2;
  return std::nullopt;
}

std::string beginString(FixVersion version) {
  switch (version) {
    case FixVersion::Fix42:
      return "FIX.4.2";
    case FixVersion::Fix44:
      return "FIX.4.4";
    case FixVersion::Fix50Sp2:
      return "FIXT.1.1";
  }
  return "FIX.4.4";
}

std::string label(FixVersion version) {
  switch (version) {
    case FixVersion::Fix42:
      return "FIX42";
    case FixVersion::Fix44:
      return "FIX44";
    case FixVersion::Fix50Sp2:
      return "FIX50SP2";
  }
  return "FIX44";
}

}  // namespace fixgate::client
