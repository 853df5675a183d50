#include "ops/stage_timing.h"

#include "clock/clock.h"

namespace fixgate::ops {

std::string_view toString(Stage stage) {
  switch (stage) {
    case Stage::InboundToDecided:
      return "inbound_to_decided";
    case Stage::DecidedToVenueSend:
      return "decided_to_venue_send";
    case Stage::InboundToVenueSend:
      return "inbound_to_venue_send";
    case Stage::VenueReportToClientSend:
      return "venue_report_to_client_send";
    case Stage::VenueSocketWrite:
      return "venue_socket_write";
    case Stage::InboundToVenueWrite:
      return "inbound_to_venue_write";
  }
  return "unknown";
}

InboundStamp& currentInbound() noexcept {
  thread_local InboundStamp stamp;
  return stamp;
}

InboundScope::InboundScope(Origin origin) noexcept {
  currentInbound() = InboundStamp{origin, clock::steadyNanos(), 0, false, 0};
}

InboundScope::~InboundScope() {
  currentInbound() = InboundStamp{};
}

void markWriteStarting() noexcept {
  auto& stamp = currentInbound();
  if (stamp.origin == Origin::Client && !stamp.venue_sent) stamp.write_started_ns = clock::steadyNanos();
}

void StageTimings::markDecided() noexcept {
  auto& stamp = currentInbound();
  if (stamp.origin == Origin::None || stamp.decided_ns != 0) return;
  stamp.decided_ns = clock::steadyNanos();
  if (stamp.origin == Origin::Client) record(Stage::InboundToDecided, stamp.decided_ns - stamp.arrived_ns);
}

void StageTimings::markVenueSent() noexcept {
  auto& stamp = currentInbound();
  if (stamp.origin != Origin::Client || stamp.decided_ns == 0 || stamp.venue_sent) return;
  stamp.venue_sent = true;
  const auto now = clock::steadyNanos();
  record(Stage::DecidedToVenueSend, now - stamp.decided_ns);
  record(Stage::InboundToVenueSend, now - stamp.arrived_ns);
  // The venue send is the last write this thread started (a client report written before it came earlier).
  if (stamp.write_started_ns >= stamp.decided_ns) {
    record(Stage::VenueSocketWrite, now - stamp.write_started_ns);
    record(Stage::InboundToVenueWrite, stamp.write_started_ns - stamp.arrived_ns);
  }
}

void StageTimings::markClientSent(const InboundStamp& stamp) noexcept {
  if (stamp.origin != Origin::Venue) return;
  record(Stage::VenueReportToClientSend, clock::steadyNanos() - stamp.arrived_ns);
}

}  // namespace fixgate::ops
