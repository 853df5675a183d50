#include "core/reference_data.h"

namespace fixgate::core {

const Instrument* ReferenceData::instrument(std::string_view symbol) const {
  const auto it = instruments.find(symbol);
  return it == instruments.end() ? nullptr : &it->second;
}

std::optional<VenueId> ReferenceData::venueByName(std::string_view name) const {
  for (std::size_t i = 0; i < venue_names.size(); ++i) {
    if (venue_names[i] == name) return static_cast<VenueId>(i);
  }
  return std::nullopt;
}

}  // namespace fixgate::core
