#include "tls_tunnel/tls_tunnel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string_view>

namespace fixgate::tls_tunnel {
namespace {

// How often blocked loops look at the stop flag.
constexpr int kPollMs = 100;

std::string opensslError(std::string_view what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(what);
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return fmt::format("{}: {}", what, text.data());
}

bool isIpAddress(const std::string& host) {
  in6_addr v6{};
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

// A connected TCP socket to host:port, or -1.
int connectTo(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // Bounded connect and handshake: a peer that does not answer fails the attempt, and QuickFIX retries.
    timeval tv{static_cast<time_t>(kHandshakeTimeout.count()), 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd >= 0) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

// The inodes of the IPv4 TCP sockets in /proc/net/tcp whose local end is `local` and remote end `remote`,
// both in the table's notation (the address as the kernel's 32-bit word in hex, then the port in hex).
std::vector<unsigned long> socketInodes(const std::string& local, const std::string& remote) {
  std::vector<unsigned long> inodes;
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local_end, remote_end, state, queues, timer, retransmits, uid, timeout;
    unsigned long inode = 0;
    fields >> slot >> local_end >> remote_end >> state >> queues >> timer >> retransmits >> uid >> timeout >>
        inode;
    if (inode != 0 && local_end == local && remote_end == remote) inodes.push_back(inode);
  }
  return inodes;
}

std::string tableAddress(const sockaddr_in& address) {
  return fmt::format("{:08X}:{:04X}", address.sin_addr.s_addr, ntohs(address.sin_port));
}

}  // namespace

bool connectedFromThisProcess(int fd) {
  sockaddr_in peer{};
  sockaddr_in self{};
  socklen_t peer_size = sizeof peer;
  socklen_t self_size = sizeof self;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &self_size) != 0 || peer.sin_family != AF_INET) {
    return false;
  }
  // The connecting socket is the one whose local end is our peer's address and port and whose remote end
  // is ours (whole addresses: another user may bind 127.0.0.2 with the same port).
  const auto inodes = socketInodes(tableAddress(peer), tableAddress(self));
  if (inodes.empty()) return false;
  std::vector<std::string> wanted;
  for (const auto inode : inodes) wanted.push_back(fmt::format("socket:[{}]", inode));
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code link_ec;
    const std::string target = std::filesystem::read_symlink(entry.path(), link_ec).string();
    if (std::find(wanted.begin(), wanted.end(), target) != wanted.end()) return true;
  }
  return false;
}

std::expected<std::unique_ptr<TlsTunnel>, std::string> TlsTunnel::start(std::string host, int port,
                                                                        const TlsClientConfig& tls,
                                                                        std::string peer,
                                                                        TicketWait ticket_wait) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return std::unexpected(opensslError("cannot create a TLS context"));
  const auto fail = [&](std::string error) -> std::expected<std::unique_ptr<TlsTunnel>, std::string> {
    SSL_CTX_free(ctx);
    return std::unexpected(std::move(error));
  };
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Only the configured CA: the server's certificate must chain to it (not to the system's CAs).
  if (SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) != 1)
    return fail(opensslError("cannot load the CA file " + tls.ca_file.string()));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (!tls.certificate_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx, tls.certificate_file.c_str()) != 1)
      return fail(opensslError("cannot load the client certificate " + tls.certificate_file.string()));
    if (SSL_CTX_use_PrivateKey_file(ctx, tls.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1)
      return fail(opensslError("cannot load the client key " + tls.private_key_file.string()));
    if (SSL_CTX_check_private_key(ctx) != 1)
      return fail(opensslError("the client key does not match its certificate"));
  }

  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("cannot create the tunnel's socket");
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof local;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &size) != 0) {
    ::close(fd);
    return fail("cannot listen on 127.0.0.1 for the TLS tunnel");
  }
  auto tunnel = std::unique_ptr<TlsTunnel>(
      new TlsTunnel(std::move(host), port, std::move(peer), ctx, fd, ntohs(local.sin_port), ticket_wait));
  tunnel->acceptor_ = std::thread([t = tunnel.get()] { t->acceptLoop(); });
  return tunnel;
}

TlsTunnel::TlsTunnel(std::string host, int port, std::string peer, SSL_CTX* ctx, int listen_fd,
                     int local_port, TicketWait ticket_wait)
    : host_(std::move(host)),
      port_(port),
      peer_(std::move(peer)),
      ctx_(ctx),
      listen_fd_(listen_fd),
      local_port_(local_port),
      ticket_wait_(ticket_wait) {}

TlsTunnel::~TlsTunnel() {
  stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<Connection> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (auto& c : connections) c.thread.join();  // each sees stopping_ within kPollMs (or its I/O timeout)
  ::close(listen_fd_);
  SSL_CTX_free(ctx_);
}

std::string TlsTunnel::lastError() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

void TlsTunnel::onError(std::function<void(const std::string&)> handler) {
  std::lock_guard lock(mutex_);
  on_error_ = std::move(handler);
}

void TlsTunnel::setError(std::string error) {
  std::function<void(const std::string&)> handler;
  {
    std::lock_guard lock(mutex_);
    last_error_ = error;
    handler = on_error_;
  }
  if (handler) handler(error);
}

