// TLS towards the gateway for the FIX client. QuickFIX 1.15.1's ThreadedSSLSocketInitiator (Debian) never
// performs the TLS handshake: it writes the Logon in cleartext, which a TLS acceptor refuses ("wrong version
// number") and which would expose the session on the wire. So the client's QuickFIX initiator connects in
// plaintext to this tunnel on 127.0.0.1, and the tunnel carries each connection to the gateway over TLS 1.2
// or 1.3 with OpenSSL, verifying the gateway's certificate against the CA file and the host name (or IP
// address) it connects to, and presenting the client certificate when one is configured.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client_settings.h"

namespace fixgate::client {

class TlsTunnel {
 public:
  // Listens on 127.0.0.1 (a port the kernel picks). An error names what could not be set up (a CA file or
  // certificate that does not load, a key that does not match its certificate, no socket).
  [[nodiscard]] static std::expected<std::unique_ptr<TlsTunnel>, std::string> start(
      std::string host, int port, const TlsClientConfig& tls);
  ~TlsTunnel();  // closes every connection and joins every thread
  TlsTunnel(const TlsTunnel&) = delete;
  TlsTunnel& operator=(const TlsTunnel&) = delete;

  [[nodiscard]] int localPort() const { return local_port_; }
  // Why the last connection to the gateway failed (connect, handshake, verification); "" when none did.
  [[nodiscard]] std::string lastError() const;

 private:
  struct Connection {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  TlsTunnel(std::string host, int port, SSL_CTX* ctx, int listen_fd, int local_port);
  void acceptLoop();
  void carry(int local_fd);  // one client connection, until either side closes or the tunnel stops
  void setError(std::string error);

  std::string host_;
  int port_;
  SSL_CTX* ctx_;
  int listen_fd_;
  int local_port_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::string last_error_;
  std::vector<Connection> connections_;  // guarded by mutex_
  std::thread acceptor_;
};

}  // namespace fixgate::client
