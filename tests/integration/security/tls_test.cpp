// TLS on client sessions (issue 6, point 1) against the real gateway: sessions are served over TLS 1.2/1.3 on
// the client port, a session configured plaintext only on the plaintext port; with mutual TLS a client needs
// a certificate from the configured CA, and a session bound to a certificate CN refuses any other certificate
// with a Logout saying so. Certificates are made at test start by tools/certs/fixgate-dev-certs.sh in the
// test's temp dir (nothing is committed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "fix_client.h"
#include "gateway_under_test.h"
#include "message_builders.h"
#include "tcp_ports.h"
#include "temp_dir.h"

namespace fixgate::testing {
namespace {

// How long a TLS client may take to log on. Long enough for one retry: a Logon that QuickFIX's TLS acceptor
// leaves unread (the TLS 1.3 quirk in the README) is resent after the client's logon timeout and reconnect,
// and the sanitizer build is several times slower.
constexpr std::chrono::seconds kLogonBound{30};

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// A client that must not get in is given this long to (fail to) log on; it retries every second meanwhile.
constexpr auto kRefusalWindow = 4s;

// Runs a short-lived tool to completion (bounded by `timeout`, killed by PID past it); its exit status, or
// nullopt when it did not finish in time.
std::optional<int> runTool(const std::string& name, const std::filesystem::path& binary,
                           const std::vector<std::string>& args, const std::filesystem::path& log,
                           std::chrono::milliseconds timeout) {
  ChildProcess tool(name, binary, args, log);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (tool.running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      tool.stop();
      return std::nullopt;
    }
    std::this_thread::sleep_for(50ms);
  }
  return tool.exitStatus();
}

class Tls : public ::testing::Test {
 protected:
  // Makes certificates (a CA, the gateway's, client CNs "acme44" and "other") in the gateway's temp dir,
  // then starts the gateway with `options`.
  void startGateway(GatewayOptions options) {
    options.tls.enabled = true;
    gateway_ = std::make_unique<GatewayUnderTest>(options);
    const auto status =
        runTool("fixgate-dev-certs", "/bin/bash",
                {(std::filesystem::path(FIXGATE_SOURCE_DIR) / "tools/certs/fixgate-dev-certs.sh").string(),
                 "--dir", certs().string(), "--client", "acme44", "--client", "other"},
                gateway_->dir() / "certs.log", 60s);
    ASSERT_EQ(status, 0) << "tools/certs/fixgate-dev-certs.sh failed; see "
                         << (gateway_->dir() / "certs.log");
    ASSERT_TRUE(gateway_->start());
  }

  [[nodiscard]] std::filesystem::path certs() const { return gateway_->dir() / "certs"; }

  // A client on `comp_id` to `port`; over TLS (verifying the gateway against the test CA) when `tls`, with
  // the client certificate for `client_cn` when set. It keeps reconnecting (every second) until stopped.
  std::unique_ptr<client::FixClient> connect(const std::string& begin_string, const std::string& comp_id,
                                             std::uint16_t port, bool tls,
                                             const std::string& client_cn = "") {
    client::ClientConfig config;
    config.host = "127.0.0.1";
    config.port = port;
    config.sessions = {{begin_string, comp_id, "FIXGATE"}};
    config.heartbeat_interval_s = gateway_->options().heartbeat_interval_s;
    if (tls) config.tls.ca_file = certs() / "ca.pem";
    if (!client_cn.empty()) {
      config.tls.certificate_file = certs() / ("client-" + client_cn + ".pem");
      config.tls.private_key_file = certs() / ("client-" + client_cn + ".key");
    }
    return std::make_unique<client::FixClient>(config);
  }

