// How the venue treats what is left of an incoming order once the book has no more to give.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "book/types.h"

namespace fixgate::sim {

enum class FillModel : std::uint8_t {
  Rest,       // only real crossings fill; limit remainders rest
  Immediate,  // the venue takes the whole remainder at the limit (or reference) price
  Partial,    // the venue takes ratio of the remainder; the rest of a limit order rests
};

struct FillModelConfig {
  FillModel model = FillModel::Rest;
  double partialRatio = 0.5;  // in (0, 1]
};

[[nodiscard]] std::optional<FillModel> parseFillModel(std::string_view name);
[[nodiscard]] std::string_view toString(FillModel m);

// How much of `remainder` the venue fills itself: 0 for rest, all for immediate, floor(ratio * remainder) but
// at least 1 for partial.
[[nodiscard]] Qty venueFillQty(const FillModelConfig& cfg, Qty remainder);

}  // namespace fixgate::sim
