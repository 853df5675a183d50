// Hostile input over a real socket (issue 6, point 5): garbage bytes, bad checksums and body lengths,
// oversized fields and messages, and floods from one connection or session must leave the gateway serving
// every other session.
//
// Each test starts a real gateway with its simulators (GatewayUnderTest: free ports, processes stopped by
// PID even when the test fails) and one well-behaved FIX 4.4 client, C44A, logged on through QuickFIX. The
// hostile side is raw TCP on 127.0.0.1 to the gateway's client port: unauthenticated connections, or a
// second configured session (C44B, FIX 4.4; C42A for FIX 4.2) that logs on properly with hand-framed FIX and
// then misbehaves. After each input the test asserts that
//   - the gateway process is still running,
//   - C44A still gets an acknowledgement (ExecutionReport 150=0) to a new order within kGoodAckBound,
//   - the misbehaving connection was treated as QuickFIX 1.15.1 treats it (observed, and commented with
//     why that is right per FIX, or that it is not).
// Every loop is bounded in count and in time; every socket wait has a deadline.
// What QuickFIX 1.15.1 leaves unbounded (bytes that never form a message, connections that never log on) is
// bounded by the gateway's connection watch (src/security/connection_watch.h); the tests that found those
// gaps now assert the bounds, with security.logon_timeout_s set to kLogonTimeout.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"

namespace fixgate::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long the well-behaved session may wait for the acknowledgement of a new order after (or during) any
// hostile input. The order path on loopback acknowledges in a few milliseconds; a few seconds is the bound
// the issue sets for "still served".
// Under ASan + UBSan the gateway runs several times slower: bounds grow and floods shrink by this factor.
#ifdef FIXGATE_SANITIZED
constexpr int kSlowdown = 4;
#else
constexpr int kSlowdown = 1;
#endif
constexpr milliseconds kGoodAckBound{3000 * kSlowdown};
// How long a raw connection waits for the gateway's answer (a Logon, a Reject, an ExecutionReport, or EOF).
constexpr milliseconds kRawAnswerTimeout{5000};
constexpr char kSoh = '\x01';
// How much the gateway may grow while 32 MiB of bytes that never form a message are offered: the watch's
// limit plus what a loopback peer gets in during one 50 ms look, with QuickFIX's buffer doubling; while the
// buffer doubles, the old and the new one are both resident (jemalloc copies a growing buffer where glibc's
// mremap moved it: 8-16 MiB of growth measured with jemalloc, so 24 MiB, still under the 32 MiB kept if
// nothing were bounded). Under ASan the freed buffers stay resident in its quarantine, so the bound there
// only says "not all 32 MiB, twice".
#ifdef FIXGATE_SANITIZED
constexpr long kUnframedRssBoundKib = 64 * 1024;
#else
constexpr long kUnframedRssBoundKib = 24 * 1024;
#endif
// security.logon_timeout_s of the gateway under test: short, so that the tests see the watch close a
// connection that never logs on; longer than any wait for a connection that should stay held (1.5 s).
constexpr int kLogonTimeoutS = 4;

void note(const std::string& text) {
  std::cerr << "[ hostile  ] " << text << "\n";
}

long elapsedMs(Clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - since).count());
}

// --- hand-framed FIX -------------------------------------------------------------------------------------

using Fields = std::vector<std::pair<int, std::string>>;

// UTC now as FIX UTCTimestamp with milliseconds (the gateway checks SendingTime within 120 s).
std::string utcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}{:02}{:02}-{:02}:{:02}:{:02}.{:03}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

struct Framing {
  std::string begin_string = "FIX.4.4";
  bool omit_begin_string = false;
  int body_length_delta = 0;  // added to the true BodyLength (9)
  bool bad_checksum = false;  // CheckSum (10) off by one
};

// 8=..|9=..|<fields>|10=..| with the true BodyLength and CheckSum unless `framing` says otherwise.
std::string frame(const Fields& fields, const Framing& framing = {}) {
  std::string body;
  for (const auto& [tag, value] : fields) {
    body += std::to_string(tag);
    body += '=';
    body += value;
    body += kSoh;
  }
  std::string message;
  if (!framing.omit_begin_string) message += "8=" + framing.begin_string + kSoh;
  message += fmt::format("9={}{}", static_cast<long>(body.size()) + framing.body_length_delta, kSoh);
  message += body;
  unsigned sum = 0;
  for (const char c : message) sum += static_cast<unsigned char>(c);
  unsigned checksum = sum % 256;
  if (framing.bad_checksum) checksum = (checksum + 1) % 256;
  message += fmt::format("10={:03}{}", checksum, kSoh);
  return message;
}

Fields header(const std::string& msg_type, const std::string& sender, int seq) {
  return {{35, msg_type}, {49, sender}, {56, "FIXGATE"}, {34, std::to_string(seq)}, {52, utcNow()}};
}

// ResetSeqNumFlag (141=Y): every raw logon starts both sides at 1, whatever an earlier connection of the
// same session left in the gateway's store (QuickFIX disconnects a Logon whose MsgSeqNum is too low).
Fields logonFields(const std::string& sender, int seq = 1) {
  Fields f = header("A", sender, seq);
  f.insert(f.end(), {{98, "0"}, {108, "30"}, {141, "Y"}});
  return f;
}

// A FIX 4.4 limit order to buy 1 AAPL at 10 (rests at SIM-A). `extra` goes at the end (e.g. a huge Text).
Fields newOrderFields(const std::string& sender, int seq, const std::string& cl_ord_id, Fields extra = {}) {
  Fields f = header("D", sender, seq);
  f.insert(f.end(),
           {{11, cl_ord_id}, {55, "AAPL"}, {54, "1"}, {60, utcNow()}, {38, "1"}, {40, "2"}, {44, "10"}});
  f.insert(f.end(), extra.begin(), extra.end());
  return f;
}