  // Sends a limit order on a logged-on client and waits for its New ack.
  ::testing::AssertionResult tradeAcked(client::FixClient& client, const std::string& cl_ord_id) {
    client.send(
        client::newOrderSingle(client.version(), client::limitOrder(cl_ord_id, "AAPL", '1', "10", "150")));
    if (client.waitForExecReport(cl_ord_id, '0', 20s)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no New ack for " << cl_ord_id << "\n" << gateway_->diagnostics();
  }

  // `openssl s_client` to the TLS port with `version_flag` (-tls1_1, -tls1_2, -tls1_3): its exit status
  // (0: handshake done). SECLEVEL=0 lets the client offer TLS 1.1, so a refusal is the gateway's.
  std::optional<int> opensslHandshake(const std::string& version_flag) {
    const auto log = gateway_->dir() / ("s_client" + version_flag + ".log");
    return runTool("openssl", "/usr/bin/openssl",
                   {"s_client", "-connect", "127.0.0.1:" + std::to_string(gateway_->clientPort()),
                    version_flag, "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", (certs() / "ca.pem").string(),
                    "-verify_return_error", "-brief"},
                   log, 15s);
  }

  std::unique_ptr<GatewayUnderTest> gateway_;
};

// The text of the Logout the gateway answered a refused Logon with.
std::string logoutText(client::FixClient& client) {
  const auto logout = client.waitForMsgType("5", 10s);
  if (!logout) return "(no Logout received)";
  return logout->isSetField(58) ? logout->getField(58) : "(Logout without Text)";
}

class ServerTls : public Tls {
 protected:
  void SetUp() override {
    GatewayOptions options;
    options.client_sessions = {
        {"FIX.4.4", "C44A"},                                                // over TLS
        {.begin_string = "FIX.4.2", .comp_id = "C42P", .plaintext = true},  // plaintext port only
    };
    plaintext_port_ = freeTcpPort();
    options.tls.plaintext_listen_port = plaintext_port_;
    options.logon_timeout_s = kLogonTimeoutS;
    startGateway(options);
  }
  // Short, so that a test sees a logged-on session outlive it: the connection watch knows both listeners'
  // logged-on connections (TLS and plaintext) as authenticated.
  static constexpr int kLogonTimeoutS = 1;
  std::uint16_t plaintext_port_ = 0;
};

TEST_F(ServerTls, LoggedOnSessionsOnBothListenersOutliveTheLogonTimeout) {
  auto tls_client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true);
  ASSERT_TRUE(tls_client->waitLogon(kLogonBound)) << gateway_->diagnostics();
  auto plain_client = connect("FIX.4.2", "C42P", plaintext_port_, false);
  ASSERT_TRUE(plain_client->waitLogon(kLogonBound)) << gateway_->diagnostics();
  std::this_thread::sleep_for(std::chrono::seconds(kLogonTimeoutS) + 1500ms);
  EXPECT_TRUE(tradeAcked(*tls_client, "TLS-LATER")) << gateway_->diagnostics();
  EXPECT_TRUE(tradeAcked(*plain_client, "PLAIN-LATER")) << gateway_->diagnostics();
  EXPECT_EQ(gateway_->gateway().log().find("no Logon accepted within"), std::string::npos)
      << gateway_->diagnostics();
}

TEST_F(ServerTls, TlsClientLogsOnAndTrades) {
  auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true);
  ASSERT_TRUE(client->waitLogon(kLogonBound)) << gateway_->diagnostics();
  EXPECT_TRUE(tradeAcked(*client, "TLS-1"));
  EXPECT_TRUE(gateway_->gateway().waitForOutput("1 over TLS on port", 1s)) << gateway_->diagnostics();
}

TEST_F(ServerTls, PlaintextClientCannotLogOnToTheTlsPort) {
  auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), false);
  EXPECT_FALSE(client->waitLogon(kRefusalWindow)) << gateway_->diagnostics();
  client.reset();  // one QuickFIX session per SessionID in a process
  // The TLS port still serves TLS clients after the plaintext attempts.
  auto tls_client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true);
  EXPECT_TRUE(tls_client->waitLogon(kLogonBound)) << gateway_->diagnostics();
}

TEST_F(ServerTls, SessionConfiguredPlaintextLogsOnOverThePlaintextPortOnly) {
  auto client = connect("FIX.4.2", "C42P", plaintext_port_, false);
  ASSERT_TRUE(client->waitLogon(kLogonBound)) << gateway_->diagnostics();
  EXPECT_TRUE(tradeAcked(*client, "PLAIN-1"));
  client.reset();
  // A TLS session is not served on the plaintext port.
  auto tls_session = connect("FIX.4.4", "C44A", plaintext_port_, false);
  EXPECT_FALSE(tls_session->waitLogon(kRefusalWindow)) << gateway_->diagnostics();
}

TEST_F(ServerTls, OnlyTls12And13AreNegotiated) {
  EXPECT_EQ(opensslHandshake("-tls1_3"), 0) << gateway_->diagnostics();
  EXPECT_EQ(opensslHandshake("-tls1_2"), 0) << gateway_->diagnostics();
  EXPECT_NE(opensslHandshake("-tls1_1"), 0) << gateway_->diagnostics();
  EXPECT_NE(opensslHandshake("-tls1"), 0) << gateway_->diagnostics();
}

