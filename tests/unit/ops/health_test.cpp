// Readiness and liveness from a snapshot: what makes the gateway unready, what is only reported, and what the
// JSON tells the person reading it.
#include <gtest/gtest.h>

#include "ops/health.h"

namespace fixgate::ops {
namespace {

GatewaySnapshot healthy() {
  GatewaySnapshot s;
  s.client_sessions = {{"C1", true}, {"C2", false}};
  s.venues = {{"SIM-A", true}, {"SIM-B", true}};
  s.accepting_clients = true;
  s.journal_healthy = true;
  s.journal_last_seq = 42;
  s.runtime_poll_age_ms = 10;
  s.audit_enabled = true;
  s.shipper_connected = true;
  s.shipped_seq = 40;
  return s;
}

const HealthCheck* find(const HealthReport& r, const std::string& name) {
  for (const auto& c : r.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(Health, ReadyWhenEverythingRequiredIsUpEvenWithAClientSessionDown) {
  const auto r = assessHealth(healthy());
  EXPECT_TRUE(r.live);
  EXPECT_TRUE(r.ready);
  ASSERT_NE(find(r, "client_session C2"), nullptr);
  EXPECT_FALSE(find(r, "client_session C2")->ok);
  EXPECT_FALSE(find(r, "client_session C2")->required);
}

TEST(Health, AVenueDownMakesTheGatewayUnreadyAndSaysWhichOne) {
  auto s = healthy();
  s.venues[1].logged_on = false;
  const auto r = assessHealth(s);
  EXPECT_TRUE(r.live);
  EXPECT_FALSE(r.ready);
  const auto json = toJson(r);
  EXPECT_NE(json.find("\"status\": \"not ready\""), std::string::npos) << json;
  EXPECT_NE(json.find("venue SIM-B"), std::string::npos) << json;
  EXPECT_NE(json.find("check the venue's connectivity"), std::string::npos) << json;
}

TEST(Health, AFailedJournalOrAClosedAcceptorMakesItUnready) {
  auto s = healthy();
  s.journal_healthy = false;
  EXPECT_FALSE(assessHealth(s).ready);
  EXPECT_NE(find(assessHealth(s), "journal")->detail.find("fix the disk"), std::string::npos);
  s = healthy();
  s.accepting_clients = false;
  EXPECT_FALSE(assessHealth(s).ready);
}

TEST(Health, PostgreSQLDownIsReportedButTradingStaysReady) {
  auto s = healthy();
  s.shipper_connected = false;
  s.shipper_last_error = "connection refused";
  s.shipper_lag_seconds = 12.5;
  const auto r = assessHealth(s);
  EXPECT_TRUE(r.ready);
  const auto* audit = find(r, "audit_store");
  ASSERT_NE(audit, nullptr);
  EXPECT_FALSE(audit->ok);
  EXPECT_NE(audit->detail.find("connection refused"), std::string::npos) << audit->detail;
  EXPECT_NE(audit->detail.find("12.5 s"), std::string::npos) << audit->detail;
}

TEST(Health, AStuckOrderPathIsNotLive) {
  auto s = healthy();
  s.runtime_poll_age_ms = kLivenessBound.count() + 1;
  const auto r = assessHealth(s);
  EXPECT_FALSE(r.live);
  EXPECT_FALSE(r.ready);
  EXPECT_NE(find(r, "runtime")->detail.find("stack dump"), std::string::npos);
}

}  // namespace
}  // namespace fixgate::ops
