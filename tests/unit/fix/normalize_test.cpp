// normalize(): a client's FIX message of any supported version becomes one core command, or the refusal its
// message type calls for (ExecutionReport for D/H, OrderCancelReject for F/G, OrderMassCancelReport for q,
// BusinessMessageReject for message types the gateway does not handle).
#include "fix/normalize.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "fix_test_messages.h"

namespace fixgate::fix {
namespace {

using testing::addParty;
using testing::makeMessage;
using testing::PartyEntry;

constexpr core::SessionId kSession = 3;
constexpr core::Timestamp kNow = 1'700'000'000'123'456;

using Result = std::expected<core::EventBody, InboundRefusal>;

template <typename T>
const T* command(const Result& r) {
  return r ? std::get_if<T>(&*r) : nullptr;
}

template <typename T>
const T* refusal(const Result& r) {
  if (r) return nullptr;
  if (const auto* action = std::get_if<core::Action>(&r.error())) return std::get_if<T>(action);
  return nullptr;
}

const BusinessReject* businessReject(const Result& r) {
  return r ? nullptr : std::get_if<BusinessReject>(&r.error());
}

// What a Result holds, for failure messages.
std::string describe(const Result& r) {
  if (r) return "command (EventBody index " + std::to_string(r->index()) + ")";
  if (const auto* bmr = std::get_if<BusinessReject>(&r.error())) return "BusinessReject: " + bmr->text;
  const auto& action = std::get<core::Action>(r.error());
  if (const auto* er = std::get_if<core::ExecReport>(&action)) return "ExecReport reject: " + er->text;
  if (const auto* cr = std::get_if<core::CancelReject>(&action)) return "CancelReject: " + cr->text;
  if (const auto* mr = std::get_if<core::MassCancelReport>(&action)) return "MassCancelReport: " + mr->text;
  return "other action (index " + std::to_string(action.index()) + ")";
}

std::string beginStringOf(FixVersion v) {
  switch (v) {
    case FixVersion::Fix42:
      return "FIX.4.2";
    case FixVersion::Fix44:
      return "FIX.4.4";
    case FixVersion::Fix50Sp2:
      return "FIXT.1.1";
  }
  return "";
}

// A limit order with every optional term the gateway reads, in the given version's shape.
FIX::Message newOrderSingle(FixVersion v) {
  auto m = makeMessage("D",
                       {{tag::ClOrdID, "C-1"},
                        {tag::Account, "ACC-7"},
                        {tag::Symbol, "VOD.L"},
                        {tag::SecurityID, "GB00BH4HKS39"},
                        {tag::SecurityIDSource, "4"},
                        {tag::SecurityExchange, "XLON"},
                        {tag::ExDestination, "SIM-B"},
                        {tag::Currency, "GBP"},
                        {tag::Side, "1"},
                        {tag::OrdType, "2"},
                        {tag::TimeInForce, "1"},
                        {tag::OrderQty, "1500"},
                        {tag::Price, "101.25"},
                        {tag::TransactTime, "20231114-22:13:20.123456"}},
                       beginStringOf(v), 7);
  if (v == FixVersion::Fix42) {
    m.setField(tag::HandlInst, "1");
    m.setField(tag::Rule80A, "A");
  } else {
    m.setField(tag::OrderCapacity, "A");
  }
  return m;
}

Result run(const FIX::Message& m, FixVersion v = FixVersion::Fix44) {
  return normalize(m, v, kSession, kNow);
}

// ---------------------------------------------------------------------------------------------------------------
// NewOrderSingle, per version

class NormalizeNewOrderPerVersion : public ::testing::TestWithParam<FixVersion> {};

TEST_P(NormalizeNewOrderPerVersion, MapsEveryTermOfALimitOrder) {
  const auto result = run(newOrderSingle(GetParam()), GetParam());
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->session, kSession);
  EXPECT_EQ(order->cl_ord_id, "C-1");
  const auto& t = order->terms;
  EXPECT_EQ(t.account, "ACC-7");
  EXPECT_EQ(t.symbol, "VOD.L");
  EXPECT_EQ(t.security_id, "GB00BH4HKS39");
  EXPECT_EQ(t.security_id_source, '4');
  EXPECT_EQ(t.security_exchange, "XLON");
  EXPECT_EQ(t.ex_destination, "SIM-B");
  EXPECT_EQ(t.currency, "GBP");
  EXPECT_EQ(t.side, core::Side::Buy);
  EXPECT_EQ(t.ord_type, core::OrdType::Limit);
  EXPECT_EQ(t.time_in_force, core::TimeInForce::GoodTillCancel);
  EXPECT_EQ(t.quantity, 1500);
  ASSERT_TRUE(t.price.has_value());
  EXPECT_EQ(t.price->units, 10'125'000'000);
  EXPECT_FALSE(t.stop_price.has_value());
  EXPECT_EQ(t.expire, "");
  EXPECT_EQ(t.capacity, core::TradingCapacity::Agency);
  EXPECT_TRUE(t.parties.client.empty());
  EXPECT_TRUE(t.parties.investment_decision.empty());
  EXPECT_TRUE(t.parties.execution_within_firm.empty());
}

TEST_P(NormalizeNewOrderPerVersion, MapsThePartiesGroupRolesUsedForRts24) {
  auto m = newOrderSingle(GetParam());
  addParty(m, {"EXECFIRM", "D", "1", ""});  // executing firm: not one of the three roles, ignored
  addParty(m, {"90001", "P", "3", ""});
  addParty(m, {"4711", "P", "122", "24"});
  addParty(m, {"ALGO-9", "P", "12", "22"});
  const auto result = run(m, GetParam());
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  const auto& p = order->terms.parties;
  EXPECT_EQ(p.client.id, "90001");
  EXPECT_EQ(p.client.source, 'P');
  EXPECT_EQ(p.client.qualifier, 0);
  EXPECT_EQ(p.investment_decision.id, "4711");
  EXPECT_EQ(p.investment_decision.source, 'P');
  EXPECT_EQ(p.investment_decision.qualifier, 24);
  EXPECT_EQ(p.execution_within_firm.id, "ALGO-9");
  EXPECT_EQ(p.execution_within_firm.source, 'P');
  EXPECT_EQ(p.execution_within_firm.qualifier, 22);
}

TEST_P(NormalizeNewOrderPerVersion, RefusesARepeatedPartyRole) {
  auto m = newOrderSingle(GetParam());
  addParty(m, {"4711", "P", "122", "24"});
  addParty(m, {"4712", "P", "122", "24"});
  const auto result = run(m, GetParam());
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_TRUE(reject->text.starts_with("FG109")) << reject->text;
  EXPECT_NE(reject->text.find("452"), std::string::npos) << reject->text;
  EXPECT_NE(reject->text.find("122"), std::string::npos) << reject->text;
}

// QuickFIX does not type-check fields inside repeating groups, so normalize() checks party values itself.
struct BadPartyCase {
  PartyEntry party;
  const char* named;
};

class NormalizeBadParty : public ::testing::TestWithParam<BadPartyCase> {};

TEST_P(NormalizeBadParty, IsRefusedNamingTheTag) {
  auto m = newOrderSingle(FixVersion::Fix44);
  addParty(m, GetParam().party);
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_NE(reject->text.find(GetParam().named), std::string::npos) << reject->text;
}

INSTANTIATE_TEST_SUITE_P(
    RoleSourceQualifier, NormalizeBadParty,
    ::testing::Values(BadPartyCase{{"90001", "P", "client", ""}, "PartyRole (452)"},
                      BadPartyCase{{"90001", "P", "", ""}, "PartyRole (452)"},
                      BadPartyCase{{"90001", "PP", "3", ""}, "PartyIDSource (447)"},
                      BadPartyCase{{"4711", "P", "122", "7"}, "PartyRoleQualifier (2376)"},
                      BadPartyCase{{"4711", "P", "122", "x"}, "PartyRoleQualifier (2376)"}));

TEST(NormalizeNewOrder, PartyWithoutSourceOrQualifierIsAccepted) {
  auto m = newOrderSingle(FixVersion::Fix44);
  addParty(m, {"5493001KJTIIGC8Y1R12", "", "3", "23"});
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.parties.client.id, "5493001KJTIIGC8Y1R12");
  EXPECT_EQ(order->terms.parties.client.source, 0);
  EXPECT_EQ(order->terms.parties.client.qualifier, 23);
}

INSTANTIATE_TEST_SUITE_P(AllVersions, NormalizeNewOrderPerVersion,
                         ::testing::Values(FixVersion::Fix42, FixVersion::Fix44, FixVersion::Fix50Sp2),
                         [](const auto& info) {
                           switch (info.param) {
                             case FixVersion::Fix42:
                               return std::string("Fix42");
                             case FixVersion::Fix44:
                               return std::string("Fix44");
                             case FixVersion::Fix50Sp2:
                               return std::string("Fix50Sp2");
                           }
                           return std::string("unknown");
                         });

// Trading capacity: Rule80A (47) in 4.2, OrderCapacity (528) in 4.4 and 5.0SP2; the other tag is not read.
TEST(NormalizeNewOrder, Fix42ReadsCapacityFromRule80A) {
  auto m = newOrderSingle(FixVersion::Fix42);
  m.setField(tag::Rule80A, "P");
  m.setField(tag::OrderCapacity, "A");
  const auto result = run(m, FixVersion::Fix42);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.capacity, core::TradingCapacity::Principal);
}

