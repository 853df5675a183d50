#include "core/routing.h"

#include <fmt/format.h>

namespace fixgate::core {
namespace {

bool matches(const RoutingRule& rule, const OrderTerms& terms) {
  switch (rule.match) {
    case RouteMatch::Symbol:
      return rule.value == terms.symbol;
    case RouteMatch::SecurityExchange:
      return rule.value == terms.security_exchange;
    case RouteMatch::Account:
      return rule.value == terms.account;
  }
  return false;
}

}  // namespace

std::expected<VenueId, Reject> chooseVenue(const ReferenceData& refdata, const OrderTerms& terms) {
  std::optional<VenueId> chosen;
  if (!terms.ex_destination.empty()) {
    chosen = refdata.venueByName(terms.ex_destination);
    if (!chosen) {
      return std::unexpected(makeReject(
          RejectCode::UnknownVenue,
          fmt::format(
              "ExDestination '{}' is not a venue of this gateway; leave ExDestination empty or use one of "
              "the venues in your rules of engagement",
              terms.ex_destination)));
    }
  } else {
    for (const auto& rule : refdata.routing.rules) {
      if (matches(rule, terms)) {
        chosen = rule.venue;
        break;
      }
    }
    if (!chosen) chosen = refdata.routing.default_venue;
  }
  if (!chosen) {
    return std::unexpected(makeReject(
        RejectCode::NoRouteForOrder,
        fmt::format("no venue is configured for symbol '{}' account '{}'; contact the gateway operators",
                    terms.symbol, terms.account)));
  }
  if (*chosen >= refdata.venue_names.size()) {
    return std::unexpected(makeReject(
        RejectCode::UnknownVenue,
        fmt::format("routing names venue #{} which is not configured; contact the gateway operators",
                    *chosen)));
  }
  return *chosen;
}

Reject venueDisconnected(const ReferenceData& refdata, VenueId venue) {
  return makeReject(RejectCode::VenueDisconnected,
                    fmt::format("venue {} is not connected; the order was not sent, resend when it is back",
                                refdata.venue_names.at(venue)));
}

std::expected<VenueId, Reject> routeOrder(const ReferenceData& refdata, const std::vector<bool>& venue_up,
                                          const OrderTerms& terms) {
  auto chosen = chooseVenue(refdata, terms);
  if (chosen && (*chosen >= venue_up.size() || !venue_up[*chosen])) {
    return std::unexpected(venueDisconnected(refdata, *chosen));
  }
  return chosen;
}

}  // namespace fixgate::core
