// New orders the core refuses before anything reaches a venue: each refusal is an ExecReport Rejected with
// OrderID NONE, the reject code, and a text that starts with the code and names the offending value.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "core_fixture.h"

namespace fixgate::core::testing {
namespace {

class NewOrderValidation : public EngineTest {
 protected:
  NewOrderValidation() { bothVenuesUp(); }

  // Sends the order and checks it is refused with `code`, a text naming `needle`, and that nothing was sent
  // to a venue or remembered as an order.
  ExecReport expectRejected(SessionId session, const std::string& cl_ord_id, const OrderTerms& terms,
                            RejectCode code, const std::string& needle) {
    const auto open_before = engine_.openOrderCount();
    const auto actions = apply(newOrder(session, cl_ord_id, terms));
    const auto r = single<ExecReport>(actions);
    EXPECT_EQ(r.session, session);
    EXPECT_EQ(r.kind, ExecKind::Rejected);
    EXPECT_EQ(r.status, OrdStatus::Rejected);
    EXPECT_EQ(r.cl_ord_id, cl_ord_id);
    EXPECT_EQ(r.order_id, "NONE");
    EXPECT_EQ(r.reject, code);
    EXPECT_TRUE(r.text.starts_with(fmt::format("FG{} ", static_cast<int>(code)))) << r.text;
    EXPECT_NE(r.text.find(needle), std::string::npos)
        << "text '" << r.text << "' should name '" << needle << "'";
    EXPECT_EQ(r.symbol, terms.symbol);
    EXPECT_EQ(r.side, terms.side);
    EXPECT_EQ(r.order_qty, terms.quantity);
    EXPECT_EQ(r.leaves_qty, 0);
    EXPECT_EQ(r.cum_qty, 0);
    EXPECT_EQ(r.transact_time, lastTime());
    EXPECT_EQ(engine_.openOrderCount(), open_before);
    return r;
  }
};

TEST_F(NewOrderValidation, AcceptsAValidLimitOrderAndSendsItToTheVenue) {
  const auto actions = apply(newOrder(kAlpha, "A1", limit("AIR", 100, "101.25")));
  const auto sent = single<VenueNewOrder>(actions);
  EXPECT_EQ(sent.venue, kXpar);
  EXPECT_EQ(sent.terms.symbol, "AIR");
  EXPECT_EQ(sent.terms.quantity, 100);
  EXPECT_EQ(sent.terms.price, px("101.25"));
  EXPECT_EQ(sent.transact_time, lastTime());
  EXPECT_TRUE(sent.venue_cl_ord_id.starts_with(kIdPrefix)) << sent.venue_cl_ord_id;
  EXPECT_NE(sent.venue_cl_ord_id, "A1");  // the client's ClOrdID never reaches the venue
  EXPECT_EQ(engine_.openOrderCount(), 1u);
}

TEST_F(NewOrderValidation, RejectsZeroQuantity) {
  const auto r = expectRejected(kAlpha, "A1", limit("AIR", 0, "10"), RejectCode::InvalidQuantity, "got 0");
  EXPECT_EQ(fixReasons(*r.reject).ord_rej_reason, 13);
}

TEST_F(NewOrderValidation, RejectsNegativeQuantity) {
  expectRejected(kAlpha, "A1", limit("AIR", -5, "10"), RejectCode::InvalidQuantity, "got -5");
}

TEST_F(NewOrderValidation, RejectsLimitOrderWithoutPrice) {
  auto terms = limit("AIR", 100, "10");
  terms.price.reset();
  expectRejected(kAlpha, "A1", terms, RejectCode::MissingLimitPrice, "limit order needs Price (44)");
}

TEST_F(NewOrderValidation, RejectsStopLimitOrderWithoutPrice) {
  auto terms = limit("AIR", 100, "10");
  terms.ord_type = OrdType::StopLimit;
  terms.price.reset();
  terms.stop_price = px("9");
  expectRejected(kAlpha, "A1", terms, RejectCode::MissingLimitPrice, "Price (44)");
}

TEST_F(NewOrderValidation, RejectsStopOrderWithoutStopPrice) {
  auto terms = market("AIR", 100);
  terms.ord_type = OrdType::Stop;
  expectRejected(kAlpha, "A1", terms, RejectCode::MissingStopPrice, "stop order needs StopPx (99)");
}

TEST_F(NewOrderValidation, RejectsStopLimitOrderWithoutStopPrice) {
  auto terms = limit("AIR", 100, "10");
  terms.ord_type = OrdType::StopLimit;
  expectRejected(kAlpha, "A1", terms, RejectCode::MissingStopPrice, "StopPx (99)");
}

TEST_F(NewOrderValidation, AcceptsStopOrderWithStopPriceOnly) {
  auto terms = market("AIR", 100);
  terms.ord_type = OrdType::Stop;
  terms.stop_price = px("95.5");
  place(kAlpha, "A1", terms);
}

TEST_F(NewOrderValidation, RejectsMarketOrderCarryingAPrice) {
  auto terms = market("AIR", 100);
  terms.price = px("10");
  expectRejected(kAlpha, "A1", terms, RejectCode::UnexpectedPrice, "market order must not carry Price (44)");
}

TEST_F(NewOrderValidation, AcceptsMarketOrderWithoutPrice) {
  place(kAlpha, "A1", market("AIR", 100));
}

TEST_F(NewOrderValidation, RejectsZeroPrice) {
  const auto terms = limit("AIR", 100, "0");
  expectRejected(kAlpha, "A1", terms, RejectCode::InvalidPrice,
                 "Price (44) must be greater than zero, got 0");
}

TEST_F(NewOrderValidation, RejectsNegativePrice) {
  expectRejected(kAlpha, "A1", limit("AIR", 100, "-1.5"), RejectCode::InvalidPrice, "got -1.5");
}

TEST_F(NewOrderValidation, RejectsNonPositiveStopPrice) {
  auto terms = limit("AIR", 100, "10");
  terms.ord_type = OrdType::StopLimit;
  terms.stop_price = px("-0.01");
  expectRejected(kAlpha, "A1", terms, RejectCode::InvalidPrice,
                 "StopPx (99) must be greater than zero, got -0.01");
}

TEST_F(NewOrderValidation, RejectsUnknownSymbol) {
  const auto r = expectRejected(kAlpha, "A1", limit("NOPE", 100, "10"), RejectCode::UnknownSymbol, "'NOPE'");
  EXPECT_EQ(fixReasons(*r.reject).ord_rej_reason, 1);
}

TEST_F(NewOrderValidation, RejectsGoodTillDateWithoutExpiry) {
  auto terms = limit("AIR", 100, "10");
  terms.time_in_force = TimeInForce::GoodTillDate;
  expectRejected(kAlpha, "A1", terms, RejectCode::MissingExpireTime, "GTD");
}

TEST_F(NewOrderValidation, AcceptsGoodTillDateWithExpiry) {
  auto terms = limit("AIR", 100, "10");
  terms.time_in_force = TimeInForce::GoodTillDate;
  terms.expire = "20991231";
  place(kAlpha, "A1", terms);
}

TEST_F(NewOrderValidation, RejectsDuplicateClOrdIdOnTheSameSession) {
  const auto venue_id = place(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto r = expectRejected(kAlpha, "A1", limit("SAN", 5, "20"), RejectCode::DuplicateClOrdId, "'A1'");
  EXPECT_EQ(fixReasons(*r.reject).ord_rej_reason, 6);
  // The first order is untouched: still pending at its venue with its own terms.
  const auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.status, OrdStatus::PendingNew);
  EXPECT_EQ(status.symbol, "AIR");
  EXPECT_EQ(status.order_qty, 100);
  EXPECT_EQ(engine_.findByVenueClOrdId(venue_id), engine_.findByClOrdId(kAlpha, "A1"));
}

NewOrder resent(SessionId session, std::string cl_ord_id, OrderTerms terms) {
  NewOrder order{session, std::move(cl_ord_id), std::move(terms)};
  order.poss_dup = true;
  return order;
}

// The gateway asked for a resend (its incoming sequence number fell behind after a crash): the client's
// resent order must not read as the live order's reject, nor reach the venue twice.
TEST_F(NewOrderValidation, AResendOfAnOrderItHasIsAnsweredWithItsStatus) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 30, "10")));
  const auto r = single<ExecReport>(apply(resent(kAlpha, "A1", limit("AIR", 100, "10"))));
  EXPECT_EQ(r.kind, ExecKind::Status);
  EXPECT_EQ(r.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_EQ(r.cum_qty, 30);
  EXPECT_EQ(r.reject, std::nullopt);
  EXPECT_NE(r.text.find("PossDupFlag=Y"), std::string::npos) << r.text;
  EXPECT_EQ(engine_.openOrderCount(), 1u);
}

