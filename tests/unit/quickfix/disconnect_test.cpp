// How a session's connection ends. QuickFIX 1.15.1 closes the socket while the connection's reader thread is
// about to select() on it again; a descriptor opened in that moment takes the number, the reader watches it
// for ever and the session never reconnects (a venue stayed down in CI this way). WholeWriteResponder
// shuts the socket down instead and closes it only once the reader has let go. These tests open a descriptor
// in exactly that moment, from onLogout, which QuickFIX calls on the reader's thread right after the close.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "admin/unique_fd.h"
#include "quickfix/peer_address.h"
#include "quickfix/quickfix.h"
#include "quickfix/send.h"

namespace {

using fixgate::admin::UniqueFd;
using Clock = std::chrono::steady_clock;

// A venue that answers every Logon with a Logout, as one does whose sequence numbers do not match ours,
// then waits for the gateway to end the connection. Counts the connections that reach it.
class RefusingVenue {
 public:
  RefusingVenue() : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_.get() < 0 || ::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        ::listen(listener_.get(), 4) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~RefusingVenue() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] int connections() const { return connections_.load(); }

 private:
  // Bounded by stop_, checked every 50 ms.
  void serve() {
    while (!stop_) {
      pollfd waiting{listener_.get(), POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      const UniqueFd connection(::accept(listener_.get(), nullptr, nullptr));
      if (connection.get() < 0) continue;
      ++connections_;
      refuseLogon(connection.get());
    }
  }

  void refuseLogon(int connection) {
    std::string received;
    if (!readUntil(connection, received,
                   [&] { return received.find(std::string("\x01") + "35=A\x01") != std::string::npos; }))
      return;
    FIX::Message logout;
    logout.getHeader().setField(FIX::BeginString("FIX.4.4"));
    logout.getHeader().setField(FIX::MsgType("5"));
    logout.getHeader().setField(FIX::SenderCompID("VENUE"));
    logout.getHeader().setField(FIX::TargetCompID("GW"));
    logout.getHeader().setField(FIX::MsgSeqNum(1));
    logout.getHeader().setField(FIX::SendingTime(FIX::UtcTimeStamp()));
    logout.setField(FIX::Text("MsgSeqNum too low, expecting 7 but received 1"));
    const std::string wire = logout.toString();
    if (::send(connection, wire.data(), wire.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(wire.size()))
      return;
    readUntil(connection, received, [] { return false; });  // until the gateway ends the connection
  }

  // Reads until `done`, the end of the stream, or 5 s; false unless `done`.
  template <typename Done>
  bool readUntil(int connection, std::string& received, Done done) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    char chunk[4096];
    while (!done() && Clock::now() < deadline && !stop_) {
      pollfd readable{connection, POLLIN, 0};
      if (::poll(&readable, 1, 50) <= 0) continue;
      const auto n = ::recv(connection, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      received.append(chunk, static_cast<std::size_t>(n));
    }
    return done();
  }

  UniqueFd listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// The gateway's side: a venue session that, like Fix44Venue, installs the writer when it sends its Logon
// (or, with `wrap` false, leaves QuickFIX's own connection in place). Its onLogout, on the reader's thread
// right after the connection was ended, opens pipes until one takes the socket's number, if it is free.
class SessionThatTakesTheNumber final : public FIX::Application {
 public:
  explicit SessionThatTakesTheNumber(bool wrap) : wrap_(wrap) {}
  ~SessionThatTakesTheNumber() override {
    // A number QuickFIX's stop closed under the pipe may be anyone's by now: never close it twice.
    for (auto& fd : taken_) (void)fd.release();
  }

  void toAdmin(FIX::Message& message, const FIX::SessionID& id) override {
    if (message.getHeader().getField(FIX::FIELD::MsgType) != "A") return;
    if (wrap_) fixgate::quickfix::wrapWrites(id, writer_);
    const int socket = fixgate::quickfix::sessionSocket(id);
    if (socket >= 0 && first_socket_ < 0) first_socket_ = socket;
  }
  void onLogout(const FIX::SessionID&) override {
    if (tried_ || first_socket_ < 0) return;
    tried_ = true;
    std::vector<UniqueFd> fillers;  // lower free numbers, held only until the socket's number is reached
    for (int i = 0; i < 512; ++i) {
      int ends[2];
      if (::pipe(ends) != 0) return;
      UniqueFd read_end(ends[0]);
      UniqueFd write_end(ends[1]);
      if (ends[0] == first_socket_ || ends[1] == first_socket_) {
        taken_.push_back(std::move(read_end));
        taken_.push_back(std::move(write_end));
        took_number_ = true;
        return;
      }
      if (ends[0] > first_socket_) return;  // the number is not free
      fillers.push_back(std::move(read_end));
      fillers.push_back(std::move(write_end));
    }
  }

  [[nodiscard]] bool tried() const { return tried_.load(); }
  [[nodiscard]] bool tookTheNumber() const { return took_number_.load(); }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&) override {}

 private:
  bool wrap_;
  fixgate::quickfix::WholeWriteResponder writer_;  // outlives the initiator (declared in the test before it)
  std::atomic<int> first_socket_{-1};
  std::atomic<bool> tried_{false};
  std::atomic<bool> took_number_{false};
  std::vector<UniqueFd> taken_;
};

// The session's FIX event log, kept for the test.
class EventLog final : public FIX::Log, public FIX::LogFactory {
 public:
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string&) override {}
  void onOutgoing(const std::string&) override {}
  void onEvent(const std::string& text) override {
    const std::lock_guard lock(mutex_);
    events_.push_back(text);
  }
  FIX::Log* create() override { return this; }
  FIX::Log* create(const FIX::SessionID&) override { return this; }
  void destroy(FIX::Log*) override {}

  [[nodiscard]] std::vector<std::string> events() const {
    const std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

FIX::SessionSettings initiatorSettings(int port) {
  FIX::Dictionary defaults;
  defaults.setString("ConnectionType", "initiator");
  defaults.setString("StartTime", "00:00:00");
  defaults.setString("EndTime", "00:00:00");
  defaults.setString("UseDataDictionary", "N");
  defaults.setInt("HeartBtInt", 30);
  defaults.setInt("ReconnectInterval", 1);
  defaults.setInt("LogonTimeout", 5);
  defaults.setString("SocketConnectHost", "127.0.0.1");
  defaults.setInt("SocketConnectPort", port);
  FIX::SessionSettings settings;
  settings.set(defaults);
  settings.set(FIX::SessionID("FIX.4.4", "GW", "VENUE"), FIX::Dictionary());
  return settings;
}

// Waits up to `limit` for `done`.
template <typename Done>
bool waitFor(Done done, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return done();
}

TEST(SessionDisconnect, AVenueThatRefusedTheLogonIsConnectedAgainEvenWhenADescriptorIsOpenedAtTheDisconnect) {
  RefusingVenue venue;
  SessionThatTakesTheNumber app(/*wrap=*/true);
  FIX::MemoryStoreFactory store;
  EventLog log;
  const auto settings = initiatorSettings(venue.port());
  FIX::ThreadedSocketInitiator initiator(app, store, settings, log);
  initiator.start();
  const bool reconnected = waitFor([&] { return venue.connections() >= 2; }, std::chrono::seconds(10));
  initiator.stop();
  ASSERT_TRUE(app.tried()) << "the session never logged out, so the moment under test never came";
  EXPECT_FALSE(app.tookTheNumber()) << "the socket's number was free right after the disconnect";
  EXPECT_TRUE(reconnected) << "the session did not connect again within 10 s (ReconnectInterval=1)";
  // The reader ended as asked (its disconnect flag set), not as for a connection lost under it.
  for (const auto& event : log.events()) EXPECT_EQ(event.find("reset by peer"), std::string::npos) << event;
}

// The bug itself, with QuickFIX's own connection: if this starts failing, QuickFIX no longer has it and the
// writer's disconnect can go back to the connection's own.
TEST(SessionDisconnect, QuickFixsOwnDisconnectLeavesTheSessionStuckWhenItsNumberIsTaken) {
  RefusingVenue venue;
  SessionThatTakesTheNumber app(/*wrap=*/false);
  FIX::MemoryStoreFactory store;
  const auto settings = initiatorSettings(venue.port());
  FIX::ThreadedSocketInitiator initiator(app, store, settings);
  initiator.start();
  ASSERT_TRUE(waitFor([&] { return app.tried(); }, std::chrono::seconds(10)));
  const bool reconnected = waitFor([&] { return venue.connections() >= 2; }, std::chrono::seconds(4));
  initiator.stop();  // closes the number the reader watches, which ends it
  EXPECT_TRUE(app.tookTheNumber()) << "QuickFIX's disconnect freed the socket's number";
  EXPECT_FALSE(reconnected) << "the reader let go of the taken number";
}

// A stand-in for the wrapped connection: what the writer does to the socket is under test, not the object.
struct IdleConnection final : FIX::Responder {
  bool send(const std::string&) override { return true; }
  void disconnect() override { ++disconnects; }
  int disconnects = 0;
};

struct ConnectedPair {
  UniqueFd gateway;
  UniqueFd peer;
};

ConnectedPair socketPair() {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0) throw std::runtime_error("socketpair");
  return {UniqueFd(ends[0]), UniqueFd(ends[1])};
}

bool isOpen(int fd) {
  return ::fcntl(fd, F_GETFD) != -1;
}

TEST(WholeWriteResponderDisconnect, EndsTheStreamButKeepsTheNumberUntilTheNextConnection) {
  auto first = socketPair();
  const int first_socket = first.gateway.release();  // the writer closes it
  IdleConnection connection;
  fixgate::quickfix::WholeWriteResponder writer;
  writer.wrap(&connection, first_socket);
  writer.disconnect();
  EXPECT_EQ(connection.disconnects, 0) << "the connection's own disconnect would close the socket at once";
  char byte = 0;
  EXPECT_EQ(::recv(first.peer.get(), &byte, 1, 0), 0) << "the peer did not see the end of the stream";
  EXPECT_TRUE(isOpen(first_socket));
  writer.disconnect();  // QuickFIX may disconnect twice; nothing more happens

  auto second = socketPair();
  writer.wrap(&connection, second.gateway.get());
  EXPECT_FALSE(isOpen(first_socket)) << "the previous connection's socket was not closed at the next one";
  EXPECT_TRUE(isOpen(second.gateway.get()));
}

TEST(WholeWriteResponderDisconnect, NeverClosesAFileThatTookTheNumberAfterQuickFixClosedIt) {
  auto pair = socketPair();
  const int number = pair.gateway.get();
  IdleConnection connection;
  {
    fixgate::quickfix::WholeWriteResponder writer;
    writer.wrap(&connection, number);
    writer.disconnect();
    const auto other = socketPair();
    pair.gateway.reset();  // as QuickFIX's stop does for a reader still running
    ASSERT_EQ(::dup2(other.gateway.get(), number), number);  // and another socket takes the number
    pair.gateway = UniqueFd(number);
  }  // the writer's destructor: the number now names another socket
  EXPECT_TRUE(isOpen(number));
}

// QuickFIX's stop closes the socket of a session not logged on at once, and its reader's disconnect comes up
// to a second later: by then the number may name another component's socket, which must be left alone.
TEST(WholeWriteResponderDisconnect, LeavesAloneAFileThatTookTheNumberBeforeTheDisconnect) {
  auto pair = socketPair();
  const int number = pair.gateway.get();
  auto other = socketPair();
  IdleConnection connection;
  {
    fixgate::quickfix::WholeWriteResponder writer;
    writer.wrap(&connection, number);
    pair.gateway.reset();  // QuickFIX's stop
    ASSERT_EQ(::dup2(other.gateway.get(), number), number);
    pair.gateway = UniqueFd(number);
    writer.disconnect();
  }
  EXPECT_TRUE(isOpen(number));
  pollfd readable{other.peer.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&readable, 1, 0), 0) << "the other socket was shut down";
}

TEST(WholeWriteResponderDisconnect, ClosesTheLastSocketWhenDestroyed) {
  auto pair = socketPair();
  const int number = pair.gateway.release();
  IdleConnection connection;
  {
    fixgate::quickfix::WholeWriteResponder writer;
    writer.wrap(&connection, number);
    writer.disconnect();
    EXPECT_TRUE(isOpen(number));
  }
  EXPECT_FALSE(isOpen(number));
}

}  // namespace
