#include "quickfix/send.h"

#include <linux/sock_diag.h>
#include <sys/socket.h>

#include <array>

namespace fixgate::quickfix {

SendResult sendOrDisconnect(FIX::Session& session, FIX::Message& message) {
  const bool was_logged_on = session.isLoggedOn();
  if (session.send(message)) return SendResult::Sent;
  if (!was_logged_on || !session.isLoggedOn()) return SendResult::NotLoggedOn;
  session.disconnect();
  return SendResult::PeerNotReading;
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

}  // namespace fixgate::quickfix