TEST_F(NewOrderValidation, AResendOfAnOrderItNeverGotIsTakenAsNew) {
  const auto actions = apply(resent(kAlpha, "A1", limit("AIR", 100, "10")));
  EXPECT_EQ(allOf<VenueNewOrder>(actions).size(), 1u);
  EXPECT_EQ(engine_.openOrderCount(), 1u);
}

template <typename Request>
Request asResend(Request request) {
  request.poss_dup = true;
  return request;
}

// A resent cancel the gateway already took: refused FG107 it would read as a cancel that failed.
TEST_F(NewOrderValidation, AResendOfAPendingCancelIsAnsweredWithTheOrdersStatus) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<VenueCancel>(apply(cancelOrder(kAlpha, "C1", "A1")));
  const auto r = single<ExecReport>(apply(asResend(cancelOrder(kAlpha, "C1", "A1"))));
  EXPECT_EQ(r.kind, ExecKind::Status);
  EXPECT_EQ(r.status, OrdStatus::PendingCancel);
  EXPECT_EQ(r.cl_ord_id, "C1");
  EXPECT_EQ(r.orig_cl_ord_id, "A1");
  EXPECT_EQ(r.reject, std::nullopt);
  EXPECT_NE(r.text.find("resend (PossDupFlag=Y) of cancel request 'C1'"), std::string::npos) << r.text;
}