void TlsTunnel::acceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int local = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (local < 0) continue;
    if (!connectedFromThisProcess(local)) {
      setError(fmt::format("refused a local connection to the tunnel to {} from another process", peer_));
      ::close(local);
      continue;
    }
    std::lock_guard lock(mutex_);
    // Reap connections that have ended, so a client that reconnects for hours holds no dead threads.
    std::erase_if(connections_, [](Connection& c) {
      if (!*c.done) return false;
      c.thread.join();
      return true;
    });
    auto done = std::make_shared<std::atomic<bool>>(false);
    connections_.push_back({std::thread([this, local, done] {
                              carry(local);
                              *done = true;
                            }),
                            done});
  }
}

void TlsTunnel::carry(int local_fd) {
  const int remote_fd = connectTo(host_, port_);
  if (remote_fd < 0) {
    setError(fmt::format("cannot connect to {} at {}:{}", peer_, host_, port_));
    ::close(local_fd);
    return;
  }
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, remote_fd);
  // Verify the name the client connects to: a DNS name against the certificate's DNS SANs, an address
  // against its IP SANs.
  if (isIpAddress(host_)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host_.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, host_.c_str());
    SSL_set1_host(ssl, host_.c_str());
  }
  const int connected = SSL_connect(ssl);
  if (connected != 1) {
    const long verify = SSL_get_verify_result(ssl);
    setError(verify != X509_V_OK ? fmt::format("the certificate of {} does not verify: {}", peer_,
                                               X509_verify_cert_error_string(verify))
                                 : opensslError(fmt::format("TLS handshake with {} failed", peer_)));
  } else {
    // A record that carries no data (a TLS 1.3 session ticket, which a server may send at any time) must
    // not hold SSL_read: with OpenSSL's default auto-retry it would block on the socket for the server's
    // next data, while the client's bytes (its Logon, which the server waits for) sit unread on local_fd.
    SSL_clear_mode(ssl, SSL_MODE_AUTO_RETRY);
    std::array<char, 16 * 1024> buffer{};
    bool open = true;
    std::string early;  // application data read while waiting below (none expected: FIX clients speak first)
    if (SSL_version(ssl) == TLS1_3_VERSION) {
      // QuickFIX 1.15.1's SSL acceptor can strand a Logon that reaches it in the same read as the client's
      // Finished (its read loop waits on the socket, not on OpenSSL's buffer, until more bytes come). Under
      // TLS 1.3 SSL_connect returns before the server has read our Finished; the server's session tickets
      // show it has, so the client's first bytes go out only after the first of them. A server that sends
      // no tickets would delay every Logon by the whole wait, so once a connection got none the next ones
      // wait briefly (QuickFIX's acceptor, OpenSSL's defaults, does send them).
      const bool tickets_expected = server_sends_tickets_.load();
      const auto deadline = std::chrono::steady_clock::now() +
                            (tickets_expected ? ticket_wait_.expected : ticket_wait_.ticketless);
      const int flags = ::fcntl(remote_fd, F_GETFL);
      ::fcntl(remote_fd, F_SETFL, flags | O_NONBLOCK);
      bool waiting = true;
      while (waiting && !stopping_ && std::chrono::steady_clock::now() < deadline) {
        pollfd p{remote_fd, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        const int n = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
        if (n > 0) {
          early.append(buffer.data(), static_cast<std::size_t>(n));
          waiting = false;
        } else if (const int err = SSL_get_error(ssl, n); err == SSL_ERROR_WANT_READ) {
          // A record without data was processed, or part of one arrived: done once it was a ticket.
          waiting = SSL_SESSION_has_ticket(SSL_get0_session(ssl)) == 0;
          if (!waiting) server_sends_tickets_ = true;
        } else if (err != SSL_ERROR_WANT_WRITE) {
          waiting = open = false;
          setError(opensslError(fmt::format("TLS connection to {} lost", peer_)));
        }
      }
      if (open && waiting && !stopping_ && tickets_expected) server_sends_tickets_ = false;
      ::fcntl(remote_fd, F_SETFL, flags);
      if (open && !early.empty())
        open =
            ::send(local_fd, early.data(), early.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(early.size());
    }
    while (open && !stopping_) {
      std::array<pollfd, 2> fds{pollfd{local_fd, POLLIN, 0}, pollfd{remote_fd, POLLIN, 0}};
      if (SSL_pending(ssl) == 0 && ::poll(fds.data(), fds.size(), kPollMs) <= 0) continue;
      if (SSL_pending(ssl) > 0 || (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const int n = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
        if (n <= 0) {
          const int err = SSL_get_error(ssl, n);
          open = err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
          if (!open && err != SSL_ERROR_ZERO_RETURN)
            setError(opensslError(fmt::format("TLS connection to {} lost", peer_)));
        } else {
          for (int sent = 0; open && sent < n;) {
            const ssize_t w =
                ::send(local_fd, buffer.data() + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
            open = w > 0;
            sent += w > 0 ? static_cast<int>(w) : 0;
          }
        }
      }
      if (open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const ssize_t n = ::recv(local_fd, buffer.data(), buffer.size(), 0);
        open = n > 0 && SSL_write(ssl, buffer.data(), static_cast<int>(n)) == static_cast<int>(n);
      }
    }
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
  ::close(remote_fd);
  ::close(local_fd);
}

}  // namespace fixgate::tls_tunnel
