// The admin server over a real Unix socket: commands reach the handler and replies come back; the socket
// file is private and cleaned up; bad, oversized and silent input is answered or dropped without blocking
// the channel.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "server_fixture.h"

namespace fixgate::admin::testing {
namespace {

using namespace std::chrono_literals;

// Leaves a socket file behind with nobody listening, as a crashed gateway would.
void makeStaleSocket(const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0) << std::strerror(errno);
  ::close(fd);
}

TEST_F(AdminServerTest, CommandReachesTheHandlerAndItsReplyComesBack) {
  startServer();
  setReply("halted account ACC1\nopen orders: 0");
  const auto reply = send(R"(halt scope=account key=ACC1 by=alice reason="fat finger")");
  ASSERT_TRUE(reply.has_value()) << reply.error().message;
  EXPECT_EQ(*reply, "halted account ACC1\nopen orders: 0");
  const auto got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].verb, Verb::Halt);
  EXPECT_EQ(got[0].key, "ACC1");
  EXPECT_EQ(got[0].by, "alice");
  EXPECT_EQ(got[0].reason, "fat finger");
}

TEST_F(AdminServerTest, CreatesTheParentDirectoryAndASocketOnlyItsUserCanOpen) {
  startServer();
  struct stat st {};
  ASSERT_EQ(::stat(socket_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AdminServerTest, ParseErrorRepliesErrorAndNothingReachesTheHandler) {
  startServer();
  const auto reply = send("halt scope=global");
  ASSERT_TRUE(reply.has_value()) << reply.error().message;
  EXPECT_TRUE(reply->starts_with("error: halt: missing by=")) << *reply;
  EXPECT_TRUE(received().empty());
}

TEST_F(AdminServerTest, HandlerExceptionBecomesAnErrorReply) {
  server_ = std::make_unique<AdminServer>(socket_, [](const AdminCommand&) -> std::string {
    throw std::runtime_error("runtime is shutting down");
  });
  server_->start();
  const auto reply = send("status");
  ASSERT_TRUE(reply.has_value()) << reply.error().message;
  EXPECT_EQ(*reply, "error: the gateway could not carry out the command: runtime is shutting down");
}

TEST_F(AdminServerTest, StopRemovesTheSocketFile) {
  startServer();
  ASSERT_TRUE(std::filesystem::exists(socket_));
  server_->stop();
  EXPECT_FALSE(std::filesystem::exists(socket_));
  server_->stop();  // twice is fine
  const auto reply = send("status");
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().kind, ClientFailure::CannotConnect);
}

TEST_F(AdminServerTest, DestructorStopsAndRemovesTheSocketFile) {
  startServer();
  server_.reset();
  EXPECT_FALSE(std::filesystem::exists(socket_));
}

TEST_F(AdminServerTest, LogsEveryCommandWithPeerAndOperator) {
  startServer();
  ASSERT_TRUE(send("kill scope=venue key=XLON by=alice reason=\"venue misbehaving\"").has_value());
  ASSERT_TRUE(send("halt scope=nowhere by=bob").has_value());
  const std::string log = log_.text();
  EXPECT_NE(log.find(fmt::format("pid {} uid {} by alice", ::getpid(), ::geteuid())), std::string::npos)
      << log;
  EXPECT_NE(log.find("kill scope=venue key=XLON by=alice reason=\"venue misbehaving\""), std::string::npos)
      << log;
  EXPECT_NE(log.find("admin command refused from pid"), std::string::npos) << log;
}

TEST_F(AdminServerTest, ServesSeveralCommandsOnOneConnectionAndAcceptsCrLf) {
  startServer({.max_line_bytes = 4096, .idle_timeout = 300ms});
  const auto got = rawExchange(socket_, "status\r\nreload-limits by=alice\n", kWait);
  EXPECT_EQ(got.received, "ok\n.\nok\n.\n");
  EXPECT_TRUE(got.closed_by_server);  // after the idle timeout
  EXPECT_EQ(received().size(), 2u);
}

TEST_F(AdminServerTest, LineLongerThan4KiBIsAnsweredAndDropped) {
  startServer();
  const auto got = rawExchange(socket_, std::string(5000, 'a'), kWait);
  EXPECT_EQ(got.received, "error: line longer than 4096 bytes\n.\n");
  EXPECT_TRUE(got.closed_by_server);
  EXPECT_TRUE(received().empty());
  ASSERT_TRUE(send("status").has_value());  // the channel still serves the next client
}

TEST_F(AdminServerTest, LineOf4KiBIsStillParsed) {
  startServer({.max_line_bytes = 4096, .idle_timeout = 300ms});
  const auto got = rawExchange(socket_, "status reason=" + std::string(4096 - 14, 'x') + "\n", kWait);
  EXPECT_TRUE(got.received.starts_with("error: status: unknown argument reason="))
      << got.received.substr(0, 80);
}

TEST_F(AdminServerTest, SilentClientIsDroppedAndTheNextOneServed) {
  startServer({.max_line_bytes = 4096, .idle_timeout = 200ms});
  const auto started = std::chrono::steady_clock::now();
  const auto got = rawExchange(socket_, "", kWait);
  EXPECT_TRUE(got.closed_by_server);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  ASSERT_TRUE(send("status").has_value());
}

TEST_F(AdminServerTest, StopDoesNotWaitForASilentClient) {
  startServer();  // idle timeout 5 s
  std::thread silent([this] { rawExchange(socket_, "", kWait); });
  std::this_thread::sleep_for(100ms);  // let the server pick up the connection
  const auto started = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  silent.join();
}

TEST_F(AdminServerTest, ReplacesAStaleSocketFile) {
  makeStaleSocket(socket_);
  startServer();
  ASSERT_TRUE(send("status").has_value());
}

TEST_F(AdminServerTest, RefusesToStartWhereAnotherServerListens) {
  startServer();
  AdminServer second(socket_, recordingHandler());
  try {
    second.start();
    FAIL() << "second server started";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another process is serving it"), std::string::npos) << e.what();
  }
  ASSERT_TRUE(send("status").has_value());  // the first one still owns the path
}

TEST_F(AdminServerTest, RefusesToReplaceAFileThatIsNotASocket) {
  std::filesystem::create_directories(socket_.parent_path());
  std::ofstream(socket_) << "precious";
  AdminServer server(socket_, recordingHandler());
  EXPECT_THROW(server.start(), std::runtime_error);
  EXPECT_TRUE(std::filesystem::is_regular_file(socket_));
}

TEST_F(AdminServerTest, StartThrowsWithThePathWhenTheSocketCannotBeCreated) {
  std::ofstream(dir_.path() / "file") << "x";
  const auto blocked = dir_.path() / "file" / "admin.sock";  // parent is a regular file
  AdminServer server(blocked, recordingHandler());
  try {
    server.start();
    FAIL() << "started under a regular file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(blocked.string()), std::string::npos) << e.what();
  }
  AdminServer too_long(dir_.path() / std::string(120, 's'), recordingHandler());
  try {
    too_long.start();
    FAIL() << "started with a path longer than sun_path";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("limited to 107"), std::string::npos) << e.what();
  }
}

