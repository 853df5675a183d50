#include "security/connection_watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/tcp.h>  // struct tcp_info with tcpi_bytes_received (glibc's netinet/tcp.h lacks it)
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_set>

#include "security/network.h"

namespace fixgate::security {
namespace {

std::uint16_t localPort(int fd) {
  sockaddr_storage local{};
  socklen_t size = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &size) != 0) return 0;
  if (local.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&local)->sin_port);
  if (local.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&local)->sin6_port);
  return 0;
}

// Bytes the process has read from a TCP socket: received in order by the kernel minus those still queued.
// TCP_ESTABLISHED, the kernel's first TCP state (include/net/tcp_states.h): glibc's netinet/tcp.h, which
// names it, clashes with linux/tcp.h.
constexpr std::uint8_t kTcpEstablished = 1;

// Bytes the process has read from the connection; nullopt when it cannot tell, or when the connection is
// ending (no longer established: the peer sent its end of stream, or the gateway shut it down and keeps the
// descriptor until QuickFIX's reader has let go, see quickfix/send.h). An ending connection brings nothing
// more to a parser, and whoever reads it is about to end it: there is nothing to watch.
std::optional<std::uint64_t> bytesRead(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return std::nullopt;
  if (info.tcpi_state != kTcpEstablished) return std::nullopt;
  if (size < offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
    return std::nullopt;  // a kernel older than 4.1 does not count them
  int unread = 0;
  if (::ioctl(fd, FIONREAD, &unread) != 0 || unread < 0) unread = 0;
  const auto queued = static_cast<std::uint64_t>(unread);
  return info.tcpi_bytes_received > queued ? info.tcpi_bytes_received - queued : 0;
}

std::string describeLimit(ClosedBecause reason, const ConnectionLimits& limits, const ClosedConnection& c) {
  const std::string who = c.peer_address.empty() ? fmt::format("a connection to port {}", c.local_port)
                                                 : fmt::format("the connection from {} port {} to port {}",
                                                               c.peer_address, c.peer_port, c.local_port);
  switch (reason) {
    case ClosedBecause::BytesBeforeLogon:
      return fmt::format(
          "closed {}: {} bytes read and no Logon accepted (security.max_bytes_before_logon is {}). A FIX "
          "client sends its Logon first and a Logon is a few hundred bytes; this peer is not speaking FIX "
          "to us. If it is a client of ours, check that it connects to the right port with the right "
          "protocol (TLS or plaintext)",
          who, c.bytes_read, limits.max_bytes_before_logon);
    case ClosedBecause::LogonTimeout:
      return fmt::format(
          "closed {}: no Logon accepted within {} s of connecting (security.logon_timeout_s), {} bytes "
          "read. If it is a client of ours, check its SenderCompID/TargetCompID and that it sends a Logon "
          "once connected",
          who, limits.logon_timeout.count(), c.bytes_read);
    case ClosedBecause::BytesBetweenMessages:
      return fmt::format(
          "closed {} of session {}: {} bytes read since its last complete message "
          "(security.max_bytes_between_messages is {}); the client is sending something that never forms a "
          "FIX message. It may log on again (its sequence numbers are kept); ask its owner to check what "
          "its engine sends",
          who, c.session, c.bytes_read, limits.max_bytes_between_messages);
    case ClosedBecause::PendingPerAddress:
      return fmt::format(
          "closed {}: {} already has {} connections open without a Logon accepted "
          "(security.max_pending_connections_per_address). An address that opens connections without logging "
          "on is scanning or flooding the port: block it with a firewall. If it is several clients of ours "
          "behind one address, raise the limit",
          who, c.peer_address, limits.max_pending_per_address);
  }
  return who;
}

}  // namespace

std::string_view toString(ClosedBecause reason) {
  switch (reason) {
    case ClosedBecause::BytesBeforeLogon:
      return "bytes-before-logon";
    case ClosedBecause::LogonTimeout:
      return "logon-timeout";
    case ClosedBecause::BytesBetweenMessages:
      return "bytes-between-messages";
    case ClosedBecause::PendingPerAddress:
      return "pending-per-address";
  }
  return "unknown";
}

ConnectionWatch::ConnectionWatch(std::vector<std::uint16_t> ports, ConnectionLimits limits, OnClose on_close)
    : ports_(std::move(ports)), limits_(limits), on_close_(std::move(on_close)) {}

ConnectionWatch::~ConnectionWatch() {
  stop();
}

void ConnectionWatch::start(std::chrono::milliseconds interval) {
  stop();
  // Without /proc the watch would see no connection at all: refuse to start rather than protect nothing.
  if (DIR* dir = ::opendir("/proc/self/fd"); dir != nullptr) {
    ::closedir(dir);
  } else {
    throw std::runtime_error(
        "the connection watch cannot read /proc/self/fd (is /proc mounted?); it is what closes client "
        "connections that never log on");
  }
  {
    const std::lock_guard lock(stop_mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this, interval] { run(interval); });
}

