#include "quickfix/peer_address.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <typeinfo>

namespace fixgate::quickfix {
namespace {

// Explicit instantiation may name private members ([temp.spec.general]/6): the standard way to read
// FIX::Session::m_pResponder without patching QuickFIX.
using ResponderMember = FIX::Responder* FIX::Session::*;
struct ResponderTag {
  friend ResponderMember responderMember(ResponderTag);
};
template <ResponderMember Member>
struct ExposeResponder {
  friend ResponderMember responderMember(ResponderTag) { return Member; }
};
template struct ExposeResponder<&FIX::Session::m_pResponder>;

int socketOf(FIX::Responder* responder) {
  // Both connection types inherit Responder privately; the C-style cast is the static_cast that access
  // forbids, on the exact dynamic type checked first.
  if (typeid(*responder) == typeid(FIX::ThreadedSocketConnection))
    return ((FIX::ThreadedSocketConnection*)responder)->getSocket();  // NOLINT(google-readability-casting)
  if (typeid(*responder) == typeid(FIX::ThreadedSSLSocketConnection))
    return ((FIX::ThreadedSSLSocketConnection*)responder)->getSocket();  // NOLINT(google-readability-casting)
  return -1;
}

// The socket of the session's live connection, or -1.
int connectionSocket(const FIX::SessionID& id) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (session == nullptr) return -1;
  FIX::Responder* responder = session->*responderMember(ResponderTag{});
  if (responder == nullptr) return -1;
  return socketOf(responder);
}

}  // namespace

bool setSendTimeout(const FIX::SessionID& id, std::chrono::milliseconds timeout) {
  const int socket = connectionSocket(id);
  if (socket < 0) return false;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0;
}

std::string peerAddress(const FIX::SessionID& id) {
  const int socket = connectionSocket(id);
  if (socket < 0) return {};
  sockaddr_storage peer{};
  socklen_t size = sizeof peer;
  if (getpeername(socket, reinterpret_cast<sockaddr*>(&peer), &size) != 0) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (peer.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
    if (inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text) == nullptr) return {};
  } else if (peer.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&peer);
    if (inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text) == nullptr) return {};
  } else {
    return {};
  }
  return text;
}

}  // namespace fixgate::quickfix
