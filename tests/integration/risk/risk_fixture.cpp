#include "risk_fixture.h"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "admin/client.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"

namespace fixgate::testing::risk {

namespace F = FIX::FIELD;

LimitsFile& LimitsFile::accountDefault(const std::string& key, const std::string& value) {
  for (auto& [k, v] : account_defaults) {
    if (k == key) {
      v = value;
      return *this;
    }
  }
  throw std::invalid_argument("not a defaults.account key: " + key);
}

std::string LimitsFile::render() const {
  std::string yaml = "# written by risk_integration_test\n";
  yaml += fmt::format("credit_warning_pct: {}\n", credit_warning_pct);
  yaml += fmt::format("duplicate_window_ms: {}\n", duplicate_window_ms);
  yaml += fmt::format("collar: {}\n", collar);
  yaml += "defaults:\n  account:\n";
  for (const auto& [key, value] : account_defaults) yaml += fmt::format("    {}: {}\n", key, value);
  yaml += fmt::format("breakers: {}\n", breakers);
  yaml += "accounts:\n";
  for (const auto& a : accounts) yaml += fmt::format("  - {}\n", a);
  yaml += symbols.empty() ? "symbols: []\n" : "symbols:\n";
  for (const auto& s : symbols) yaml += fmt::format("  - {}\n", s);
  yaml += "sessions:\n";
  for (const auto& s : sessions) yaml += fmt::format("  - {}\n", s);
  return yaml;
}

GatewayOptions probeableOptions() {
  GatewayOptions options;
  for (VenueSpec& venue : options.venues) {
    if (venue.name == "SIM-A") venue.sim_args.insert(venue.sim_args.end(), {"--client-comp-id", "PROBE"});
  }
  return options;
}

void RiskTest::TearDown() {
  if (HasFailure()) {
    for (const auto* c : {client_a_.get(), client_b_.get(), probe_.get()}) {
      if (c)
        std::cerr << "received by " << c->config().sessions.at(0).sender_comp_id << ":\n"
                  << receivedSoFar(*c);
    }
  }
  // Clients log out while the gateway still runs; the gateway goes last (and keeps its dir on failure).
  probe_.reset();
  client_a_.reset();
  client_b_.reset();
  gateway_.reset();
}

::testing::AssertionResult RiskTest::start(const LimitsFile& limits, GatewayOptions options) {
  options.limits_yaml = limits.render();
  gateway_ = std::make_unique<GatewayUnderTest>(std::move(options));
  return gateway_->start();
}

client::FixClient& RiskTest::clientA() {
  if (!client_a_) client_a_ = gateway_->connectClient("FIX.4.4", "C44A");
  return *client_a_;
}

client::FixClient& RiskTest::clientB() {
  if (!client_b_) client_b_ = gateway_->connectClient("FIX.4.4", "C44B");
  return *client_b_;
}

client::FixClient& RiskTest::probe() {
  if (!probe_) {
    client::ClientConfig config;
    config.host = "127.0.0.1";
    config.port = gateway_->venuePort("SIM-A");
    config.sessions = {{"FIX.4.4", "PROBE", "SIM-A"}};
    config.data_dir = gateway_->dir() / "clients" / "PROBE";
    auto c = std::make_unique<client::FixClient>(config);
    if (!c->waitLogon(std::chrono::seconds(10))) {
      throw std::runtime_error(
          fmt::format("PROBE did not log on to SIM-A on port {} within 10 s (was the "
                      "simulator started with --client-comp-id PROBE?)\n{}",
                      config.port, gateway_->diagnostics()));
    }
    probe_ = std::move(c);
  }
  return *probe_;
}

std::optional<FIX::Message> RiskTest::sendAndAwait(client::FixClient& client, FIX::Message message,
                                                   const std::string& cl_ord_id) {
  const int seq = client.send(std::move(message));
  if (seq == 0) {
    ADD_FAILURE() << "could not send " << cl_ord_id << ": the session is not logged on";
    return std::nullopt;
  }
  return client.waitFor(client::answerTo(cl_ord_id, seq), kAnswerTimeout);
}

std::optional<FIX::Message> RiskTest::sendNew(client::FixClient& client,
                                              const client::NewOrderParams& params) {
  return sendAndAwait(client, client::newOrderSingle(kVersion, params), params.cl_ord_id);
}

::testing::AssertionResult RiskTest::placeResting(client::FixClient& client, client::NewOrderParams params) {
  const auto answer = sendNew(client, params);
  if (!answer) return ::testing::AssertionFailure() << noAnswer(client, "order " + params.cl_ord_id);
  return isAccepted(*answer, params.cl_ord_id);
}

::testing::AssertionResult RiskTest::placeResting(client::FixClient& client, const std::string& cl_ord_id,
                                                  const std::string& symbol, char side,
                                                  const std::string& qty, const std::string& price) {
  return placeResting(client, client::limitOrder(cl_ord_id, symbol, side, qty, price));
}

std::optional<FIX::Message> RiskTest::status(client::FixClient& client, const std::string& cl_ord_id,
                                             const std::string& symbol, char side) {
  const int seq = client.send(client::statusRequest(kVersion, cl_ord_id, symbol, side));
  if (seq == 0) {
    ADD_FAILURE() << "could not send the status request for " << cl_ord_id
                  << ": the session is not logged on";
    return std::nullopt;
  }
  return client.waitFor(
      [cl_ord_id](const FIX::Message& m) {
        return client::isExecReport(m, "I") && client::fieldOr(m, F::ClOrdID) == cl_ord_id;
      },
      kAnswerTimeout);
}

std::string RiskTest::sessionNameOf(const std::string& comp_id) {
  // client_sessions entries are written as "- name: X" followed by their keys, target_comp_id among them.
  std::istringstream in(readFile(gateway_->dir() / "gateway.yaml"));
  std::string line;
  std::string name;
  while (std::getline(in, line)) {
    if (const auto pos = line.find("- name: "); pos != std::string::npos) name = line.substr(pos + 8);
    if (line.find("target_comp_id: " + comp_id) != std::string::npos && line.ends_with(comp_id)) return name;
  }
  throw std::runtime_error("no client session with target_comp_id " + comp_id + " in gateway.yaml");
}

std::expected<std::string, std::string> RiskTest::admin(const std::string& line) {
  auto reply = admin::sendAdminCommand(gateway_->adminSocket(), line, kAdminTimeout);
  if (!reply) {
    return std::unexpected(fmt::format("admin command '{}' got no reply from {}: {}", line,
                                       gateway_->adminSocket().string(), reply.error().message));
  }
  return *reply;
}

std::string RiskTest::receivedSoFar(const client::FixClient& client) {
  std::string text;
  for (const FIX::Message& m : client.received()) text += "  " + client::toLine(m) + "\n";
  return text.empty() ? "  (nothing)\n" : text;
}

std::string RiskTest::noAnswer(const client::FixClient& client, const std::string& what) {
  return "no answer to " + what + " within " + std::to_string(kAnswerTimeout.count()) + " ms; received:\n" +
         receivedSoFar(client);
}

namespace {

// Folds several checks into one result, keeping every failure's text.
class Checks {
 public:
  void add(const ::testing::AssertionResult& r) {
    if (!r) failures_ += std::string("\n  ") + r.message();
  }
  [[nodiscard]] ::testing::AssertionResult result(const FIX::Message& m) const {
    if (failures_.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << failures_ << "\n  message: " << client::toLine(m);
  }

 private:
  std::string failures_;
};

}  // namespace

::testing::AssertionResult isOrderReject(const FIX::Message& answer, const std::string& cl_ord_id,
                                         const std::string& code) {
  Checks c;
  c.add(hasField(answer, F::MsgType, "8"));
  c.add(hasField(answer, F::ExecType, "8"));
  c.add(hasField(answer, F::OrdStatus, "8"));
  c.add(hasField(answer, F::ClOrdID, cl_ord_id));
  c.add(fieldStartsWith(answer, F::Text, code));
  return c.result(answer);
}

::testing::AssertionResult isCancelReject(const FIX::Message& answer, char response_to,
                                          const std::string& cl_ord_id, const std::string& code) {
  Checks c;
  c.add(hasField(answer, F::MsgType, "9"));
  c.add(hasField(answer, F::CxlRejResponseTo, {response_to}));
  c.add(hasField(answer, F::ClOrdID, cl_ord_id));
  c.add(fieldStartsWith(answer, F::Text, code));
  return c.result(answer);
}

::testing::AssertionResult isAccepted(const FIX::Message& answer, const std::string& cl_ord_id) {
  Checks c;
  c.add(hasField(answer, F::MsgType, "8"));
  c.add(hasField(answer, F::ExecType, "0"));
  c.add(hasField(answer, F::ClOrdID, cl_ord_id));
  return c.result(answer);
}

::testing::AssertionResult textContains(const FIX::Message& m, const std::vector<std::string>& parts) {
  const std::string text = client::fieldOr(m, F::Text);
  for (const std::string& part : parts) {
    if (text.find(part) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "Text (58) '" << text << "' does not contain '" << part << "'\n  in " << client::toLine(m);
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult containsAll(const std::string& text, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) {
    if (text.find(part) == std::string::npos) {
      return ::testing::AssertionFailure() << "'" << part << "' not found in:\n" << text;
    }
  }
  return ::testing::AssertionSuccess();
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void replaceFile(const std::filesystem::path& path, const std::string& text) {
  const auto temp = path.parent_path() / (path.filename().string() + ".new");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + temp.string());
  }
  std::filesystem::rename(temp, path);
}

int lineOf(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find(needle) != std::string::npos) return n;
  }
  return 0;
}

}  // namespace fixgate::testing::risk
