// The TLS tunnel carries only connections made by its own process: another local user's process that
// connects to its loopback port must not reach the venue under the gateway's identity. And it carries the
// client's bytes whatever TLS 1.3 housekeeping the server sends meanwhile.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "temp_dir.h"
#include "tls_tunnel/tls_tunnel.h"

namespace fixgate::tls_tunnel {
namespace {

// A socket connected to `address` (on 127.0.0.1), or -1.
int connectTo(const sockaddr_in& address) {
  const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(c, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return c;
  ::close(c);
  return -1;
}

// A listening socket on 127.0.0.1 (a port the kernel picks); closes it when done.
struct Listener {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  Listener() {
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd, 4), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  }
  ~Listener() { ::close(fd); }
  [[nodiscard]] int connectToIt() const {
    const int c = connectTo(address);
    EXPECT_GE(c, 0);
    return c;
  }
};

TEST(ConnectedFromThisProcess, AConnectionFromThisProcessIsRecognised) {
  Listener listener;
  const int client = listener.connectToIt();
  const int accepted = ::accept(listener.fd, nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  EXPECT_TRUE(connectedFromThisProcess(accepted));
  ::close(accepted);
  ::close(client);
}

TEST(ConnectedFromThisProcess, AConnectionFromAnotherProcessIsNot) {
  Listener listener;
  // The other process: bash connects with /dev/tcp and holds the connection for at most 10 s.
  const std::string command =
      "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(ntohs(listener.address.sin_port)) + " && sleep 10";
  const char* argv[] = {"bash", "-c", command.c_str(), nullptr};
  pid_t child = 0;
  ASSERT_EQ(::posix_spawnp(&child, "bash", nullptr, nullptr, const_cast<char* const*>(argv), environ), 0);
  pollfd p{listener.fd, POLLIN, 0};
  const bool connected = ::poll(&p, 1, 10'000) == 1;
  int accepted = -1;
  if (connected) accepted = ::accept(listener.fd, nullptr, nullptr);
  EXPECT_GE(accepted, 0) << "bash did not connect within 10 s";
  if (accepted >= 0) {
    EXPECT_FALSE(connectedFromThisProcess(accepted));
    ::close(accepted);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
}

// A self-signed certificate for 127.0.0.1 (its IP SAN, which the tunnel verifies) and its key; the
// certificate is written to `dir`/server.pem, the tunnel's CA file.
struct ServerIdentity {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  std::filesystem::path cert_file;
  explicit ServerIdentity(const std::filesystem::path& dir) : cert_file(dir / "server.pem") {
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("tunnel test server"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    EXPECT_GT(X509_sign(cert, key, EVP_sha256()), 0);
    FILE* out = std::fopen(cert_file.c_str(), "w");
    EXPECT_NE(out, nullptr) << cert_file;
    if (out != nullptr) {
      EXPECT_EQ(PEM_write_X509(out, cert), 1);
      std::fclose(out);
    }
  }
  ~ServerIdentity() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

// A TLS 1.3 server context with `identity`'s certificate, sending `tickets` session tickets after each
// handshake.
std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> serverContext(const ServerIdentity& identity, int tickets) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  SSL_CTX_set_min_proto_version(context.get(), TLS1_3_VERSION);
  SSL_CTX_use_certificate(context.get(), identity.cert);
  SSL_CTX_use_PrivateKey(context.get(), identity.key);
  SSL_CTX_set_num_tickets(context.get(), static_cast<std::size_t>(tickets));
  return context;
}

// Reads the client's message (as far as the socket's receive bound lets it wait), echoes it and closes.
void echoOneMessage(SSL* ssl) {
  std::array<char, 64> message{};
  const int n = SSL_read(ssl, message.data(), static_cast<int>(message.size()));
  if (n > 0) SSL_write(ssl, message.data(), n);
  SSL_shutdown(ssl);
}

// What `fd` receives within `bound`, up to `size` bytes.
std::string readUpTo(int fd, std::size_t size, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  std::string received;
  while (received.size() < size) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) != 1) break;
    std::array<char, 64> chunk{};
    const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n <= 0) break;
    received.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return received;
}

// A TLS 1.3 server may send session tickets whenever it likes; OpenSSL's sends them after the handshake,
// and a loaded machine delivers them apart. A ticket that arrives alone must not make the tunnel wait for
// server data while the client's first message (a Logon the server waits for) goes unforwarded.
TEST(TlsTunnel, ASessionTicketArrivingAloneDoesNotHoldBackTheClientsBytes) {
  const std::filesystem::path dir = testing::makeTempDir("fixgate-tunnel-");
  ServerIdentity identity(dir);
  // One ticket with the handshake: the tunnel waits for it before it forwards anything.
  const auto context = serverContext(identity, 1);
  SSL_CTX* server_ctx = context.get();
  Listener listener;

  std::promise<void> second_ticket_sent;
  // The server: a handshake, its one ticket, after a pause a second ticket on its own, then it waits (at
  // most 4 s) for the client's message and echoes it. It gives up if nobody connects within 5 s, and is a
  // jthread so that an assertion returning early below still joins it.
  std::jthread server([&] {
    pollfd incoming{listener.fd, POLLIN, 0};
    if (::poll(&incoming, 1, 5000) != 1) {
      second_ticket_sent.set_value();
      return;
    }
    const int fd = ::accept(listener.fd, nullptr, nullptr);
    const timeval bound{4, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
    SSL* ssl = SSL_new(server_ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      SSL_new_session_ticket(ssl);
      SSL_do_handshake(ssl);
      second_ticket_sent.set_value();
      echoOneMessage(ssl);
    } else {
      second_ticket_sent.set_value();
    }
    SSL_free(ssl);
    ::close(fd);
  });

  TlsClientConfig tls;
  tls.ca_file = identity.cert_file;
  auto tunnel = TlsTunnel::start("127.0.0.1", ntohs(listener.address.sin_port), tls, "the test server");
  ASSERT_TRUE(tunnel.has_value()) << tunnel.error();
  sockaddr_in local = listener.address;
  local.sin_port = htons(static_cast<std::uint16_t>((*tunnel)->localPort()));
  const int client = connectTo(local);
  ASSERT_GE(client, 0) << "cannot connect to the tunnel's port " << (*tunnel)->localPort();
  // The client speaks only once the second ticket has reached the tunnel.
  second_ticket_sent.get_future().wait();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string logon = "8=FIX.4.4|35=A|";
  ASSERT_EQ(::send(client, logon.data(), logon.size(), MSG_NOSIGNAL), static_cast<ssize_t>(logon.size()));
  EXPECT_EQ(readUpTo(client, logon.size(), std::chrono::seconds(3)), logon)
      << "the tunnel did not carry the client's message within 3 s; its last error: "
      << (*tunnel)->lastError();
  ::close(client);
  server.join();
  tunnel->reset();
  std::filesystem::remove_all(dir);
}

// A server that sends no session tickets (its choice under TLS 1.3) gives the tunnel nothing to wait for:
// after one connection that waited in vain, the next ones forward the client's first bytes at once.
TEST(TlsTunnel, AServerWithoutSessionTicketsDelaysOnlyTheFirstConnection) {
  const std::filesystem::path dir = testing::makeTempDir("fixgate-tunnel-");
  ServerIdentity identity(dir);
  const auto context = serverContext(identity, 0);
  SSL_CTX* server_ctx = context.get();
  Listener listener;

  // The server: two connections one after the other, each a handshake and then an echo of the client's
  // message (waited for at most 8 s). It gives up when nobody connects within 10 s.
  std::jthread server([&] {
    for (int connection = 0; connection < 2; ++connection) {
      pollfd incoming{listener.fd, POLLIN, 0};
      if (::poll(&incoming, 1, 10'000) != 1) return;
      const int fd = ::accept(listener.fd, nullptr, nullptr);
      const timeval bound{8, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
      SSL* ssl = SSL_new(server_ctx);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {
        echoOneMessage(ssl);
      }
      SSL_free(ssl);
      ::close(fd);
    }
  });

  TlsClientConfig tls;
  tls.ca_file = identity.cert_file;
  const TicketWait wait{.expected = std::chrono::seconds(3), .ticketless = std::chrono::milliseconds(100)};
  auto tunnel = TlsTunnel::start("127.0.0.1", ntohs(listener.address.sin_port), tls, "the test server", wait);
  ASSERT_TRUE(tunnel.has_value()) << tunnel.error();
  sockaddr_in local = listener.address;
  local.sin_port = htons(static_cast<std::uint16_t>((*tunnel)->localPort()));
  const std::string logon = "8=FIX.4.4|35=A|";
  // How long the client's message takes to come back through the tunnel on a new connection.
  const auto roundTrip = [&]() -> std::chrono::milliseconds {
    const int client = connectTo(local);
    EXPECT_GE(client, 0) << "cannot connect to the tunnel's port " << (*tunnel)->localPort();
    const auto sent = std::chrono::steady_clock::now();
    EXPECT_EQ(::send(client, logon.data(), logon.size(), MSG_NOSIGNAL), static_cast<ssize_t>(logon.size()));
    EXPECT_EQ(readUpTo(client, logon.size(), std::chrono::seconds(6)), logon)
        << "the tunnel did not carry the client's message within 6 s; its last error: "
        << (*tunnel)->lastError();
    ::close(client);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
  };
  const auto first = roundTrip();
  EXPECT_GE(first, std::chrono::milliseconds(2900)) << "the first connection waited for a ticket";
  const auto second = roundTrip();
  EXPECT_LT(second, std::chrono::milliseconds(1500))
      << "the second connection waited " << second.count() << " ms, as if the server might send a ticket";
  server.join();
  tunnel->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fixgate::tls_tunnel
