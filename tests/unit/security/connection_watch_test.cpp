// The connection watch over real loopback sockets of this process: a listener on an ephemeral port stands for
// the client acceptor, the accepted socket for QuickFIX's connection, and the test reads from it as QuickFIX
// would (the watch counts bytes the process has read, not bytes still queued in the kernel).
#include "security/connection_watch.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fixgate::security {
namespace {

using namespace std::chrono_literals;
using Clock = ConnectionWatch::Clock;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

// A listener on 127.0.0.1 and an ephemeral port.
struct Listener {
  Fd fd;
  std::uint16_t port = 0;
};

Listener listenOnLoopback() {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd.get() < 0 || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd.get(), 8) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1");
  return Listener{std::move(fd), ntohs(address.sin_port)};
}

// A connected pair: the client's socket and the one the listener accepted.
struct Connection {
  Fd client;
  Fd accepted;
};

Connection connectTo(const Listener& listener) {
  Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(listener.port);
  if (client.get() < 0 || ::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("cannot connect");
  Fd accepted(::accept4(listener.fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (accepted.get() < 0) throw std::runtime_error("cannot accept");
  return Connection{std::move(client), std::move(accepted)};
}

// The client sends `bytes` bytes; the accepted side reads them all (as QuickFIX's thread would).
void sendAndRead(Connection& c, std::size_t bytes) {
  std::thread sender([&] {
    const std::string chunk(16 * 1024, 'A');
    std::size_t sent = 0;
    while (sent < bytes) {
      const auto n = ::send(c.client.get(), chunk.data(), std::min(chunk.size(), bytes - sent), MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  });
  std::vector<char> buffer(64 * 1024);
  std::size_t got = 0;
  while (got < bytes) {
    const auto n = ::recv(c.accepted.get(), buffer.data(), buffer.size(), 0);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  sender.join();
  ASSERT_EQ(got, bytes);
}

// True when the accepted socket was shut down: reading it gives end of stream at once.
bool shutDown(const Connection& c) {
  pollfd p{c.accepted.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) != 1) return false;
  char byte = 0;
  return ::recv(c.accepted.get(), &byte, 1, MSG_DONTWAIT) == 0;
}

// The client sees the end of the stream (the watch shut both directions down).
bool clientSeesEnd(const Connection& c) {
  pollfd p{c.client.get(), POLLIN, 1000};
  if (::poll(&p, 1, 1000) != 1) return false;
  char byte = 0;
  return ::recv(c.client.get(), &byte, 1, MSG_DONTWAIT) == 0;
}

constexpr ConnectionLimits kLimits{64 * 1024, std::chrono::seconds(10), 256 * 1024};

struct Watched {
  Listener listener = listenOnLoopback();
  std::vector<ClosedConnection> closed;
  ConnectionWatch watch{{listener.port}, kLimits, [this](const ClosedConnection& c) { closed.push_back(c); }};
};

TEST(ConnectionWatch, ClosesAConnectionThatReadsPastTheLimitBeforeLogon) {
  Watched w;
  Connection c = connectTo(w.listener);
  const auto now = Clock::now();
  sendAndRead(c, 60 * 1024);
  EXPECT_EQ(w.watch.scan(now), 0U) << "60 KiB is within the 64 KiB limit";
  EXPECT_FALSE(shutDown(c));
  sendAndRead(c, 8 * 1024);
  ASSERT_EQ(w.watch.scan(now + 50ms), 1U);
  EXPECT_TRUE(shutDown(c));
  EXPECT_TRUE(clientSeesEnd(c));
  ASSERT_EQ(w.closed.size(), 1U);
  const ClosedConnection& closed = w.closed[0];
  EXPECT_EQ(closed.reason, ClosedBecause::BytesBeforeLogon);
  EXPECT_EQ(closed.peer_address, "127.0.0.1");
  EXPECT_NE(closed.peer_port, 0);
  EXPECT_EQ(closed.local_port, w.listener.port);
  EXPECT_EQ(closed.bytes_read, 68U * 1024);
  EXPECT_TRUE(closed.session.empty());
  EXPECT_NE(closed.operator_text.find("security.max_bytes_before_logon is 65536"), std::string::npos)
      << closed.operator_text;
  EXPECT_NE(closed.operator_text.find("from 127.0.0.1 port"), std::string::npos) << closed.operator_text;
  // Shut down once: until QuickFIX closes the descriptor, later scans leave it alone.
  EXPECT_EQ(w.watch.scan(now + 100ms), 0U);
  EXPECT_EQ(w.closed.size(), 1U);
}

TEST(ConnectionWatch, BytesStillQueuedInTheKernelDoNotCount) {
  Watched w;
  Connection c = connectTo(w.listener);
  const std::string bytes(100 * 1024, 'A');
  ASSERT_EQ(::send(c.client.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
  std::this_thread::sleep_for(20ms);  // loopback delivery
  EXPECT_EQ(w.watch.scan(Clock::now()), 0U) << "nothing was read, so nothing is held by the process";
  EXPECT_FALSE(shutDown(c));
}

TEST(ConnectionWatch, ClosesAConnectionThatDoesNotLogOnInTime) {
  Watched w;
  Connection c = connectTo(w.listener);
  const auto now = Clock::now();
  sendAndRead(c, 100);  // half a Logon
  EXPECT_EQ(w.watch.scan(now), 0U);
  EXPECT_EQ(w.watch.scan(now + 9s), 0U);
  EXPECT_FALSE(shutDown(c));
  ASSERT_EQ(w.watch.scan(now + 10s), 1U);
  EXPECT_TRUE(shutDown(c));
  ASSERT_EQ(w.closed.size(), 1U);
  EXPECT_EQ(w.closed[0].reason, ClosedBecause::LogonTimeout);
  EXPECT_EQ(w.closed[0].bytes_read, 100U);
  EXPECT_EQ(w.closed[0].age, 10s);
  EXPECT_NE(w.closed[0].operator_text.find("no Logon accepted within 10 s"), std::string::npos)
      << w.closed[0].operator_text;
}

// A connection that is ending is not watched: the gateway shut it down and keeps its descriptor until
// QuickFIX's reader has let go (a refused Logon, quickfix/send.h), or the peer sent its end of stream.
// Closing it again "for logon timeout" would only put a false security event in the log and the audit trail.
TEST(ConnectionWatch, LeavesAloneAConnectionThatIsEnding) {
  Watched w;
  Connection refused = connectTo(w.listener);
  Connection gone = connectTo(w.listener);
  sendAndRead(refused, 100);
  sendAndRead(gone, 100);
  ASSERT_EQ(::shutdown(refused.accepted.get(), SHUT_RDWR), 0);
  ASSERT_EQ(::shutdown(gone.client.get(), SHUT_WR), 0);
  const auto now = Clock::now();
  EXPECT_EQ(w.watch.scan(now), 0U);
  EXPECT_EQ(w.watch.scan(now + 60s), 0U);
  EXPECT_TRUE(w.closed.empty()) << w.closed.front().operator_text;
}

TEST(ConnectionWatch, ClosesTheNewestConnectionsOfAnAddressPastThePendingLimit) {
  const Listener listener = listenOnLoopback();
  ConnectionLimits limits = kLimits;
  limits.max_pending_per_address = 3;
  std::vector<ClosedConnection> closed;
  ConnectionWatch watch({listener.port}, limits, [&](const ClosedConnection& c) { closed.push_back(c); });
  std::vector<Connection> first;
  for (int i = 0; i < 3; ++i) first.push_back(connectTo(listener));
  const auto now = Clock::now();
  EXPECT_EQ(watch.scan(now), 0U) << "3 connections without a Logon are within the limit of 3";
  std::vector<Connection> more;
  for (int i = 0; i < 2; ++i) more.push_back(connectTo(listener));
  ASSERT_EQ(watch.scan(now + 50ms), 2U);
  for (const auto& c : first) EXPECT_FALSE(shutDown(c)) << "an older connection was closed";
  for (const auto& c : more) EXPECT_TRUE(shutDown(c)) << "a connection past the limit stayed open";
  ASSERT_EQ(closed.size(), 2U);
  for (const auto& c : closed) {
    EXPECT_EQ(c.reason, ClosedBecause::PendingPerAddress);
    EXPECT_EQ(c.peer_address, "127.0.0.1");
    EXPECT_EQ(c.age, 0ms);
    EXPECT_NE(c.operator_text.find("127.0.0.1 already has 3 connections open without a Logon accepted "
                                   "(security.max_pending_connections_per_address)"),
              std::string::npos)
        << c.operator_text;
  }
  EXPECT_EQ(toString(ClosedBecause::PendingPerAddress), "pending-per-address");

  // A connection that logged on no longer counts: one more fits beside the two still waiting.
  const std::atomic<std::uint64_t> messages{0};
  ASSERT_TRUE(watch.authenticated(first[0].accepted.get(), "S1", &messages));
  const Connection fits = connectTo(listener);
  EXPECT_EQ(watch.scan(now + 100ms), 0U);
  EXPECT_FALSE(shutDown(fits));
  const Connection over = connectTo(listener);
  EXPECT_EQ(watch.scan(now + 150ms), 1U);
  EXPECT_TRUE(shutDown(over));
}

TEST(ConnectionWatch, AnAuthenticatedConnectionIsClosedOnlyWhenItsBytesStopFormingMessages) {
  Watched w;
  Connection c = connectTo(w.listener);
  std::atomic<std::uint64_t> messages{0};
  sendAndRead(c, 200);  // the Logon
  messages = 1;
  w.watch.authenticated(c.accepted.get(), "C44A", &messages);
  const auto now = Clock::now();
  EXPECT_EQ(w.watch.scan(now), 0U);
  // Messages keep arriving: 3 x 200 KiB in all, more than the limit, but each scan saw the count move.
  for (int i = 1; i <= 3; ++i) {
    sendAndRead(c, 200 * 1024);
    ++messages;
    EXPECT_EQ(w.watch.scan(now + std::chrono::seconds(20 * i)), 0U) << "round " << i;
  }
  EXPECT_FALSE(shutDown(c)) << "no logon timeout once authenticated";
  // Then 200 KiB, and 100 KiB more, with no message completed: past the 256 KiB limit.
  sendAndRead(c, 200 * 1024);
  EXPECT_EQ(w.watch.scan(now + 70s), 0U);
  sendAndRead(c, 100 * 1024);
  ASSERT_EQ(w.watch.scan(now + 71s), 1U);
  EXPECT_TRUE(shutDown(c));
  ASSERT_EQ(w.closed.size(), 1U);
  EXPECT_EQ(w.closed[0].reason, ClosedBecause::BytesBetweenMessages);
  EXPECT_EQ(w.closed[0].session, "C44A");
  EXPECT_EQ(w.closed[0].bytes_read, 300U * 1024);
  EXPECT_NE(w.closed[0].operator_text.find("of session C44A"), std::string::npos)
      << w.closed[0].operator_text;
}

TEST(ConnectionWatch, LeavesOtherPortsAndListenersAlone) {
  Watched w;
  Listener other = listenOnLoopback();
  Connection elsewhere = connectTo(other);
  sendAndRead(elsewhere, 100 * 1024);
  const auto now = Clock::now();
  EXPECT_EQ(w.watch.scan(now), 0U);
  EXPECT_EQ(w.watch.scan(now + 60s), 0U);
  EXPECT_FALSE(shutDown(elsewhere));
  EXPECT_TRUE(w.closed.empty());
  // The watched listener itself is never touched: a connection made after all that is accepted.
  Connection later = connectTo(w.listener);
  EXPECT_GE(later.accepted.get(), 0);
}

TEST(ConnectionWatch, ItsThreadClosesAConnectionWithinAFewIntervals) {
  const Listener listener = listenOnLoopback();
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<ClosedConnection> closed;
  ConnectionWatch watch({listener.port}, kLimits, [&](const ClosedConnection& c) {
    const std::lock_guard lock(mutex);
    closed.push_back(c);
    wake.notify_all();
  });
  watch.start(10ms);
  Connection c = connectTo(listener);
  sendAndRead(c, 80 * 1024);
  std::unique_lock lock(mutex);
  ASSERT_TRUE(wake.wait_for(lock, 5s, [&] { return !closed.empty(); }));
  EXPECT_EQ(closed[0].reason, ClosedBecause::BytesBeforeLogon);
  lock.unlock();
  watch.stop();
  EXPECT_TRUE(shutDown(c));
}

}  // namespace
}  // namespace fixgate::security
