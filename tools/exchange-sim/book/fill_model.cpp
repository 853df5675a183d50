#include "book/fill_model.h"

#include <algorithm>
#include <cmath>

namespace fixgate::sim {

std::optional<FillModel> parseFillModel(std::string_view name) {
  if (name == "rest") return FillModel::Rest;
  if (name == "immediate") return FillModel::Immediate;
  if (name == "partial") return FillModel::Partial;
  return std::nullopt;
}

std::string_view toString(FillModel m) {
  switch (m) {
    case FillModel::Rest:
      return "rest";
    case FillModel::Immediate:
      return "immediate";
    case FillModel::Partial:
      return "partial";
  }
  return "?";
}

Qty venueFillQty(const FillModelConfig& cfg, Qty remainder) {
  if (remainder <= 0) return 0;
  switch (cfg.model) {
    case FillModel::Rest:
      return 0;
    case FillModel::Immediate:
      return remainder;
    case FillModel::Partial: {
      // long double keeps every int64 remainder exact enough that floor() cannot round up past it.
      auto share = static_cast<Qty>(std::floor(static_cast<long double>(cfg.partialRatio) * remainder));
      return std::clamp<Qty>(share, 1, remainder);
    }
  }
  return 0;
}

}  // namespace fixgate::sim
