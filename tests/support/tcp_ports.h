// TCP ports for the processes a test starts: picked free by the kernel, and waited on until they listen.
#pragma once

#include <chrono>
#include <cstdint>

namespace fixgate::testing {

// A port that was free a moment ago: binds port 0 on all interfaces and reads back what the kernel chose.
// Throws std::runtime_error when no socket can be bound.
[[nodiscard]] std::uint16_t freeTcpPort();

// True once something accepts connections on 127.0.0.1:port; false when `timeout` passes first.
[[nodiscard]] bool waitForListening(std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace fixgate::testing
