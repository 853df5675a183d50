// The fixture every order-path test runs in: a fresh gateway with SIM-A (resting) and SIM-B (partial
// fills), and two client sessions (A and B) of the FIX version under test, connected on first use.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fix_client.h"
#include "fix_version.h"
#include "gateway_under_test.h"
#include "message_builders.h"

namespace fixgate::testing {

// How long a test waits for any one answer from the gateway.
inline constexpr std::chrono::milliseconds kAnswerTimeout{5000};

struct VersionCase {
  client::FixVersion version;
  std::string begin_string;
  std::string session_a;  // client CompIDs configured in the gateway for this version
  std::string session_b;
};

// gtest prints parameters in failure messages; without this it would dump the struct's bytes.
void PrintTo(const VersionCase& version_case, std::ostream* os);

[[nodiscard]] std::vector<VersionCase> allVersions();
[[nodiscard]] std::string versionName(const ::testing::TestParamInfo<VersionCase>& info);

class GatewayFixture : public ::testing::TestWithParam<VersionCase> {
 protected:
  void SetUp() override;
  // The gateway a test suite runs against; the defaults unless a suite says otherwise.
  [[nodiscard]] virtual GatewayOptions gatewayOptions() const { return {}; }
  void TearDown() override;

  [[nodiscard]] client::FixVersion version() const { return GetParam().version; }
  [[nodiscard]] bool isFix42() const { return version() == client::FixVersion::Fix42; }
  // ExecType of a fill: 'F' (Trade) in FIX 4.4/5.0; in FIX 4.2 '2' (Fill) or '1' (Partial fill).
  [[nodiscard]] std::string fillExecType(bool order_complete) const;

  [[nodiscard]] GatewayUnderTest& gateway() { return *gateway_; }
  [[nodiscard]] client::FixClient& clientA();
  [[nodiscard]] client::FixClient& clientB();

  // Sends `message` and waits for the gateway's answer to it (see client::answerTo).
  [[nodiscard]] std::optional<FIX::Message> sendAndAwait(client::FixClient& client, FIX::Message message,
                                                         const std::string& cl_ord_id);
  // Sends an OrderCancelRequest for `orig_cl_ord_id`, a buy of 100 AAPL as the tests place, and waits for the
  // gateway's answer to it.
  [[nodiscard]] std::optional<FIX::Message> sendCancel(client::FixClient& client,
                                                       const std::string& cl_ord_id,
                                                       const std::string& orig_cl_ord_id);
  // Sends a limit order and checks it was accepted (ExecType 0); the way most tests set the scene.
  [[nodiscard]] ::testing::AssertionResult placeResting(client::FixClient& client,
                                                        const std::string& cl_ord_id,
                                                        const std::string& symbol, char side,
                                                        const std::string& qty, const std::string& price);
  // Everything `client` received so far, one message per line, for failure messages.
  [[nodiscard]] static std::string receivedSoFar(const client::FixClient& client);

 private:
  std::unique_ptr<GatewayUnderTest> gateway_;
  std::unique_ptr<client::FixClient> client_a_;
  std::unique_ptr<client::FixClient> client_b_;
};

}  // namespace fixgate::testing
