// Loopback helpers: a free port, whether something listens on one (read from /proc/net/tcp, so waiting
// never opens a connection, which a forking relay would turn into a session to the simulator), and a
// plain HTTP GET for the gateway's metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace fixgate::bench {

// A port the kernel just handed out on 127.0.0.1 (bound and released). Throws std::runtime_error.
[[nodiscard]] std::uint16_t freeLoopbackPort();

// True when a TCP socket listens on the port (any IPv4 or IPv6 address).
[[nodiscard]] bool isListening(std::uint16_t port);

// The body of GET http://127.0.0.1:port/path, nullopt on any failure or a status other than 200.
[[nodiscard]] std::optional<std::string> httpGet(std::uint16_t port, const std::string& path,
                                                 std::chrono::milliseconds timeout);

}  // namespace fixgate::bench