// The value of `tag` in a raw message, or "" when absent.
std::string rawField(std::string_view message, int tag) {
  const std::string key = fmt::format("{}{}=", kSoh, tag);
  std::size_t at = message.find(key);
  std::size_t start = 0;
  if (at == std::string_view::npos) {
    const std::string first = fmt::format("{}=", tag);  // the first field has no SOH before it
    if (message.substr(0, first.size()) != first) return "";
    start = first.size();
  } else {
    start = at + key.size();
  }
  const std::size_t end = message.find(kSoh, start);
  return std::string(
      message.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

// What a raw message looks like in a log line: SOH as '|', cut to `max` characters.
std::string printable(std::string_view message, std::size_t max = 300) {
  std::string text(message.substr(0, max));
  std::replace(text.begin(), text.end(), kSoh, '|');
  if (message.size() > max) text += fmt::format("...({} bytes)", message.size());
  return text;
}

// --- a raw TCP connection to the gateway ------------------------------------------------------------------

class RawConnection {
 public:
  // Connects to 127.0.0.1:port (blocking connect, then non-blocking I/O). `receive_buffer` > 0 shrinks
  // SO_RCVBUF before connecting (a client that reads slowly). Throws std::runtime_error on failure.
  explicit RawConnection(std::uint16_t port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      const int error = errno;
      ::close(fd_);
      throw std::runtime_error(fmt::format("connect to 127.0.0.1:{} failed: errno {}", port, error));
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~RawConnection() { close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Sends all of `bytes` unless `timeout` passes first or the peer closes; returns how many bytes went out.
  // Reads (and keeps) whatever arrives meanwhile when `drain` is set, so the gateway's answers never back up.
  std::size_t send(std::string_view bytes, milliseconds timeout, bool drain = true) {
    const auto deadline = Clock::now() + timeout;
    std::size_t sent = 0;
    while (sent < bytes.size() && fd_ >= 0 && !peer_closed_) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        peer_closed_ = true;  // EPIPE / ECONNRESET: the gateway closed the connection
        break;
      }
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) break;
      pollfd p{fd_, static_cast<short>(POLLOUT | (drain ? POLLIN : 0)), 0};
      ::poll(&p, 1, static_cast<int>(std::min<long>(left, 50)));
      if (drain && (p.revents & POLLIN)) readAvailable();
    }
    return sent;
  }

  // Reads what is there now (non-blocking); false once the peer has closed.
  bool readAvailable() {
    char chunk[65536];
    while (fd_ >= 0 && !peer_closed_) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
        received_bytes_ += static_cast<std::size_t>(n);
        split();
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) peer_closed_ = true;
      break;
    }
    return !peer_closed_;
  }

  // Waits until a received, not yet taken message satisfies `predicate`; takes and returns it.
  std::optional<std::string> waitFor(const std::function<bool(const std::string&)>& predicate,
                                     milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      for (std::size_t i = 0; i < messages_.size(); ++i) {
        if (predicate(messages_[i])) {
          std::string found = messages_[i];
          messages_.erase(messages_.begin() + static_cast<long>(i));
          return found;
        }
      }
      if (peer_closed_ || fd_ < 0) return std::nullopt;
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long>(left, 50)));
      readAvailable();
    }
  }
  std::optional<std::string> waitForMsgType(const std::string& msg_type, milliseconds timeout) {
    return waitFor([&](const std::string& m) { return rawField(m, 35) == msg_type; }, timeout);
  }

  // True when the gateway closes the connection within `timeout` (what it sent before is kept).
  bool waitClosed(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!peer_closed_ && fd_ >= 0) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(std::min<long>(left, 50)));
      readAvailable();
    }
    return true;
  }

  [[nodiscard]] bool peerClosed() const { return peer_closed_; }
  [[nodiscard]] const std::vector<std::string>& messages() const { return messages_; }
  [[nodiscard]] const std::vector<std::string>& history() const { return history_; }
  [[nodiscard]] std::size_t receivedBytes() const { return received_bytes_; }
  [[nodiscard]] std::size_t countMsgType(const std::string& msg_type) const {
    return static_cast<std::size_t>(
        std::count_if(messages_.begin(), messages_.end(),
                      [&](const std::string& m) { return rawField(m, 35) == msg_type; }));
  }
  // Everything received, one message a line, for failure messages and notes.
  [[nodiscard]] std::string describe(std::size_t max_messages = 8) const {
    std::string text;
    for (std::size_t i = 0; i < messages_.size() && i < max_messages; ++i) {
      text += "    " + printable(messages_[i]) + "\n";
    }
    if (messages_.size() > max_messages) text += fmt::format("    ... {} messages\n", messages_.size());
    if (!buffer_.empty()) text += "    unframed: " + printable(buffer_) + "\n";
    return text;
  }
  // Forget what arrived (to count a new phase); keeps the connection.
  void clearReceived() { messages_.clear(); }

 private:
  // Moves every complete message (by BodyLength, then CheckSum) from buffer_ to messages_.
  void split() {
    while (true) {
      const std::size_t length_at = buffer_.find(std::string(1, kSoh) + "9=");
      if (buffer_.rfind("8=", 0) != 0 || length_at == std::string::npos) return;
      const std::size_t length_end = buffer_.find(kSoh, length_at + 1);
      if (length_end == std::string::npos) return;
      const long body_length = std::stol(buffer_.substr(length_at + 3, length_end - length_at - 3));
      const std::size_t trailer = length_end + 1 + static_cast<std::size_t>(body_length);
      const std::size_t end = buffer_.find(kSoh, trailer);
      if (end == std::string::npos) return;
      messages_.push_back(buffer_.substr(0, end + 1));
      history_.push_back(messages_.back().substr(0, 512));
      buffer_.erase(0, end + 1);
    }
  }

  int fd_ = -1;
  bool peer_closed_ = false;
  std::string buffer_;
  std::vector<std::string> messages_;  // not yet taken by waitFor()
  std::vector<std::string> history_;   // every message received, cut to 512 bytes
  std::size_t received_bytes_ = 0;
};

// A configured session (C44B by default) driven by hand over a raw connection, for misbehaving after a
// proper logon. Sequence numbers are its own business.
class RawSession {
 public:
  RawSession(std::uint16_t port, std::string sender, std::string begin_string = "FIX.4.4",
             int receive_buffer = 0)
      : connection_(port, receive_buffer),
        sender_(std::move(sender)),
        begin_string_(std::move(begin_string)) {}

  // Sends a Logon (seq 1) and waits for the gateway's Logon. The session's store is fresh in every test.
  ::testing::AssertionResult logon() {
    connection_.send(frame(logonFields(sender_, next_seq_++), framing()), kRawAnswerTimeout);
    if (!connection_.waitForMsgType("A", kRawAnswerTimeout)) {
      return ::testing::AssertionFailure() << sender_ << " did not get a Logon answer within "
                                           << kRawAnswerTimeout.count() << " ms; received:\n"
                                           << connection_.describe();
    }
    return ::testing::AssertionSuccess();
  }

  [[nodiscard]] Framing framing() const { return Framing{.begin_string = begin_string_}; }
  [[nodiscard]] int nextSeq() const { return next_seq_; }
  int takeSeq() { return next_seq_++; }
  [[nodiscard]] const std::string& sender() const { return sender_; }
  RawConnection& connection() { return connection_; }

