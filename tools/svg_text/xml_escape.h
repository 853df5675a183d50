// Text made safe inside an SVG (XML) element or attribute, for the tools that draw their own plots.
#pragma once

#include <string>
#include <string_view>

namespace fixgate::svg {

// & < > " ' escaped; control characters other than tab and newline, which XML 1.0 forbids, dropped.
[[nodiscard]] std::string xmlEscape(std::string_view text);

}  // namespace fixgate::svg
