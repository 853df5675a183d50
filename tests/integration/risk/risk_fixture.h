// The fixture every risk integration test runs in: a fresh gateway (SIM-A resting, SIM-B partial fills) with
// the test's own limits file, FIX.4.4 client sessions C44A and C44B connected on first use, the admin socket,
// and - for tests that check what reached a venue - a client that talks to SIM-A directly as PROBE.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fix_client.h"
#include "fix_version.h"
#include "gateway_under_test.h"
#include "message_builders.h"

namespace fixgate::testing::risk {

// How long a test waits for any one answer from the gateway, a venue or the admin socket.
inline constexpr std::chrono::milliseconds kAnswerTimeout{5000};
inline constexpr std::chrono::milliseconds kAdminTimeout{5000};
inline constexpr client::FixVersion kVersion = client::FixVersion::Fix44;

// A limits file (format: config/limits.yaml) with every knob the tests turn, defaulting to limits that stay
// out of the way of ordinary test orders: account IT-1 (the sessions' default) and IT-2, AAPL 100, MSFT 400,
// IBM 180 and VOD.L 72 as reference prices, a 10% collar, no duplicate window, breakers that never trip.
// Sessions are named by CompID placeholder ("{session:C44A}"), which GatewayOptions::limits_yaml expands.
struct LimitsFile {
  std::string credit_warning_pct = "70";
  int duplicate_window_ms = 0;
  std::string collar = "{ max_deviation_pct: 10 }";
  // defaults.account, one key per line in this order (so errors point at distinct lines).
  std::vector<std::pair<std::string, std::string>> account_defaults = {
      {"max_order_qty", "10000"},       {"max_order_notional", "2000000"}, {"max_gross_notional", "50000000"},
      {"max_net_notional", "50000000"}, {"max_long_position", "1000000"},  {"max_short_position", "1000000"},
      {"max_open_orders", "1000"},      {"max_daily_loss", "1000000"},
  };
  std::string breakers =
      "{ reject_min_messages: 100000, repeat_max: 100000, venue_consecutive_failures: 100000 }";
  std::vector<std::string> accounts = {"{ account: IT-1 }", "{ account: IT-2 }"};
  std::vector<std::string> symbols = {
      "{ symbol: AAPL, reference_price: 100 }",
      "{ symbol: MSFT, reference_price: 400 }",
      "{ symbol: IBM, reference_price: 180 }",
      "{ symbol: VOD.L, reference_price: 72 }",
  };
  std::vector<std::string> sessions = {
      "{ session: {session:C44A}, default_account: IT-1 }",
      "{ session: {session:C44B}, default_account: IT-1 }",
  };

  // Sets one defaults.account key (which must be one of the eight).
  LimitsFile& accountDefault(const std::string& key, const std::string& value);
  [[nodiscard]] std::string render() const;
};

// The gateway's default venues, with SIM-A also letting CompID "PROBE" log on (see RiskTest::probe()).
[[nodiscard]] GatewayOptions probeableOptions();

class RiskTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Starts the gateway with `limits` as its limits file. Use as ASSERT_TRUE(start(...)).
  [[nodiscard]] ::testing::AssertionResult start(const LimitsFile& limits, GatewayOptions options = {});

  [[nodiscard]] GatewayUnderTest& gateway() { return *gateway_; }
  [[nodiscard]] client::FixClient& clientA();  // FIX.4.4 session C44A
  [[nodiscard]] client::FixClient& clientB();  // FIX.4.4 session C44B
  // A FIX.4.4 client logged on to SIM-A itself as PROBE (start with probeableOptions()): what it sees is what
  // the venue's book holds, whatever the gateway believes.
  [[nodiscard]] client::FixClient& probe();

  // Sends `message` and waits for the answer to it (see client::answerTo); a failure is recorded when the
  // session is not logged on.
  [[nodiscard]] std::optional<FIX::Message> sendAndAwait(client::FixClient& client, FIX::Message message,
                                                         const std::string& cl_ord_id);
  [[nodiscard]] std::optional<FIX::Message> sendNew(client::FixClient& client,
                                                    const client::NewOrderParams& params);
  // A limit order that must be accepted (ExecType 0).
  [[nodiscard]] ::testing::AssertionResult placeResting(client::FixClient& client,
                                                        client::NewOrderParams params);
  [[nodiscard]] ::testing::AssertionResult placeResting(client::FixClient& client,
                                                        const std::string& cl_ord_id,
                                                        const std::string& symbol, char side,
                                                        const std::string& qty, const std::string& price);
  // An order status request for `cl_ord_id`, answered with the order's OrdStatus.
  [[nodiscard]] std::optional<FIX::Message> status(client::FixClient& client, const std::string& cl_ord_id,
                                                   const std::string& symbol, char side);

  // The gateway's name for the client session with CompID `comp_id`, as its gateway.yaml has it (admin
  // commands and texts use it).
  [[nodiscard]] std::string sessionNameOf(const std::string& comp_id);

  // One admin command over the gateway's admin socket; the reply text, or why there was none.
  [[nodiscard]] std::expected<std::string, std::string> admin(const std::string& line);

  // Everything `client` received so far, one message per line, for failure messages.
  [[nodiscard]] static std::string receivedSoFar(const client::FixClient& client);
  [[nodiscard]] static std::string noAnswer(const client::FixClient& client, const std::string& what);

 private:
  std::unique_ptr<GatewayUnderTest> gateway_;
  std::unique_ptr<client::FixClient> client_a_;
  std::unique_ptr<client::FixClient> client_b_;
  std::unique_ptr<client::FixClient> probe_;
};

// A new order refused by the gateway: ExecutionReport with ExecType 8 and OrdStatus 8, Text led by `code`.
[[nodiscard]] ::testing::AssertionResult isOrderReject(const FIX::Message& answer,
                                                       const std::string& cl_ord_id, const std::string& code);
// A refused replace ('2') or cancel ('1'): OrderCancelReject (35=9) with Text led by `code`.
[[nodiscard]] ::testing::AssertionResult isCancelReject(const FIX::Message& answer, char response_to,
                                                        const std::string& cl_ord_id,
                                                        const std::string& code);
// An accepted new order: ExecutionReport with ExecType 0.
[[nodiscard]] ::testing::AssertionResult isAccepted(const FIX::Message& answer, const std::string& cl_ord_id);
// The message's Text (58) contains every one of `parts`.
[[nodiscard]] ::testing::AssertionResult textContains(const FIX::Message& m,
                                                      const std::vector<std::string>& parts);
// `text` contains every one of `parts`.
[[nodiscard]] ::testing::AssertionResult containsAll(const std::string& text,
                                                     const std::vector<std::string>& parts);

// Lowercase hex SHA-256, computed here (OpenSSL), not by the gateway's code.
[[nodiscard]] std::string readFile(const std::filesystem::path& path);
// Writes a sibling temp file and renames it over `path`, so a reader sees the old or the new file whole.
void replaceFile(const std::filesystem::path& path, const std::string& text);
// The 1-based number of the first line of `text` containing `needle`; 0 when none does.
[[nodiscard]] int lineOf(const std::string& text, const std::string& needle);

}  // namespace fixgate::testing::risk
