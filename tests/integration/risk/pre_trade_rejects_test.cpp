// Every pre-trade risk refusal (FG5xx) reaches the client over a real FIX.4.4 session as a rejected
// ExecutionReport (ExecType 8, OrdStatus 8) - or, for a replace, an OrderCancelReject - with the code leading
// its Text and the limit and the value named, while an order just inside the same limit passes.
#include <gtest/gtest.h>

#include <thread>

#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_checks.h"
#include "risk_fixture.h"

namespace fixgate::testing::risk {
namespace {

using client::FixClient;
namespace F = FIX::FIELD;

class PreTradeRejects : public RiskTest {};

client::NewOrderParams withAccount(client::NewOrderParams params, std::string account) {
  params.account = std::move(account);
  return params;
}

TEST_F(PreTradeRejects, UnknownAccountIsRejectedWithFG501) {
  ASSERT_TRUE(start(LimitsFile{}));
  FixClient& a = clientA();
  const auto answer = sendNew(a, withAccount(client::limitOrder("UA-1", "AAPL", '1', "100", "100"), "NOPE"));
  ASSERT_TRUE(answer) << noAnswer(a, "UA-1");
  EXPECT_TRUE(isOrderReject(*answer, "UA-1", "FG501"));
  EXPECT_TRUE(textContains(*answer, {"NOPE"}));
  // The same order for a configured account passes.
  EXPECT_TRUE(placeResting(a, withAccount(client::limitOrder("UA-2", "AAPL", '1', "100", "100"), "IT-2")));
}

TEST_F(PreTradeRejects, AccountOrSymbolTheSessionIsNotEntitledToIsRejectedWithFG502) {
  LimitsFile limits;
  limits.sessions = {
      "{ session: {session:C44A}, accounts: [IT-1], symbols: [AAPL, MSFT], default_account: IT-1 }",
      "{ session: {session:C44B}, default_account: IT-1 }",
  };
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();

  const auto other_account =
      sendNew(a, withAccount(client::limitOrder("NE-1", "AAPL", '1', "100", "100"), "IT-2"));
  ASSERT_TRUE(other_account) << noAnswer(a, "NE-1");
  EXPECT_TRUE(isOrderReject(*other_account, "NE-1", "FG502"));
  EXPECT_TRUE(textContains(*other_account, {"C44A", "account IT-2"}));

  const auto other_symbol = sendNew(a, client::limitOrder("NE-2", "IBM", '1', "100", "180"));
  ASSERT_TRUE(other_symbol) << noAnswer(a, "NE-2");
  EXPECT_TRUE(isOrderReject(*other_symbol, "NE-2", "FG502"));
  EXPECT_TRUE(textContains(*other_symbol, {"C44A", "symbol IBM"}));

  // Inside its entitlements the session trades; another session without restrictions may trade both.
  EXPECT_TRUE(placeResting(a, client::limitOrder("NE-3", "AAPL", '1', "100", "100")));
  EXPECT_TRUE(
      placeResting(clientB(), withAccount(client::limitOrder("NE-4", "IBM", '1', "100", "180"), "IT-2")));
}

TEST_F(PreTradeRejects, RestrictedSymbolIsRejectedWithFG503) {
  LimitsFile limits;
  limits.symbols.at(2) = "{ symbol: IBM, reference_price: 180, restricted: true }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  const auto answer = sendNew(a, client::limitOrder("RS-1", "IBM", '1', "100", "180"));
  ASSERT_TRUE(answer) << noAnswer(a, "RS-1");
  EXPECT_TRUE(isOrderReject(*answer, "RS-1", "FG503"));
  EXPECT_TRUE(textContains(*answer, {"IBM", "restricted"}));
  EXPECT_TRUE(placeResting(a, "RS-2", "MSFT", '1', "100", "400"));
}

TEST_F(PreTradeRejects, BurstBeyondMaxMessagesPerSecondIsRejectedWithFG504) {
  LimitsFile limits;
  limits.sessions.at(0) = "{ session: {session:C44A}, default_account: IT-1, max_messages_per_second: 3 }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();

  // Six orders at once: the first three fit in the second, the others are throttled.
  constexpr int kBurst = 6;
  std::vector<int> seqs;
  for (int i = 1; i <= kBurst; ++i) {
    seqs.push_back(
        a.send(client::newOrderSingle(kVersion, client::limitOrder("TH-" + std::to_string(i), "AAPL", '1',
                                                                   "100", std::to_string(90 + i)))));
    ASSERT_NE(seqs.back(), 0) << "could not send TH-" << i;
  }
  for (int i = 1; i <= kBurst; ++i) {
    const std::string id = "TH-" + std::to_string(i);
    const auto answer =
        a.waitFor(client::answerTo(id, seqs[static_cast<std::size_t>(i - 1)]), kAnswerTimeout);
    ASSERT_TRUE(answer) << noAnswer(a, id);
    if (i <= 3) {
      EXPECT_TRUE(isAccepted(*answer, id)) << "order " << i << " of the burst is within the limit of 3/s";
    } else {
      EXPECT_TRUE(isOrderReject(*answer, id, "FG504")) << "order " << i << " of the burst exceeds 3/s";
      EXPECT_TRUE(textContains(*answer, {"max_messages_per_second 3"}));
    }
  }
  // A second later the session may send again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_TRUE(placeResting(a, "TH-7", "AAPL", '1', "100", "97"));
}

TEST_F(PreTradeRejects, QuantityAboveMaxOrderQtyIsRejectedWithFG505) {
  LimitsFile limits;
  limits.symbols.at(1) = "{ symbol: MSFT, reference_price: 400, max_order_qty: 500 }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();

  const auto account_limit = sendNew(a, client::limitOrder("Q-1", "AAPL", '1', "10001", "100"));
  ASSERT_TRUE(account_limit) << noAnswer(a, "Q-1");
  EXPECT_TRUE(isOrderReject(*account_limit, "Q-1", "FG505"));
  EXPECT_TRUE(textContains(*account_limit, {"10001", "max_order_qty 10000", "account IT-1"}));
  EXPECT_TRUE(placeResting(a, "Q-2", "AAPL", '1', "10000", "100"));  // exactly at the limit

  const auto symbol_limit = sendNew(a, client::limitOrder("Q-3", "MSFT", '1', "501", "400"));
  ASSERT_TRUE(symbol_limit) << noAnswer(a, "Q-3");
  EXPECT_TRUE(isOrderReject(*symbol_limit, "Q-3", "FG505"));
  EXPECT_TRUE(textContains(*symbol_limit, {"501", "max_order_qty 500", "symbol MSFT"}));
  EXPECT_TRUE(placeResting(a, "Q-4", "MSFT", '1', "500", "400"));
}

TEST_F(PreTradeRejects, NotionalAboveMaxOrderNotionalIsRejectedWithFG506) {
  ASSERT_TRUE(start(LimitsFile{}));  // max_order_notional 2000000
  FixClient& a = clientA();
  // 6000 x 400 = 2,400,000 USD.
  const auto answer = sendNew(a, client::limitOrder("N-1", "MSFT", '1', "6000", "400"));
  ASSERT_TRUE(answer) << noAnswer(a, "N-1");
  EXPECT_TRUE(isOrderReject(*answer, "N-1", "FG506"));
  EXPECT_TRUE(textContains(*answer, {"max_order_notional", "2,400,000.00", "2,000,000.00", "USD", "IT-1"}));
  // 5000 x 400 = 2,000,000: at the limit, accepted.
  EXPECT_TRUE(placeResting(a, "N-2", "MSFT", '1', "5000", "400"));
}

TEST_F(PreTradeRejects, MarketOrderWithoutReferencePriceIsRejectedWithFG507) {
  LimitsFile limits;
  limits.symbols.at(2) = "{ symbol: IBM }";  // no reference_price, and no trade today
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  client::NewOrderParams market = client::limitOrder("MK-1", "IBM", '1', "100", "0");
  market.ord_type = '1';
  market.price.reset();
  const auto answer = sendNew(a, market);
  ASSERT_TRUE(answer) << noAnswer(a, "MK-1");
  EXPECT_TRUE(isOrderReject(*answer, "MK-1", "FG507"));
  EXPECT_TRUE(textContains(*answer, {"reference price", "IBM"}));

  // With the collar on, a limit order in IBM cannot be checked either.
  const auto limit = sendNew(a, client::limitOrder("MK-2", "IBM", '1', "100", "180"));
  ASSERT_TRUE(limit) << noAnswer(a, "MK-2");
  EXPECT_TRUE(isOrderReject(*limit, "MK-2", "FG507"));

  // A market order in a symbol with a reference price passes the gateway's checks.
  market.cl_ord_id = "MK-3";
  market.symbol = "AAPL";
  const auto priced = sendNew(a, market);
  ASSERT_TRUE(priced) << noAnswer(a, "MK-3");
  EXPECT_FALSE(client::isExecReport(*priced, "8")) << client::toLine(*priced);
}

TEST_F(PreTradeRejects, PriceOffTickIsRejectedWithFG508) {
  ASSERT_TRUE(start(LimitsFile{}));
  FixClient& a = clientA();
  const auto answer = sendNew(a, client::limitOrder("T-1", "AAPL", '1', "100", "100.005"));
  ASSERT_TRUE(answer) << noAnswer(a, "T-1");
  EXPECT_TRUE(isOrderReject(*answer, "T-1", "FG508"));
  EXPECT_TRUE(textContains(*answer, {"100.005", "0.01", "AAPL"}));
  EXPECT_TRUE(placeResting(a, "T-2", "AAPL", '1', "100", "100.01"));
}

TEST_F(PreTradeRejects, PriceOutsideTheCollarIsRejectedWithFG509) {
  ASSERT_TRUE(start(LimitsFile{}));  // AAPL reference 100, collar 10%
  FixClient& a = clientA();
  const auto above = sendNew(a, client::limitOrder("C-1", "AAPL", '1', "100", "111"));
  ASSERT_TRUE(above) << noAnswer(a, "C-1");
  EXPECT_TRUE(isOrderReject(*above, "C-1", "FG509"));
  EXPECT_TRUE(textContains(*above, {"111", "11.00%", "reference price 100", "AAPL", "10%"}));

  const auto below = sendNew(a, client::limitOrder("C-2", "AAPL", '2', "100", "89"));
  ASSERT_TRUE(below) << noAnswer(a, "C-2");
  EXPECT_TRUE(isOrderReject(*below, "C-2", "FG509"));

  EXPECT_TRUE(placeResting(a, "C-3", "AAPL", '1', "100", "110"));  // exactly 10% away
}

TEST_F(PreTradeRejects, OrdersBeyondMaxOpenOrdersAreRejectedWithFG510) {
  LimitsFile limits;
  limits.accounts.at(1) = "{ account: IT-2, max_open_orders: 2 }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, withAccount(client::limitOrder("O-1", "AAPL", '1', "100", "99"), "IT-2")));
  ASSERT_TRUE(placeResting(a, withAccount(client::limitOrder("O-2", "AAPL", '1', "100", "98"), "IT-2")));

  const auto third = sendNew(a, withAccount(client::limitOrder("O-3", "AAPL", '1', "100", "97"), "IT-2"));
  ASSERT_TRUE(third) << noAnswer(a, "O-3");
  EXPECT_TRUE(isOrderReject(*third, "O-3", "FG510"));
  EXPECT_TRUE(textContains(*third, {"IT-2", "2 open orders", "max_open_orders limit is 2"}));
  // Other accounts have their own count.
  EXPECT_TRUE(placeResting(a, withAccount(client::limitOrder("O-4", "AAPL", '1', "100", "97"), "IT-1")));

  // Once one is canceled there is room again.
  const auto canceled = sendAndAwait(
      a,
      client::cancel(
          kVersion,
          {.cl_ord_id = "O-1X", .orig_cl_ord_id = "O-1", .symbol = "AAPL", .side = '1', .qty = "100"}),
      "O-1X");
  ASSERT_TRUE(canceled) << noAnswer(a, "cancel O-1X");
  ASSERT_TRUE(hasField(*canceled, F::ExecType, "4"));
  EXPECT_TRUE(placeResting(a, withAccount(client::limitOrder("O-5", "AAPL", '1', "100", "96"), "IT-2")));
}

TEST_F(PreTradeRejects, DuplicateOrderWithinTheWindowIsRejectedWithFG511) {
  LimitsFile limits;
  limits.duplicate_window_ms = 60000;
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "DUP-1", "AAPL", '1', "100", "99"));
  const auto answer = sendNew(a, client::limitOrder("DUP-2", "AAPL", '1', "100", "99"));
  ASSERT_TRUE(answer) << noAnswer(a, "DUP-2");
  EXPECT_TRUE(isOrderReject(*answer, "DUP-2", "FG511"));
  EXPECT_TRUE(textContains(*answer, {"IT-1", "AAPL", "60000 ms"}));
  // A different quantity is a different order.
  EXPECT_TRUE(placeResting(a, "DUP-3", "AAPL", '1', "101", "99"));
}