TEST(NormalizeNewOrder, Fix44ReadsCapacityFromOrderCapacityNotRule80A) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::OrderCapacity, "P");
  m.setField(tag::Rule80A, "A");
  const auto result = run(m, FixVersion::Fix44);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.capacity, core::TradingCapacity::Principal);
}

TEST(NormalizeNewOrder, Fix50Sp2ReadsRisklessPrincipalFromOrderCapacity) {
  auto m = newOrderSingle(FixVersion::Fix50Sp2);
  m.setField(tag::OrderCapacity, "R");
  const auto result = run(m, FixVersion::Fix50Sp2);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.capacity, core::TradingCapacity::RisklessPrincipal);
}

TEST(NormalizeNewOrder, CapacityIsUnspecifiedWhenAbsent) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.removeField(tag::OrderCapacity);
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.capacity, core::TradingCapacity::Unspecified);
}

TEST(NormalizeNewOrder, MarketOrderHasNoPrice) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::OrdType, "1");
  m.removeField(tag::Price);
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.ord_type, core::OrdType::Market);
  EXPECT_FALSE(order->terms.price.has_value());
  EXPECT_FALSE(order->terms.stop_price.has_value());
}

TEST(NormalizeNewOrder, StopOrderCarriesStopPxExactly) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::OrdType, "3");
  m.removeField(tag::Price);
  m.setField(tag::StopPx, "99.5");
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.ord_type, core::OrdType::Stop);
  EXPECT_FALSE(order->terms.price.has_value());
  ASSERT_TRUE(order->terms.stop_price.has_value());
  EXPECT_EQ(order->terms.stop_price->units, 9'950'000'000);
}

