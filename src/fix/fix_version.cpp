#include "fix/fix_version.h"

namespace fixgate::fix {

std::optional<FixVersion> versionFromBeginString(std::string_view begin_string) {
  if (begin_string == "FIX.4.2") return FixVersion::Fix42;
  if (begin_string == "FIX.4.4") return FixVersion::Fix44;
  if (begin_string == "FIXT.1.1") return FixVersion::Fix50Sp2;
  return std::nullopt;
}

std::string_view name(FixVersion v) {
  switch (v) {
    case FixVersion::Fix42:
      return "FIX.4.2";
    case FixVersion::Fix44:
      return "FIX.4.4";
    case FixVersion::Fix50Sp2:
      return "FIX.5.0SP2";
  }
  return "?";
}

}  // namespace fixgate::fix