TEST_F(PreTradeRejects, GrossNotionalBeyondTheCreditLimitIsRejectedWithFG512) {
  LimitsFile limits;
  limits.accounts.at(1) = "{ account: IT-2, max_gross_notional: 100000 }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  // 600 x 100 = 60,000 working; 500 x 99 = 49,500 more makes 109,500.
  ASSERT_TRUE(placeResting(a, withAccount(client::limitOrder("G-1", "AAPL", '1', "600", "100"), "IT-2")));
  const auto answer = sendNew(a, withAccount(client::limitOrder("G-2", "AAPL", '1', "500", "99"), "IT-2"));
  ASSERT_TRUE(answer) << noAnswer(a, "G-2");
  EXPECT_TRUE(isOrderReject(*answer, "G-2", "FG512"));
  EXPECT_TRUE(textContains(*answer, {"IT-2", "gross", "109,500.00", "max_gross_notional", "100,000.00"}));
  // 400 x 99 = 39,600 keeps it at 99,600.
  EXPECT_TRUE(placeResting(a, withAccount(client::limitOrder("G-3", "AAPL", '1', "400", "99"), "IT-2")));
}

TEST_F(PreTradeRejects, LongPositionCountingWorkingOrdersIsRejectedWithFG514) {
  LimitsFile limits;
  limits.accounts.at(1) = "{ account: IT-2, max_long_position: 1000 }";
  ASSERT_TRUE(start(limits));
  FixClient& a = clientA();
  // Nothing is filled: only the working buy counts.
  ASSERT_TRUE(placeResting(a, withAccount(client::limitOrder("L-1", "AAPL", '1', "600", "100"), "IT-2")));
  const auto answer = sendNew(a, withAccount(client::limitOrder("L-2", "AAPL", '1', "500", "99"), "IT-2"));
  ASSERT_TRUE(answer) << noAnswer(a, "L-2");
  EXPECT_TRUE(isOrderReject(*answer, "L-2", "FG514"));
  EXPECT_TRUE(textContains(*answer, {"IT-2", "AAPL", "1100", "working buys 600", "max_long_position 1000"}));
  EXPECT_TRUE(placeResting(a, withAccount(client::limitOrder("L-3", "AAPL", '1', "400", "99"), "IT-2")));
}

