// Which venue an order goes to. Cancels and replaces never come here: they follow the original order.
#pragma once

#include <expected>
#include <vector>

#include "core/events.h"
#include "core/reference_data.h"
#include "core/reject.h"

namespace fixgate::core {

// ExDestination (100) wins; then the first matching rule; then the default venue.
std::expected<VenueId, Reject> chooseVenue(const ReferenceData& refdata, const OrderTerms& terms);

// The refusal of an order whose venue is not connected (and does not hold orders while it is down).
Reject venueDisconnected(const ReferenceData& refdata, VenueId venue);

// chooseVenue, and the venue must be up.
std::expected<VenueId, Reject> routeOrder(const ReferenceData& refdata, const std::vector<bool>& venue_up,
                                          const OrderTerms& terms);

}  // namespace fixgate::core