  // A well-framed new order on the next sequence number; returns its bytes (not yet sent).
  std::string order(const std::string& cl_ord_id, Fields extra = {}) {
    Fields fields = newOrderFields(sender_, next_seq_++, cl_ord_id, std::move(extra));
    if (begin_string_ == "FIX.4.2") fields.push_back({21, "1"});
    return frame(fields, framing());
  }

  // Sends a well-framed order and waits for its acknowledgement (ExecutionReport 150=0).
  std::optional<std::string> orderAcked(const std::string& cl_ord_id, milliseconds timeout) {
    connection_.send(order(cl_ord_id), timeout);
    return connection_.waitFor(
        [&](const std::string& m) {
          return rawField(m, 35) == "8" && rawField(m, 11) == cl_ord_id && rawField(m, 150) == "0";
        },
        timeout);
  }

 private:
  RawConnection connection_;
  std::string sender_;
  std::string begin_string_;
  int next_seq_ = 1;
};

// VmRSS of a process in KiB, 0 when unreadable.
long rssKib(pid_t pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

long threadCount(pid_t pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stol(line.substr(8));
  }
  return 0;
}

// --- the fixture: a gateway, a well-behaved session, and the check that it is still served ---------------

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    GatewayOptions options;
    options.logon_timeout_s = kLogonTimeoutS;
    gateway_ = std::make_unique<GatewayUnderTest>(options);
    ASSERT_TRUE(gateway_->start());
    good_ = gateway_->connectClient("FIX.4.4", "C44A");
    ASSERT_TRUE(goodSessionServed("before any hostile input"));
  }
  void TearDown() override {
    good_.reset();
    gateway_.reset();
  }

  GatewayUnderTest& gateway() { return *gateway_; }
  std::uint16_t port() { return gateway_->clientPort(); }

  // The gateway is running and C44A's new order is acknowledged (150=0) within `bound`.
  ::testing::AssertionResult goodSessionServed(const std::string& after, milliseconds bound = kGoodAckBound) {
    if (!gateway_->gateway().running()) {
      return ::testing::AssertionFailure() << "the gateway exited (" << after << "), status "
                                           << gateway_->gateway().exitStatus().value_or(-1) << "\n"
                                           << gateway_->diagnostics(60);
    }
    const std::string cl_ord_id = fmt::format("GOOD-{}", ++good_orders_);
    const auto sent_at = Clock::now();
    if (good_->send(client::newOrderSingle(client::FixVersion::Fix44,
                                           client::limitOrder(cl_ord_id, "MSFT", '1', "1", "10"))) == 0) {
      return ::testing::AssertionFailure()
             << "C44A could not send " << cl_ord_id << " (" << after << "): not logged on";
    }
    if (!good_->waitForExecReport(cl_ord_id, '0', bound)) {
      return ::testing::AssertionFailure() << "C44A's order " << cl_ord_id << " was not acknowledged within "
                                           << bound.count() << " ms (" << after << ")";
    }
    last_good_ack_ms_ = elapsedMs(sent_at);
    slowest_good_ack_ms_ = std::max(slowest_good_ack_ms_, last_good_ack_ms_);
    note(fmt::format("C44A order {} acknowledged in {} ms ({})", cl_ord_id, last_good_ack_ms_, after));
    return ::testing::AssertionSuccess();
  }

  // Another connection can still log on as C44B and have an order acknowledged: the hostile input did not
  // leave that session registered, locked or with a broken sequence.
  ::testing::AssertionResult sessionStillUsable(const std::string& sender, const std::string& after) {
    RawSession session(port(), sender);
    if (auto logged_on = session.logon(); !logged_on) return logged_on << " (" << after << ")";
    // A new ClOrdID each time: a reused one is refused as a duplicate (FG107), not acknowledged.
    if (!session.orderAcked(fmt::format("{}-AFTER-{}", sender, ++raw_orders_), kRawAnswerTimeout)) {
      return ::testing::AssertionFailure()
             << sender << "'s order after a fresh logon was not acknowledged (" << after << "); received:\n"
             << session.connection().describe();
    }
    return ::testing::AssertionSuccess();
  }

  long last_good_ack_ms_ = 0;
  long slowest_good_ack_ms_ = 0;  // since the last reset by a test

 private:
  std::unique_ptr<GatewayUnderTest> gateway_;
  std::unique_ptr<client::FixClient> good_;
  int good_orders_ = 0;
  int raw_orders_ = 0;
};

// --- unauthenticated connections ----------------------------------------------------------------------

// Random bytes (seeded), from 40 connections of 1..64 KiB each, some of them starting like a FIX message so
// QuickFIX's parser gets past "8=" and into BodyLength. QuickFIX 1.15.1 frames nothing out of bytes without
// "8=" and keeps them; a frame with an unparsable BodyLength is a MessageParseError, after which the
// connection (no session yet) is closed; a frame it can cut but not identify as a configured session's
// ("Session not found") closes the connection too. Either way nothing reaches any session, which is what
// FIX asks of an acceptor: never answer an unidentified peer.
TEST_F(HostileInput, RandomGarbageFromManyConnections) {
  std::mt19937 random(20240605);
  std::uniform_int_distribution<int> size_of(1, 64 * 1024);
  std::uniform_int_distribution<int> byte(0, 255);
  const std::vector<std::string> prefixes = {"", "8=FIX.4.4\x01",
                                             "8=FIX.4.4\x01"
                                             "9=",
                                             "8=FIX.4.4\x01"
                                             "9=12\x01",
                                             "8=FIX.4.4\x01"
                                             "9=abc\x01"};
  int closed_by_gateway = 0;
  int answered = 0;
  const auto started = Clock::now();
  for (int i = 0; i < 40 && elapsedMs(started) < 15000; ++i) {
    RawConnection connection(port());
    std::string bytes = prefixes[static_cast<std::size_t>(i) % prefixes.size()];
    const int size = size_of(random);
    for (int b = 0; b < size; ++b) bytes += static_cast<char>(byte(random));
    connection.send(bytes, milliseconds(2000));
    connection.waitClosed(milliseconds(25));
    if (connection.peerClosed()) ++closed_by_gateway;
    if (connection.receivedBytes() > 0) ++answered;
    if (i % 10 == 9) {
      ASSERT_TRUE(goodSessionServed(fmt::format("after {} garbage connections", i + 1)));
    }
  }
  note(fmt::format("40 garbage connections: {} closed by the gateway within 25 ms, {} got any byte back",
                   closed_by_gateway, answered));
  // An unidentified peer gets nothing back: no Logon, no Reject, no Logout.
  EXPECT_EQ(answered, 0);
  ASSERT_TRUE(goodSessionServed("after every garbage connection"));
  ASSERT_TRUE(sessionStillUsable("C44B", "after garbage connections"));
}

