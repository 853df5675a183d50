#include "admin/server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <stdexcept>

#include "admin/framing.h"
#include "admin/unix_socket.h"

namespace fixgate::admin {
namespace {

// A line as it may be logged: control bytes escaped, so a peer cannot forge log lines or terminal output.
std::string printable(std::string_view line) {
  std::string out;
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

AdminServer::AdminServer(std::filesystem::path socket_path, AdminHandler handler, AdminServerOptions options,
                         CommandRecorder recorder)
    : path_(std::move(socket_path)),
      handler_(std::move(handler)),
      options_(options),
      recorder_(std::move(recorder)),
      gateway_uid_(::geteuid()) {}

AdminServer::~AdminServer() {
  stop();
}

void AdminServer::start() {
  if (thread_.joinable()) throw std::runtime_error("admin socket " + path_.string() + ": already started");
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid())
    throw std::runtime_error("admin socket " + path_.string() + ": cannot create an eventfd");
  listen_fd_ = listenOnUnixSocket(path_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) {
    socket_dev_ = st.st_dev;
    socket_ino_ = st.st_ino;
  }
  wake_fd_ = std::move(wake);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  spdlog::info("admin channel listening on {} (mode 0600; {} only)", path_.string(),
               gateway_uid_ == 0 ? std::string("root") : fmt::format("uid {} and root", gateway_uid_));
}

void AdminServer::stop() noexcept {
  if (!listen_fd_.valid()) return;
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wake_fd_.get(), &one, sizeof(one));
  if (thread_.joinable()) thread_.join();
  listen_fd_.reset();
  wake_fd_.reset();
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == socket_dev_ && st.st_ino == socket_ino_) {
    ::unlink(path_.c_str());
  }
  spdlog::info("admin channel on {} stopped", path_.string());
}

void AdminServer::run() {
  while (!stopping_) {
    if (waitFor(listen_fd_.get(), POLLIN, std::chrono::milliseconds(-1)) == Wait::Stopping) return;
    UniqueFd conn(::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!conn.valid()) {
      if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) continue;
      // Out of descriptors or similar: back off instead of spinning, and keep serving once it clears.
      spdlog::warn("admin channel: accept failed: {}",
                   std::error_code(errno, std::generic_category()).message());
      if (waitFor(wake_fd_.get(), POLLIN, std::chrono::milliseconds(200)) == Wait::Stopping) return;
      continue;
    }
    const auto peer = peerCredentials(conn.get());
    if (!peer) {
      spdlog::warn("admin channel: connection without peer credentials dropped");
      continue;
    }
    if (!peerAllowed(peer->uid, gateway_uid_)) {
      spdlog::warn("admin channel: permission denied to pid {} uid {} (only uid {} and root may connect)",
                   peer->pid, peer->uid, gateway_uid_);
      sendAll(conn.get(), frameReply("error: permission denied"));
      continue;
    }
    serve(conn.get(), *peer);
  }
}

void AdminServer::serve(int fd, const PeerCredentials& peer) {
  std::string buffer;
  char chunk[1024];
  while (true) {
    std::size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos && newline <= options_.max_line_bytes) {
      std::string_view line(buffer.data(), newline);
      if (line.ends_with('\r')) line.remove_suffix(1);  // nc/telnet send CRLF
      const bool sent = sendAll(fd, frameReply(respond(line, peer)));
      buffer.erase(0, newline + 1);
      if (!sent) return;
    }
    if (buffer.size() > options_.max_line_bytes) {
      spdlog::warn("admin channel: dropped pid {} uid {}: line longer than {} bytes", peer.pid, peer.uid,
                   options_.max_line_bytes);
      sendAll(fd, frameReply(fmt::format("error: line longer than {} bytes", options_.max_line_bytes)));
      return;
    }
    switch (waitFor(fd, POLLIN, options_.idle_timeout)) {
      case Wait::Stopping:
        return;
      case Wait::TimedOut:
        spdlog::info("admin channel: dropped pid {} uid {} after {} ms of silence", peer.pid, peer.uid,
                     options_.idle_timeout.count());
        return;
      case Wait::Ready:
        break;
    }
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {
      // The client closed its side; a last command without a newline still counts.
      if (n == 0 && !buffer.empty()) sendAll(fd, frameReply(respond(buffer, peer)));
      return;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string AdminServer::respond(std::string_view line, const PeerCredentials& peer) {
  auto command = parseAdminCommand(line);
  const std::string uid_name = fmt::format("uid:{}", peer.uid);
  if (!command) {
    spdlog::warn("admin command refused from pid {} uid {}: {} (line: {})", peer.pid, peer.uid,
                 command.error(), printable(line));
    std::string reply = "error: " + command.error();
    if (recorder_) recorder_({peer, uid_name, printable(line), false, reply});
    return reply;
  }
  const std::string canonical = formatCommand(*command);
  spdlog::info("admin command from pid {} uid {} by {}: {}", peer.pid, peer.uid,
               command->by.empty() ? "-" : command->by, printable(canonical));
  std::string reply;
  try {
    reply = handler_(*command);
  } catch (const std::exception& e) {
    spdlog::error("admin command {} failed: {}", printable(canonical), e.what());
    reply = fmt::format("error: the gateway could not carry out the command: {}", e.what());
  } catch (...) {
    spdlog::error("admin command {} failed with an unknown exception", printable(canonical));
    reply = "error: the gateway could not carry out the command";
  }
  if (recorder_) {
    recorder_(
        {peer, command->by.empty() ? uid_name : command->by, canonical, !reply.starts_with("error:"), reply});
  }
  return reply;
}

AdminServer::Wait AdminServer::waitFor(int fd, short events, std::chrono::milliseconds timeout) const {
  pollfd fds[2] = {{fd, events, 0}, {wake_fd_.get(), POLLIN, 0}};
  while (true) {
    if (stopping_) return Wait::Stopping;
    const int n = ::poll(fds, 2, static_cast<int>(timeout.count()));
    if (n < 0 && errno == EINTR)
      continue;  // a signal; the remaining wait restarts, bounded by the caller's loop
    if (n == 0) return Wait::TimedOut;
    if (stopping_ || (fds[1].revents & POLLIN) != 0) return Wait::Stopping;
    return Wait::Ready;  // includes errors and hang-ups: the following recv/send/accept reports them
  }
}

bool AdminServer::sendAll(int fd, std::string_view data) const {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      // A client that does not read its reply is dropped like a silent one.
      if (waitFor(fd, POLLOUT, options_.idle_timeout) != Wait::Ready) return false;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace fixgate::admin
