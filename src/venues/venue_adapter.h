// What the gateway needs from an exchange connection, whatever its protocol. An adapter translates the core's
// venue actions into the venue's messages and the venue's answers into core events (keyed by the venue-side
// ClOrdID the core minted). Adding a venue protocol means adding an adapter, not touching the core.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <string_view>

#include "core/actions.h"
#include "core/events.h"

namespace fixgate::venues {

using EventSink = std::function<void(core::Event&&)>;

// Why a request was not handed to the venue connection. Either way it was not sent.
enum class SendFailure : std::uint8_t {
  NotLoggedOn,  // the venue session is down (or its logon has not completed)
  Refused,      // the FIX engine refused it while logged on (its store failed); the session was dropped
};

// What happened, for the log line that reports a request not sent.
[[nodiscard]] constexpr std::string_view describe(SendFailure failure) {
  switch (failure) {
    case SendFailure::NotLoggedOn:
      return "the venue session is not logged on";
    case SendFailure::Refused:
      return "the FIX engine refused it while logged on (its message store failed) and the venue session was "
             "disconnected; check the gateway's disk and its session store";
  }
  return "unknown reason";
}

using VenueSendResult = std::expected<void, SendFailure>;

class VenueAdapter {
 public:
  virtual ~VenueAdapter() = default;
  [[nodiscard]] virtual const std::string& name() const = 0;
  virtual void start() = 0;  // connects in the background; reports VenueUp/VenueDown through the sink
  virtual void stop() = 0;
  // An error when the request could not be handed to the venue connection (it was not sent), saying why.
  virtual VenueSendResult send(const core::VenueNewOrder& order) = 0;
  virtual VenueSendResult send(const core::VenueCancel& cancel) = 0;
  virtual VenueSendResult send(const core::VenueReplace& replace) = 0;
  virtual VenueSendResult send(const core::VenueStatusQuery& query) = 0;
  // An operator's reset of the venue session's sequence numbers: the next logon resets both sides, and a
  // session logged on now is logged out first. Returns what will happen, or why nothing will.
  [[nodiscard]] virtual std::expected<std::string, std::string> resetSequenceNumbers(
      std::string_view by, std::string_view why) = 0;
  // The venue's hold_while_disconnected_ms in force (the core decides; the adapter's logout log says it),
  // after a reload-settings changed it.
  virtual void holdWhileDisconnected(std::int64_t hold_us) = 0;
};

}  // namespace fixgate::venues