// A connection that sends nothing, and one that sends half a Logon and stays (both held while the good
// session trades), then half a Logon and close. QuickFIX 1.15.1 has no logon timeout for a connection that
// has not yet named a session (Session's LogonTimeout starts only once a Logon framed), so each would hold
// an acceptor thread as long as the peer liked; the gateway's connection watch closes both once
// security.logon_timeout_s has passed without a Logon. Meanwhile the good session is served and C44B can
// still log on (a half Logon does not register the session).
TEST_F(HostileInput, SilentAndHalfMessageConnections) {
  const long threads_before = threadCount(gateway().gateway().pid());
  RawConnection silent(port());
  const std::string logon = frame(logonFields("C44B"));
  RawConnection half_open(port());
  half_open.send(std::string_view(logon).substr(0, logon.size() / 2), milliseconds(1000));
  {
    RawConnection half_closed(port());
    half_closed.send(std::string_view(logon).substr(0, logon.size() / 2), milliseconds(1000));
  }  // closed here, half a message sent

  ASSERT_TRUE(goodSessionServed("with a silent and a half-message connection open"));
  ASSERT_TRUE(sessionStillUsable("C44B", "while half of a C44B Logon sits on another connection"));

  const long threads_during = threadCount(gateway().gateway().pid());
  const auto deadline = milliseconds((kLogonTimeoutS + 3) * 1000 * kSlowdown);
  const bool silent_closed = silent.waitClosed(deadline);
  const bool half_closed = half_open.waitClosed(deadline);
  // QuickFIX's connection threads notice the shutdown within their 1 s poll and end.
  const auto threads_deadline = Clock::now() + milliseconds(3000 * kSlowdown);
  while (threadCount(gateway().gateway().pid()) > threads_before && Clock::now() < threads_deadline)
    std::this_thread::sleep_for(milliseconds(100));
  note(fmt::format("silent connection {}, half-message connection {}; gateway threads {} -> {} -> {}",
                   silent_closed ? "closed by the gateway" : "still open",
                   half_closed ? "closed by the gateway" : "still open", threads_before, threads_during,
                   threadCount(gateway().gateway().pid())));
  EXPECT_TRUE(silent_closed) << "no logon within security.logon_timeout_s (" << kLogonTimeoutS << " s)";
  EXPECT_TRUE(half_closed) << "no logon within security.logon_timeout_s (" << kLogonTimeoutS << " s)";
  EXPECT_EQ(silent.receivedBytes(), 0U);
  EXPECT_EQ(half_open.receivedBytes(), 0U);
  EXPECT_LE(threadCount(gateway().gateway().pid()), threads_before)
      << "the closed connections' acceptor threads should have ended";
  EXPECT_TRUE(
      gateway().gateway().waitForOutput("no Logon accepted within " + std::to_string(kLogonTimeoutS) + " s",
                                        milliseconds(3000)));  // logged just after the close
  ASSERT_TRUE(goodSessionServed("after the silent and half-message connections"));
}

// One address opens many connections and never logs on: each would hold an acceptor thread until its logon
// timeout, and an address connecting in a loop could hold thousands. The watch keeps
// security.max_pending_connections_per_address (32 by default) of them and closes those past it at its next
// look, long before the logon timeout; the logged-on session (not counted) is served throughout.
TEST_F(HostileInput, ConnectionsThatNeverLogOnAreCappedPerAddress) {
  constexpr int kConnections = 40;
  constexpr int kPendingLimit = 32;  // the gateway's default
  const auto opened = Clock::now();
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < kConnections; ++i) connections.push_back(std::make_unique<RawConnection>(port()));
  const auto closedCount = [&] {
    int closed = 0;
    for (auto& c : connections) closed += c->waitClosed(milliseconds(3)) ? 1 : 0;  // reads what came
    return closed;
  };
  int closed = 0;
  while ((closed = closedCount()) < kConnections - kPendingLimit && elapsedMs(opened) < 3000)
    std::this_thread::sleep_for(milliseconds(20));
  std::this_thread::sleep_for(milliseconds(200));  // four more looks of the watch: nothing else is closed
  closed = closedCount();
  const auto elapsed = elapsedMs(opened);
  note(fmt::format("{} connections without a Logon from 127.0.0.1: {} closed by the gateway within {} ms",
                   kConnections, closed, elapsed));
  ASSERT_LT(elapsed, kLogonTimeoutS * 1000 - 200) << "too slow to tell the cap from the logon timeout";
  EXPECT_EQ(closed, kConnections - kPendingLimit);
  for (const auto& c : connections) EXPECT_EQ(c->receivedBytes(), 0U) << "an unidentified peer got an answer";
  EXPECT_TRUE(gateway().gateway().waitForOutput(
      "127.0.0.1 already has 32 connections open without a Logon accepted", milliseconds(3000)));
  ASSERT_TRUE(goodSessionServed("with 32 connections that never log on open"));
}

// Well-formed-looking Logons for C44B that break the framing rules, each on its own connection:
//   - wrong CheckSum (10): QuickFIX frames it, the checksum check throws InvalidMessage, and because it is a
//     Logon the session disconnects: closed, nothing sent back. Right per FIX (a garbled message is never
//     answered; an invalid Logon ends the connection).
//   - BodyLength (9) too short: framed at the real CheckSum anyway (QuickFIX searches for "10=" from where
//     the body should end), then the length check fails: closed, nothing sent back, as for the checksum.
//   - BodyLength too long: QuickFIX waits for the bytes it was promised; nothing happens until the peer
//     sends them or goes away. Not answered; the connection is held.
//   - no BeginString (8): QuickFIX only starts a frame at "8=", so the bytes are never framed: held, not
//     answered.
// After each, C44B logs on properly on a new connection and trades.
TEST_F(HostileInput, MalformedLogons) {
  struct Case {
    std::string name;
    Framing framing;
    bool closes;  // observed QuickFIX 1.15.1 behaviour
  };
  const std::vector<Case> cases = {
      {"wrong CheckSum", Framing{.bad_checksum = true}, true},
      {"BodyLength 5 too short", Framing{.body_length_delta = -5}, true},
      {"BodyLength 50 too long", Framing{.body_length_delta = 50}, false},
      {"no BeginString", Framing{.omit_begin_string = true}, false},
  };
  for (const Case& c : cases) {
    RawConnection connection(port());
    const std::string bytes = frame(logonFields("C44B"), c.framing);
    connection.send(bytes, milliseconds(1000));
    const bool closed = connection.waitClosed(milliseconds(1500));
    note(fmt::format("Logon with {}: {}, {} bytes back{}", c.name,
                     closed ? "connection closed by the gateway" : "connection held open",
                     connection.receivedBytes(),
                     connection.describe().empty() ? "" : ":\n" + connection.describe()));
    EXPECT_EQ(closed, c.closes) << c.name << ": " << printable(bytes);
    EXPECT_EQ(connection.receivedBytes(), 0U) << c.name << ": a malformed Logon must not be answered";
    connection.close();
    ASSERT_TRUE(goodSessionServed("after a Logon with " + c.name));
    ASSERT_TRUE(sessionStillUsable("C44B", "after a Logon with " + c.name));
  }
}