TEST(NormalizeNewOrder, StopLimitOrderCarriesPriceAndStopPx) {
  auto m = newOrderSingle(FixVersion::Fix42);
  m.setField(tag::OrdType, "4");
  m.setField(tag::Price, "0.00000001");
  m.setField(tag::StopPx, "12345.6789");
  const auto result = run(m, FixVersion::Fix42);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.ord_type, core::OrdType::StopLimit);
  ASSERT_TRUE(order->terms.price.has_value());
  EXPECT_EQ(order->terms.price->units, 1);
  ASSERT_TRUE(order->terms.stop_price.has_value());
  EXPECT_EQ(order->terms.stop_price->units, 1'234'567'890'000);
}

TEST(NormalizeNewOrder, QuantityWrittenWithZeroDecimalsIsWhole) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::OrderQty, "100.00");
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.quantity, 100);
}

struct SideCase {
  const char* code;
  core::Side side;
};

class NormalizeSide : public ::testing::TestWithParam<SideCase> {};

TEST_P(NormalizeSide, MapsSide) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::Side, GetParam().code);
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.side, GetParam().side);
}

INSTANTIATE_TEST_SUITE_P(BuySellSellShort, NormalizeSide,
                         ::testing::Values(SideCase{"1", core::Side::Buy}, SideCase{"2", core::Side::Sell},
                                           SideCase{"5", core::Side::SellShort}));

struct TifCase {
  const char* code;
  core::TimeInForce tif;
};

class NormalizeTimeInForce : public ::testing::TestWithParam<TifCase> {};