TEST_F(NewOrderValidation, AResendOfACancelThatEndedTheOrderIsAnsweredWithCanceled) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto cancel = single<VenueCancel>(apply(cancelOrder(kAlpha, "C1", "A1")));
  single<ExecReport>(apply(venueCanceled(kXpar, cancel.venue_cl_ord_id)));
  const auto r = single<ExecReport>(apply(asResend(cancelOrder(kAlpha, "C1", "A1"))));
  EXPECT_EQ(r.kind, ExecKind::Status);
  EXPECT_EQ(r.status, OrdStatus::Canceled);
  EXPECT_EQ(r.cl_ord_id, "C1");
}

TEST_F(NewOrderValidation, AResendOfAReplaceIsAnsweredWithTheOrdersStatusAndNotSentAgain) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace = single<VenueReplace>(apply(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 150, "10"))));
  single<ExecReport>(apply(venueReplaced(kXpar, replace.venue_cl_ord_id, "XP-2")));
  const auto r =
      single<ExecReport>(apply(asResend(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 150, "10")))));
  EXPECT_EQ(r.kind, ExecKind::Status);
  EXPECT_EQ(r.status, OrdStatus::New);
  EXPECT_EQ(r.cl_ord_id, "R1");
  EXPECT_EQ(r.orig_cl_ord_id, "A1");
  EXPECT_EQ(r.order_qty, 150);
  EXPECT_NE(r.text.find("replace request 'R1'"), std::string::npos) << r.text;
}

// A resent cancel whose ClOrdID belongs to another order is not that request again: refused as a reused
// ClOrdID, not answered with the other order's status.
TEST_F(NewOrderValidation, AResentCancelWhoseClOrdIdIsAnotherOrdersIsRefused) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  placeAndAck(kAlpha, "A2", limit("AIR", 100, "10"));
  const auto r = single<CancelReject>(apply(asResend(cancelOrder(kAlpha, "A2", "A1"))));
  EXPECT_EQ(r.reject, RejectCode::DuplicateClOrdId);
  EXPECT_EQ(r.orig_cl_ord_id, "A1");
}

// A resend the gateway never got (lost with the crash) is the client's request: handled as sent.
TEST_F(NewOrderValidation, AResentCancelItNeverGotIsForwarded) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  EXPECT_EQ(single<VenueCancel>(apply(asResend(cancelOrder(kAlpha, "C1", "A1")))).orig_venue_cl_ord_id,
            venue_id);
}

// Only the ClOrdID marks a resend as known: a replace resent under a ClOrdID fixgate never saw, for an
// order it has, is checked and sent like any replace.
TEST_F(NewOrderValidation, AResentReplaceItNeverGotIsCheckedAndSent) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  const auto replace =
      single<VenueReplace>(apply(asResend(replaceOrder(kAlpha, "R1", "A1", limit("AIR", 150, "10")))));
  EXPECT_EQ(replace.terms.quantity, 150);
}

TEST_F(NewOrderValidation, RejectsDuplicateClOrdIdEvenAfterTheFirstOrderIsFinal) {
  const auto venue_id = placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  single<ExecReport>(apply(venueFill(kXpar, venue_id, 100, "10")));
  expectRejected(kAlpha, "A1", limit("AIR", 100, "10"), RejectCode::DuplicateClOrdId, "'A1'");
}

TEST_F(NewOrderValidation, RejectsNewOrderReusingTheClOrdIdOfACancel) {
  placeAndAck(kAlpha, "A1", limit("AIR", 100, "10"));
  requestCancel(kAlpha, "C1", "A1");
  expectRejected(kAlpha, "C1", limit("AIR", 100, "10"), RejectCode::DuplicateClOrdId, "'C1'");
}

