// sendBufferHasRoom decides whether a client report is written on the producing thread (under the engine
// lock) or queued for the session's sender: a wrong "room" would let a client that stops reading block the
// engine, so it is checked against real loopback sockets filled until the kernel refuses more.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "admin/unique_fd.h"
#include "quickfix/send.h"

namespace {

using fixgate::admin::UniqueFd;

void setBuffer(int fd, int option, int bytes) {
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof bytes), 0);
}

// A connected loopback TCP pair with small buffers, so that a test fills them in a few hundred KiB.
struct TcpPair {
  UniqueFd writer{::socket(AF_INET, SOCK_STREAM, 0)};
  UniqueFd reader;
};

void connectPair(TcpPair& pair) {
  const UniqueFd listener(::socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_GE(listener.get(), 0);
  ASSERT_GE(pair.writer.get(), 0);
  setBuffer(listener.get(), SO_RCVBUF, 32 * 1024);  // inherited by the accepted socket
  setBuffer(pair.writer.get(), SO_SNDBUF, 64 * 1024);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  ASSERT_EQ(::connect(pair.writer.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  pair.reader = UniqueFd(::accept(listener.get(), nullptr, nullptr));
  ASSERT_GE(pair.reader.get(), 0);
}

// Writes without blocking until the kernel takes no more (the reader does not read); returns the bytes taken.
std::size_t fillUntilRefused(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  const std::vector<char> chunk(1024, 'x');
  std::size_t taken = 0;
  for (int i = 0; i < 100'000; ++i) {  // bounded: small buffers fill in well under a thousand writes
    const auto n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    taken += static_cast<std::size_t>(n);
  }
  fcntl(fd, F_SETFL, flags);
  return taken;
}

TEST(SendBufferHasRoom, NoSocketHasNoRoom) {
  EXPECT_FALSE(fixgate::quickfix::sendBufferHasRoom(-1));
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const UniqueFd read_end(pipe_fds[0]);
  const UniqueFd write_end(pipe_fds[1]);
  EXPECT_FALSE(fixgate::quickfix::sendBufferHasRoom(write_end.get()));  // not a socket: cannot tell
}

TEST(SendBufferHasRoom, AFreshConnectionHasRoom) {
  TcpPair pair;
  ASSERT_NO_FATAL_FAILURE(connectPair(pair));
  EXPECT_TRUE(fixgate::quickfix::sendBufferHasRoom(pair.writer.get()));
}

TEST(SendBufferHasRoom, APeerThatStopsReadingLeavesNoRoomUntilItReadsAgain) {
  TcpPair pair;
  ASSERT_NO_FATAL_FAILURE(connectPair(pair));
  const std::size_t taken = fillUntilRefused(pair.writer.get());
  ASSERT_GT(taken, 0u);
  EXPECT_FALSE(fixgate::quickfix::sendBufferHasRoom(pair.writer.get()))
      << "the kernel refused a write after " << taken << " bytes, yet the buffer was reported to have room";

  // The reader drains everything; once its acknowledgements reach the writer the buffer is free again.
  std::vector<char> sink(64 * 1024);
  std::size_t drained = 0;
  bool room = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!room && std::chrono::steady_clock::now() < deadline) {
    const auto n = ::recv(pair.reader.get(), sink.data(), sink.size(), MSG_DONTWAIT);
    if (n > 0) drained += static_cast<std::size_t>(n);
    room = fixgate::quickfix::sendBufferHasRoom(pair.writer.get());
    if (!room && n <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(room) << "still no room after the reader drained " << drained << " of " << taken << " bytes";
}

// Room means a blocking write of one report returns at once: written report by report for as long as the
// helper says yes, the reader never reading.
TEST(SendBufferHasRoom, AWriteWhileThereIsRoomDoesNotBlock) {
  TcpPair pair;
  ASSERT_NO_FATAL_FAILURE(connectPair(pair));
  timeval timeout{0, 200'000};  // a write that would block fails after 200 ms instead
  ASSERT_EQ(setsockopt(pair.writer.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout), 0);
  const std::vector<char> report(1024, 'r');  // larger than a typical execution report
  int written = 0;
  for (; written < 10'000 && fixgate::quickfix::sendBufferHasRoom(pair.writer.get()); ++written) {
    // A write that had to wait for room would come back short or fail (EAGAIN) after the timeout.
    ASSERT_EQ(::send(pair.writer.get(), report.data(), report.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(report.size()))
        << "write " << written << " with room reported did not complete at once";
  }
  EXPECT_GT(written, 0);
  EXPECT_LT(written, 10'000) << "the reader never reads, so the room must run out";
}

}  // namespace

namespace {

void setSendTimeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() * 1000);
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
}

// A message far larger than the socket's buffers, with every byte telling its position.
std::string numberedMessage(std::size_t bytes) {
  std::string message(bytes, '\0');
  for (std::size_t i = 0; i < bytes; ++i) message[i] = static_cast<char>('a' + i % 26);
  return message;
}

// The bug it works around: QuickFIX 1.15.1 wrote the whole length again after a write the send timeout cut
// short, sending bytes from past the message. Here the reader is slower than the timeout, so writes are cut
// short many times; every byte must arrive once and in order.
TEST(WholeWriteResponder, WritesTheRestAfterAWriteTheTimeoutCutShort) {
  TcpPair pair;
  connectPair(pair);
  setSendTimeout(pair.writer.get(), std::chrono::milliseconds(5));
  const std::string message = numberedMessage(2 * 1024 * 1024);
  std::string received;
  std::thread reader([&] {
    std::vector<char> chunk(64 * 1024);
    while (received.size() < message.size()) {  // bounded by the writer's message, or its end of stream
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      const auto n = ::recv(pair.reader.get(), chunk.data(), chunk.size(), 0);
      if (n <= 0) break;
      received.append(chunk.data(), static_cast<std::size_t>(n));
    }
  });
  fixgate::quickfix::WholeWriteResponder writer;
  writer.wrap(nullptr, pair.writer.get());
  EXPECT_EQ(writer.socket(), pair.writer.get());
  const bool sent = writer.send(message);
  ::shutdown(pair.writer.get(), SHUT_WR);
  reader.join();
  EXPECT_TRUE(sent);
  ASSERT_EQ(received.size(), message.size());
  EXPECT_TRUE(received == message) << "the bytes arrived out of order or repeated";
}

// A peer that never reads: the write gives up once the timeout passes with nothing taken.
TEST(WholeWriteResponder, GivesUpWhenThePeerTakesNothingForTheTimeout) {
  TcpPair pair;
  connectPair(pair);
  setSendTimeout(pair.writer.get(), std::chrono::milliseconds(50));
  fixgate::quickfix::WholeWriteResponder writer;
  writer.wrap(nullptr, pair.writer.get());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(writer.send(numberedMessage(4 * 1024 * 1024)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