// Someone connects as C44A while the real C44A is logged on. QuickFIX 1.15.1 waits up to 5 s for the
// session to become free, then closes the intruder's connection without a word; the real C44A stays logged
// on and keeps trading. Right: a second Logon for a logged-on session must not take it over.
TEST_F(HostileInput, LogonAsAnAlreadyLoggedOnSession) {
  RawConnection intruder(port());
  intruder.send(frame(logonFields("C44A")), milliseconds(1000));
  ASSERT_TRUE(goodSessionServed("while an intruder's Logon as C44A waits"));
  const auto started = Clock::now();
  const bool closed = intruder.waitClosed(milliseconds(8000));
  note(fmt::format("intruder as C44A: {} after {} ms, {} bytes back", closed ? "closed" : "still open",
                   elapsedMs(started), intruder.receivedBytes()));
  EXPECT_TRUE(closed);
  EXPECT_EQ(intruder.receivedBytes(), 0U) << intruder.describe();
  ASSERT_TRUE(goodSessionServed("after the intruder as C44A was turned away"));
}

// An oversized field and an oversized message from unauthenticated connections:
//   - a Logon for C44B with a 1 MiB Password (554), correctly framed: QuickFIX reads and frames the whole
//     megabyte within a few milliseconds, and C44B has no username, so it logs on. Recorded as observed (FIX
//     puts no limit on a field's length). The connection watch looks every 50 ms, so a message completed
//     between two looks is not caught, and need not be: it no longer takes memory.
//   - a Logon-like frame declaring BodyLength 200,000,000 followed by 4 MiB: QuickFIX alone would buffer it
//     for as long as the connection lasted, waiting for the 200 MB promised; the connection watch closes it
//     unanswered once more than security.max_bytes_before_logon (64 KiB) has been read.
TEST_F(HostileInput, OversizedFieldAndMessageBeforeLogon) {
  {
    RawConnection connection(port());
    Fields logon = logonFields("C44B");
    logon.push_back({554, std::string(1 << 20, 'P')});
    connection.send(frame(logon), milliseconds(5000));
    const auto answer = connection.waitFor([](const std::string&) { return true; }, kRawAnswerTimeout);
    note(fmt::format("Logon with a 1 MiB Password: {}{}", answer ? "answered " : "no answer",
                     answer ? printable(*answer) : (connection.peerClosed() ? ", closed" : ", held")));
    ASSERT_TRUE(goodSessionServed("after a Logon with a 1 MiB Password"));
  }
  ASSERT_TRUE(goodSessionServed("after the 1 MiB-Password connection closed"));
  ASSERT_TRUE(sessionStillUsable("C44B", "after a Logon with a 1 MiB Password"));

  {
    RawConnection connection(port());
    std::string bytes =
        "8=FIX.4.4\x01"
        "9=200000000\x01"
        "35=A\x01"
        "49=C44B\x01"
        "56=FIXGATE\x01";
    bytes += std::string(4 << 20, 'X');
    const std::size_t sent = connection.send(bytes, milliseconds(5000));
    const bool closed = connection.waitClosed(milliseconds(2000));
    note(fmt::format("frame declaring 200 MB, {} of {} bytes sent: {}, {} bytes back", sent, bytes.size(),
                     closed ? "closed" : "held", connection.receivedBytes()));
    EXPECT_TRUE(closed) << "more than max_bytes_before_logon read";
    EXPECT_EQ(connection.receivedBytes(), 0U);
    ASSERT_TRUE(goodSessionServed("with 4 MiB of an oversized message buffered"));
  }
  ASSERT_TRUE(goodSessionServed("after the oversized-message connection closed"));
  ASSERT_TRUE(sessionStillUsable("C44B", "after an oversized message"));
}

// Memory: bytes that never form a frame (no "8=") are kept by QuickFIX 1.15.1's parser for as long as the
// connection lasts, with no limit (Parser::readFixMessage only drops what precedes an "8="). This test found
// that (VmRSS grew by all 32 MiB sent, given back only when the peer closed, before any logon); the gateway's
// connection watch now closes a connection that has read more than security.max_bytes_before_logon without
// a Logon accepted. The test streams up to 32 MiB from one unauthenticated connection (bounded at 20 s) and
// asserts the gateway closes it and grows by less than 24 MiB meanwhile.
// What offering up to 32 MiB of bytes that never form a message did to the gateway.
struct UnframedOffer {
  std::size_t sent = 0;
  long elapsed_ms = 0;
  long rss_growth_kib = 0;  // the most the gateway's VmRSS grew while the bytes were sent
  bool closed = false;      // the gateway closed the connection (within 2 s after the last byte)
};

// Streams 1 MiB chunks of `fill` on `connection`, up to 32 MiB and 20 s, until the gateway `pid` closes it.
UnframedOffer offerUnframedBytes(RawConnection& connection, char fill, pid_t pid) {
  UnframedOffer offer;
  const long rss_before = rssKib(pid);
  long rss_most = rss_before;
  const std::string chunk(1 << 20, fill);
  const auto started = Clock::now();
  for (int i = 0; i < 32 && elapsedMs(started) < 20000; ++i) {
    offer.sent += connection.send(chunk, milliseconds(5000));
    rss_most = std::max(rss_most, rssKib(pid));
    if (connection.peerClosed()) break;
  }
  offer.closed = connection.peerClosed() || connection.waitClosed(milliseconds(2000));
  offer.elapsed_ms = elapsedMs(started);
  offer.rss_growth_kib = rss_most - rss_before;
  note(fmt::format("{} unframed bytes sent in {} ms; gateway VmRSS {} KiB -> {} KiB (+{} KiB); {}",
                   offer.sent, offer.elapsed_ms, rss_before, rss_most, offer.rss_growth_kib,
                   offer.closed ? "closed by the gateway" : "connection held"));
  return offer;
}

