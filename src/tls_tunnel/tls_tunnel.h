// TLS for FIX initiators. QuickFIX 1.15.1's ThreadedSSLSocketInitiator (Debian) never performs the TLS
// handshake: it writes the Logon in cleartext, which a TLS acceptor refuses ("wrong version number") and
// which would expose the session on the wire. So an initiator (the gateway's venue sessions, the FIX client)
// connects in plaintext to this tunnel on 127.0.0.1, and the tunnel carries each connection to the server
// over TLS 1.2 or 1.3 with OpenSSL, verifying the server's certificate against the CA file and the host name
// (or IP address) it connects to, and presenting a client certificate when one is configured. Only
// connections from this process are carried: the loopback port is not a way in for other local users.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fixgate::tls_tunnel {

struct TlsClientConfig {
  // The CA the server's certificate must chain to; its host name or IP address (host) must be in the
  // certificate's subjectAltName.
  std::filesystem::path ca_file;
  // Our certificate and key (PEM), for a server that asks for one (mutual TLS); both or neither.
  std::filesystem::path certificate_file;
  std::filesystem::path private_key_file;
  [[nodiscard]] bool enabled() const { return !ca_file.empty(); }
};

// How long connecting to the server and the TLS handshake may take, each.
inline constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

// How long the client's first bytes on a TLS 1.3 connection wait for the server's session tickets, the sign
// that the server has read the end of the handshake (see TlsTunnel::carry). A server that sent none on a
// connection is given the shorter wait from then on, until it sends one again.
struct TicketWait {
  std::chrono::milliseconds expected = kHandshakeTimeout;
  std::chrono::milliseconds ticketless = std::chrono::milliseconds(200);
};

class TlsTunnel {
 public:
  // Listens on 127.0.0.1 (a port the kernel picks). `peer` names the server in error texts ("the gateway",
  // "venue SIM-A"). An error names what could not be set up (a CA file or certificate that does not load, a
  // key that does not match its certificate, no socket).
  [[nodiscard]] static std::expected<std::unique_ptr<TlsTunnel>, std::string> start(
      std::string host, int port, const TlsClientConfig& tls, std::string peer, TicketWait ticket_wait = {});
  ~TlsTunnel();  // closes every connection and joins every thread
  TlsTunnel(const TlsTunnel&) = delete;
  TlsTunnel& operator=(const TlsTunnel&) = delete;

  [[nodiscard]] int localPort() const { return local_port_; }
  // Why the last connection to the server failed (connect, handshake, verification); "" when none did.
  [[nodiscard]] std::string lastError() const;
  // Called with each such error as it happens (from a tunnel thread), e.g. to log it.
  void onError(std::function<void(const std::string&)> handler);

 private:
  struct Connection {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  TlsTunnel(std::string host, int port, std::string peer, SSL_CTX* ctx, int listen_fd, int local_port,
            TicketWait ticket_wait);
  void acceptLoop();
  void carry(int local_fd);  // one local connection, until either side closes or the tunnel stops
  void setError(std::string error);

  std::string host_;
  int port_;
  std::string peer_;
  SSL_CTX* ctx_;
  int listen_fd_;
  int local_port_;
  TicketWait ticket_wait_;
  // Whether the server sent a session ticket on the last TLS 1.3 connection that waited for one.
  std::atomic<bool> server_sends_tickets_{true};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::string last_error_;
  std::function<void(const std::string&)> on_error_;  // guarded by mutex_
  std::vector<Connection> connections_;               // guarded by mutex_
  std::thread acceptor_;
};

// Whether the TCP connection `fd` (accepted on 127.0.0.1) was opened by a socket of this process.
[[nodiscard]] bool connectedFromThisProcess(int fd);

}  // namespace fixgate::tls_tunnel
