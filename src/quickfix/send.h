// Sending on a QuickFIX session whose socket writes are bounded (setSendTimeout): one rule for client and
// venue sessions alike.
#pragma once

#include <cstdint>

#include "quickfix/quickfix.h"

namespace fixgate::quickfix {

enum class SendResult : std::uint8_t {
  Sent,
  NotLoggedOn,     // QuickFIX kept the message in the session's store for resend at the next logon
  PeerNotReading,  // the write blocked past the send timeout: the connection was dropped
};

// Sends `message`. A send that fails while the session stays logged on means the peer stopped reading (the
// write timed out) or the write failed part-way; the stream may then hold half a message, so the
// connection is dropped and the peer recovers the rest by resend when it logs on again.
[[nodiscard]] SendResult sendOrDisconnect(FIX::Session& session, FIX::Message& message);

// What a write of one message may leave free in a socket's send buffer and still count as not blocking:
// far more than any report (under 4 KiB) with the kernel's per-buffer overhead.
inline constexpr std::uint32_t kSendHeadroomBytes = 16 * 1024;

// True when the kernel holds less than the socket's send buffer minus kSendHeadroomBytes (SO_MEMINFO), so a
// blocking write of one message returns at once. False when it does not, or when `socket` cannot be read.
[[nodiscard]] bool sendBufferHasRoom(int socket);

}  // namespace fixgate::quickfix
