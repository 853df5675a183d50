// Who is on the other end of a Unix socket, as the kernel reports it (SO_PEERCRED): it cannot be forged by
// the client, unlike anything it could write on the socket.
#pragma once

#include <sys/types.h>

#include <optional>

namespace fixgate::admin {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

// nullopt when the kernel cannot tell (not a Unix socket).
std::optional<PeerCredentials> peerCredentials(int socket_fd);

// Only the gateway's own user and root may give operator commands. The socket file's mode 0600 says the
// same; this check also holds if someone loosens the file's mode or its directory's permissions.
inline bool peerAllowed(uid_t peer_uid, uid_t gateway_uid) {
  return peer_uid == gateway_uid || peer_uid == 0;
}

}  // namespace fixgate::admin
