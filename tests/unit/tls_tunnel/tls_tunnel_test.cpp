// The TLS tunnel carries only connections made by its own process: another local user's process that
// connects to its loopback port must not reach the venue under the gateway's identity.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "tls_tunnel/tls_tunnel.h"

namespace fixgate::tls_tunnel {
namespace {

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
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_EQ(::connect(c, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
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

}  // namespace
}  // namespace fixgate::tls_tunnel
