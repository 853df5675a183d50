#include "tcp_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

namespace fixgate::testing {
namespace {

// The lowest port handed to a test's servers: above the well-known and most registered services' ports.
constexpr std::uint16_t kLowestPort = 20000;

// Closes the socket on every path out.
struct Socket {
  int fd;
  ~Socket() {
    if (fd >= 0) close(fd);
  }
};

// The first port the kernel hands out as the source port of outgoing connections (net.ipv4.
// ip_local_port_range; 32768 when it cannot be read).
std::uint16_t ephemeralRangeStart() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned low = 0;
  if (range >> low && low > kLowestPort + 1000 && low <= 65535) return static_cast<std::uint16_t>(low);
  return 32768;
}

// True when a listener could bind `port` on all interfaces now.
bool bindable(std::uint16_t port) {
  Socket s{socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);  // the gateway listens on all interfaces
  addr.sin_port = htons(port);
  return bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

std::uint16_t freeTcpPort() {
  // Below the ephemeral range: a port from it (what binding port 0 gives) can be taken between this pick and
  // the server's bind by any outgoing connection's source port (another test's, or the gateway's own
  // connections to its venues), and the server then fails with "Address already in use" (seen in CI). Each
  // process starts at a random point of the range and walks on, so tests running side by side rarely meet.
  static const std::uint16_t range_end = ephemeralRangeStart();
  static std::atomic<unsigned> next{std::random_device{}()};
  const unsigned span = range_end - kLowestPort;
  for (unsigned attempt = 0; attempt < span; ++attempt) {
    const auto port = static_cast<std::uint16_t>(kLowestPort + next.fetch_add(1) % span);
    if (bindable(port)) return port;
  }
  throw std::runtime_error("no free TCP port below the ephemeral range");
}

bool waitForListening(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    Socket s{socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (s.fd >= 0 && connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace fixgate::testing
