// A watch over the connections accepted on the client ports, for what QuickFIX 1.15.1 does not bound:
//   - its parser keeps every byte that has not yet formed a message (bytes without "8=", or a frame whose
//     BodyLength promises more), for as long as the connection lasts, so one unidentified peer could fill
//     the gateway's memory before any logon;
//   - a connection that has not yet named a session has no logon deadline, and holds an acceptor thread.
// Every `interval` the watch looks at this process's sockets on the watched ports (kernel counters: bytes
// received minus bytes not yet read) and shuts down a connection that
//   - has read more than max_bytes_before_logon without being authenticated (a Logon is a few hundred bytes),
//   - has been open logon_timeout without being authenticated, or
//   - once authenticated, has read more than max_bytes_between_messages since the last message the gateway
//     received from it (an incomplete message growing without end), or
//   - comes from an address that already has max_pending_per_address connections open without being
//     authenticated (the newest beyond the limit are closed): each holds an acceptor thread until its logon
//     timeout, so one address opening connections in a loop could otherwise hold thousands.
// Shutting the socket down (not closing it) makes QuickFIX's connection thread see the end of the stream and
// clean up as for any disconnect; the descriptor stays QuickFIX's to close. A connection no longer
// established (ending: shut down by the gateway, or the peer's end of stream received) is not watched.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace fixgate::security {

struct ConnectionLimits {
  std::uint64_t max_bytes_before_logon = 64 * 1024;
  std::chrono::seconds logon_timeout{10};
  std::uint64_t max_bytes_between_messages = 4 * 1024 * 1024;
  std::size_t max_pending_per_address = 32;
};

enum class ClosedBecause { BytesBeforeLogon, LogonTimeout, BytesBetweenMessages, PendingPerAddress };
[[nodiscard]] std::string_view toString(ClosedBecause reason);  // "bytes-before-logon", ...

struct ClosedConnection {
  ClosedBecause reason = ClosedBecause::LogonTimeout;
  std::string peer_address;  // "127.0.0.1"; "" when it could not be read
  std::uint16_t peer_port = 0;
  std::uint16_t local_port = 0;
  std::string session;               // the authenticated session's name; "" before logon
  std::uint64_t bytes_read = 0;      // before logon: since accepted; after: since the last message
  std::chrono::milliseconds age{0};  // since the watch first saw the connection
  std::string operator_text;         // what happened and what to do, for the log and the audit trail
};

class ConnectionWatch {
 public:
  using Clock = std::chrono::steady_clock;
  using OnClose = std::function<void(const ClosedConnection&)>;

  // `ports`: the client listening ports whose accepted connections are watched. `on_close` is called on the
  // watch's thread (or scan()'s caller) after each shutdown.
  ConnectionWatch(std::vector<std::uint16_t> ports, ConnectionLimits limits, OnClose on_close);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  // Throws std::runtime_error when /proc/self/fd cannot be read (start-up only).
  void start(std::chrono::milliseconds interval = std::chrono::milliseconds(50));
  void stop();

  // The connection on `socket` now belongs to an authenticated session named `session`; `messages` counts
  // the messages the gateway has received on that session (it must outlive the watch). Called on the
  // connection's own thread, while the socket is open. False when `socket` is not a socket (then the watch
  // would treat the connection as one that never logged on).
  bool authenticated(int socket, std::string session, const std::atomic<std::uint64_t>* messages);

  // One look at every watched connection, as the watch's thread does every interval; returns how many it
  // shut down. Public for tests, which pass their own clock.
  std::size_t scan(Clock::time_point now);

 private:
  struct Authenticated {
    std::string session;
    const std::atomic<std::uint64_t>* messages = nullptr;
    Clock::time_point registered;
  };
  struct Tracked {
    Clock::time_point first_seen;
    bool authenticated = false;
    std::uint64_t messages_seen = 0;
    std::uint64_t read_at_last_message = 0;  // bytes read when the message count last moved
    bool shut_down = false;
  };
  struct Observed {
    int fd = -1;
    ino_t inode = 0;
    std::uint16_t local_port = 0;
    std::uint64_t bytes_read = 0;
  };
  void observe(std::vector<Observed>& out) const;
  bool shutDown(const Observed& socket) const;
  // A connection not authenticated and still open; its peer is read only when the limit may be crossed.
  struct Pending {
    const Observed* socket = nullptr;
    Tracked* tracked = nullptr;
    std::string address;
    std::uint16_t port = 0;
  };
  // Closes the newest connections of every address past limits_.max_pending_per_address among `pending`;
  // appends what it closed to `closed`. Under mutex_.
  void closePendingPastLimit(std::vector<Pending>& pending, Clock::time_point now,
                             std::vector<ClosedConnection>& closed) const;
  void run(std::chrono::milliseconds interval);

  const std::vector<std::uint16_t> ports_;
  const ConnectionLimits limits_;
  const OnClose on_close_;
  std::mutex mutex_;  // authenticated_ (connection threads) against scan()
  std::unordered_map<ino_t, Authenticated> authenticated_;
  std::unordered_map<ino_t, Tracked> tracked_;  // scan() only
  std::vector<Observed> observed_;              // scan() only, reused
  std::mutex stop_mutex_;
  std::condition_variable stop_wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fixgate::security
