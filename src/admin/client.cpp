#include "admin/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "admin/framing.h"
#include "admin/unique_fd.h"
#include "admin/unix_socket.h"

namespace fixgate::admin {
namespace {

using Clock = std::chrono::steady_clock;

std::string errnoText(int err) {
  return std::error_code(err, std::generic_category()).message();
}

ClientError connectError(const std::filesystem::path& path, int err) {
  const std::string p = path.string();
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return {
          ClientFailure::CannotConnect,
          fmt::format("no admin socket at {}: the gateway is not running, or it uses another path (--socket)",
                      p)};
    case ECONNREFUSED:
      return {ClientFailure::CannotConnect,
              fmt::format(
                  "nothing listens on {}: the gateway is not running (the socket file is left over from a "
                  "run that did not stop cleanly)",
                  p)};
    case EACCES:
    case EPERM:
      return {ClientFailure::CannotConnect,
              fmt::format("permission denied on {}: run as the gateway's user or root", p)};
    case EAGAIN:
      return {ClientFailure::CannotConnect,
              fmt::format("the gateway at {} is busy with other admin connections; try again", p)};
    default:
      return {ClientFailure::CannotConnect, fmt::format("cannot connect to {}: {}", p, errnoText(err))};
  }
}

// Milliseconds left until the deadline, at least 0, as poll() wants them.
int remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd until the deadline; false on timeout.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  while (true) {
    const int n = ::poll(&p, 1, remaining(deadline));
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

}  // namespace

std::expected<std::string, ClientError> sendAdminCommand(const std::filesystem::path& socket_path,
                                                         std::string_view line,
                                                         std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const auto addr = unixAddress(socket_path);
  if (!addr) return std::unexpected(ClientError{ClientFailure::CannotConnect, addr.error()});
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid())
    return std::unexpected(ClientError{ClientFailure::Io, "cannot create a socket: " + errnoText(errno)});
  // A Unix connect blocks while the server's backlog is full; SO_SNDTIMEO bounds that wait too.
  const auto ms = std::max<long>(1, static_cast<long>(timeout.count()));
  const timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) != 0) {
    return std::unexpected(connectError(socket_path, errno));
  }

  const std::string out = std::string(line) + "\n";
  std::string_view pending = out;
  while (!pending.empty()) {
    if (!waitFor(fd.get(), POLLOUT, deadline)) {
      return std::unexpected(ClientError{ClientFailure::Timeout, "timed out sending the command"});
    }
    const ssize_t n = ::send(fd.get(), pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0)
      return std::unexpected(ClientError{ClientFailure::Io, "cannot send the command: " + errnoText(errno)});
    pending.remove_prefix(static_cast<std::size_t>(n));
  }

  ReplyReader reader;
  char chunk[4096];
  while (!reader.done()) {
    if (!waitFor(fd.get(), POLLIN, deadline)) {
      return std::unexpected(ClientError{
          ClientFailure::Timeout,
          fmt::format("no reply from the gateway on {} within {:g} s; the command may or may not have been "
                      "carried out: check with status",
                      socket_path.string(), static_cast<double>(timeout.count()) / 1000.0)});
    }
    const ssize_t n = ::recv(fd.get(), chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {
      return std::unexpected(
          ClientError{ClientFailure::Io, n == 0 ? "the gateway closed the connection before the reply ended"
                                                : "cannot read the reply: " + errnoText(errno)});
    }
    reader.feed(std::string_view(chunk, static_cast<std::size_t>(n)));
  }
  return reader.reply();
}

}  // namespace fixgate::admin