TEST_P(NormalizeTimeInForce, MapsTimeInForce) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::TimeInForce, GetParam().code);
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.time_in_force, GetParam().tif);
}

INSTANTIATE_TEST_SUITE_P(DayGtcIocFokGtd, NormalizeTimeInForce,
                         ::testing::Values(TifCase{"0", core::TimeInForce::Day},
                                           TifCase{"1", core::TimeInForce::GoodTillCancel},
                                           TifCase{"3", core::TimeInForce::ImmediateOrCancel},
                                           TifCase{"4", core::TimeInForce::FillOrKill},
                                           TifCase{"6", core::TimeInForce::GoodTillDate}));

TEST(NormalizeNewOrder, MissingTimeInForceIsDay) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.removeField(tag::TimeInForce);
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.time_in_force, core::TimeInForce::Day);
}

TEST(NormalizeNewOrder, GoodTillDateCarriesExpireTime) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::TimeInForce, "6");
  m.setField(tag::ExpireTime, "20231115-16:30:00.000");
  const auto result = run(m);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.time_in_force, core::TimeInForce::GoodTillDate);
  EXPECT_EQ(order->terms.expire, "20231115-16:30:00.000");
}

TEST(NormalizeNewOrder, GoodTillDateCarriesExpireDate) {
  auto m = newOrderSingle(FixVersion::Fix42);
  m.setField(tag::TimeInForce, "6");
  m.setField(tag::ExpireDate, "20231115");
  const auto result = run(m, FixVersion::Fix42);
  const auto* order = command<core::NewOrder>(result);
  ASSERT_NE(order, nullptr) << describe(result);
  EXPECT_EQ(order->terms.time_in_force, core::TimeInForce::GoodTillDate);
  EXPECT_EQ(order->terms.expire, "20231115");
}

// ---------------------------------------------------------------------------------------------------------------
// NewOrderSingle refusals come back as a rejecting ExecutionReport

class NormalizeBadQuantity : public ::testing::TestWithParam<const char*> {};

TEST_P(NormalizeBadQuantity, RejectsWithInvalidQuantity) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::OrderQty, GetParam());
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->kind, core::ExecKind::Rejected);
  EXPECT_EQ(reject->status, core::OrdStatus::Rejected);
  ASSERT_TRUE(reject->reject.has_value());
  EXPECT_EQ(*reject->reject, core::RejectCode::InvalidQuantity);
  EXPECT_TRUE(reject->text.starts_with("FG101")) << reject->text;
  EXPECT_NE(reject->text.find("OrderQty (38)"), std::string::npos) << reject->text;
  // Enough of the order is echoed for the client to match the reject to what it sent.
  EXPECT_EQ(reject->session, kSession);
  EXPECT_EQ(reject->cl_ord_id, "C-1");
  EXPECT_EQ(reject->order_id, "NONE");
  EXPECT_EQ(reject->symbol, "VOD.L");
  EXPECT_EQ(reject->side, core::Side::Buy);
  EXPECT_EQ(reject->account, "ACC-7");
  EXPECT_EQ(reject->transact_time, kNow);
}

INSTANTIATE_TEST_SUITE_P(NotAWholeNumber, NormalizeBadQuantity,
                         ::testing::Values("NaN", "1.5", "abc", "1e5", "", "10 0"));

TEST(NormalizeNewOrder, MissingQuantityIsInvalidQuantity) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.removeField(tag::OrderQty);
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->reject, core::RejectCode::InvalidQuantity);
  EXPECT_TRUE(reject->text.starts_with("FG101")) << reject->text;
}

struct BadPriceCase {
  int tag_number;
  const char* value;
  const char* named;
};

class NormalizeBadPrice : public ::testing::TestWithParam<BadPriceCase> {};

TEST_P(NormalizeBadPrice, RejectsWithInvalidPrice) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(tag::OrdType, "4");
  m.setField(tag::StopPx, "100");
  m.setField(GetParam().tag_number, GetParam().value);
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->kind, core::ExecKind::Rejected);
  EXPECT_EQ(reject->reject, core::RejectCode::InvalidPrice);
  EXPECT_TRUE(reject->text.starts_with("FG104")) << reject->text;
  EXPECT_NE(reject->text.find(GetParam().named), std::string::npos) << reject->text;
}

