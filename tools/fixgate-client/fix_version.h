// The three FIX versions a fixgate client speaks, and what differs between them on the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fixgate::client {

enum class FixVersion { Fix42, Fix44, Fix50Sp2 };

// "FIX.4.2" | "FIX.4.4" | "FIXT.1.1" (FIXT sessions carry FIX 5.0SP2 application messages).
[[nodiscard]] std::optional<FixVersion> versionFromBeginString(std::string_view begin_string);
[[nodiscard]] std::string beginString(FixVersion version);

// Short label for test names and log lines: "FIX42", "FIX44", "FIX50SP2".
[[nodiscard]] std::string label(FixVersion version);

}  // namespace fixgate::client