TEST_F(HostileInput, UnframedBytesBeforeLogonAreBoundedByTheConnectionWatch) {
  RawConnection connection(port());
  const UnframedOffer offer = offerUnframedBytes(connection, 'A', gateway().gateway().pid());
  EXPECT_TRUE(offer.closed) << "more than max_bytes_before_logon read without a Logon";
  EXPECT_LT(offer.sent, std::size_t{32} << 20)
      << "the gateway should have stopped reading long before 32 MiB";
  EXPECT_LT(offer.rss_growth_kib, kUnframedRssBoundKib) << "the gateway kept the unframed bytes";
  EXPECT_TRUE(
      gateway().gateway().waitForOutput("no Logon accepted (security.max_bytes_before_logon is 65536)",
                                        milliseconds(3000)));  // logged just after the close
  ASSERT_TRUE(goodSessionServed("after 32 MiB of unframed bytes were offered on another connection"));
}

// --- a configured session that logs on properly, then misbehaves ---------------------------------------

// Mid-session, C44B sends: an order with a wrong CheckSum, an order with a wrong BodyLength, and random
// garbage between messages. QuickFIX 1.15.1 drops a garbled message without answering and without taking
// its sequence number (logged as an event), so the next well-framed message on the same MsgSeqNum is
// accepted; garbage without "8=" is skipped up to the next frame. That is what FIX prescribes for garbled
// messages (ignore; no Reject, which would need a sequence number the message never validly had). C44B
// stays logged on and its good orders are acknowledged.
TEST_F(HostileInput, BadChecksumsAndGarbageMidSession) {
  RawSession session(port(), "C44B");
  ASSERT_TRUE(session.logon());
  ASSERT_TRUE(session.orderAcked("B-OK-1", kRawAnswerTimeout)) << session.connection().describe();

  RawConnection& connection = session.connection();
  const int bad_seq = session.nextSeq();
  Framing bad_checksum = session.framing();
  bad_checksum.bad_checksum = true;
  connection.send(frame(newOrderFields("C44B", bad_seq, "B-BADSUM"), bad_checksum), milliseconds(1000));
  Framing short_length = session.framing();
  short_length.body_length_delta = -3;
  connection.send(frame(newOrderFields("C44B", bad_seq, "B-BADLEN"), short_length), milliseconds(1000));
  std::mt19937 random(7);
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>('a' + random() % 26);  // no "8=" in it
  connection.send(garbage, milliseconds(1000));

  ASSERT_TRUE(goodSessionServed("after C44B's garbled messages"));
  // The garbled ones took no sequence number: the next order goes out on bad_seq and is acknowledged.
  ASSERT_EQ(session.takeSeq(), bad_seq);
  connection.send(frame(newOrderFields("C44B", bad_seq, "B-OK-2"), session.framing()), milliseconds(1000));
  const auto ack = connection.waitFor(
      [](const std::string& m) { return rawField(m, 11) == "B-OK-2" && rawField(m, 150) == "0"; },
      kRawAnswerTimeout);
  std::string received;
  for (const std::string& m : connection.history()) received += "    " + printable(m, 200) + "\n";
  note("C44B received, garbled messages included:\n" + received);
  ASSERT_TRUE(ack) << "C44B's order after the garbled messages was not acknowledged:\n"
                   << connection.describe();
  EXPECT_FALSE(connection.peerClosed());
  for (const std::string& m : connection.history()) {
    EXPECT_NE(rawField(m, 11), "B-BADSUM") << "a message with a bad CheckSum was processed";
    EXPECT_NE(rawField(m, 11), "B-BADLEN") << "a message with a bad BodyLength was processed";
    EXPECT_NE(rawField(m, 35), "3") << "a garbled message was answered with a Reject: " << printable(m);
    EXPECT_NE(rawField(m, 35), "2") << "a garbled message caused a ResendRequest: " << printable(m);
  }

  // A well-framed order without Side (54), by contrast, is a valid frame with invalid content: QuickFIX
  // answers with a session Reject (35=3) naming the tag (371=54) and the reason (373=1, required tag
  // missing), takes the sequence number, and the session goes on - FIX's rule for a message that is
  // received intact but fails validation.
  const int no_side_seq = session.takeSeq();
  Fields no_side = newOrderFields("C44B", no_side_seq, "B-NOSIDE");
  no_side.erase(std::remove_if(no_side.begin(), no_side.end(), [](const auto& f) { return f.first == 54; }),
                no_side.end());
  connection.send(frame(no_side, session.framing()), milliseconds(1000));
  const auto reject = connection.waitForMsgType("3", kRawAnswerTimeout);
  ASSERT_TRUE(reject) << "no session Reject for an order without Side:\n" << connection.describe();
  note("order without Side: " + printable(*reject));
  EXPECT_EQ(rawField(*reject, 45), std::to_string(no_side_seq));
  EXPECT_EQ(rawField(*reject, 371), "54");
  EXPECT_EQ(rawField(*reject, 373), "1");
  ASSERT_TRUE(session.orderAcked("B-OK-3", kRawAnswerTimeout)) << connection.describe();
  ASSERT_TRUE(goodSessionServed("after C44B's rejected order"));
}

// Oversized fields on a logged-on session: a NewOrderSingle with a 1 MiB Text (58), one with a 1 MiB
// ClOrdID (11). Observed behaviour is logged; asserted: C44B gets an answer to each (ExecutionReport or
// Reject), stays logged on and can trade, and C44A is served throughout.
TEST_F(HostileInput, OversizedFieldsMidSession) {
  RawSession session(port(), "C44B");
  ASSERT_TRUE(session.logon());
  RawConnection& connection = session.connection();

  const std::string huge(1 << 20, 'T');
  const int text_seq = session.nextSeq();
  connection.send(session.order("B-BIGTEXT", {{58, huge}}), milliseconds(5000));
  const auto text_answer = connection.waitFor(
      [&](const std::string& m) {
        return (rawField(m, 11) == "B-BIGTEXT" && rawField(m, 150) != "A") ||
               (rawField(m, 35) == "3" && rawField(m, 45) == std::to_string(text_seq));
      },
      kRawAnswerTimeout);
  note("1 MiB Text: " + (text_answer ? printable(*text_answer) : std::string("no answer")));
  ASSERT_TRUE(goodSessionServed("after a NewOrderSingle with a 1 MiB Text"));

  const std::string huge_id(1 << 20, 'I');
  const int id_seq = session.nextSeq();
  connection.send(session.order(huge_id), milliseconds(5000));
  const auto id_answer = connection.waitFor(
      [&](const std::string& m) {
        return (rawField(m, 35) == "8" && rawField(m, 11).size() == huge_id.size() &&
                rawField(m, 150) != "A") ||
               (rawField(m, 35) == "3" && rawField(m, 45) == std::to_string(id_seq)) ||
               (rawField(m, 35) == "j" && rawField(m, 45) == std::to_string(id_seq));
      },
      kRawAnswerTimeout);
  note("1 MiB ClOrdID: " + (id_answer ? printable(*id_answer) : std::string("no answer")));
  ASSERT_TRUE(goodSessionServed("after a NewOrderSingle with a 1 MiB ClOrdID"));

  EXPECT_TRUE(text_answer) << connection.describe();
  EXPECT_TRUE(id_answer) << connection.describe();
  EXPECT_FALSE(connection.peerClosed());
  ASSERT_TRUE(session.orderAcked("B-AFTER-BIG", kRawAnswerTimeout)) << connection.describe();
}

