// What the gateway needs from an exchange connection, whatever its protocol. An adapter translates the core's
// venue actions into the venue's messages and the venue's answers into core events (keyed by the venue-side
// ClOrdID the core minted). Adding a venue protocol means adding an adapter, not touching the core.
#pragma once

#include <functional>
#include <string>

#include "core/actions.h"
#include "core/events.h"

namespace fixgate::venues {

using EventSink = std::function<void(core::Event&&)>;

class VenueAdapter {
 public:
  virtual ~VenueAdapter() = default;
  [[nodiscard]] virtual const std::string& name() const = 0;
  virtual void start() = 0;  // connects in the background; reports VenueUp/VenueDown through the sink
  virtual void stop() = 0;
  // False when the request could not be handed to the venue connection (it was not sent).
  virtual bool send(const core::VenueNewOrder& order) = 0;
  virtual bool send(const core::VenueCancel& cancel) = 0;
  virtual bool send(const core::VenueReplace& replace) = 0;
  virtual bool send(const core::VenueStatusQuery& query) = 0;
};

}  // namespace fixgate::venues
