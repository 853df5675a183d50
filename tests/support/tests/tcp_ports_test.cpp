#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "tcp_ports.h"

namespace fixgate::testing {
namespace {

using namespace std::chrono_literals;

TEST(TcpPorts, FreePortCanBeListenedOnAndIsThenSeenListening) {
  const std::uint16_t port = freeTcpPort();
  ASSERT_NE(port, 0);
  EXPECT_FALSE(waitForListening(port, 100ms)) << "nothing listens yet";

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  EXPECT_TRUE(waitForListening(port, 2s));
  close(fd);
}

// No outgoing connection can take a port below the ephemeral range as its source port between the pick and
// the server's bind.
TEST(TcpPorts, FreePortsAreBelowTheEphemeralRange) {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned low = 32768;
  range >> low;
  for (int i = 0; i < 100; ++i) {
    const std::uint16_t port = freeTcpPort();
    EXPECT_GE(port, 20000);
    EXPECT_LT(port, low);
  }
}

}  // namespace
}  // namespace fixgate::testing