void ConnectionWatch::stop() {
  {
    const std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConnectionWatch::run(std::chrono::milliseconds interval) {
  std::unique_lock lock(stop_mutex_);
  while (!stop_wake_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    scan(Clock::now());
    lock.lock();
  }
}

bool ConnectionWatch::authenticated(int socket, std::string session,
                                    const std::atomic<std::uint64_t>* messages) {
  struct stat st {};
  if (::fstat(socket, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
  const std::lock_guard lock(mutex_);
  authenticated_[st.st_ino] = Authenticated{std::move(session), messages, Clock::now()};
  return true;
}

void ConnectionWatch::observe(std::vector<Observed>& out) const {
  out.clear();
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    int fd = -1;
    const char* name = entry->d_name;
    const auto [end, error] = std::from_chars(name, name + std::strlen(name), fd);
    if (error != std::errc{} || *end != '\0' || fd == own) continue;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    const std::uint16_t port = localPort(fd);
    if (port == 0 || std::find(ports_.begin(), ports_.end(), port) == ports_.end()) continue;
    int listening = 0;
    socklen_t size = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || listening != 0) continue;
    const auto read = bytesRead(fd);
    if (!read) continue;
    out.push_back(Observed{fd, st.st_ino, port, *read});
  }
  ::closedir(dir);
}

bool ConnectionWatch::shutDown(const Observed& socket) const {
  // The descriptor is QuickFIX's and may have been closed and its number reused since it was observed: act
  // on a duplicate, and only if that is still the same socket (a duplicate keeps it alive meanwhile).
  const int copy = ::fcntl(socket.fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return false;
  struct stat st {};
  const bool same = ::fstat(copy, &st) == 0 && st.st_ino == socket.inode;
  if (same) ::shutdown(copy, SHUT_RDWR);
  ::close(copy);
  return same;
}

void ConnectionWatch::closePendingPastLimit(std::vector<Pending>& pending, Clock::time_point now,
                                            std::vector<ClosedConnection>& closed) const {
  // Fewer than the limit in all: no address can be past it, and no peer needs reading.
  if (pending.size() <= limits_.max_pending_per_address) return;
  for (Pending& p : pending) {
    const SocketPeer peer = socketPeer(p.socket->fd);
    p.address = peer.address;
    p.port = peer.port;
  }
  std::erase_if(pending, [](const Pending& p) { return p.address.empty(); });
  // By address, oldest first: the connections that came first keep their chance to log on. Seen in the same
  // scan, the lower descriptor was accepted first.
  std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    if (a.address != b.address) return a.address < b.address;
    if (a.tracked->first_seen != b.tracked->first_seen) return a.tracked->first_seen < b.tracked->first_seen;
    return a.socket->fd < b.socket->fd;
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    kept = (i > 0 && pending[i].address == pending[i - 1].address) ? kept + 1 : 1;
    if (kept <= limits_.max_pending_per_address) continue;
    const Pending& p = pending[i];
    ClosedConnection c;
    c.reason = ClosedBecause::PendingPerAddress;
    c.peer_address = p.address;
    c.peer_port = p.port;
    c.local_port = p.socket->local_port;
    c.bytes_read = p.socket->bytes_read;
    c.age = std::chrono::duration_cast<std::chrono::milliseconds>(now - p.tracked->first_seen);
    if (!shutDown(*p.socket)) continue;
    p.tracked->shut_down = true;
    c.operator_text = describeLimit(c.reason, limits_, c);
    closed.push_back(std::move(c));
  }
}

std::size_t ConnectionWatch::scan(Clock::time_point now) {
  const auto started = Clock::now();
  observe(observed_);
  std::vector<ClosedConnection> closed;
  std::vector<Pending> pending;
  {
    // Read after the byte counts: a connection authenticated meanwhile is seen as such (a Logon is processed
    // before QuickFIX reads past the chunk that carried it).
    const std::lock_guard lock(mutex_);
    for (const Observed& socket : observed_) {
      auto [it, inserted] = tracked_.try_emplace(socket.inode, Tracked{now});
      Tracked& tracked = it->second;
      if (tracked.shut_down) continue;  // QuickFIX's thread notices within its poll timeout and closes it
      const auto auth = authenticated_.find(socket.inode);
      std::optional<ClosedBecause> reason;
      std::uint64_t counted = socket.bytes_read;
      if (auth != authenticated_.end()) {
        const std::uint64_t messages = auth->second.messages ? auth->second.messages->load() : 0;
        if (!tracked.authenticated || messages != tracked.messages_seen) {
          tracked.authenticated = true;
          tracked.messages_seen = messages;
          tracked.read_at_last_message = socket.bytes_read;
        }
        counted = socket.bytes_read - std::min(socket.bytes_read, tracked.read_at_last_message);
        if (counted > limits_.max_bytes_between_messages) reason = ClosedBecause::BytesBetweenMessages;
      } else if (socket.bytes_read > limits_.max_bytes_before_logon) {
        reason = ClosedBecause::BytesBeforeLogon;
      } else if (now - tracked.first_seen >= limits_.logon_timeout) {
        reason = ClosedBecause::LogonTimeout;
      }
      if (!reason) {
        if (auth == authenticated_.end()) pending.push_back(Pending{&socket, &tracked, {}, 0});
        continue;
      }
      ClosedConnection c;
      c.reason = *reason;
      const SocketPeer peer = socketPeer(socket.fd);
      c.peer_address = peer.address;
      c.peer_port = peer.port;
      c.local_port = socket.local_port;
      c.session = auth != authenticated_.end() ? auth->second.session : std::string();
      c.bytes_read = counted;
      c.age = std::chrono::duration_cast<std::chrono::milliseconds>(now - tracked.first_seen);
      if (!shutDown(socket)) continue;
      tracked.shut_down = true;
      c.operator_text = describeLimit(*reason, limits_, c);
      closed.push_back(std::move(c));
    }
    closePendingPastLimit(pending, now, closed);
    // Forget sockets that are gone; an authentication registered after this scan began may be for a socket
    // it did not see yet.
    std::unordered_set<ino_t> seen;
    for (const Observed& socket : observed_) seen.insert(socket.inode);
    std::erase_if(tracked_, [&](const auto& entry) { return !seen.contains(entry.first); });
    std::erase_if(authenticated_, [&](const auto& entry) {
      return !seen.contains(entry.first) && entry.second.registered < started;
    });
  }
  if (on_close_)
    for (const auto& c : closed) on_close_(c);
  return closed.size();
}

}  // namespace fixgate::security
