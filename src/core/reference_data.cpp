#include "core/reference_data.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

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

ApplySettings settingsOf(const ReferenceData& refdata) {
  ApplySettings settings;
  for (std::size_t v = 0; v < refdata.venue_names.size(); ++v) {
    settings.venues.push_back({refdata.venue_names[v], refdata.ackTimeouts(static_cast<VenueId>(v))});
  }
  for (std::size_t s = 0; s < refdata.session_names.size(); ++s) {
    settings.sessions.push_back(
        {refdata.session_names[s], refdata.cancelsOnDisconnect(static_cast<SessionId>(s))});
  }
  settings.final_order_retention_us = refdata.final_order_retention_us;
  for (const auto& [symbol, instrument] : refdata.instruments) settings.instruments.push_back(instrument);
  std::ranges::sort(settings.instruments, {}, &Instrument::symbol);  // one encoding for one set
  const auto venue_name = [&refdata](VenueId venue) {
    return venue < refdata.venue_names.size() ? refdata.venue_names[venue] : std::string();
  };
  for (const auto& rule : refdata.routing.rules) {
    settings.routes.push_back({rule.match, rule.value, venue_name(rule.venue)});
  }
  if (refdata.routing.default_venue) settings.default_venue = venue_name(*refdata.routing.default_venue);
  auto& pacing = settings.status_pacing.emplace();
  for (std::size_t v = 0; v < refdata.venue_names.size(); ++v) {
    pacing.push_back({refdata.venue_names[v], refdata.statusQueriesPerSecond(static_cast<VenueId>(v))});
  }
  return settings;
}

std::optional<std::string> indexMismatch(const ApplySettings& settings, const ReferenceData& refdata) {
  const auto compare = [](std::string_view kind, std::string_view file_key, std::size_t index,
                          std::string_view journaled,
                          const std::vector<std::string>& configured) -> std::optional<std::string> {
    if (index < configured.size() && configured[index] == journaled) return std::nullopt;
    const std::string now = index < configured.size() ? fmt::format("'{}'", configured[index]) : "none";
    return fmt::format(
        "the run that journaled this had {} '{}' at position {} of {} where the configuration now has {}. "
        "Journaled events name {}s by position, so the replay would give them to the wrong one. Put the {}s "
        "back in their order (new ones go at the end; one with journaled history stays listed, it may stay "
        "disconnected)",
        kind, journaled, index + 1, file_key, now, kind, kind);
  };
  for (std::size_t v = 0; v < settings.venues.size(); ++v) {
    if (auto problem = compare("venue", "venues", v, settings.venues[v].venue, refdata.venue_names)) {
      return problem;
    }
  }
  for (std::size_t c = 0; c < settings.sessions.size(); ++c) {
    if (auto problem =
            compare("session", "client_sessions", c, settings.sessions[c].session, refdata.session_names)) {
      return problem;
    }
  }
  return std::nullopt;
}

std::uint32_t statusQueriesPerSecond(const ApplySettings& settings, std::string_view venue) {
  if (!settings.status_pacing) return 0;  // journaled before pacing existed: that run sent them all at once
  const auto it = std::ranges::find(*settings.status_pacing, venue, &VenueStatusPacing::venue);
  return it == settings.status_pacing->end() ? 0 : it->queries_per_second;
}

std::vector<std::string> settingsChanges(const ApplySettings& before, const ApplySettings& after) {
  std::vector<std::string> lines;
  const auto changed = [&lines](std::string_view what, std::string_view key, const auto& from,
                                const auto& to) {
    if (from != to) lines.push_back(fmt::format("{}: {} {} -> {}", what, key, from, to));
  };
  changed("gateway", "final_order_retention_s", before.final_order_retention_us / 1'000'000,
          after.final_order_retention_us / 1'000'000);
  for (const auto& venue : after.venues) {
    const auto was = std::ranges::find(before.venues, venue.venue, &VenueSettings::venue);
    if (was == before.venues.end()) continue;
    const std::string what = "venue " + venue.venue;
    const auto& from = was->ack_timeouts;
    const auto& to = venue.ack_timeouts;
    changed(what, "ack_timeout_new_ms", from.new_order_us / 1000, to.new_order_us / 1000);
    changed(what, "ack_timeout_cancel_ms", from.cancel_us / 1000, to.cancel_us / 1000);
    changed(what, "ack_timeout_replace_ms", from.replace_us / 1000, to.replace_us / 1000);
    changed(what, "cancel_unacknowledged_new", from.cancel_unacknowledged_new, to.cancel_unacknowledged_new);
    changed(what, "replay_unreceived_new", from.replay_unreceived_new, to.replay_unreceived_new);
    changed(what, "hold_while_disconnected_ms", from.hold_while_disconnected_us / 1000,
            to.hold_while_disconnected_us / 1000);
    changed(what, "status_queries_per_second", statusQueriesPerSecond(before, venue.venue),
            statusQueriesPerSecond(after, venue.venue));
  }
  for (const auto& session : after.sessions) {
    const auto was = std::ranges::find(before.sessions, session.session, &SessionSettings::session);
    if (was == before.sessions.end()) continue;
    changed("client session " + session.session, "cancel_on_disconnect", was->cancel_on_disconnect,
            session.cancel_on_disconnect);
  }
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<std::string> edited;
  for (const auto& instrument : after.instruments) {
    const auto was = std::ranges::find(before.instruments, instrument.symbol, &Instrument::symbol);
    if (was == before.instruments.end()) {
      added.push_back(instrument.symbol);
    } else if (!(*was == instrument)) {
      edited.push_back(instrument.symbol);
    }
  }
  for (const auto& instrument : before.instruments) {
    if (std::ranges::find(after.instruments, instrument.symbol, &Instrument::symbol) ==
        after.instruments.end()) {
      removed.push_back(instrument.symbol);
    }
  }
  for (const auto& [verb, symbols] :
       {std::pair{"added", &added}, {"removed", &removed}, {"changed", &edited}}) {
    if (!symbols->empty())
      lines.push_back(fmt::format("instruments: {} {}", verb, fmt::join(*symbols, ", ")));
  }
  if (before.routes != after.routes || before.default_venue != after.default_venue) {
    lines.push_back(fmt::format("routing: {} rule(s), default venue {} (was {} rule(s), default venue {})",
                                after.routes.size(), after.default_venue.value_or("none"),
                                before.routes.size(), before.default_venue.value_or("none")));
  }
  return lines;
}

}  // namespace fixgate::core