// A logged-on session that starts sending bytes that never form a message: QuickFIX would keep them all;
// the connection watch closes the connection once it has read more than security.max_bytes_between_messages
// (4 MiB by default) since the session's last message. Up to 32 MiB are offered (bounded at 20 s); asserted:
// closed, the gateway grows by less than 24 MiB, C44A served, and C44B can log on again and trade.
TEST_F(HostileInput, UnframedBytesFromALoggedOnSessionAreBoundedByTheConnectionWatch) {
  {
    RawSession session(port(), "C44B");
    ASSERT_TRUE(session.logon());
    const UnframedOffer offer = offerUnframedBytes(session.connection(), 'G', gateway().gateway().pid());
    EXPECT_TRUE(offer.closed) << "more than max_bytes_between_messages read without a message";
    EXPECT_LT(offer.sent, std::size_t{32} << 20);
    EXPECT_LT(offer.rss_growth_kib, kUnframedRssBoundKib) << "the gateway kept the unframed bytes";
  }
  EXPECT_TRUE(gateway().gateway().waitForOutput("of session it-C44B: ",
                                                milliseconds(3000)));  // logged just after the close
  ASSERT_TRUE(goodSessionServed("after C44B's unframed bytes"));
  ASSERT_TRUE(sessionStillUsable("C44B", "after its connection was closed for unframed bytes"));
}

// The other side of that bound: a logged-on session whose messages are all invalid (orders without Side,
// each with a 64 KiB Text, 96 of them: 6 MiB in all, more than security.max_bytes_between_messages) gets a
// session Reject for each and stays connected. A Reject answers a message QuickFIX framed, so the watch
// counts it as a message received (ClientSessions::toAdmin); without that, this session would be closed.
TEST_F(HostileInput, InvalidMessagesAnsweredWithRejectsDoNotCountAsUnframedBytes) {
  RawSession session(port(), "C44B");
  ASSERT_TRUE(session.logon());
  RawConnection& connection = session.connection();
  constexpr int kInvalid = 96;
  const std::string text(64 * 1024, 'T');
  int rejects = 0;
  const auto started = Clock::now();
  for (int i = 0; i < kInvalid && elapsedMs(started) < 20000 * kSlowdown; ++i) {
    Fields no_side = newOrderFields("C44B", session.takeSeq(), fmt::format("B-NOSIDE-{}", i), {{58, text}});
    std::erase_if(no_side, [](const auto& f) { return f.first == 54; });
    connection.send(frame(no_side, session.framing()), milliseconds(5000));
    if (!connection.waitForMsgType("3", kRawAnswerTimeout)) break;
    ++rejects;
    std::this_thread::sleep_for(milliseconds(5));  // spread over many of the watch's 50 ms looks
  }
  note(fmt::format("{} invalid orders of 64 KiB answered with a Reject in {} ms; connection {}", rejects,
                   elapsedMs(started), connection.peerClosed() ? "closed" : "open"));
  EXPECT_EQ(rejects, kInvalid) << connection.describe();
  EXPECT_FALSE(connection.peerClosed());
  ASSERT_TRUE(session.orderAcked("B-AFTER-REJECTS", kRawAnswerTimeout)) << connection.describe();
  EXPECT_EQ(gateway().gateway().log().find("since its last complete message"), std::string::npos);
  ASSERT_TRUE(goodSessionServed("after C44B's invalid orders"));
}

struct FloodResult {
  std::size_t messages_sent = 0;
  long send_ms = 0;      // until the last byte was taken by the socket
  long answered_ms = 0;  // until every answer arrived (or the bound passed)
  std::size_t answers = 0;
  bool closed = false;
};

// Sends `count` messages made by `make(i)` as fast as the socket takes them, bounded by `limit`; reads the
// answers meanwhile when `drain` is set. Runs on its own thread so the good session can be probed.
FloodResult flood(RawSession& session, int count, const std::function<std::string(int)>& make,
                  milliseconds limit, bool drain) {
  FloodResult result;
  const auto started = Clock::now();
  const auto deadline = started + limit;
  std::string batch;
  for (int i = 0; i < count && Clock::now() < deadline; ++i) {
    batch += make(i);
    if (batch.size() >= 64 * 1024 || i + 1 == count) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      const std::size_t sent = session.connection().send(batch, std::max(left, milliseconds(1)), drain);
      if (sent < batch.size()) break;  // the gateway stopped reading, or the time is up
      result.messages_sent = static_cast<std::size_t>(i) + 1;
      batch.clear();
    }
    if (session.connection().peerClosed()) break;
  }
  result.send_ms = elapsedMs(started);
  result.closed = session.connection().peerClosed();
  return result;
}

// After a reading flood: waits (bounded by `limit`) until `count_answers()` reaches what was sent.
void awaitAnswers(RawSession& session, FloodResult& result, const std::function<std::size_t()>& count_answers,
                  milliseconds limit) {
  const auto started = Clock::now();
  while (count_answers() < result.messages_sent && Clock::now() - started < limit &&
         !session.connection().peerClosed()) {
    session.connection().waitFor([](const std::string&) { return false; }, milliseconds(100));
  }
  result.answers = count_answers();
  result.answered_ms = result.send_ms + elapsedMs(started);
  result.closed = session.connection().peerClosed();
}

