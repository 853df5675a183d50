#include "security/network.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>

namespace fixgate::security {
namespace {

// An address without prefix; IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4.
std::expected<Network, std::string> parseAddress(std::string_view text) {
  const std::string s(text);
  Network n;
  if (inet_pton(AF_INET, s.c_str(), n.bytes.data()) == 1) {
    n.prefix = 32;
    return n;
  }
  if (inet_pton(AF_INET6, s.c_str(), n.bytes.data()) == 1) {
    static constexpr std::array<std::uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(n.bytes.data(), kMapped.data(), kMapped.size()) == 0) {
      std::memmove(n.bytes.data(), n.bytes.data() + 12, 4);
      std::fill(n.bytes.begin() + 4, n.bytes.end(), 0);
      n.prefix = 32;
      return n;
    }
    n.v6 = true;
    n.prefix = 128;
    return n;
  }
  return std::unexpected(fmt::format("'{}' is not an IPv4 or IPv6 address", text));
}

}  // namespace

std::expected<Network, std::string> parseNetwork(std::string_view text) {
  const auto slash = text.find('/');
  auto network = parseAddress(text.substr(0, slash));
  if (!network) return network;
  if (slash == std::string_view::npos) return network;
  const auto digits = text.substr(slash + 1);
  int prefix = -1;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
  const int max = network->v6 ? 128 : 32;
  if (ec != std::errc{} || end != digits.data() + digits.size() || prefix < 0 || prefix > max)
    return std::unexpected(fmt::format("'{}': the prefix length must be 0 to {}", text, max));
  network->prefix = prefix;
  // Host bits must be zero, so that what is written is what is meant.
  for (int bit = prefix; bit < max; ++bit) {
    if ((network->bytes[static_cast<std::size_t>(bit / 8)] >> (7 - bit % 8)) & 1)
      return std::unexpected(fmt::format("'{}' has host bits set: write the network address", text));
  }
  return network;
}

bool contains(const Network& network, std::string_view address) {
  const auto a = parseAddress(address);
  if (!a || a->v6 != network.v6) return false;
  for (int bit = 0; bit < network.prefix; ++bit) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    const int shift = 7 - bit % 8;
    if (((a->bytes[byte] >> shift) & 1) != ((network.bytes[byte] >> shift) & 1)) return false;
  }
  return true;
}

SocketPeer socketPeer(int fd) {
  sockaddr_storage peer{};
  socklen_t size = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &size) != 0) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (peer.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
    if (::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text) == nullptr) return {};
    return {text, ntohs(v4->sin_port)};
  }
  if (peer.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&peer);
    if (::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text) == nullptr) return {};
    return {text, ntohs(v6->sin6_port)};
  }
  return {};
}

}  // namespace fixgate::security
