// The alert codes' severities: what the gateway logs at which level and what monitoring pages on.
#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "core/alerts.h"

namespace fixgate::core {
namespace {

TEST(AlertSeverity, RoutineAlertsDoNotCountAsErrors) {
  EXPECT_EQ(severityOf(alert_code::kTradingDayStarted), AlertSeverity::Info);
  EXPECT_EQ(severityOf(alert_code::kCreditWarning), AlertSeverity::Warning);
  EXPECT_EQ(severityOf(alert_code::kCancelOnDisconnect), AlertSeverity::Warning);
  EXPECT_EQ(severityOf(alert_code::kDuplicateExecution), AlertSeverity::Warning);
  EXPECT_EQ(severityOf(alert_code::kMissingFills), AlertSeverity::Error);
  EXPECT_EQ(severityOf(alert_code::kVenueLostOrder), AlertSeverity::Error);
  EXPECT_EQ(toString(AlertSeverity::Info), "info");
  EXPECT_EQ(toString(AlertSeverity::Warning), "warning");
  EXPECT_EQ(toString(AlertSeverity::Error), "error");
}

TEST(AlertSeverity, ACodeNotInTheTableCountsAsAnError) {
  EXPECT_EQ(severityOf("SomethingNew"), AlertSeverity::Error);
  EXPECT_EQ(severityOf(""), AlertSeverity::Error);
}

TEST(AlertSeverity, EveryCodeIsListedOnce) {
  std::set<std::string_view> codes;
  for (const auto& kind : kAlertKinds) {
    EXPECT_FALSE(kind.code.empty());
    EXPECT_TRUE(codes.insert(kind.code).second) << kind.code << " listed twice";
  }
}

}  // namespace
}  // namespace fixgate::core
