#include "core/reference_data.h"

namespace fixgate::core {

const Instrument* ReferenceData::instrument(std::string_view symbol) const {
  const auto it = instruments.find(symbol);
  return it == instruments.end() ? nullptr : &it->second;
}

namespace {

// Position of `name` in a configuration-ordered name list: that position is the id.
template <typename Id>
std::optional<Id> indexOf(const std::vector<std::string>& names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Id>(i);
  }
  return std::nullopt;
}

}  // namespace

std::optional<VenueId> ReferenceData::venueByName(std::string_view name) const {
  return indexOf<VenueId>(venue_names, name);
}

std::optional<SessionId> ReferenceData::sessionByName(std::string_view name) const {
  return indexOf<SessionId>(session_names, name);
}

}  // namespace fixgate::core