TEST_F(PreTradeRejects, ReplaceBeyondALimitIsRefusedWithOrderCancelReject) {
  ASSERT_TRUE(start(LimitsFile{}));
  FixClient& a = clientA();
  ASSERT_TRUE(placeResting(a, "RP-1", "AAPL", '1', "100", "100"));

  const auto too_big = sendAndAwait(
      a, client::replace(kVersion, client::limitReplace("RP-2", "RP-1", "AAPL", '1', "20000", "100")),
      "RP-2");
  ASSERT_TRUE(too_big) << noAnswer(a, "replace RP-2");
  EXPECT_TRUE(isCancelReject(*too_big, '2', "RP-2", "FG505"));
  EXPECT_TRUE(hasField(*too_big, F::OrigClOrdID, "RP-1"));

  const auto off_collar = sendAndAwait(
      a, client::replace(kVersion, client::limitReplace("RP-3", "RP-1", "AAPL", '1', "100", "120")), "RP-3");
  ASSERT_TRUE(off_collar) << noAnswer(a, "replace RP-3");
  EXPECT_TRUE(isCancelReject(*off_collar, '2', "RP-3", "FG509"));

  // The order stays as it was, and a replace within the limits goes through.
  const auto state = status(a, "RP-1", "AAPL", '1');
  ASSERT_TRUE(state) << noAnswer(a, "status of RP-1");
  EXPECT_TRUE(hasField(*state, F::OrdStatus, "0"));
  EXPECT_TRUE(hasNumber(*state, F::OrderQty, 100));
  const auto ok = sendAndAwait(
      a, client::replace(kVersion, client::limitReplace("RP-4", "RP-1", "AAPL", '1', "200", "101")), "RP-4");
  ASSERT_TRUE(ok) << noAnswer(a, "replace RP-4");
  EXPECT_TRUE(hasField(*ok, F::ExecType, "5"));
}

}  // namespace
}  // namespace fixgate::testing::risk
