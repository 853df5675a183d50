// Sending on a QuickFIX session whose socket writes are bounded (setSendTimeout): one rule for client and
// venue sessions alike.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "quickfix/quickfix.h"

namespace fixgate::quickfix {

enum class SendResult : std::uint8_t {
  Sent,
  // The session was not logged on and QuickFIX neither wrote nor stored the message (one it stores while
  // logged off, for resend at the next logon, counts as Sent).
  NotLoggedOn,
  // The write blocked for the socket's send timeout: the peer is not reading, and the connection was
  // dropped. Whether the message reached the peer is not known: all of it, part of it, or none.
  PeerNotReading,
  // QuickFIX refused the message while logged on (its store failed) and wrote nothing; the connection was
  // dropped.
  Refused,
};

// Sends `message` on a session whose socket writes time out after `write_timeout` (setSendTimeout; longer
// than kWriteTimeoutMargin). QuickFIX 1.15.1 does not report a write that timed out (Session::send still
// returns true), so a send that took the whole timeout and left the socket's send buffer full is taken as
// one: the peer has stopped reading. The stream may then hold half a message, so the connection is dropped;
// the peer recovers what it missed by resend, or the caller by reconciliation, when it logs on again.
// `socket` is the session's socket as read at logon on the connection's own thread (sessionSocket), -1 if
// unknown (a slow send then counts as timed out).
[[nodiscard]] SendResult sendOrDisconnect(FIX::Session& session, FIX::Message& message,
                                          std::chrono::milliseconds write_timeout, int socket);

// How much sooner than the send timeout a returning write still counts as having hit it.
inline constexpr std::chrono::milliseconds kWriteTimeoutMargin{50};

// What a write of one message may leave free in a socket's send buffer and still count as not blocking:
// far more than any report (under 4 KiB) with the kernel's per-buffer overhead.
inline constexpr std::uint32_t kSendHeadroomBytes = 16 * 1024;

// True when the kernel holds less than the socket's send buffer minus kSendHeadroomBytes (SO_MEMINFO), so a
// blocking write of one message returns at once. False when it does not, or when `socket` cannot be read.
[[nodiscard]] bool sendBufferHasRoom(int socket);

// QuickFIX 1.15.1's ThreadedSocketConnection::send passes the whole message length again after a partial
// write (a send buffer that fills under SO_SNDTIMEO): it reads past the end of the message and writes those
// bytes to the peer (AddressSanitizer: heap-buffer-overflow in send(2)). This responder writes what is left
// instead.
//
// It also disconnects differently. QuickFIX's disconnect closes the socket while the connection's reader
// thread is about to select() on it again; a descriptor opened meanwhile anywhere in the gateway (a journal
// segment, the admin socket, another session's connection) takes the number, and the reader then watches
// that file for ever: the session is never reconnected (a venue stayed down in CI this way). This one shuts
// the socket down instead, which wakes the reader and ends it, and keeps the number open until the reader
// has certainly let go: at the session's next connection (wrap) or when the responder is destroyed, after
// QuickFIX has stopped.
//
// Installed by wrapWrites (peer_address.h) on plain (non-TLS) sessions when their Logon is sent or
// received, and before a client session's first Logout or Reject (QuickFIX refuses some Logons before the
// application sees them), so that a refused Logon's disconnect goes through it too; one per session, reused
// across its connections.
class WholeWriteResponder final : public FIX::Responder {
 public:
  WholeWriteResponder() = default;
  WholeWriteResponder(const WholeWriteResponder&) = delete;
  WholeWriteResponder& operator=(const WholeWriteResponder&) = delete;
  ~WholeWriteResponder() override;

  // Takes the session's new connection; closes the previous connection's socket if it disconnected.
  void wrap(FIX::Responder* connection, int socket);
  // Writes until the whole message is out; false when a write fails or times out with nothing written.
  bool send(const std::string& message) override;
  // Ends the connection: its reader sees a disconnect it asked for, the peer sees the end of the stream.
  void disconnect() override;
  [[nodiscard]] int socket() const { return socket_.load(); }

 private:
  // Closes the socket a disconnect shut down, if its number still names that socket.
  void closeRetired();

  std::atomic<FIX::Responder*> connection_{nullptr};
  std::atomic<int> socket_{-1};
  std::atomic<unsigned long> socket_inode_{0};  // tells the wrapped socket from a later file of its number
  // Shut down by disconnect(), not yet closed, and its inode (QuickFIX's own stop closes the sockets of
  // readers still running, and the number may be reused before this closes it).
  std::atomic<int> retired_socket_{-1};
  std::atomic<unsigned long> retired_inode_{0};
};

}  // namespace fixgate::quickfix
