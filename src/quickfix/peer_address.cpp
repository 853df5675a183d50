#include "quickfix/peer_address.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <memory>
#include <typeinfo>

#include "quickfix/send.h"
#include "security/network.h"

namespace fixgate::quickfix {
namespace {

// Explicit instantiation may name private members ([temp.spec.general]/6): the standard way to reach
// QuickFIX's private members without patching QuickFIX. Each tag names one member's pointer type and
// declares memberOf(tag), which the instantiation below defines to return that member.
template <typename Tag, typename Tag::Pointer Member>
struct ExposeMember {
  friend typename Tag::Pointer memberOf(Tag) { return Member; }
};

// FIX::Session::m_pResponder: the session's connection.
struct ResponderTag {
  using Pointer = FIX::Responder* FIX::Session::*;
  friend Pointer memberOf(ResponderTag);
};
template struct ExposeMember<ResponderTag, &FIX::Session::m_pResponder>;

// FIX::ThreadedSocketConnection::m_disconnect, which its reader checks when a read fails.
struct DisconnectFlagTag {
  using Pointer = bool FIX::ThreadedSocketConnection::*;
  friend Pointer memberOf(DisconnectFlagTag);
};
template struct ExposeMember<DisconnectFlagTag, &FIX::ThreadedSocketConnection::m_disconnect>;

int socketOf(FIX::Responder* responder) {
  // Both connection types inherit Responder privately; the C-style cast is the static_cast that access
  // forbids, on the exact dynamic type checked first.
  if (typeid(*responder) == typeid(FIX::ThreadedSocketConnection))
    return ((FIX::ThreadedSocketConnection*)responder)->getSocket();  // NOLINT(google-readability-casting)
  if (typeid(*responder) == typeid(WholeWriteResponder))
    return static_cast<WholeWriteResponder*>(responder)->socket();
  if (typeid(*responder) == typeid(FIX::ThreadedSSLSocketConnection))
    return ((FIX::ThreadedSSLSocketConnection*)responder)->getSocket();  // NOLINT(google-readability-casting)
  return -1;
}

// The responder (connection) of the session, or nullptr.
FIX::Responder* responderOf(const FIX::SessionID& id) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (session == nullptr) return nullptr;
  return session->*memberOf(ResponderTag{});
}

}  // namespace

int sessionSocket(const FIX::SessionID& id) {
  FIX::Responder* responder = responderOf(id);
  return responder == nullptr ? -1 : socketOf(responder);
}

std::optional<PeerCertificate> peerCertificate(const FIX::SessionID& id, X509_STORE* trusted) {
  FIX::Responder* responder = responderOf(id);
  if (responder == nullptr || typeid(*responder) != typeid(FIX::ThreadedSSLSocketConnection))
    return std::nullopt;
  SSL* ssl =
      ((FIX::ThreadedSSLSocketConnection*)responder)->sslObject();  // NOLINT(google-readability-casting)
  if (ssl == nullptr) return std::nullopt;
  const std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), &X509_free);
  // The acceptor asks with SSL_VERIFY_PEER, so a presented certificate that did not verify failed the
  // handshake; checked again here so that nothing is ever read from an unverified certificate.
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  PeerCertificate result;
  if (X509_NAME* subject = X509_get_subject_name(cert.get())) {
    const int length = X509_NAME_get_text_by_NID(subject, NID_commonName, nullptr, 0);
    if (length > 0) {
      std::string cn(static_cast<std::size_t>(length) + 1, '\0');
      if (X509_NAME_get_text_by_NID(subject, NID_commonName, cn.data(), length + 1) == length) {
        cn.resize(static_cast<std::size_t>(length));
        // A CN with an embedded NUL could compare equal to its prefix elsewhere: never report it.
        if (cn.find('\0') == std::string::npos) result.common_name = std::move(cn);
      }
    }
  }
  if (trusted != nullptr) {
    // The handshake also trusted the system's CAs; this checks the chain against `trusted` alone.
    const std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                              &X509_STORE_CTX_free);
    if (ctx && X509_STORE_CTX_init(ctx.get(), trusted, cert.get(), SSL_get_peer_cert_chain(ssl)) == 1) {
      X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
      result.trusted = X509_verify_cert(ctx.get()) == 1;
    }
  }
  return result;
}

void wrapWrites(const FIX::SessionID& id, WholeWriteResponder& writer) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (session == nullptr) return;
  FIX::Responder*& responder = session->*memberOf(ResponderTag{});
  if (responder == nullptr || typeid(*responder) != typeid(FIX::ThreadedSocketConnection)) return;
  writer.wrap(responder, socketOf(responder));
  // Assigned, not setResponder(): that may reset the session. The connection's destructor clears it.
  responder = &writer;
}

void markDisconnecting(FIX::Responder& connection) {
  if (typeid(connection) != typeid(FIX::ThreadedSocketConnection)) return;
  auto& plain = (FIX::ThreadedSocketConnection&)connection;  // NOLINT(google-readability-casting)
  plain.*memberOf(DisconnectFlagTag{}) = true;
}

bool setSendTimeout(const FIX::SessionID& id, std::chrono::milliseconds timeout) {
  const int socket = sessionSocket(id);
  if (socket < 0) return false;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0;
}

std::string peerAddress(const FIX::SessionID& id) {
  const int socket = sessionSocket(id);
  return socket < 0 ? std::string() : security::socketPeer(socket).address;
}

}  // namespace fixgate::quickfix
