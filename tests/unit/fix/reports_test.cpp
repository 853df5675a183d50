// reports: the core's ExecReport, CancelReject, MassCancelReport and the edge's BusinessReject become FIX
// messages in the client's own version (4.2, 4.4 or 5.0SP2).
#include "fix/reports.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <set>
#include <string>

#include "fix/field_codes.h"
#include "fix_test_messages.h"

namespace fixgate::fix {
namespace {

using testing::get;
using testing::headerField;

constexpr core::Timestamp kTransactTime = 1'700'000'000'123'456;  // 2023-11-14 22:13:20.123456 UTC
const std::string kAbsent = "<absent>";

core::Price px(std::int64_t units) {
  return core::Price::fromUnits(units);
}

core::ExecReport execReport(core::ExecKind kind, core::OrdStatus status) {
  core::ExecReport r;
  r.session = 1;
  r.kind = kind;
  r.status = status;
  r.order_id = "FG1-1";
  r.exec_id = "FG1-E1";
  r.cl_ord_id = "C-1";
  r.account = "ACC-7";
  r.symbol = "AAPL";
  r.side = core::Side::Sell;
  r.ord_type = core::OrdType::Limit;
  r.time_in_force = core::TimeInForce::Day;
  r.order_qty = 1000;
  r.price = px(10'050'000'000);  // 100.5
  r.leaves_qty = 1000;
  r.cum_qty = 0;
  r.avg_px = px(0);
  r.transact_time = kTransactTime;
  return r;
}

core::ExecReport trade(core::OrdStatus status, core::Qty last_qty, core::Qty cum_qty) {
  auto r = execReport(core::ExecKind::Trade, status);
  r.exec_id = "FG1-E2";
  r.last_qty = last_qty;
  r.last_px = px(10'025'000'000);  // 100.25
  r.cum_qty = cum_qty;
  r.leaves_qty = r.order_qty - cum_qty;
  r.avg_px = px(10'025'000'000);
  return r;
}

core::ExecReport rejected(core::RejectCode code) {
  auto r = execReport(core::ExecKind::Rejected, core::OrdStatus::Rejected);
  r.order_id = "NONE";
  r.leaves_qty = 0;
  r.reject = code;
  r.text = core::makeReject(code, "detail").text;
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// ExecutionReport

TEST(ExecutionReport, CarriesTheOrderAndItsState) {
  const auto m =
      buildExecutionReport(execReport(core::ExecKind::New, core::OrdStatus::New), FixVersion::Fix44);
  EXPECT_EQ(headerField(m, tag::MsgType), "8");
  EXPECT_EQ(get(m, tag::OrderID), "FG1-1");
  EXPECT_EQ(get(m, tag::ExecID), "FG1-E1");
  EXPECT_EQ(get(m, tag::ExecType), "0");
  EXPECT_EQ(get(m, tag::OrdStatus), "0");
  EXPECT_EQ(get(m, tag::ClOrdID), "C-1");
  EXPECT_EQ(get(m, tag::OrigClOrdID), kAbsent);
  EXPECT_EQ(get(m, tag::Account), "ACC-7");
  EXPECT_EQ(get(m, tag::Symbol), "AAPL");
  EXPECT_EQ(get(m, tag::Side), "2");
  EXPECT_EQ(get(m, tag::OrdType), "2");
  EXPECT_EQ(get(m, tag::TimeInForce), "0");
  EXPECT_EQ(get(m, tag::OrderQty), "1000");
  EXPECT_EQ(get(m, tag::Price), "100.5");
  EXPECT_EQ(get(m, tag::StopPx), kAbsent);
  EXPECT_EQ(get(m, tag::LeavesQty), "1000");
  EXPECT_EQ(get(m, tag::CumQty), "0");
  EXPECT_EQ(get(m, tag::AvgPx), "0");
  EXPECT_EQ(get(m, tag::OrdRejReason), kAbsent);
  EXPECT_EQ(get(m, tag::Text), kAbsent);
  EXPECT_EQ(get(m, tag::TransactTime), "20231114-22:13:20.123456");
}

TEST(ExecutionReport, ExecTransTypeOnlyInFix42) {
  const auto fresh = execReport(core::ExecKind::New, core::OrdStatus::New);
  const auto status = execReport(core::ExecKind::Status, core::OrdStatus::New);
  EXPECT_EQ(get(buildExecutionReport(fresh, FixVersion::Fix42), tag::ExecTransType), "0");
  EXPECT_EQ(get(buildExecutionReport(status, FixVersion::Fix42), tag::ExecTransType), "3");
  for (const auto v : {FixVersion::Fix44, FixVersion::Fix50Sp2}) {
    EXPECT_EQ(get(buildExecutionReport(fresh, v), tag::ExecTransType), kAbsent) << name(v);
    EXPECT_EQ(get(buildExecutionReport(status, v), tag::ExecTransType), kAbsent) << name(v);
  }
}

TEST(ExecutionReport, Fix42ReportsAPartialFillAsExecType1) {
  const auto m = buildExecutionReport(trade(core::OrdStatus::PartiallyFilled, 300, 300), FixVersion::Fix42);
  EXPECT_EQ(get(m, tag::ExecType), "1");
  EXPECT_EQ(get(m, tag::OrdStatus), "1");
  EXPECT_EQ(get(m, tag::ExecTransType), "0");
  EXPECT_EQ(get(m, tag::LastQty), "300");
  EXPECT_EQ(get(m, tag::LastPx), "100.25");
}

TEST(ExecutionReport, Fix42ReportsTheFinalFillAsExecType2) {
  const auto m = buildExecutionReport(trade(core::OrdStatus::Filled, 700, 1000), FixVersion::Fix42);
  EXPECT_EQ(get(m, tag::ExecType), "2");
  EXPECT_EQ(get(m, tag::OrdStatus), "2");
  EXPECT_EQ(get(m, tag::LastQty), "700");
  EXPECT_EQ(get(m, tag::LeavesQty), "0");
  EXPECT_EQ(get(m, tag::CumQty), "1000");
}

TEST(ExecutionReport, Fix44AndFix50ReportTradesAsExecTypeF) {
  for (const auto v : {FixVersion::Fix44, FixVersion::Fix50Sp2}) {
    for (const auto status : {core::OrdStatus::PartiallyFilled, core::OrdStatus::Filled}) {
      const auto m =
          buildExecutionReport(trade(status, 300, status == core::OrdStatus::Filled ? 1000 : 300), v);
      EXPECT_EQ(get(m, tag::ExecType), "F") << name(v);
      EXPECT_EQ(get(m, tag::OrdStatus), std::string(1, ordStatusToFix(status))) << name(v);
      EXPECT_EQ(get(m, tag::LastQty), "300") << name(v);
      EXPECT_EQ(get(m, tag::LastPx), "100.25") << name(v);
      EXPECT_EQ(get(m, tag::AvgPx), "100.25") << name(v);
    }
  }
}

TEST(ExecutionReport, LastQtyAndLastPxOnlyOnTrades) {
  for (const auto kind : {core::ExecKind::New, core::ExecKind::Canceled, core::ExecKind::Replaced,
                          core::ExecKind::Rejected, core::ExecKind::Status, core::ExecKind::Expired}) {
    auto r = execReport(kind, core::OrdStatus::New);
    r.last_qty = 5;  // stale values in the struct must not leak onto non-trade reports
    r.last_px = px(100);
    for (const auto v : {FixVersion::Fix42, FixVersion::Fix44, FixVersion::Fix50Sp2}) {
      const auto m = buildExecutionReport(r, v);
      EXPECT_EQ(get(m, tag::LastQty), kAbsent) << static_cast<int>(kind) << " " << name(v);
      EXPECT_EQ(get(m, tag::LastPx), kAbsent) << static_cast<int>(kind) << " " << name(v);
    }
  }
}

TEST(ExecutionReport, StatusIsExecTypeIInFix44AndFix50) {
  const auto r = execReport(core::ExecKind::Status, core::OrdStatus::PartiallyFilled);
  for (const auto v : {FixVersion::Fix44, FixVersion::Fix50Sp2}) {
    const auto m = buildExecutionReport(r, v);
    EXPECT_EQ(get(m, tag::ExecType), "I") << name(v);
    EXPECT_EQ(get(m, tag::OrdStatus), "1") << name(v);
  }
}

TEST(ExecutionReport, StatusIsTheOrdStatusValueInFix42) {
  for (const auto status : {core::OrdStatus::New, core::OrdStatus::PartiallyFilled, core::OrdStatus::Canceled,
                            core::OrdStatus::PendingNew}) {
    const auto m = buildExecutionReport(execReport(core::ExecKind::Status, status), FixVersion::Fix42);
    const std::string expected(1, ordStatusToFix(status));
    EXPECT_EQ(get(m, tag::ExecType), expected);
    EXPECT_EQ(get(m, tag::OrdStatus), expected);
    EXPECT_EQ(get(m, tag::ExecTransType), "3");
  }
}

TEST(ExecutionReport, ExecTypeOfEveryOtherKindIsTheSameInEveryVersion) {
  const std::pair<core::ExecKind, char> cases[] = {{core::ExecKind::New, '0'},
                                                   {core::ExecKind::Canceled, '4'},
                                                   {core::ExecKind::Replaced, '5'},
                                                   {core::ExecKind::PendingCancel, '6'},
                                                   {core::ExecKind::PendingReplace, 'E'},
                                                   {core::ExecKind::Rejected, '8'},
                                                   {core::ExecKind::Expired, 'C'},
                                                   {core::ExecKind::DoneForDay, '3'}};
  for (const auto& [kind, code] : cases) {
    for (const auto v : {FixVersion::Fix42, FixVersion::Fix44, FixVersion::Fix50Sp2}) {
      EXPECT_EQ(execTypeFor(kind, core::OrdStatus::New, v), code) << static_cast<int>(kind) << " " << name(v);
    }
  }
}

TEST(ExecutionReport, RejectCarriesOrdRejReasonAndText) {
  for (const auto v : {FixVersion::Fix44, FixVersion::Fix50Sp2}) {
    const auto m = buildExecutionReport(rejected(core::RejectCode::InvalidQuantity), v);
    EXPECT_EQ(get(m, tag::ExecType), "8") << name(v);
    EXPECT_EQ(get(m, tag::OrdStatus), "8") << name(v);
    EXPECT_EQ(get(m, tag::OrdRejReason), "13") << name(v);  // incorrect quantity
    EXPECT_EQ(get(m, tag::Text), "FG101 detail") << name(v);
    EXPECT_EQ(get(buildExecutionReport(rejected(core::RejectCode::UnknownSymbol), v), tag::OrdRejReason),
              "1");
    EXPECT_EQ(get(buildExecutionReport(rejected(core::RejectCode::DuplicateClOrdId), v), tag::OrdRejReason),
              "6");
    EXPECT_EQ(get(buildExecutionReport(rejected(core::RejectCode::UnsupportedValue), v), tag::OrdRejReason),
              "11");
  }
}

TEST(ExecutionReport, OrdRejReasonFollowsCoreFixReasonsForEveryCode) {
  for (int n = 100; n < 500; ++n) {
    const auto code = static_cast<core::RejectCode>(n);
    if (core::name(code) == "Unknown") continue;
    const auto m = buildExecutionReport(rejected(code), FixVersion::Fix44);
    EXPECT_EQ(get(m, tag::OrdRejReason), std::to_string(core::fixReasons(code).ord_rej_reason)) << n;
  }
}

// FIX 4.2 defines OrdRejReason 0..8 only (11 "unsupported order characteristic", 13 "incorrect quantity" and
// 99 "other" arrived in 4.3/4.4); the gateway's own fix_spec/FIX42.xml lists 0..8. A 4.2 client validating
// against it answers a reject carrying 11, 13 or 99 with a session-level Reject and never sees the refusal.
TEST(ExecutionReport, Fix42RejectUsesAnOrdRejReasonThatFix42Defines) {
  for (int n = 100; n < 500; ++n) {
    const auto code = static_cast<core::RejectCode>(n);
    if (core::name(code) == "Unknown") continue;
    const auto m = buildExecutionReport(rejected(code), FixVersion::Fix42);
    const auto reason = get(m, tag::OrdRejReason);
    if (reason == kAbsent) continue;  // leaving it out is allowed
    EXPECT_TRUE(std::set<std::string>({"0", "1", "2", "3", "4", "5", "6", "7", "8"}).contains(reason))
        << "RejectCode " << core::name(code) << " is sent to a FIX 4.2 client as OrdRejReason " << reason;
  }
}

TEST(ExecutionReport, StatusAnswerForAnUnknownOrderCarriesOrdRejReason) {
  auto r = execReport(core::ExecKind::Status, core::OrdStatus::Rejected);
  r.reject = core::RejectCode::UnknownOrder;
  r.text = "FG201 unknown order";
  const auto m = buildExecutionReport(r, FixVersion::Fix44);
  EXPECT_EQ(get(m, tag::ExecType), "I");
  EXPECT_EQ(get(m, tag::OrdStatus), "8");
  EXPECT_EQ(get(m, tag::OrdRejReason), "5");
}

TEST(ExecutionReport, PricesAreFormattedExactly) {
  auto r = execReport(core::ExecKind::New, core::OrdStatus::New);
  r.ord_type = core::OrdType::StopLimit;
  r.price = px(12'345'678'912'345'678);  // 123456789.12345678
  r.stop_price = px(1);                  // 0.00000001
  r.avg_px = px(10'000'000'000);         // 100
  const auto m = buildExecutionReport(r, FixVersion::Fix44);
  EXPECT_EQ(get(m, tag::OrdType), "4");
  EXPECT_EQ(get(m, tag::Price), "123456789.12345678");
  EXPECT_EQ(get(m, tag::StopPx), "0.00000001");
  EXPECT_EQ(get(m, tag::AvgPx), "100");
}

TEST(ExecutionReport, OptionalFieldsAreLeftOutWhenEmpty) {
  auto r = execReport(core::ExecKind::Rejected, core::OrdStatus::Rejected);
  r.account.clear();
  r.symbol.clear();
  r.order_qty = 0;
  r.price.reset();
  const auto m = buildExecutionReport(r, FixVersion::Fix44);
  EXPECT_EQ(get(m, tag::Account), kAbsent);
  EXPECT_EQ(get(m, tag::Symbol), "[N/A]");  // required by the dictionaries, so never empty
  EXPECT_EQ(get(m, tag::OrderQty), kAbsent);
  EXPECT_EQ(get(m, tag::Price), kAbsent);
}

TEST(ExecutionReport, ReplaceAnswerCarriesOrigClOrdId) {
  auto r = execReport(core::ExecKind::Replaced, core::OrdStatus::New);
  r.cl_ord_id = "C-2";
  r.orig_cl_ord_id = "C-1";
  const auto m = buildExecutionReport(r, FixVersion::Fix42);
  EXPECT_EQ(get(m, tag::ExecType), "5");
  EXPECT_EQ(get(m, tag::ClOrdID), "C-2");
  EXPECT_EQ(get(m, tag::OrigClOrdID), "C-1");
}

// ---------------------------------------------------------------------------------------------------------------
// OrderCancelReject

core::CancelReject cancelReject(bool for_replace, core::RejectCode code) {
  core::CancelReject r;
  r.session = 2;
  r.for_replace = for_replace;
  r.cl_ord_id = "C-2";
  r.orig_cl_ord_id = "C-1";
  r.order_id = "FG1-1";
  r.status = core::OrdStatus::New;
  r.reject = code;
  r.text = core::makeReject(code, "detail").text;
  r.transact_time = kTransactTime;
  return r;
}

TEST(OrderCancelReject, AnswersACancel) {
  const auto m =
      buildOrderCancelReject(cancelReject(false, core::RejectCode::OrderPendingChange), FixVersion::Fix44);
  EXPECT_EQ(headerField(m, tag::MsgType), "9");
  EXPECT_EQ(get(m, tag::CxlRejResponseTo), "1");
  EXPECT_EQ(get(m, tag::CxlRejReason), "3");
  EXPECT_EQ(get(m, tag::ClOrdID), "C-2");
  EXPECT_EQ(get(m, tag::OrigClOrdID), "C-1");
  EXPECT_EQ(get(m, tag::OrderID), "FG1-1");
  EXPECT_EQ(get(m, tag::OrdStatus), "0");
  EXPECT_EQ(get(m, tag::Text), "FG206 detail");
  EXPECT_EQ(get(m, tag::TransactTime), "20231114-22:13:20.123456");
}

TEST(OrderCancelReject, AnswersAReplace) {
  const auto m =
      buildOrderCancelReject(cancelReject(true, core::RejectCode::OrderAlreadyFinal), FixVersion::Fix42);
  EXPECT_EQ(get(m, tag::CxlRejResponseTo), "2");
  EXPECT_EQ(get(m, tag::CxlRejReason), "0");  // too late to cancel
}

TEST(OrderCancelReject, UnknownOrderIsCxlRejReason1AndOrigClOrdIdIsNeverEmpty) {
  auto r = cancelReject(false, core::RejectCode::UnknownOrder);
  r.order_id = "NONE";
  r.orig_cl_ord_id.clear();
  r.status = core::OrdStatus::Rejected;
  const auto m = buildOrderCancelReject(r, FixVersion::Fix50Sp2);
  EXPECT_EQ(get(m, tag::CxlRejReason), "1");
  EXPECT_EQ(get(m, tag::OrigClOrdID), "NONE");
  EXPECT_EQ(get(m, tag::OrderID), "NONE");
  EXPECT_EQ(get(m, tag::OrdStatus), "8");
}

TEST(OrderCancelReject, CxlRejReasonFollowsCoreFixReasons) {
  for (int n = 100; n < 500; ++n) {
    const auto code = static_cast<core::RejectCode>(n);
    if (core::name(code) == "Unknown") continue;
    const auto m = buildOrderCancelReject(cancelReject(true, code), FixVersion::Fix44);
    EXPECT_EQ(get(m, tag::CxlRejReason), std::to_string(core::fixReasons(code).cxl_rej_reason)) << n;
  }
}

// FIX 4.2 defines CxlRejReason 0..3 only (6 "duplicate ClOrdID" and 99 "other" are 4.3/4.4 values, and
// fix_spec/FIX42.xml lists 0..3): a 4.2 client validating against the dictionary rejects the message.
TEST(OrderCancelReject, Fix42UsesACxlRejReasonThatFix42Defines) {
  for (int n = 100; n < 500; ++n) {
    const auto code = static_cast<core::RejectCode>(n);
    if (core::name(code) == "Unknown") continue;
    const auto m = buildOrderCancelReject(cancelReject(false, code), FixVersion::Fix42);
    const auto reason = get(m, tag::CxlRejReason);
    EXPECT_TRUE(std::set<std::string>({"0", "1", "2", "3"}).contains(reason))
        << "RejectCode " << core::name(code) << " is sent to a FIX 4.2 client as CxlRejReason " << reason;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// OrderMassCancelReport

core::MassCancelReport massReport(char scope, int affected) {
  core::MassCancelReport r;
  r.session = 1;
  r.cl_ord_id = "M-1";
  r.order_id = "FG1-M1";
  r.raw_scope = scope;
  r.affected_orders = affected;
  r.transact_time = kTransactTime;
  return r;
}

TEST(OrderMassCancelReport, EchoesTheScopeOfAnAcceptedCancelOfAllOrders) {
  const auto m = buildMassCancelReport(massReport('7', 4), FixVersion::Fix44);
  EXPECT_EQ(headerField(m, tag::MsgType), "r");
  EXPECT_EQ(get(m, tag::ClOrdID), "M-1");
  EXPECT_EQ(get(m, tag::OrderID), "FG1-M1");
  EXPECT_EQ(get(m, tag::MassCancelRequestType), "7");
  EXPECT_EQ(get(m, tag::MassCancelResponse), "7");
  EXPECT_EQ(get(m, tag::MassCancelRejectReason), kAbsent);
  EXPECT_EQ(get(m, tag::TotalAffectedOrders), "4");
  EXPECT_EQ(get(m, tag::Symbol), kAbsent);
  EXPECT_EQ(get(m, tag::TransactTime), "20231114-22:13:20.123456");
}

TEST(OrderMassCancelReport, EchoesTheScopeOfAnAcceptedCancelBySymbol) {
  auto r = massReport('1', 2);
  r.symbol = "IBM";
  const auto m = buildMassCancelReport(r, FixVersion::Fix42);
  EXPECT_EQ(get(m, tag::MassCancelRequestType), "1");
  EXPECT_EQ(get(m, tag::MassCancelResponse), "1");
  EXPECT_EQ(get(m, tag::Symbol), "IBM");
  EXPECT_EQ(get(m, tag::TotalAffectedOrders), "2");
}

TEST(OrderMassCancelReport, UnsupportedScopeIsResponse0WithRejectReason0) {
  auto r = massReport('4', 0);
  r.reject = core::RejectCode::MassCancelUnsupportedScope;
  r.text = core::makeReject(*r.reject, "scope 4 not supported").text;
  const auto m = buildMassCancelReport(r, FixVersion::Fix50Sp2);
  EXPECT_EQ(get(m, tag::MassCancelRequestType), "4");
  EXPECT_EQ(get(m, tag::MassCancelResponse), "0");
  EXPECT_EQ(get(m, tag::MassCancelRejectReason), "0");
  EXPECT_EQ(get(m, tag::TotalAffectedOrders), "0");
  EXPECT_EQ(get(m, tag::Text), "FG207 scope 4 not supported");
}

// A by-security request without a security: 532=1 "invalid or unknown security".
TEST(OrderMassCancelReport, MissingSecurityIsResponse0WithRejectReason1) {
  auto r = massReport('1', 0);
  r.reject = core::RejectCode::UnsupportedValue;
  r.text = "FG109 MassCancelRequestType 1 (by security) needs Symbol (55)";
  const auto m = buildMassCancelReport(r, FixVersion::Fix44);
  EXPECT_EQ(get(m, tag::MassCancelResponse), "0");
  EXPECT_EQ(get(m, tag::MassCancelRejectReason), "1");
  EXPECT_EQ(get(m, tag::Text), r.text);
}

// In FIX 4.x MassCancelRejectReason (532) is a CHAR (fix_spec/FIX42.xml and FIX44.xml declare it so; only 5.0
// makes it an INT): "99" fails the format check of a client validating with the dictionary.
TEST(OrderMassCancelReport, Fix4xRejectReasonIsASingleCharacter) {
  auto r = massReport('1', 0);
  r.reject = core::RejectCode::UnsupportedValue;
  r.text = "FG109 MassCancelRequestType 1 (by security) needs Symbol (55)";
  for (const auto v : {FixVersion::Fix42, FixVersion::Fix44}) {
    const auto reason = get(buildMassCancelReport(r, v), tag::MassCancelRejectReason);
    EXPECT_EQ(reason.size(), 1u) << name(v) << " sends MassCancelRejectReason " << reason;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// BusinessMessageReject

TEST(BusinessMessageReject, CarriesReferenceReasonAndText) {
  BusinessReject r;
  r.session = 1;
  r.ref_msg_type = "R";
  r.ref_seq_num = 42;
  r.reason = 3;
  r.text = "MsgType R (QuoteRequest) is not supported by fixgate";
  const auto m = buildBusinessReject(r, FixVersion::Fix44);
  EXPECT_EQ(headerField(m, tag::MsgType), "j");
  EXPECT_EQ(get(m, tag::RefSeqNum), "42");
  EXPECT_EQ(get(m, tag::RefMsgType), "R");
  EXPECT_EQ(get(m, tag::BusinessRejectReason), "3");
  EXPECT_EQ(get(m, tag::BusinessRejectRefID), kAbsent);
  EXPECT_EQ(get(m, tag::Text), r.text);
}

TEST(BusinessMessageReject, CarriesBusinessRejectRefIdWhenKnown) {
  BusinessReject r;
  r.ref_msg_type = "E";
  r.ref_seq_num = 9;
  r.ref_id = "LIST-1";
  r.text = "no lists";
  const auto m = buildBusinessReject(r, FixVersion::Fix42);
  EXPECT_EQ(get(m, tag::BusinessRejectRefID), "LIST-1");
  EXPECT_EQ(get(m, tag::RefSeqNum), "9");
}

// ---------------------------------------------------------------------------------------------------------------
// UTCTimestamp with microseconds

TEST(FormatUtcMicros, FormatsAKnownInstantWithSixFractionalDigits) {
  EXPECT_EQ(formatUtcMicros(1'700'000'000'123'456), "20231114-22:13:20.123456");
}

TEST(FormatUtcMicros, KeepsLeadingZerosOfTheFraction) {
  EXPECT_EQ(formatUtcMicros(1'700'000'000'000'001), "20231114-22:13:20.000001");
  EXPECT_EQ(formatUtcMicros(0), "19700101-00:00:00.000000");
}

TEST(FormatUtcMicros, HandlesALeapDay) {
  EXPECT_EQ(formatUtcMicros(951'782'400'000'000 + 86'399'999'999), "20000229-23:59:59.999999");
}

// The formatter computes the civil date itself; gmtime_r is the reference, over 200,000 instants from 1970 to
// the year 9999 (fixed seed) and the last microsecond of every day of 2024-2025 around midnight.
TEST(FormatUtcMicros, AgreesWithGmtimeOverRandomInstants) {
  const auto reference = [](core::Timestamp micros) {
    const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[96];  // room for any int the compiler cannot rule out
    std::snprintf(text, sizeof text, "%04d%02d%02d-%02d:%02d:%02d.%06lld", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros % 1'000'000));
    return std::string(text);
  };
  std::mt19937_64 random(20261206);
  std::uniform_int_distribution<core::Timestamp> instants(0, 253'402'300'799'999'999);
  for (int i = 0; i < 200'000; ++i) {
    const core::Timestamp t = instants(random);
    ASSERT_EQ(formatUtcMicros(t), reference(t)) << t;
  }
  const core::Timestamp jan_1_2024 = 1'704'067'200'000'000;
  for (core::Timestamp day = 0; day < 731; ++day) {
    const core::Timestamp midnight = jan_1_2024 + day * 86'400'000'000;
    ASSERT_EQ(formatUtcMicros(midnight - 1), reference(midnight - 1));
    ASSERT_EQ(formatUtcMicros(midnight), reference(midnight));
  }
}

}  // namespace
}  // namespace fixgate::fix