TEST(AdminPeerCheck, AllowsOnlyTheGatewayUserAndRoot) {
  EXPECT_TRUE(peerAllowed(1000, 1000));
  EXPECT_TRUE(peerAllowed(0, 1000));
  EXPECT_FALSE(peerAllowed(1001, 1000));
  EXPECT_FALSE(peerAllowed(65534, 0));
}

// Connects as `uid` in a forked child (only async-signal-safe calls there) and exits 0 when the reply is
// exactly the permission-denied error.
int connectAs(uid_t uid, const std::filesystem::path& socket) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket.c_str(), sizeof(addr.sun_path) - 1);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(5);
    if (::setgid(uid) != 0 || ::setuid(uid) != 0) ::_exit(10);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) ::_exit(11);
    // The server may already have answered and closed: a failed send is fine, the reply is what counts.
    ::send(fd, "status\n", 7, MSG_NOSIGNAL);
    char buf[256];
    std::size_t got = 0;
    for (ssize_t n; got < sizeof(buf) && (n = ::read(fd, buf + got, sizeof(buf) - got)) > 0;) got += n;
    constexpr char kExpected[] = "error: permission denied\n.\n";
    ::_exit(got == sizeof(kExpected) - 1 && std::memcmp(buf, kExpected, got) == 0 ? 0 : 13);
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(10ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(AdminServerTest, RefusesOtherUsersEvenWhenTheFileModeIsLoosened) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as another user";
  startServer();
  // Open every door the file system has, so only the SO_PEERCRED check stands in the way.
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(socket_.parent_path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(socket_.c_str(), 0666), 0);
  EXPECT_EQ(connectAs(65534, socket_), 0)
      << "0: refused as expected, 11: could not connect, 13: other reply, >128: signal";
  EXPECT_TRUE(received().empty());
  EXPECT_NE(log_.text().find("permission denied to pid"), std::string::npos) << log_.text();
  EXPECT_NE(log_.text().find("uid 65534"), std::string::npos) << log_.text();
  ASSERT_TRUE(send("status").has_value());  // root is still served
}

}  // namespace
}  // namespace fixgate::admin::testing

namespace fixgate::admin::testing {
namespace {

TEST_F(AdminServerTest, RecorderGetsEveryLineWithItsOperatorAndOutcome) {
  std::mutex mutex;
  std::vector<CommandRecord> records;
  server_ = std::make_unique<AdminServer>(
      socket_,
      [](const AdminCommand& c) -> std::string {
        return c.verb == Verb::Kill ? "error: unknown symbol" : "done";
      },
      AdminServerOptions{},
      [&](const CommandRecord& r) {
        std::lock_guard lock(mutex);
        records.push_back(r);
      });
  server_->start();
  ASSERT_TRUE(send("status"));
  ASSERT_TRUE(send(R"(halt scope=symbol key=AAPL by=alice reason="news")"));
  ASSERT_TRUE(send("kill scope=symbol key=NOPE by=bob"));
  ASSERT_TRUE(send("halt scope=moon by=carol"));
  server_->stop();

  std::lock_guard lock(mutex);
  ASSERT_EQ(records.size(), 4u);
  const std::string uid = "uid:" + std::to_string(::geteuid());
  EXPECT_EQ(records[0].operator_name, uid);  // a read names no operator: the peer's uid stands in
  EXPECT_EQ(records[0].command, "status");
  EXPECT_TRUE(records[0].done);
  EXPECT_EQ(records[1].operator_name, "alice");
  EXPECT_EQ(records[1].command, "halt scope=symbol key=AAPL by=alice reason=news");
  EXPECT_TRUE(records[1].done);
  EXPECT_EQ(records[1].reply, "done");
  EXPECT_EQ(records[2].operator_name, "bob");
  EXPECT_FALSE(records[2].done);             // the handler refused it
  EXPECT_EQ(records[3].operator_name, uid);  // unparsable: no by= to trust
  EXPECT_EQ(records[3].command, "halt scope=moon by=carol");
  EXPECT_FALSE(records[3].done);
  EXPECT_TRUE(records[3].reply.starts_with("error: halt: unknown scope")) << records[3].reply;
  EXPECT_EQ(records[3].peer.uid, ::geteuid());
  EXPECT_EQ(records[3].peer.pid, ::getpid());
}

}  // namespace
}  // namespace fixgate::admin::testing
