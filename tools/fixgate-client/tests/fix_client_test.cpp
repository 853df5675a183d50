// FixClient against an in-process QuickFIX acceptor: it logs on in each FIX version, sends, and records what
// comes back (including session-level Rejects).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "fix_client.h"
#include "message_builders.h"
#include "message_fields.h"
#include "quickfix/quickfix.h"

namespace fixgate::client {
namespace {

namespace F = FIX::FIELD;
using namespace std::chrono_literals;

int freePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Answers every NewOrderSingle with an ExecutionReport New, and QuoteRequests with a session Reject.
class EchoAcceptor final : public FIX::Application {
 public:
  explicit EchoAcceptor(int port) {
    FIX::Dictionary defaults;
    defaults.setString("ConnectionType", "acceptor");
    defaults.setInt("SocketAcceptPort", port);
    defaults.setString("StartTime", "00:00:00");
    defaults.setString("EndTime", "00:00:00");
    defaults.setBool("UseDataDictionary", false);
    settings_.set(defaults);
    settings_.set(FIX::SessionID("FIX.4.2", "GW", "C42"), FIX::Dictionary());
    settings_.set(FIX::SessionID("FIX.4.4", "GW", "C44"), FIX::Dictionary());
    FIX::Dictionary fixt;
    fixt.setString("DefaultApplVerID", "9");
    settings_.set(FIX::SessionID("FIXT.1.1", "GW", "C50"), fixt);
    acceptor_ = std::make_unique<FIX::ThreadedSocketAcceptor>(*this, store_, settings_);
    acceptor_->start();
  }
  ~EchoAcceptor() override { acceptor_->stop(true); }

 private:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID& session) override {
    FIX::Message answer;
    if (msgType(m) == "D") {
      answer.getHeader().setField(F::MsgType, "8");
      if (session.isFIXT()) answer.getHeader().setField(F::ApplVerID, "9");
      answer.setField(F::ClOrdID, m.getField(F::ClOrdID));
      answer.setField(F::OrderQty, m.getField(F::OrderQty));  // echoed so the test sees what arrived
      answer.setField(F::ExecType, "0");
      answer.setField(F::OrdStatus, "0");
    } else {
      answer.getHeader().setField(F::MsgType, "3");
      answer.setField(F::RefSeqNum, m.getHeader().getField(F::MsgSeqNum));
    }
    FIX::Session::sendToTarget(answer, session);
  }

  FIX::SessionSettings settings_;
  FIX::MemoryStoreFactory store_;
  std::unique_ptr<FIX::ThreadedSocketAcceptor> acceptor_;
};

class FixClientTest : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(FixClientTest, LogsOnSendsAndRecordsTheAnswers) {
  const int port = freePort();
  EchoAcceptor acceptor(port);
  ClientConfig config;
  config.port = port;
  config.sessions = {{GetParam().first, GetParam().second, "GW"}};
  FixClient client(config);
  ASSERT_TRUE(client.waitLogon(10s));
  EXPECT_TRUE(client.isLoggedOn());

  const int seq = client.send(newOrderSingle(client.version(), limitOrder("A1", "AAPL", '1', "-5", "10")));
  EXPECT_GT(seq, 1) << "the logon had sequence number 1";
  const auto report = client.waitForExecReport("A1", '0', 5s);
  ASSERT_TRUE(report) << "no ExecutionReport";
  EXPECT_EQ(fieldOr(*report, F::OrderQty), "-5");
  EXPECT_EQ(fieldOr(*report, F::BeginString), GetParam().first);

  const int quote_seq = client.send(quoteRequest(client.version(), "Q1", "AAPL"));
  const auto reject = client.waitForMsgType("3", 5s);
  ASSERT_TRUE(reject) << "session Rejects are recorded too";
  EXPECT_EQ(fieldOr(*reject, F::RefSeqNum), std::to_string(quote_seq));
}

INSTANTIATE_TEST_SUITE_P(AllVersions, FixClientTest,
                         ::testing::Values(std::pair{"FIX.4.2", "C42"}, std::pair{"FIX.4.4", "C44"},
                                           std::pair{"FIXT.1.1", "C50"}),
                         [](const auto& info) { return info.param.second; });

TEST(FixClientSettings, FixtSessionsGetDefaultApplVerId9) {
  ClientConfig config;
  config.sessions = {{"FIXT.1.1", "C50", "GW"}, {"FIX.4.4", "C44", "GW"}};
  const FIX::SessionSettings settings = buildSettings(config);
  EXPECT_EQ(settings.get(FIX::SessionID("FIXT.1.1", "C50", "GW")).getString("DefaultApplVerID"), "9");
  EXPECT_FALSE(settings.get(FIX::SessionID("FIX.4.4", "C44", "GW")).has("DefaultApplVerID"));
  EXPECT_EQ(settings.get(FIX::SessionID("FIX.4.4", "C44", "GW")).getString("UseDataDictionary"), "N");
}

TEST(FixClientSettings, UnsupportedBeginStringIsRefused) {
  ClientConfig config;
  config.sessions = {{"FIX.4.0", "C40", "GW"}};
  EXPECT_THROW((void)buildSettings(config), std::invalid_argument);
}

}  // namespace
}  // namespace fixgate::client
