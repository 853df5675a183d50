// Business validation of order terms, shared by new orders and replaces.
#pragma once

#include <optional>

#include "core/events.h"
#include "core/reference_data.h"
#include "core/reject.h"

namespace fixgate::core {

// The first rule the terms break, or nullopt when they are acceptable.
std::optional<Reject> validateTerms(const OrderTerms& terms, const ReferenceData& refdata);

}  // namespace fixgate::core
