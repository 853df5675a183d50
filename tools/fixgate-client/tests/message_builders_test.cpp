// What each FIX version's order messages carry: the differences between versions are where clients break.
#include <gtest/gtest.h>

#include "message_builders.h"
#include "message_fields.h"

namespace fixgate::client {
namespace {

namespace F = FIX::FIELD;

TEST(MessageBuilders, Fix42NewOrderCarriesHandlInstAndTransactTime) {
  const FIX::Message m = newOrderSingle(FixVersion::Fix42, limitOrder("A1", "AAPL", '1', "100", "10.5"));
  EXPECT_EQ(fieldOr(m, F::BeginString), "FIX.4.2");
  EXPECT_EQ(msgType(m), "D");
  EXPECT_EQ(fieldOr(m, F::HandlInst), "1");
  EXPECT_TRUE(field(m, F::TransactTime));
  EXPECT_EQ(fieldOr(m, F::ClOrdID), "A1");
  EXPECT_EQ(fieldOr(m, F::Price), "10.5");
  EXPECT_EQ(fieldOr(m, F::OrdType), "2");
}

TEST(MessageBuilders, Fix44NewOrderHasTransactTimeButNoHandlInst) {
  const FIX::Message m = newOrderSingle(FixVersion::Fix44, limitOrder("A1", "AAPL", '2', "100", "10"));
  EXPECT_EQ(fieldOr(m, F::BeginString), "FIX.4.4");
  EXPECT_FALSE(field(m, F::HandlInst));
  EXPECT_TRUE(field(m, F::TransactTime));
  EXPECT_FALSE(field(m, F::ApplVerID));
  EXPECT_EQ(fieldOr(m, F::Side), "2");
}

TEST(MessageBuilders, Fix50MessagesTravelOnFixtWithApplVerIdInTheHeader) {
  const FIX::Message m = massCancel(FixVersion::Fix50Sp2, "M1", '7');
  EXPECT_EQ(fieldOr(m, F::BeginString), "FIXT.1.1");
  EXPECT_TRUE(m.getHeader().isSetField(F::ApplVerID));
  EXPECT_EQ(m.getHeader().getField(F::ApplVerID), "9");
  EXPECT_EQ(fieldOr(m, F::MassCancelRequestType), "7");
  EXPECT_FALSE(field(m, F::Symbol)) << "scope 7 (all orders) names no symbol";
}

TEST(MessageBuilders, QuantitiesAndPricesAreSentExactlyAsGiven) {
  NewOrderParams params = limitOrder("A1", "AAPL", '1', "NaN", "-0.0");
  const FIX::Message m = newOrderSingle(FixVersion::Fix44, params);
  EXPECT_EQ(fieldOr(m, F::OrderQty), "NaN");
  EXPECT_EQ(fieldOr(m, F::Price), "-0.0");
}

TEST(MessageBuilders, OrderWithoutPriceHasNoPriceField) {
  NewOrderParams params = limitOrder("A1", "AAPL", '1', "100", "10");
  params.price.reset();
  EXPECT_FALSE(field(newOrderSingle(FixVersion::Fix44, params), F::Price));
}

TEST(MessageBuilders, PartiesGoInTheNoPartyIdsGroupWithPartyIdFirst) {
  NewOrderParams params = limitOrder("A1", "AAPL", '1', "100", "10");
  params.parties = {clientIdParty("CL1"), investmentDecisionParty("TR1"), executionWithinFirmParty("ALGO1")};
  const std::string line = toLine(newOrderSingle(FixVersion::Fix44, params));
  EXPECT_NE(
      line.find("|453=3|448=CL1|447=D|452=3|448=TR1|447=D|452=122|2376=24|448=ALGO1|447=D|452=12|2376=22|"),
      std::string::npos)
      << line;
}

TEST(MessageBuilders, OptionalRoutingFieldsAppearOnlyWhenSet) {
  NewOrderParams params = limitOrder("A1", "VOD.L", '1', "100", "10");
  EXPECT_FALSE(field(newOrderSingle(FixVersion::Fix44, params), F::ExDestination));
  params.ex_destination = "SIM-B";
  params.security_exchange = "XLON";
  params.account = "HEDGE-1";
  const FIX::Message m = newOrderSingle(FixVersion::Fix44, params);
  EXPECT_EQ(fieldOr(m, F::ExDestination), "SIM-B");
  EXPECT_EQ(fieldOr(m, F::SecurityExchange), "XLON");
  EXPECT_EQ(fieldOr(m, F::Account), "HEDGE-1");
}

TEST(MessageBuilders, CancelAndReplaceNameTheOriginalOrder) {
  const FIX::Message c = cancel(FixVersion::Fix42, {"C2", "C1", "AAPL", '1', "100"});
  EXPECT_EQ(msgType(c), "F");
  EXPECT_EQ(fieldOr(c, F::ClOrdID), "C2");
  EXPECT_EQ(fieldOr(c, F::OrigClOrdID), "C1");
  EXPECT_EQ(fieldOr(c, F::OrderQty), "100");

  const FIX::Message r = replace(FixVersion::Fix42, limitReplace("R2", "R1", "AAPL", '1', "150", "11"));
  EXPECT_EQ(msgType(r), "G");
  EXPECT_EQ(fieldOr(r, F::OrigClOrdID), "R1");
  EXPECT_EQ(fieldOr(r, F::HandlInst), "1") << "FIX 4.2 requires HandlInst on a replace too";
  EXPECT_EQ(fieldOr(r, F::Price), "11");
}

TEST(MessageBuilders, QuoteRequestCarriesItsSymbolInTheRelatedSymbolGroup) {
  const std::string line = toLine(quoteRequest(FixVersion::Fix44, "Q1", "AAPL"));
  EXPECT_NE(line.find("|35=R|"), std::string::npos) << line;
  EXPECT_NE(line.find("|131=Q1|146=1|55=AAPL|"), std::string::npos) << line;
}

}  // namespace
}  // namespace fixgate::client