INSTANTIATE_TEST_SUITE_P(Unparsable, NormalizeBadPrice,
                         ::testing::Values(BadPriceCase{tag::Price, "abc", "Price (44)"},
                                           BadPriceCase{tag::Price, "NaN", "Price (44)"},
                                           BadPriceCase{tag::Price, "1e2", "Price (44)"},
                                           BadPriceCase{tag::Price, "1.123456789", "Price (44)"},
                                           BadPriceCase{tag::StopPx, "12,5", "StopPx (99)"}));

struct UnsupportedCase {
  int tag_number;
  const char* value;
  const char* named;
};

class NormalizeUnsupportedValue : public ::testing::TestWithParam<UnsupportedCase> {};

TEST_P(NormalizeUnsupportedValue, RejectsNamingTheTag) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.setField(GetParam().tag_number, GetParam().value);
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->kind, core::ExecKind::Rejected);
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_TRUE(reject->text.starts_with("FG109")) << reject->text;
  EXPECT_NE(reject->text.find(GetParam().named), std::string::npos) << reject->text;
  EXPECT_NE(reject->text.find(std::string("'") + GetParam().value + "'"), std::string::npos) << reject->text;
}

INSTANTIATE_TEST_SUITE_P(OrdTypeSideTimeInForce, NormalizeUnsupportedValue,
                         ::testing::Values(UnsupportedCase{tag::OrdType, "P", "OrdType (40)"},
                                           UnsupportedCase{tag::Side, "7", "Side (54)"},
                                           UnsupportedCase{tag::TimeInForce, "2", "TimeInForce (59)"}));

TEST(NormalizeNewOrder, MissingClOrdIdIsRefusedNamingTheTag) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.removeField(tag::ClOrdID);
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_NE(reject->text.find("ClOrdID (11)"), std::string::npos) << reject->text;
}

TEST(NormalizeNewOrder, MissingSymbolIsRefusedNamingTheTag) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.removeField(tag::Symbol);
  const auto result = run(m);
  const auto* reject = refusal<core::ExecReport>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_NE(reject->text.find("Symbol (55)"), std::string::npos) << reject->text;
}

// ---------------------------------------------------------------------------------------------------------------
// OrderCancelRequest (F) and OrderCancelReplaceRequest (G)

TEST(NormalizeCancel, CancelRequestBecomesCancelOrder) {
  const auto m = makeMessage("F", {{tag::ClOrdID, "C-2"},
                                   {tag::OrigClOrdID, "C-1"},
                                   {tag::Symbol, "AAPL"},
                                   {tag::Side, "2"},
                                   {tag::OrderQty, "100"},
                                   {tag::TransactTime, "20231114-22:13:20"}});
  const auto result = run(m);
  const auto* cancel = command<core::CancelOrder>(result);
  ASSERT_NE(cancel, nullptr) << describe(result);
  EXPECT_EQ(cancel->session, kSession);
  EXPECT_EQ(cancel->cl_ord_id, "C-2");
  EXPECT_EQ(cancel->orig_cl_ord_id, "C-1");
  EXPECT_EQ(cancel->symbol, "AAPL");
  EXPECT_EQ(cancel->side, core::Side::Sell);
}

TEST(NormalizeCancel, CancelWithoutOrigClOrdIdIsACancelRejectForACancel) {
  const auto m = makeMessage("F", {{tag::ClOrdID, "C-2"}, {tag::Symbol, "AAPL"}, {tag::Side, "1"}});
  const auto result = run(m);
  const auto* reject = refusal<core::CancelReject>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_FALSE(reject->for_replace);
  EXPECT_EQ(reject->session, kSession);
  EXPECT_EQ(reject->cl_ord_id, "C-2");
  EXPECT_EQ(reject->order_id, "NONE");
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_TRUE(reject->text.starts_with("FG109")) << reject->text;
  EXPECT_NE(reject->text.find("OrigClOrdID (41)"), std::string::npos) << reject->text;
  EXPECT_EQ(reject->transact_time, kNow);
}

