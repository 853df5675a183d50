// The FIX application versions fixgate speaks with clients.
#pragma once

#include <optional>
#include <string_view>

namespace fixgate::fix {

enum class FixVersion { Fix42, Fix44, Fix50Sp2 };

// From a session's BeginString: FIX.4.2, FIX.4.4, or FIXT.1.1 (whose application version is FIX 5.0SP2).
std::optional<FixVersion> versionFromBeginString(std::string_view begin_string);
std::string_view name(FixVersion v);

}  // namespace fixgate::fix
