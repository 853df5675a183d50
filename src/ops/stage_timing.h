// Where each inbound message is on its way through the gateway, timed per stage on the steady clock:
//
//   inbound_to_decided           client message handed to the application -> the core has decided
//   decided_to_venue_send        the core has decided -> the venue message handed to the venue's socket
//   inbound_to_venue_send        the two above together: the gateway's order path
//   venue_socket_write           the last part of decided_to_venue_send: the venue message, serialised and
//                                journaled, handed to the socket's write -> the write returned (on loopback
//                                the kernel also delivers it to the venue's socket and wakes its reader)
//   inbound_to_venue_write       inbound_to_venue_send without that write: the gateway's own work on an
//                                order, up to the system call that sends it on
//   venue_report_to_client_send  venue report handed to the application -> the client report handed to the
//                                client's socket (on the same thread, or by the session's outbox thread
//                                when the report had to queue)
//
// QuickFIX delivers a message on its connection's thread, and the core runs on that same thread, so the
// message's arrival is stamped in a thread-local (beginInbound) and read back where each stage ends. A
// client report that queues carries the stamp to its session's outbox thread. Nothing here allocates or
// locks.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "ops/latency_histogram.h"

namespace fixgate::ops {

enum class Stage : std::uint8_t {
  InboundToDecided,
  DecidedToVenueSend,
  InboundToVenueSend,
  VenueReportToClientSend,
  VenueSocketWrite,
  InboundToVenueWrite,
};
inline constexpr std::size_t kStageCount = 6;
[[nodiscard]] std::string_view toString(Stage stage);  // "inbound_to_decided", ...

enum class Origin : std::uint8_t { None, Client, Venue };

// The message the current thread is handling.
struct InboundStamp {
  Origin origin = Origin::None;
  std::int64_t arrived_ns = 0;        // steady clock
  std::int64_t decided_ns = 0;        // 0 until the core has applied it
  bool venue_sent = false;            // its first venue message was timed (a mass cancel sends several)
  std::int64_t write_started_ns = 0;  // the latest message this thread handed to a socket's write
};

[[nodiscard]] InboundStamp& currentInbound() noexcept;

// The current thread is about to write a serialised FIX message to a socket (QuickFIX's outgoing log
// callback, called just before the write): starts venue_socket_write when it turns out to be the venue send.
void markWriteStarting() noexcept;

// Stamps the arrival of a message on this thread; the stamp is cleared when the returned guard goes.
class InboundScope {
 public:
  explicit InboundScope(Origin origin) noexcept;
  ~InboundScope();
  InboundScope(const InboundScope&) = delete;
  InboundScope& operator=(const InboundScope&) = delete;
};

struct StageTimings {
  std::array<LatencyHistogram, kStageCount> stages;

  void record(Stage stage, std::int64_t nanoseconds) noexcept {
    stages[static_cast<std::size_t>(stage)].record(nanoseconds);
  }
  [[nodiscard]] const LatencyHistogram& of(Stage stage) const {
    return stages[static_cast<std::size_t>(stage)];
  }

  // The core applied the current thread's message: ends inbound_to_decided for a client message. Once per
  // message: follow-up events (a refused send) do not count again.
  void markDecided() noexcept;
  // The venue took a message caused by the current thread's client message.
  void markVenueSent() noexcept;
  // A client report caused by a message stamped `stamp` was handed to the client's socket.
  void markClientSent(const InboundStamp& stamp) noexcept;
};

}  // namespace fixgate::ops
