// Source-address allowlists: IPv4 and IPv6 networks in CIDR notation ("10.1.0.0/16", "127.0.0.1",
// "::1/128"); a bare address is a /32 or /128.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace fixgate::security {

struct Network {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
  int prefix = 0;
};

// The error says what is wrong with `text`.
[[nodiscard]] std::expected<Network, std::string> parseNetwork(std::string_view text);

// Whether the textual address (as inet_ntop prints it; an IPv4-mapped IPv6 address counts as IPv4) lies in
// `network`. False for anything that is not an address.
[[nodiscard]] bool contains(const Network& network, std::string_view address);

// The remote end of a connected socket: its address as inet_ntop prints it ("127.0.0.1", "2001:db8::1") and
// its port; an empty address when it cannot be read (not connected, not IPv4 or IPv6).
struct SocketPeer {
  std::string address;
  std::uint16_t port = 0;
};
[[nodiscard]] SocketPeer socketPeer(int fd);

}  // namespace fixgate::security
