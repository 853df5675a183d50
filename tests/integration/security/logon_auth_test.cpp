// Logon authentication (issue 6, point 2) against the real gateway: a session with a username accepts a
// Logon only with that Username (553), the right Password (554) and from an allowed address; a refusal is a
// Logout whose text says what to check without saying which half was wrong; repeated failures lock the
// source address out; passwords never reach the message log; sessions without a username are unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"
#include "message_predicates.h"
#include "security/password_hash.h"

namespace fixgate::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr char kAcmePassword[] = "acme-correct-horse";

class LogonAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    GatewayOptions options;
    options.client_sessions = {
        {"FIX.4.4", "C44A", "acme", {"127.0.0.1"}},    // credentials, loopback allowed
        {"FIX.4.4", "C44B", "beta", {"10.9.0.0/16"}},  // credentials, loopback not allowed
        {"FIX.4.2", "C42A"},                           // no credentials asked
    };
    options.max_failed_logons = 3;
    options.lockout_s = 60;
    options.credentials_file = "credentials";  // relative to gateway.yaml: the test's temp dir
    gateway_ = std::make_unique<GatewayUnderTest>(options);
    // The credentials file lives beside the generated config (outside the repository), owner-only.
    const auto credentials = gateway_->dir() / "credentials";
    std::ofstream(credentials) << "# test users\nacme:"
                               << security::hashPassword(kAcmePassword, security::kMinPbkdf2Iterations)
                               << "\nbeta:"
                               << security::hashPassword("beta-pw", security::kMinPbkdf2Iterations) << "\n";
    chmod(credentials.c_str(), 0600);
    ASSERT_TRUE(gateway_->start());
  }

  // A client on `comp_id` with these credentials; it keeps reconnecting (every second) until stopped.
  std::unique_ptr<client::FixClient> connect(const std::string& begin_string, const std::string& comp_id,
                                             const std::string& username, const std::string& password) {
    client::ClientConfig config;
    config.host = "127.0.0.1";
    config.port = gateway_->clientPort();
    config.sessions = {{begin_string, comp_id, "FIXGATE", username, password}};
    config.heartbeat_interval_s = gateway_->options().heartbeat_interval_s;
    // A file store, as a real client keeps: its sequence numbers carry over from one attempt to the next.
    config.data_dir = gateway_->dir() / "clients" / comp_id;
    return std::make_unique<client::FixClient>(config);
  }

  // The text of the Logout the gateway answered a refused Logon with.
  std::string logoutText(client::FixClient& client) {
    const auto logout = client.waitForMsgType("5", 10s);
    if (!logout) return "(no Logout received)";
    return logout->isSetField(58) ? logout->getField(58) : "(Logout without Text)";
  }

  std::unique_ptr<GatewayUnderTest> gateway_;
};

TEST_F(LogonAuth, RightCredentialsFromAnAllowedAddressLogOnAndTrade) {
  auto client = connect("FIX.4.4", "C44A", "acme", kAcmePassword);
  ASSERT_TRUE(client->waitLogon(10s)) << gateway_->diagnostics();
  client->send(
      client::newOrderSingle(client->version(), client::limitOrder("AUTH-1", "AAPL", '1', "10", "150")));
  EXPECT_TRUE(client->waitForExecReport("AUTH-1", '0', 10s)) << gateway_->diagnostics();
  EXPECT_TRUE(gateway_->gateway().waitForOutput("logon to it-C44A from 127.0.0.1 accepted (user acme)", 5s));
  client->stop();
  // The gateway's message log keeps the Logon, with the password masked.
  std::string logged;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(gateway_->dir() / "data")) {
    if (!entry.is_regular_file() || entry.path().string().find("C44A") == std::string::npos) continue;
    std::ifstream in(entry.path());
    logged += std::string(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_THAT(logged, HasSubstr("554=***"));
  EXPECT_THAT(logged, ::testing::Not(HasSubstr(kAcmePassword)));
}

TEST_F(LogonAuth, WrongPasswordIsRefusedWithATextThatDoesNotSayWhichHalf) {
  auto client = connect("FIX.4.4", "C44A", "acme", "not-the-password");
  const std::string text = logoutText(*client);
  EXPECT_THAT(text, HasSubstr("Username (553) and Password (554) do not match")) << gateway_->diagnostics();
  EXPECT_FALSE(client->isLoggedOn());
  EXPECT_TRUE(gateway_->gateway().waitForOutput(
      "logon to it-C44A from 127.0.0.1 refused (bad-credentials): wrong Password (554)", 5s))
      << gateway_->diagnostics();
  client.reset();  // one QuickFIX session object per SessionID in a process: the next client needs it gone

  auto wrong_user = connect("FIX.4.4", "C44A", "mallory", kAcmePassword);
  EXPECT_EQ(logoutText(*wrong_user), text);  // the same answer for a wrong username
  EXPECT_TRUE(gateway_->gateway().waitForOutput("Username 'mallory' is not the session's", 5s));
}

TEST_F(LogonAuth, AddressOutsideTheAllowlistIsRefusedEvenWithTheRightPassword) {
  auto client = connect("FIX.4.4", "C44B", "beta", "beta-pw");
  EXPECT_THAT(logoutText(*client), HasSubstr("may not log on from your network address"))
      << gateway_->diagnostics();
  EXPECT_FALSE(client->isLoggedOn());
  EXPECT_TRUE(gateway_->gateway().waitForOutput("127.0.0.1 is not in the session's allowed_addresses", 5s));
}

TEST_F(LogonAuth, RepeatedFailuresLockTheAddressOut) {
  {
    // The client retries every second with the wrong password: three failures lock 127.0.0.1 out.
    auto guesser = connect("FIX.4.4", "C44A", "acme", "guess");
    ASSERT_TRUE(gateway_->gateway().waitForOutput("the address is locked out for 60 s", 20s))
        << gateway_->diagnostics();
  }
  auto client = connect("FIX.4.4", "C44A", "acme", kAcmePassword);
  EXPECT_THAT(logoutText(*client), HasSubstr("too many failed logons from your network address"))
      << gateway_->diagnostics();
  EXPECT_FALSE(client->isLoggedOn());
}

TEST_F(LogonAuth, SessionWithoutUsernameLogsOnWithoutCredentials) {
  auto client = connect("FIX.4.2", "C42A", "", "");
  ASSERT_TRUE(client->waitLogon(10s)) << gateway_->diagnostics();
  client->send(
      client::newOrderSingle(client->version(), client::limitOrder("OPEN-1", "AAPL", '1', "10", "150")));
  EXPECT_TRUE(client->waitForExecReport("OPEN-1", '0', 10s)) << gateway_->diagnostics();
}

}  // namespace
}  // namespace fixgate::testing
