// The network address a client session's connection comes from, for the logon allowlist and lockout.
// QuickFIX 1.15.1 does not tell the application: the connection (its Responder) is a private member of
// FIX::Session. This is the one place that reaches it, read-only, on the connection's own thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "quickfix/quickfix.h"

namespace fixgate::quickfix {

// "127.0.0.1", "2001:db8::1"; "" when the session has no connection or its peer cannot be read. Call from
// QuickFIX's callbacks for that session (fromAdmin, onLogon), where its connection is alive.
[[nodiscard]] std::string peerAddress(const FIX::SessionID& id);

// The descriptor of the session's connection socket, or -1 when it has none. Same calling rule as above;
// the descriptor stays QuickFIX's (never close it).
[[nodiscard]] int sessionSocket(const FIX::SessionID& id);

class WholeWriteResponder;
// Routes the session's writes through `writer` (see send.h) when its connection is a plain socket; a TLS
// connection writes correctly and is left alone. Same calling rule as above (onLogon, the Logon's fromAdmin).
void wrapWrites(const FIX::SessionID& id, WholeWriteResponder& writer);

// Sets a plain connection's (FIX::ThreadedSocketConnection) disconnect flag, as its own disconnect does, but
// leaves its socket open: the reader ends without reporting a lost connection once the socket is shut down
// (WholeWriteResponder::disconnect). Does nothing to another type of responder.
void markDisconnecting(FIX::Responder& connection);

// Bounds how long a write to the session's connection may block (SO_SNDTIMEO): a peer that stops reading
// makes QuickFIX's send fail after `timeout` instead of blocking forever. Same calling rule as above. False
// when the session has no connection.
bool setSendTimeout(const FIX::SessionID& id, std::chrono::milliseconds timeout);

// The certificate the session's TLS client presented (the handshake verified it, against fix.tls.ca_file
// and, as QuickFIX 1.15.1 also loads them, the system's default CAs).
struct PeerCertificate {
  std::string common_name;  // subject CN; "" when it has none (or one with an embedded NUL)
  bool trusted = false;     // its chain also verifies against `trusted` alone (fix.tls.ca_file only)
};
// nullopt for a plaintext connection or a client without a (verified) certificate. Same calling rule as
// above.
[[nodiscard]] std::optional<PeerCertificate> peerCertificate(const FIX::SessionID& id, X509_STORE* trusted);

}  // namespace fixgate::quickfix
