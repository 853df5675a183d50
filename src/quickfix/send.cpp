#include "quickfix/send.h"

#include <fcntl.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "quickfix/peer_address.h"

namespace fixgate::quickfix {

SendResult sendOrDisconnect(FIX::Session& session, FIX::Message& message,
                            std::chrono::milliseconds write_timeout, int socket) {
  const bool was_logged_on = session.isLoggedOn();
  const auto started = std::chrono::steady_clock::now();
  const bool sent = session.send(message);
  // A send that lasted the whole timeout either hit it (the write failed) or went through in its last
  // moments: either way the peer kept it waiting that long. The time also counts the wait for the session's
  // lock, which QuickFIX holds while it answers a ResendRequest; a full send buffer afterwards tells a peer
  // that stopped reading from that wait. The margin covers the clock read after the write returns.
  const bool timed_out = std::chrono::steady_clock::now() - started >= write_timeout - kWriteTimeoutMargin &&
                         !sendBufferHasRoom(socket);
  if (timed_out) {
    session.disconnect();
    return SendResult::PeerNotReading;
  }
  if (sent) return SendResult::Sent;
  if (!was_logged_on || !session.isLoggedOn()) return SendResult::NotLoggedOn;
  // Refused while logged on, before anything was written (the store failed): the peer may have missed a
  // sequence number, so the connection is dropped and the next logon resynchronises.
  session.disconnect();
  return SendResult::Refused;
}

bool sendBufferHasRoom(int socket) {
  if (socket < 0) return false;
  std::array<std::uint32_t, SK_MEMINFO_VARS> info{};
  socklen_t length = sizeof info;
  if (getsockopt(socket, SOL_SOCKET, SO_MEMINFO, info.data(), &length) != 0 ||
      length < sizeof(std::uint32_t) * (SK_MEMINFO_WMEM_QUEUED + 1))
    return false;
  // TCP accepts a write while what it has queued is below the buffer (sk_stream_memory_free).
  return std::uint64_t{info[SK_MEMINFO_WMEM_QUEUED]} + kSendHeadroomBytes <= info[SK_MEMINFO_SNDBUF];
}

WholeWriteResponder::~WholeWriteResponder() {
  closeRetired();
}

void WholeWriteResponder::wrap(FIX::Responder* connection, int socket) {
  // The previous connection's reader has ended: QuickFIX starts a session's next connection only after it.
  closeRetired();
  struct stat identity {};
  socket_inode_.store(::fstat(socket, &identity) == 0 ? identity.st_ino : 0);
  connection_.store(connection);
  socket_.store(socket);
}

bool WholeWriteResponder::send(const std::string& message) {
  const int socket = socket_.load();
  std::size_t written = 0;
  while (written < message.size()) {
    const ssize_t n = ::send(socket, message.data() + written, message.size() - written, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;  // EAGAIN: SO_SNDTIMEO passed with nothing written; the caller sees the time it took
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

void WholeWriteResponder::disconnect() {
  FIX::Responder* connection = connection_.exchange(nullptr);
  if (connection == nullptr) return;
  if (socket_inode_.load() == 0) return connection->disconnect();  // unknown socket (cannot happen): its way
  markDisconnecting(*connection);
  // QuickFIX's stop may have closed the socket already (a session not logged on gets no grace) and the
  // number may name another file by now: act on a duplicate, and only if it is still the wrapped socket.
  const int socket = socket_.load();
  const int copy = ::fcntl(socket, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return;  // closed: the reader's select fails and it ends
  struct stat identity {};
  if (::fstat(copy, &identity) == 0 && identity.st_ino == socket_inode_.load()) {
    ::shutdown(copy, SHUT_RDWR);
    retired_inode_.store(identity.st_ino);
    retired_socket_.store(socket);
  }
  ::close(copy);
}

void WholeWriteResponder::closeRetired() {
  const int socket = retired_socket_.exchange(-1);
  if (socket < 0) return;
  struct stat identity {};
  if (::fstat(socket, &identity) == 0 && S_ISSOCK(identity.st_mode) &&
      identity.st_ino == retired_inode_.load())
    ::close(socket);
}

}  // namespace fixgate::quickfix
