// The start of a trading day (StartTradingDay): the day's usage (fills in the credit limits, realized P&L,
// the credit warning) starts from zero, while positions and working orders carry over; a day already started
// is not started again.
#include "risk_fixture.h"

namespace fixgate::core::risktest {
namespace {

class TradingDay : public RiskTest {
 protected:
  // Starts `day` and returns the TradingDayStarted alert, or an empty one when the engine raised none.
  OperatorAlert startDay(const std::string& day) {
    const auto actions = apply(StartTradingDay{day});
    const auto alerts = allOf<OperatorAlert>(actions);
    EXPECT_LE(alerts.size(), 1u) << describeAll(actions);
    for (const auto& alert : alerts) EXPECT_EQ(alert.code, "TradingDayStarted");
    return alerts.empty() ? OperatorAlert{} : alerts.front();
  }
};

TEST_F(TradingDay, ANewDayForgetsYesterdaysRealizedLossButKeepsThePosition) {
  auto& a = account("LOSS");
  a.max_daily_loss = px("1000");
  a.max_long_position = 10;
  limits_.breakers.symbol_move_pct = 1e12;  // the round trip moves the price a lot; not the subject here
  start();
  startDay("2023-11-14");
  trade(kAlpha, buy("LOSS", "AIR", 3, "1000.02"));
  trade(kAlpha, sell("LOSS", "AIR", 1, "0.01"));  // realized -1,000.01; long 2 carried
  ASSERT_EQ(refuse(kAlpha, buy("LOSS", "SAN", 1, "50")).reject, RejectCode::DailyLossLimit);

  const auto started = startDay("2023-11-15");
  EXPECT_EQ(engine().tradingDay(), "2023-11-15");
  EXPECT_NE(started.text.find("trading day 2023-11-15 started after 2023-11-14"), std::string::npos)
      << started.text;
  EXPECT_NE(started.text.find("reset for 1 account(s)"), std::string::npos) << started.text;
  const auto d = send(kAlpha, buy("LOSS", "SAN", 1, "50"));
  EXPECT_TRUE(d.sent) << "yesterday's realized loss still refused today's order: " << describeAll(d.actions);
  // The position of 2 AIR carried over: 8 more reach the long limit of 10, 9 cross it.
  EXPECT_EQ(refuse(kAlpha, buy("LOSS", "AIR", 9, "100")).reject, RejectCode::LongPositionLimit);
  EXPECT_TRUE(send(kAlpha, buy("LOSS", "AIR", 8, "100")).sent);
}

TEST_F(TradingDay, ANewDayForgetsYesterdaysFillsButNotTheOpenOrders) {
  account("CRED").max_gross_notional = px("1000000");
  start();
  startDay("2023-11-14");
  trade(kAlpha, buy("CRED", "AIR", 5'000, "100"));        // filled 500,000.00
  placeAndAck(kAlpha, buy("CRED", "AIR", 4'000, "100"));  // open 400,000.00
  ASSERT_EQ(refuse(kAlpha, buy("CRED", "AIR", 1'001, "100")).reject, RejectCode::GrossCreditLimit);

  startDay("2023-11-15");
  // Today: the open 400,000.00 only, so 600,000.00 more fit and one cent over does not.
  const auto over = refuse(kAlpha, buy("CRED", "AIR", 6'001, "100"));
  EXPECT_TRUE(
      refusedWith(over.reject, over.text, RejectCode::GrossCreditLimit, {"would be 1,000,100.00 EUR"}));
  EXPECT_TRUE(send(kAlpha, buy("CRED", "AIR", 6'000, "100")).sent);
}

TEST_F(TradingDay, TheCreditWarningIsGivenAgainOnANewDay) {
  account("CRED").max_gross_notional = px("1000000");
  start();
  startDay("2023-11-14");
  trade(kAlpha, buy("CRED", "AIR", 7'000, "100"));  // 70%: warned
  ASSERT_EQ(send(kAlpha, buy("CRED", "AIR", 1, "100")).alerts().size(), 0u);

  startDay("2023-11-15");
  const auto again = send(kAlpha, buy("CRED", "AIR", 7'001, "100"));  // 700,200.00 with the open 100.00
  ASSERT_TRUE(again.sent) << describeAll(again.actions);
  ASSERT_EQ(again.alerts().size(), 1u) << describeAll(again.actions);
  EXPECT_EQ(again.alerts().front().code, "CreditWarning");
}

TEST_F(TradingDay, TheFirstDayInAJournalResetsNothing) {
  auto& a = account("LOSS");
  a.max_daily_loss = px("1000");
  limits_.breakers.symbol_move_pct = 1e6;
  start();
  trade(kAlpha, buy("LOSS", "AIR", 1, "1000.02"));
  trade(kAlpha, sell("LOSS", "AIR", 1, "0.01"));  // a loss from before any day was started
  const auto started = startDay("2023-11-14");
  EXPECT_NE(started.text.find("nothing was reset"), std::string::npos) << started.text;
  EXPECT_EQ(refuse(kAlpha, buy("LOSS", "SAN", 1, "50")).reject, RejectCode::DailyLossLimit)
      << "a loss of unknown date was forgotten: the first day must err towards refusing";
}

TEST_F(TradingDay, ADayAlreadyStartedOrAnEarlierOneChangesNothing) {
  auto& a = account("LOSS");
  a.max_daily_loss = px("1000");
  limits_.breakers.symbol_move_pct = 1e6;
  start();
  startDay("2023-11-14");
  trade(kAlpha, buy("LOSS", "AIR", 1, "1000.02"));
  trade(kAlpha, sell("LOSS", "AIR", 1, "0.01"));
  EXPECT_TRUE(apply(StartTradingDay{"2023-11-14"}).empty());
  EXPECT_TRUE(apply(StartTradingDay{"2023-11-13"}).empty());
  EXPECT_EQ(engine().tradingDay(), "2023-11-14");
  EXPECT_EQ(refuse(kAlpha, buy("LOSS", "SAN", 1, "50")).reject, RejectCode::DailyLossLimit);
}

}  // namespace
}  // namespace fixgate::core::risktest