TEST(NormalizeCancel, ReplaceRequestBecomesReplaceOrderWithNewTerms) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.getHeader().setField(tag::MsgType, "G");
  m.setField(tag::ClOrdID, "C-3");
  m.setField(tag::OrigClOrdID, "C-1");
  m.setField(tag::OrderQty, "2000");
  m.setField(tag::Price, "101.5");
  const auto result = run(m);
  const auto* replace = command<core::ReplaceOrder>(result);
  ASSERT_NE(replace, nullptr) << describe(result);
  EXPECT_EQ(replace->session, kSession);
  EXPECT_EQ(replace->cl_ord_id, "C-3");
  EXPECT_EQ(replace->orig_cl_ord_id, "C-1");
  EXPECT_EQ(replace->terms.symbol, "VOD.L");
  EXPECT_EQ(replace->terms.quantity, 2000);
  ASSERT_TRUE(replace->terms.price.has_value());
  EXPECT_EQ(replace->terms.price->units, 10'150'000'000);
  EXPECT_EQ(replace->terms.capacity, core::TradingCapacity::Agency);
}

TEST(NormalizeCancel, ReplaceWithBadQuantityIsACancelRejectForAReplace) {
  auto m = newOrderSingle(FixVersion::Fix44);
  m.getHeader().setField(tag::MsgType, "G");
  m.setField(tag::ClOrdID, "C-3");
  m.setField(tag::OrigClOrdID, "C-1");
  m.setField(tag::OrderQty, "1.5");
  const auto result = run(m);
  const auto* reject = refusal<core::CancelReject>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_TRUE(reject->for_replace);
  EXPECT_EQ(reject->cl_ord_id, "C-3");
  EXPECT_EQ(reject->orig_cl_ord_id, "C-1");
  EXPECT_EQ(reject->order_id, "NONE");
  EXPECT_EQ(reject->reject, core::RejectCode::InvalidQuantity);
  EXPECT_TRUE(reject->text.starts_with("FG101")) << reject->text;
}

TEST(NormalizeCancel, ReplaceWithUnsupportedOrdTypeIsACancelRejectForAReplace) {
  auto m = newOrderSingle(FixVersion::Fix42);
  m.getHeader().setField(tag::MsgType, "G");
  m.setField(tag::ClOrdID, "C-3");
  m.setField(tag::OrigClOrdID, "C-1");
  m.setField(tag::OrdType, "P");
  const auto result = run(m, FixVersion::Fix42);
  const auto* reject = refusal<core::CancelReject>(result);
  ASSERT_NE(reject, nullptr) << describe(result);
  EXPECT_TRUE(reject->for_replace);
  EXPECT_EQ(reject->reject, core::RejectCode::UnsupportedValue);
  EXPECT_NE(reject->text.find("OrdType (40)"), std::string::npos) << reject->text;
}

// ---------------------------------------------------------------------------------------------------------------
// OrderStatusRequest (H)

TEST(NormalizeStatus, StatusRequestBecomesStatusRequest) {
  const auto m = makeMessage(
      "H", {{tag::ClOrdID, "C-1"}, {tag::OrderID, "FG1-17"}, {tag::Symbol, "MSFT"}, {tag::Side, "5"}});
  const auto result = run(m);
  const auto* status = command<core::StatusRequest>(result);
  ASSERT_NE(status, nullptr) << describe(result);
  EXPECT_EQ(status->session, kSession);
  EXPECT_EQ(status->cl_ord_id, "C-1");
  EXPECT_EQ(status->order_id, "FG1-17");
  EXPECT_EQ(status->symbol, "MSFT");
  EXPECT_EQ(status->side, core::Side::SellShort);
}

TEST(NormalizeStatus, StatusRequestWithoutClOrdIdIsAStatusReportThatRejects) {
  const auto m = makeMessage("H", {{tag::Symbol, "MSFT"}, {tag::Side, "1"}});
  const auto result = run(m);
  const auto* report = refusal<core::ExecReport>(result);
  ASSERT_NE(report, nullptr) << describe(result);
  EXPECT_EQ(report->kind, core::ExecKind::Status);
  EXPECT_EQ(report->status, core::OrdStatus::Rejected);
  EXPECT_EQ(report->reject, core::RejectCode::UnsupportedValue);
  EXPECT_EQ(report->symbol, "MSFT");
}

// ---------------------------------------------------------------------------------------------------------------
// OrderMassCancelRequest (q)

