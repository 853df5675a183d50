#include "admin/peer.h"

#include <sys/socket.h>

namespace fixgate::admin {

std::optional<PeerCredentials> peerCredentials(int socket_fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred))
    return std::nullopt;
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

}  // namespace fixgate::admin
