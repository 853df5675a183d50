// The client side of the admin channel: one command line out, one framed reply back, within a deadline.
// Used by the fixgate-admin tool and by tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace fixgate::admin {

enum class ClientFailure : std::uint8_t {
  CannotConnect,  // no socket, nobody listening, or not allowed to connect: the command was not sent
  Timeout,        // connected, but no complete reply within the timeout
  Io,             // the connection failed or closed before the reply ended
};

struct ClientError {
  ClientFailure kind = ClientFailure::Io;
  std::string message;  // says what to check: is the gateway running, which path, which user
};

// Sends `line` (one command, no newline) to the admin socket at `socket_path` and returns the reply text
// without its terminating dot line.
std::expected<std::string, ClientError> sendAdminCommand(const std::filesystem::path& socket_path,
                                                         std::string_view line,
                                                         std::chrono::milliseconds timeout);

}  // namespace fixgate::admin