TEST_F(ServerTls, SilentConnectionDoesNotBlockOtherTlsClientsForLong) {
  // A connection that never starts its handshake: QuickFIX 1.15.1 gives up on it after about 10 s.
  auto silent =
      ChildProcess("silent", "/usr/bin/socat",
                   {"-u", "EXEC:sleep 30", "TCP:127.0.0.1:" + std::to_string(gateway_->clientPort())},
                   gateway_->dir() / "silent.log");
  std::this_thread::sleep_for(200ms);
  const auto before = std::chrono::steady_clock::now();
  auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true);
  ASSERT_TRUE(client->waitLogon(kLogonBound)) << gateway_->diagnostics();
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - before);
  RecordProperty("tls_logon_behind_silent_connection_ms", static_cast<int>(took.count()));
  std::cout << "TLS logon behind a silent connection took " << took.count() << " ms\n";
}

class MutualTls : public Tls {
 protected:
  void SetUp() override {
    GatewayOptions options;
    options.client_sessions = {
        {.begin_string = "FIX.4.4", .comp_id = "C44A", .client_certificate_cn = "acme44"},
        {"FIX.4.4", "C44B"},  // any certificate from the CA
    };
    options.tls.ca_file = "certs/ca.pem";
    options.tls.require_client_certificate = true;
    startGateway(options);
  }
};

TEST_F(MutualTls, ClientWithoutCertificateCannotLogOn) {
  auto client = connect("FIX.4.4", "C44B", gateway_->clientPort(), true);
  EXPECT_FALSE(client->waitLogon(kRefusalWindow)) << gateway_->diagnostics();
  // The gateway ended the TLS connection (TLS 1.3: an alert right after the handshake), not the network.
  EXPECT_THAT(client->tlsError(), HasSubstr("certificate required"));
}

TEST_F(MutualTls, ClientWithTheSessionsCertificateLogsOnAndTrades) {
  auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true, "acme44");
  ASSERT_TRUE(client->waitLogon(kLogonBound)) << gateway_->diagnostics();
  EXPECT_TRUE(tradeAcked(*client, "MTLS-1"));
  client.reset();
  // A session without client_certificate_cn takes any certificate the CA issued.
  auto other = connect("FIX.4.4", "C44B", gateway_->clientPort(), true, "other");
  EXPECT_TRUE(other->waitLogon(kLogonBound)) << gateway_->diagnostics();
}

TEST_F(MutualTls, ClientWithAnotherSessionsCertificateIsRefusedWithLogoutText) {
  auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true, "other");
  EXPECT_THAT(logoutText(*client),
              HasSubstr("Logon refused: this session requires the client certificate issued for it"))
      << gateway_->diagnostics();
  EXPECT_FALSE(client->isLoggedOn());
  EXPECT_TRUE(
      gateway_->gateway().waitForOutput("refused (certificate-mismatch): the client certificate's subject CN "
                                        "is 'other', the session requires CN "
                                        "'acme44'",
                                        5s))
      << gateway_->diagnostics();
}

TEST_F(MutualTls, RepeatedCertificateMismatchesLockTheAddressOut) {
  // The gateway's default lockout: 5 failed logons from one address within 5 minutes.
  for (int i = 0; i < 5; ++i) {
    auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true, "other");
    EXPECT_THAT(logoutText(*client), HasSubstr("requires the client certificate issued for it")) << i;
  }
  EXPECT_TRUE(gateway_->gateway().waitForOutput("the address is locked out for", 5s))
      << gateway_->diagnostics();
  // Now even the session's own certificate is refused from that address.
  auto client = connect("FIX.4.4", "C44A", gateway_->clientPort(), true, "acme44");
  EXPECT_THAT(logoutText(*client), HasSubstr("too many failed logons from your network address"))
      << gateway_->diagnostics();
  EXPECT_FALSE(client->isLoggedOn());
}