TEST(NormalizeMassCancel, Type7CancelsAllOrders) {
  const auto m = makeMessage("q", {{tag::ClOrdID, "M-1"}, {tag::MassCancelRequestType, "7"}});
  const auto result = run(m);
  const auto* mass = command<core::MassCancel>(result);
  ASSERT_NE(mass, nullptr) << describe(result);
  EXPECT_EQ(mass->session, kSession);
  EXPECT_EQ(mass->cl_ord_id, "M-1");
  EXPECT_EQ(mass->scope, core::MassCancelScope::AllOrders);
  EXPECT_EQ(mass->raw_scope, '7');
}

TEST(NormalizeMassCancel, Type1CancelsOneSymbol) {
  const auto m =
      makeMessage("q", {{tag::ClOrdID, "M-2"}, {tag::MassCancelRequestType, "1"}, {tag::Symbol, "IBM"}});
  const auto result = run(m);
  const auto* mass = command<core::MassCancel>(result);
  ASSERT_NE(mass, nullptr) << describe(result);
  EXPECT_EQ(mass->scope, core::MassCancelScope::BySymbol);
  EXPECT_EQ(mass->raw_scope, '1');
  EXPECT_EQ(mass->symbol, "IBM");
}

TEST(NormalizeMassCancel, Type4ReachesTheCoreAsUnsupported) {
  const auto m = makeMessage("q", {{tag::ClOrdID, "M-3"}, {tag::MassCancelRequestType, "4"}});
  const auto result = run(m);
  const auto* mass = command<core::MassCancel>(result);
  ASSERT_NE(mass, nullptr) << describe(result);
  EXPECT_EQ(mass->scope, core::MassCancelScope::Unsupported);
  EXPECT_EQ(mass->raw_scope, '4');
}

TEST(NormalizeMassCancel, Type1WithoutSymbolIsAMassCancelReportThatRejects) {
  const auto m = makeMessage("q", {{tag::ClOrdID, "M-4"}, {tag::MassCancelRequestType, "1"}});
  const auto result = run(m);
  const auto* report = refusal<core::MassCancelReport>(result);
  ASSERT_NE(report, nullptr) << describe(result);
  EXPECT_EQ(report->session, kSession);
  EXPECT_EQ(report->cl_ord_id, "M-4");
  EXPECT_EQ(report->raw_scope, '1');
  ASSERT_TRUE(report->reject.has_value());
  EXPECT_EQ(*report->reject, core::RejectCode::UnsupportedValue);
  EXPECT_TRUE(report->text.starts_with("FG109")) << report->text;
  EXPECT_NE(report->text.find("Symbol (55)"), std::string::npos) << report->text;
  EXPECT_EQ(report->transact_time, kNow);
}

// ---------------------------------------------------------------------------------------------------------------
// Message types the gateway does not handle: BusinessMessageReject, reason 3

struct UnsupportedTypeCase {
  const char* msg_type;
  const char* name;
};

class NormalizeUnsupportedMsgType : public ::testing::TestWithParam<UnsupportedTypeCase> {};

TEST_P(NormalizeUnsupportedMsgType, AnswersWithBusinessReject) {
  const auto m = makeMessage(GetParam().msg_type, {{tag::ClOrdID, "X-1"}}, "FIX.4.4", 42);
  const auto result = run(m);
  const auto* bmr = businessReject(result);
  ASSERT_NE(bmr, nullptr) << describe(result);
  EXPECT_EQ(bmr->session, kSession);
  EXPECT_EQ(bmr->reason, 3);
  EXPECT_EQ(bmr->ref_msg_type, GetParam().msg_type);
  EXPECT_EQ(bmr->ref_seq_num, 42);
  EXPECT_NE(bmr->text.find(GetParam().name), std::string::npos) << bmr->text;
  EXPECT_NE(bmr->text.find(std::string("MsgType ") + GetParam().msg_type), std::string::npos) << bmr->text;
}

INSTANTIATE_TEST_SUITE_P(QuoteRequestMarketDataNewOrderList, NormalizeUnsupportedMsgType,
                         ::testing::Values(UnsupportedTypeCase{"R", "QuoteRequest"},
                                           UnsupportedTypeCase{"V", "MarketDataRequest"},
                                           UnsupportedTypeCase{"E", "NewOrderList"},
                                           UnsupportedTypeCase{"x", "SecurityListRequest"}));

}  // namespace
}  // namespace fixgate::fix