// Probes C44A every 200 ms while `running` and returns the slowest acknowledgement (ms); a probe that is
// not acknowledged within kGoodAckBound fails the test.
class GoodSessionProbe {
 public:
  explicit GoodSessionProbe(std::function<::testing::AssertionResult(const std::string&)> probe)
      : probe_(std::move(probe)) {}
  // Runs on the caller's thread until `done` or `limit`.
  void run(const std::atomic<bool>& done, milliseconds limit) {
    const auto started = Clock::now();
    while (!done.load() && Clock::now() - started < limit) {
      const auto result = probe_(fmt::format("during the flood, probe {}", ++probes_));
      if (!result) {
        failures_.push_back(result.message());
        if (failures_.size() >= 2) return;
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
  }
  int probes_ = 0;
  std::vector<std::string> failures_;

 private:
  std::function<::testing::AssertionResult(const std::string&)> probe_;
};

// C44B floods 20,000 NewOrderSingles (AAPL, resting at SIM-A) as fast as the socket takes them, reading its
// acknowledgements meanwhile, bounded at 10 s to send and 15 s for the answers. C44A is probed every 200 ms
// until the flood's last acknowledgement has arrived (the gateway works through the backlog for seconds
// after the socket took the bytes) and must be acknowledged within kGoodAckBound each time; afterwards the
// gateway is running, and C44B is still logged on and got every acknowledgement. The permissive limits set no
// max_messages_per_second, so nothing throttles C44B: this is the gateway's fairness under load, not the
// throttle.
TEST_F(HostileInput, FloodOfNewOrdersWhileReading) {
  RawSession session(port(), "C44B");
  ASSERT_TRUE(session.logon());
  constexpr int kFlood = 20000 / kSlowdown;
  std::atomic<bool> done{false};
  FloodResult result;
  std::thread flooder([&] {
    result = flood(
        session, kFlood, [&](int i) { return session.order(fmt::format("FL-{}", i)); }, milliseconds(10000),
        true);
    awaitAnswers(
        session, result, [&] { return session.connection().countMsgType("8"); },
        milliseconds(15000 * kSlowdown));
    done = true;
  });
  slowest_good_ack_ms_ = 0;
  GoodSessionProbe probe([this](const std::string& when) { return goodSessionServed(when); });
  probe.run(done, milliseconds(30000));
  flooder.join();
  note(fmt::format(
      "flood of {} NewOrderSingles: socket took them in {} ms, {} ExecutionReports back after {} ms; "
      "C44A probed {} times meanwhile, slowest ack {} ms; {}",
      result.messages_sent, result.send_ms, result.answers, result.answered_ms, probe.probes_,
      slowest_good_ack_ms_, result.closed ? "C44B disconnected" : "C44B still connected"));
  for (const std::string& failure : probe.failures_) ADD_FAILURE() << failure;
  EXPECT_EQ(result.messages_sent, static_cast<std::size_t>(kFlood));
  EXPECT_EQ(result.answers, result.messages_sent) << "every order of the flood gets its acknowledgement";
  EXPECT_FALSE(result.closed);
  ASSERT_TRUE(goodSessionServed("after the flood of NewOrderSingles"));
}

// C44B floods 20,000 TestRequests (35=1); QuickFIX answers each with a Heartbeat carrying its TestReqID, on
// C44B's own connection thread, without the gateway's order path. C44A must stay served.
TEST_F(HostileInput, FloodOfTestRequests) {
  RawSession session(port(), "C44B");
  ASSERT_TRUE(session.logon());
  constexpr int kFlood = 20000 / kSlowdown;
  std::atomic<bool> done{false};
  FloodResult result;
  std::thread flooder([&] {
    result = flood(
        session, kFlood,
        [&](int i) {
          Fields f = header("1", "C44B", session.takeSeq());
          f.push_back({112, fmt::format("TR-{}", i)});
          return frame(f, session.framing());
        },
        milliseconds(10000), true);
    awaitAnswers(
        session, result, [&] { return session.connection().countMsgType("0"); },
        milliseconds(15000 * kSlowdown));
    done = true;
  });
  slowest_good_ack_ms_ = 0;
  GoodSessionProbe probe([this](const std::string& when) { return goodSessionServed(when); });
  probe.run(done, milliseconds(30000));
  flooder.join();
  note(
      fmt::format("flood of {} TestRequests: socket took them in {} ms, {} Heartbeats back after {} ms; C44A "
                  "probed {} times meanwhile, slowest ack {} ms; {}",
                  result.messages_sent, result.send_ms, result.answers, result.answered_ms, probe.probes_,
                  slowest_good_ack_ms_, result.closed ? "C44B disconnected" : "C44B still connected"));
  for (const std::string& failure : probe.failures_) ADD_FAILURE() << failure;
  EXPECT_EQ(result.messages_sent, static_cast<std::size_t>(kFlood));
  EXPECT_EQ(result.answers, result.messages_sent) << "every TestRequest gets its Heartbeat";
  EXPECT_FALSE(result.closed);
  ASSERT_TRUE(goodSessionServed("after the flood of TestRequests"));
}

// C44B floods NewOrderSingles and never reads its socket (receive buffer shrunk to 4 KiB), bounded at 20,000
// orders and 8 s; then C44A is probed while C44B still has not read. A client that stops reading must cost
// only its own session.
//
// This test found the bug it now guards: reports went out on the runtime's lock, so C44B's full socket
// blocked send(2) inside QuickFIX and with it every other session. Reports now go through a per-session
// outbox thread (src/fix/client_sessions.h), and a write blocked for kClientSendTimeout disconnects the
// session that does not read (checked in its log line since the venue stall test found that QuickFIX
// 1.15.1 hides a timed-out write).
TEST_F(HostileInput, FloodFromASessionThatNeverReads) {
  RawSession session(port(), "C44B", "FIX.4.4", 4096);
  ASSERT_TRUE(session.logon());
  std::atomic<bool> done{false};
  FloodResult result;
  std::thread flooder([&] {
    result = flood(
        session, 20000 / kSlowdown, [&](int i) { return session.order(fmt::format("NR-{}", i)); },
        milliseconds(8000), false);
    done = true;
  });
  GoodSessionProbe probe([this](const std::string& when) { return goodSessionServed(when); });
  probe.run(done, milliseconds(10000));
  flooder.join();
  note(
      fmt::format("non-reading flood: {} NewOrderSingles taken by the socket in {} ms; C44A probed {} times, "
                  "{} failures",
                  result.messages_sent, result.send_ms, probe.probes_, probe.failures_.size()));
  for (const std::string& failure : probe.failures_) ADD_FAILURE() << failure;
  EXPECT_TRUE(goodSessionServed("while C44B has unread reports backed up"));
  // QuickFIX 1.15.1 does not report a timed-out write; the gateway must find it by the time it took. The
  // socket took the flood long before the gateway has answered it all: on a loaded machine the write that
  // blocks may come seconds later, so the bound is generous (the wait ends when the line appears).
  EXPECT_TRUE(gateway().gateway().waitForOutput(
      "did not take a report within 2000 ms: its client is not reading", milliseconds(20000)))
      << "the gateway never disconnected C44B for not reading\n"
      << gateway().diagnostics(20);
  session.connection().close();
  ASSERT_TRUE(goodSessionServed("after the non-reading C44B closed", milliseconds(10000)));
}

}  // namespace
}  // namespace fixgate::testing
