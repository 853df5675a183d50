// The fixgate-admin binary against a real server: exit 0 with the reply, 1 on an error reply or no reply in
// time, 2 when nothing listens - the codes scripts rely on.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <future>

#include "server_fixture.h"

namespace fixgate::admin::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kRunTimeout = 20s;

class AdminCliTest : public AdminServerTest {
 protected:
  ProcessResult admin(std::vector<std::string> args) {
    args.insert(args.begin(), {"--socket", socket_.string()});
    return runProcess(FIXGATE_ADMIN_BINARY, args, kRunTimeout);
  }
};

TEST_F(AdminCliTest, ExitsTwoWhenNothingListens) {
  const auto r = admin({"status"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the gateway is not running"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(socket_.string()), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(AdminCliTest, ExitsTwoOnASocketFileLeftByACrash) {
  std::filesystem::create_directories(socket_.parent_path());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);
  const auto r = admin({"status"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nothing listens on"), std::string::npos) << r.err;
}

TEST_F(AdminCliTest, PrintsTheReplyAndExitsZero) {
  startServer();
  setReply("halted account ACC1; 3 orders canceled");
  const auto r = admin({"kill", "scope=account", "key=ACC1", "by=alice", "reason=fat finger"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "halted account ACC1; 3 orders canceled\n");
  const auto got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].verb, Verb::Kill);
  EXPECT_EQ(got[0].reason, "fat finger");  // the shell word with a space arrived as one value
}

TEST_F(AdminCliTest, ExitsOneOnAnErrorReply) {
  startServer();
  const auto r = admin({"halt", "scope=global"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.starts_with("error: halt: missing by=")) << r.out;
}

TEST_F(AdminCliTest, ExitsOneWhenNoReplyComesInTime) {
  std::promise<void> release;
  auto released = release.get_future().share();
  server_ = std::make_unique<AdminServer>(socket_, [released](const AdminCommand&) {
    released.wait_for(5s);  // bounded even if the test fails before releasing it
    return std::string("late");
  });
  server_->start();
  const auto r = admin({"--timeout", "0.3", "status"});
  release.set_value();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("no reply from the gateway"), std::string::npos) << r.err;
}

TEST_F(AdminCliTest, RefusesANewlineInAnArgumentWithoutSendingAnything) {
  startServer();
  const auto r = admin({"halt", "scope=global", "by=a", "reason=x\nkill scope=global by=a"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("one line"), std::string::npos) << r.err;
  EXPECT_TRUE(received().empty());
}

TEST_F(AdminCliTest, HelpShowsTheCommandsAndExitCodes) {
  const auto r = admin({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("reset-breaker session=<name> by=<operator>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Exit status"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("var/gateway/admin.sock"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace fixgate::admin::testing