TEST_F(MutualTls, CertificateFromAnotherCaFailsTheHandshake) {
  // A second CA, in a directory of its own, issues a certificate with the right CN.
  const auto rogue = gateway_->dir() / "rogue";
  ASSERT_EQ(
      runTool("fixgate-dev-certs", "/bin/bash",
              {(std::filesystem::path(FIXGATE_SOURCE_DIR) / "tools/certs/fixgate-dev-certs.sh").string(),
               "--dir", rogue.string(), "--client", "acme44"},
              gateway_->dir() / "rogue.log", 60s),
      0);
  client::ClientConfig config;
  config.port = gateway_->clientPort();
  config.sessions = {{"FIX.4.4", "C44A", "FIXGATE"}};
  config.heartbeat_interval_s = gateway_->options().heartbeat_interval_s;
  config.tls.ca_file = certs() / "ca.pem";
  config.tls.certificate_file = rogue / "client-acme44.pem";
  config.tls.private_key_file = rogue / "client-acme44.key";
  client::FixClient client(config);
  EXPECT_FALSE(client.waitLogon(kRefusalWindow)) << gateway_->diagnostics();
  EXPECT_THAT(client.tlsError(), HasSubstr("unknown ca"));
}

// TLS to a venue (issue 6, point 1): the gateway carries the venue session through its TLS tunnel to a
// simulator that accepts only TLS, verifying the venue against the configured CA and presenting its own
// certificate (mutual TLS); a venue whose certificate does not verify is never logged on, and the log says
// why.
class VenueTls : public ::testing::Test {
 protected:
  void SetUp() override {
    certs_ = makeTempDir("fixgate-venue-certs");
    for (const auto& [dir, clients] :
         {std::pair{certs_ / "venue", std::vector<std::string>{"--client", "fixgate"}},
          std::pair{certs_ / "rogue", std::vector<std::string>{}}}) {
      std::vector<std::string> args = {
          (std::filesystem::path(FIXGATE_SOURCE_DIR) / "tools/certs/fixgate-dev-certs.sh").string(), "--dir",
          dir.string()};
      args.insert(args.end(), clients.begin(), clients.end());
      ASSERT_EQ(runTool("fixgate-dev-certs", "/bin/bash", args, certs_ / "certs.log", 60s), 0)
          << "tools/certs/fixgate-dev-certs.sh failed; see " << (certs_ / "certs.log");
    }
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(certs_);
  }
  // SIM-A accepts only TLS with the venue CA's server certificate and asks for a client certificate from it.
  GatewayOptions simAOverTls(const std::filesystem::path& trusted_ca) const {
    GatewayOptions options;
    options.venues = defaultVenues();
    for (auto& venue : options.venues) {
      if (venue.name != "SIM-A") continue;
      const auto dir = certs_ / "venue";
      venue.sim_args.insert(venue.sim_args.end(),
                            {"--tls-cert", (dir / "server.pem").string(), "--tls-key",
                             (dir / "server.key").string(), "--tls-ca", (dir / "ca.pem").string()});
      venue.gateway_settings.push_back(fmt::format(
          "tls: {{ ca_file: {}, certificate_file: {}, private_key_file: {} }}", trusted_ca.string(),
          (dir / "client-fixgate.pem").string(), (dir / "client-fixgate.key").string()));
    }
    return options;
  }

  std::filesystem::path certs_;
};

TEST_F(VenueTls, OrdersReachAVenueThatAcceptsOnlyTls) {
  GatewayUnderTest gateway(simAOverTls(certs_ / "venue" / "ca.pem"));
  ASSERT_TRUE(gateway.start());
  EXPECT_TRUE(gateway.gateway().waitForOutput("venue SIM-A: TLS to 127.0.0.1:", 1s)) << gateway.diagnostics();
  auto client = gateway.connectClient("FIX.4.4", "C44A");
  ASSERT_NE(client->send(client::newOrderSingle(client::FixVersion::Fix44,
                                                client::limitOrder("VT-1", "AAPL", '1', "100", "90.01"))),
            0);
  EXPECT_TRUE(client->waitForExecReport("VT-1", '0', 10s)) << gateway.diagnostics(40);
}

TEST_F(VenueTls, AVenueWhoseCertificateDoesNotVerifyIsNeverLoggedOnAndTheLogSaysWhy) {
  GatewayUnderTest gateway(simAOverTls(certs_ / "rogue" / "ca.pem"));
  EXPECT_FALSE(gateway.start()) << "SIM-A logged on with a certificate from a CA the gateway does not trust";
  EXPECT_TRUE(
      gateway.gateway().waitForOutput("venue SIM-A: the certificate of venue SIM-A does not verify", 1s))
      << gateway.diagnostics(40);
}

}  // namespace
}  // namespace fixgate::testing
