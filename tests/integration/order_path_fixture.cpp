#include "order_path_fixture.h"

#include <iostream>

#include "message_fields.h"
#include "message_predicates.h"

namespace fixgate::testing {

void PrintTo(const VersionCase& version_case, std::ostream* os) {
  *os << version_case.begin_string << " (sessions " << version_case.session_a << ", "
      << version_case.session_b << ")";
}

std::vector<VersionCase> allVersions() {
  return {
      {client::FixVersion::Fix42, "FIX.4.2", "C42A", "C42B"},
      {client::FixVersion::Fix44, "FIX.4.4", "C44A", "C44B"},
      {client::FixVersion::Fix50Sp2, "FIXT.1.1", "C50A", "C50B"},
  };
}

std::string versionName(const ::testing::TestParamInfo<VersionCase>& info) {
  return client::label(info.param.version);
}

void GatewayFixture::SetUp() {
  gateway_ = std::make_unique<GatewayUnderTest>(gatewayOptions());
  ASSERT_TRUE(gateway_->start());
}

void GatewayFixture::TearDown() {
  if (HasFailure()) {
    for (const auto* c : {client_a_.get(), client_b_.get()}) {
      if (c)
        std::cerr << "received by " << c->config().sessions.at(0).sender_comp_id << ":\n"
                  << receivedSoFar(*c);
    }
  }
  // Clients log out while the gateway still runs; the gateway goes last (and keeps its dir on failure).
  client_a_.reset();
  client_b_.reset();
  gateway_.reset();
}

std::string GatewayFixture::fillExecType(bool order_complete) const {
  if (!isFix42()) return "F";
  return order_complete ? "2" : "1";
}

client::FixClient& GatewayFixture::clientA() {
  if (!client_a_) client_a_ = gateway_->connectClient(GetParam().begin_string, GetParam().session_a);
  return *client_a_;
}

client::FixClient& GatewayFixture::clientB() {
  if (!client_b_) client_b_ = gateway_->connectClient(GetParam().begin_string, GetParam().session_b);
  return *client_b_;
}

std::optional<FIX::Message> GatewayFixture::sendAndAwait(client::FixClient& client, FIX::Message message,
                                                         const std::string& cl_ord_id) {
  const int seq = client.send(std::move(message));
  if (seq == 0) {
    ADD_FAILURE() << "could not send " << cl_ord_id << ": the session is not logged on";
    return std::nullopt;
  }
  return client.waitFor(client::answerTo(cl_ord_id, seq), kAnswerTimeout);
}

std::optional<FIX::Message> GatewayFixture::sendCancel(client::FixClient& client,
                                                       const std::string& cl_ord_id,
                                                       const std::string& orig_cl_ord_id) {
  return sendAndAwait(client,
                      client::cancel(version(), {.cl_ord_id = cl_ord_id,
                                                 .orig_cl_ord_id = orig_cl_ord_id,
                                                 .symbol = "AAPL",
                                                 .side = '1',
                                                 .qty = "100"}),
                      cl_ord_id);
}

::testing::AssertionResult GatewayFixture::placeResting(client::FixClient& client,
                                                        const std::string& cl_ord_id,
                                                        const std::string& symbol, char side,
                                                        const std::string& qty, const std::string& price) {
  const auto answer = sendAndAwait(
      client, client::newOrderSingle(version(), client::limitOrder(cl_ord_id, symbol, side, qty, price)),
      cl_ord_id);
  if (!answer) {
    return ::testing::AssertionFailure()
           << "no answer to order " << cl_ord_id << " within " << kAnswerTimeout.count() << " ms; received:\n"
           << receivedSoFar(client);
  }
  if (!client::isExecReport(*answer, "0")) {
    return ::testing::AssertionFailure()
           << "order " << cl_ord_id << " was not accepted (ExecType 0): " << client::toLine(*answer);
  }
  return ::testing::AssertionSuccess();
}

std::string GatewayFixture::receivedSoFar(const client::FixClient& client) {
  std::string text;
  for (const FIX::Message& m : client.received()) text += "  " + client::toLine(m) + "\n";
  return text.empty() ? "  (nothing)\n" : text;
}

}  // namespace fixgate::testing