TEST_F(NewOrderValidation, AcceptsTheSameClOrdIdOnAnotherSession) {
  place(kAlpha, "A1", limit("AIR", 100, "10"));
  place(kBeta, "A1", limit("AIR", 100, "10"));
  EXPECT_EQ(engine_.openOrderCount(), 2u);
  EXPECT_NE(engine_.findByClOrdId(kAlpha, "A1"), engine_.findByClOrdId(kBeta, "A1"));
}

TEST_F(NewOrderValidation, RejectsExDestinationNamingAnUnknownVenue) {
  auto terms = limit("AIR", 100, "10");
  terms.ex_destination = "XLON";
  const auto r = expectRejected(kAlpha, "A1", terms, RejectCode::UnknownVenue, "'XLON'");
  EXPECT_EQ(fixReasons(*r.reject).ord_rej_reason, 0);
}

TEST_F(NewOrderValidation, RejectsOrderForAVenueThatWentDown) {
  EXPECT_TRUE(apply(VenueDown{kXams}).empty());
  EXPECT_FALSE(engine_.venueUp(kXams));
  expectRejected(kAlpha, "A1", limit("ASML", 10, "600"), RejectCode::VenueDisconnected, "XAMS");
  // Other venues still take orders, and the venue takes them again once it is back.
  place(kAlpha, "A2", limit("AIR", 10, "100"), kXpar);
  EXPECT_TRUE(apply(VenueUp{kXams}).empty());
  place(kAlpha, "A3", limit("ASML", 10, "600"), kXams);
}

TEST_F(NewOrderValidation, ARejectedClOrdIdIsNotAnOrder) {
  expectRejected(kAlpha, "A1", limit("AIR", 0, "10"), RejectCode::InvalidQuantity, "got 0");
  EXPECT_EQ(engine_.findByClOrdId(kAlpha, "A1"), nullptr);
  const auto status = statusOf(kAlpha, "A1");
  EXPECT_EQ(status.reject, RejectCode::UnknownOrder);
}

class NewOrderBeforeVenueUp : public EngineTest {};

TEST_F(NewOrderBeforeVenueUp, RejectsOrderForAVenueThatIsNotUpYet) {
  EXPECT_FALSE(engine_.venueUp(kXpar));
  EXPECT_FALSE(engine_.venueUp(kXams));
  const auto r = single<ExecReport>(apply(newOrder(kAlpha, "A1", limit("AIR", 100, "10"))));
  EXPECT_EQ(r.kind, ExecKind::Rejected);
  EXPECT_EQ(r.status, OrdStatus::Rejected);
  EXPECT_EQ(r.order_id, "NONE");
  EXPECT_EQ(r.reject, RejectCode::VenueDisconnected);
  EXPECT_TRUE(r.text.starts_with("FG303 ")) << r.text;
  EXPECT_NE(r.text.find("XPAR"), std::string::npos) << r.text;
  EXPECT_EQ(engine_.openOrderCount(), 0u);
}

ReferenceData withoutDefaultVenue() {
  auto r = standardReferenceData();
  r.routing.default_venue.reset();
  return r;
}

class NewOrderWithoutDefaultVenue : public EngineTest {
 protected:
  NewOrderWithoutDefaultVenue() : EngineTest(withoutDefaultVenue()) { bothVenuesUp(); }
};

TEST_F(NewOrderWithoutDefaultVenue, RejectsOrderNoRuleMatches) {
  auto terms = limit("SAN", 100, "10");
  terms.account = "ACC9";
  const auto r = single<ExecReport>(apply(newOrder(kAlpha, "A1", terms)));
  EXPECT_EQ(r.kind, ExecKind::Rejected);
  EXPECT_EQ(r.status, OrdStatus::Rejected);
  EXPECT_EQ(r.cl_ord_id, "A1");
  EXPECT_EQ(r.order_id, "NONE");
  EXPECT_EQ(r.reject, RejectCode::NoRouteForOrder);
  EXPECT_TRUE(r.text.starts_with("FG301 ")) << r.text;
  EXPECT_NE(r.text.find("'SAN'"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("'ACC9'"), std::string::npos) << r.text;
}

TEST_F(NewOrderWithoutDefaultVenue, StillRoutesOrdersARuleMatches) {
  place(kAlpha, "A1", limit("AIR", 100, "10"), kXpar);
  place(kAlpha, "A2", limit("ASML", 100, "10"), kXams);
}

}  // namespace
}  // namespace fixgate::core::testing
