// TCP ports for the processes a test starts: picked free by the kernel, and waited on until they listen.
#pragma once

#include <chrono>
#include <cstdint>

namespace fixgate::testing {

// A port that was free a moment ago (it could be bound on all interfaces), below the kernel's ephemeral range,
// so that no outgoing connection takes it as its source port before the server binds it. Throws
// std::runtime_error when none can be bound.
[[nodiscard]] std::uint16_t freeTcpPort();

// True once something accepts connections on 127.0.0.1:port; false when `timeout` passes first.
[[nodiscard]] bool waitForListening(std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace fixgate::testing
