// toAuditRows: every kind of journal record to its audit rows, values exactly as PostgreSQL prints them.
#include "audit/rows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/chain.h"
#include "core/actions.h"
#include "core/events.h"
#include "record_mix.h"
#include "records/codec.h"

namespace fixgate::audit {
namespace {

using records::RecordType;

// 2030-01-05 09:30:00.000123 UTC.
constexpr std::int64_t kTs = 1'893'835'800'000'123;

const Names kNames{.session_names = {"acme-fix44", "beta-fix42"},
                   .venue_names = {"XPAR-SIM", "XLON-SIM"},
                   .instruments = {}};

std::string g_payload;  // kept alive for the RecordView

journal::RecordView view(RecordType type, std::string payload, std::uint64_t seq = 42) {
  g_payload = std::move(payload);
  return journal::RecordView{seq,
                             kTs,
                             static_cast<std::uint16_t>(type),
                             {reinterpret_cast<const std::byte*>(g_payload.data()), g_payload.size()}};
}

AuditRows mapEvent(core::EventBody body) {
  std::string payload;
  records::encodeEvent(core::Event{kTs, std::move(body)}, payload);
  auto rows = toAuditRows(view(RecordType::Event, payload), kNames);
  EXPECT_TRUE(rows.has_value()) << rows.error();
  return rows.value_or(AuditRows{});
}

AuditRows mapAction(core::Action action) {
  std::string payload;
  records::encodeAction(action, payload);
  auto rows = toAuditRows(view(RecordType::Action, payload), kNames);
  EXPECT_TRUE(rows.has_value()) << rows.error();
  return rows.value_or(AuditRows{});
}

// The typed row as column -> value, NULL as "NULL".
std::map<std::string, std::string> byColumn(const AuditRows& rows) {
  std::map<std::string, std::string> out;
  if (!rows.typed) return out;
  const auto names = columnNames(rows.typed->table);
  EXPECT_EQ(names.size(), rows.typed->values.size());
  for (std::size_t i = 0; i < names.size() && i < rows.typed->values.size(); ++i)
    out[std::string(names[i])] = rows.typed->values[i].value_or("NULL");
  return out;
}

TEST(AuditRows, NewOrderMapsEveryColumn) {
  core::NewOrder order;
  order.session = 0;
  order.cl_ord_id = "C1";
  order.terms = testing::shipper::sampleTerms(0);
  order.terms.account = "AIRACC";
  order.terms.symbol = "AIR";
  order.terms.price = core::parsePrice("101.25");
  order.terms.quantity = 100;
  order.terms.side = core::Side::Buy;
  const auto rows = mapEvent(order);
  EXPECT_EQ(rows.journal[0], "2030-01-05");
  EXPECT_EQ(rows.journal[1], "42");
  EXPECT_EQ(rows.journal[2], std::to_string(kTs));
  EXPECT_EQ(rows.journal[3], "event:NewOrder");
  EXPECT_EQ(rows.journal[4], "NewOrder acme-fix44 C1 AIRACC BUY 100 AIR @101.25");
  ASSERT_TRUE(rows.typed);
  EXPECT_EQ(rows.typed->table, AuditTable::OrderEvents);
  const std::map<std::string, std::string> expected = {
      {"trade_date", "2030-01-05"},
      {"seq", "42"},
      {"ts_us", std::to_string(kTs)},
      {"event_type", "new"},
      {"session", "acme-fix44"},
      {"account", "AIRACC"},
      {"client_id", "CL0"},
      {"investment_decision", "TRADER7"},
      {"execution_decision", "ALGO3"},
      {"trading_capacity", "agency"},
      {"cl_ord_id", "C1"},
      {"orig_cl_ord_id", "NULL"},
      {"order_id", "NULL"},
      {"venue", "NULL"},
      {"venue_cl_ord_id", "NULL"},
      {"venue_order_id", "NULL"},
      {"exec_id", "NULL"},
      {"symbol", "AIR"},
      {"isin", "FR0000000000"},
      {"security_id", "FR0000000000"},
      {"security_id_source", "4"},
      {"mic", "XPAR"},
      {"side", "buy"},
      {"ord_type", "limit"},
      {"limit_price", "101.25"},
      {"stop_price", "NULL"},
      {"quantity", "100"},
      {"currency", "EUR"},
      {"time_in_force", "day"},
      {"expire", "NULL"},
      {"short_sell", "f"},
      {"ord_status", "NULL"},
      {"last_qty", "NULL"},
      {"last_px", "NULL"},
      {"cum_qty", "NULL"},
      {"leaves_qty", "NULL"},
      {"avg_px", "NULL"},
      {"reject_code", "NULL"},
      {"text", "NULL"},
  };
  EXPECT_EQ(byColumn(rows), expected);

  // The client's resend of it (PossDupFlag=Y) says so in the summary and the text column.
  order.poss_dup = true;
  const auto resent = mapEvent(order);
  EXPECT_EQ(resent.journal[4], "NewOrder acme-fix44 C1 AIRACC BUY 100 AIR @101.25 resent (PossDupFlag=Y)");
  ASSERT_TRUE(resent.typed);
  EXPECT_EQ(byColumn(resent).at("event_type"), "new");
  EXPECT_EQ(byColumn(resent).at("text"), "resent by the client (PossDupFlag=Y)");
}

TEST(AuditRows, ReplaceAndCancelAndShortSell) {
  core::ReplaceOrder replace;
  replace.session = 1;
  replace.cl_ord_id = "C2";
  replace.orig_cl_ord_id = "C1";
  replace.terms = testing::shipper::sampleTerms(1);
  replace.terms.side = core::Side::SellShort;
  replace.terms.security_id_source = '1';
  replace.terms.capacity = core::TradingCapacity::Unspecified;
  replace.terms.stop_price = core::Price{-50'000'000};
  auto cols = byColumn(mapEvent(replace));
  EXPECT_EQ(cols["event_type"], "modify");
  EXPECT_EQ(cols["session"], "beta-fix42");
  EXPECT_EQ(cols["orig_cl_ord_id"], "C1");
  EXPECT_EQ(cols["side"], "sell-short");
  EXPECT_EQ(cols["short_sell"], "t");
  EXPECT_EQ(cols["isin"], "NULL");  // not an ISIN: source '1'
  EXPECT_EQ(cols["security_id_source"], "1");
  EXPECT_EQ(cols["trading_capacity"], "NULL");
  EXPECT_EQ(cols["stop_price"], "-0.5");

  core::CancelOrder cancel{0, "C3", "C2", "AIR", core::Side::Sell};
  cols = byColumn(mapEvent(cancel));
  EXPECT_EQ(cols["event_type"], "cancel");
  EXPECT_EQ(cols["cl_ord_id"], "C3");
  EXPECT_EQ(cols["orig_cl_ord_id"], "C2");
  EXPECT_EQ(cols["side"], "sell");
  EXPECT_EQ(cols["quantity"], "NULL");

  core::StatusRequest status{0, "C4", "O9", "AIR", core::Side::Buy};
  cols = byColumn(mapEvent(status));
  EXPECT_EQ(cols["event_type"], "status");
  EXPECT_EQ(cols["order_id"], "O9");

  core::MassCancel mass;
  mass.cl_ord_id = "M1";
  cols = byColumn(mapEvent(mass));
  EXPECT_EQ(cols["event_type"], "mass-cancel");
  EXPECT_EQ(cols["symbol"], "NULL");
}

// An order without an ISIN or MIC of its own gets the configured instrument's; the order's own win.
TEST(AuditRows, InstrumentIdentifiersComeFromReferenceDataWhenTheOrderHasNone) {
  Names names = kNames;
  core::Instrument airbus;
  airbus.symbol = "AIR";
  airbus.isin = "NL0000235190";
  airbus.mic = "XPAR";
  names.instruments.emplace("AIR", airbus);
  core::NewOrder order;
  order.cl_ord_id = "C1";
  order.terms = testing::shipper::sampleTerms(0);
  order.terms.symbol = "AIR";
  order.terms.security_id.clear();
  order.terms.security_id_source = 0;
  order.terms.security_exchange.clear();
  std::string payload;
  records::encodeEvent(core::Event{kTs, order}, payload);
  auto rows = toAuditRows(view(RecordType::Event, payload), names);
  ASSERT_TRUE(rows.has_value()) << rows.error();
  auto cols = byColumn(*rows);
  EXPECT_EQ(cols["isin"], "NL0000235190");
  EXPECT_EQ(cols["mic"], "XPAR");
  EXPECT_EQ(cols["security_id"], "NULL");

  order.terms.security_id = "FR0000000000";
  order.terms.security_id_source = '4';
  order.terms.security_exchange = "XLON";
  payload.clear();
  records::encodeEvent(core::Event{kTs, order}, payload);
  rows = toAuditRows(view(RecordType::Event, payload), names);
  ASSERT_TRUE(rows.has_value()) << rows.error();
  cols = byColumn(*rows);
  EXPECT_EQ(cols["isin"], "FR0000000000");
  EXPECT_EQ(cols["mic"], "XLON");

  order.terms.symbol = "UNLISTED";
  order.terms.security_id_source = '1';
  order.terms.security_exchange.clear();
  payload.clear();
  records::encodeEvent(core::Event{kTs, order}, payload);
  rows = toAuditRows(view(RecordType::Event, payload), names);
  ASSERT_TRUE(rows.has_value()) << rows.error();
  cols = byColumn(*rows);
  EXPECT_EQ(cols["isin"], "NULL");
  EXPECT_EQ(cols["mic"], "NULL");
}

// Acknowledgement timeouts: the gateway's status query and the venue's answer are order events; a Tick goes
// to journal_records only.
TEST(AuditRows, StatusQueriesAndAnswers) {
  core::VenueStatusQuery query{1, "V7", "XL-9", "AIR", core::Side::Sell, kTs, "O3", "Q4"};
  auto cols = byColumn(mapAction(query));
  EXPECT_EQ(cols["event_type"], "venue-status-query");
  EXPECT_EQ(cols["venue"], "XLON-SIM");
  EXPECT_EQ(cols["venue_cl_ord_id"], "V7");
  EXPECT_EQ(cols["venue_order_id"], "XL-9");
  EXPECT_EQ(cols["order_id"], "O3");
  EXPECT_EQ(cols["side"], "sell");

  cols = byColumn(mapEvent(core::VenueOrderStatus{1, "V7", "XL-9", true, core::OrdStatus::PartiallyFilled, 40,
                                                  core::Price{}, "", ""}));
  EXPECT_EQ(cols["event_type"], "venue-status");
  EXPECT_EQ(cols["ord_status"], "PartiallyFilled");
  EXPECT_EQ(cols["cum_qty"], "40");
  EXPECT_EQ(cols["text"], "NULL");

  cols = byColumn(mapEvent(core::VenueOrderStatus{1, "V8", "", false, core::OrdStatus::Rejected, 0,
                                                  core::Price{}, "unknown order", ""}));
  EXPECT_EQ(cols["ord_status"], "NULL");
  EXPECT_EQ(cols["cum_qty"], "NULL");
  EXPECT_EQ(cols["text"], "unknown order");

  const auto tick = mapEvent(core::Tick{kTs - 5});
  EXPECT_EQ(tick.journal[3], "event:Tick");
  EXPECT_FALSE(tick.typed);

  // The start of a trading day is in the journal_records table for compliance, with its date.
  const auto day = mapEvent(core::StartTradingDay{"2026-12-07"});
  EXPECT_EQ(day.journal[3], "event:StartTradingDay");
  EXPECT_EQ(day.journal[4], "StartTradingDay 2026-12-07");
  EXPECT_FALSE(day.typed);

  // The settings each run decided with, in gateway.yaml's key names and units.
  core::ApplySettings settings;
  settings.final_order_retention_us = 3'600'000'000;
  settings.venues.push_back(
      {"SIM-A", core::AckTimeouts{5'000'000, 4'000'000, 3'000'000, true, false, 60'000}});
  settings.sessions.push_back({"C44A", true});
  settings.instruments.push_back({"VOD.L", "GB00BH4HKS39", "XLON", "GBP", core::Price{1'000'000}});
  settings.routes.push_back({core::RouteMatch::Symbol, "VOD.L", "SIM-A"});
  settings.status_pacing = {{{"SIM-A", 250}, {"SIM-B", 0}}};
  const auto applied = mapEvent(settings);
  EXPECT_EQ(applied.journal[3], "event:ApplySettings");
  EXPECT_EQ(applied.journal[4],
            "ApplySettings final_order_retention_s 3600; venue SIM-A: ack_timeout_new_ms 5000, "
            "ack_timeout_cancel_ms 4000, ack_timeout_replace_ms 3000, cancel_unacknowledged_new true, "
            "replay_unreceived_new false, hold_while_disconnected_ms 60; session C44A: cancel_on_disconnect "
            "true; 1 instruments; routing: symbol VOD.L to SIM-A, default none; status_queries_per_second: "
            "SIM-A 250, SIM-B 0");
  EXPECT_FALSE(applied.typed);
  // Its instruments give the ISIN and MIC of the records after it (the shipper's Names).
  ASSERT_TRUE(applied.instruments_from_here);
  EXPECT_EQ(*applied.instruments_from_here, settings.instruments);
  EXPECT_FALSE(day.instruments_from_here);

  // An order the gateway could not write to a venue that had just dropped: nothing reached the venue, so only
  // the journal row says so (the client's report that follows has its order_events row).
  const auto unsent = mapEvent(core::VenueNewOrderUnsent{0, "V42"});
  EXPECT_EQ(unsent.journal[3], "event:VenueNewOrderUnsent");
  EXPECT_NE(unsent.journal[4].value_or("").find("V42: the venue session was down, the order was not sent"),
            std::string::npos)
      << unsent.journal[4].value_or("NULL");
  EXPECT_FALSE(unsent.typed);
}

TEST(AuditRows, VenueAnswers) {
  core::VenueFill fill{1, "V1", "XO1", "XE1", 40, core::Price{10'100'000'000}};
  auto rows = mapEvent(fill);
  EXPECT_EQ(rows.journal[3], "event:VenueFill");
  auto cols = byColumn(rows);
  EXPECT_EQ(cols["event_type"], "venue-fill");
  EXPECT_EQ(cols["venue"], "XLON-SIM");
  EXPECT_EQ(cols["venue_cl_ord_id"], "V1");
  EXPECT_EQ(cols["venue_order_id"], "XO1");
  EXPECT_EQ(cols["exec_id"], "XE1");
  EXPECT_EQ(cols["last_qty"], "40");
  EXPECT_EQ(cols["last_px"], "101");
  EXPECT_EQ(cols["session"], "NULL");

  EXPECT_EQ(byColumn(mapEvent(core::VenueAccepted{0, "V1", "XO1"}))["event_type"], "venue-accepted");
  cols = byColumn(mapEvent(core::VenueCanceled{0, "V2", "done"}));
  EXPECT_EQ(cols["event_type"], "venue-canceled");
  EXPECT_EQ(cols["text"], "done");
  EXPECT_EQ(cols["venue_order_id"], "NULL");
  EXPECT_EQ(byColumn(mapEvent(core::VenueReplaced{0, "V3", "XO1"}))["event_type"], "venue-replaced");
  EXPECT_EQ(byColumn(mapEvent(core::VenueRejected{0, "V4", "no"}))["event_type"], "venue-rejected");
  EXPECT_EQ(byColumn(mapEvent(core::VenueCancelRejected{0, "V5", "no"}))["event_type"],
            "venue-cancel-rejected");
  EXPECT_EQ(byColumn(mapEvent(core::VenueExpired{0, "V6"}))["event_type"], "venue-expired");
  // An id outside the configuration still maps.
  EXPECT_EQ(byColumn(mapEvent(core::VenueExpired{7, "V6"}))["venue"], "venue#7");
}

TEST(AuditRows, ControlEventsGoToJournalRecordsOnly) {
  auto rows = mapEvent(core::ClientSessionUp{0});
  EXPECT_EQ(rows.journal[3], "event:ClientSessionUp");
  EXPECT_EQ(rows.journal[4], "ClientSessionUp acme-fix44");
  EXPECT_FALSE(rows.typed);
  EXPECT_FALSE(mapEvent(core::VenueDown{1}).typed);
  core::SetTradingState halt;
  halt.by = "alice";
  EXPECT_FALSE(mapEvent(halt).typed);
  EXPECT_FALSE(mapEvent(core::ResetSessionBreaker{"acme-fix44", "bob"}).typed);
}

TEST(AuditRows, ExecReports) {
  core::ExecReport x;
  x.session = 0;
  x.kind = core::ExecKind::Trade;
  x.status = core::OrdStatus::PartiallyFilled;
  x.order_id = "O1";
  x.exec_id = "E2";
  x.cl_ord_id = "C1";
  x.account = "A";
  x.symbol = "AIR";
  x.order_qty = 100;
  x.price = core::Price{10'125'000'000};
  x.last_qty = 40;
  x.last_px = core::Price{10'120'000'000};
  x.cum_qty = 40;
  x.leaves_qty = 60;
  x.avg_px = core::Price{10'120'000'000};
  auto rows = mapAction(x);
  EXPECT_EQ(rows.journal[3], "action:ExecReport");
  auto cols = byColumn(rows);
  EXPECT_EQ(cols["event_type"], "partial-fill");
  EXPECT_EQ(cols["ord_status"], "PartiallyFilled");
  EXPECT_EQ(cols["quantity"], "100");
  EXPECT_EQ(cols["limit_price"], "101.25");
  EXPECT_EQ(cols["last_qty"], "40");
  EXPECT_EQ(cols["last_px"], "101.2");
  EXPECT_EQ(cols["cum_qty"], "40");
  EXPECT_EQ(cols["leaves_qty"], "60");
  EXPECT_EQ(cols["avg_px"], "101.2");
  EXPECT_EQ(cols["reject_code"], "NULL");
  EXPECT_EQ(cols["text"], "NULL");

  x.status = core::OrdStatus::Filled;
  EXPECT_EQ(byColumn(mapAction(x))["event_type"], "fill");

  x.kind = core::ExecKind::Rejected;
  x.status = core::OrdStatus::Rejected;
  x.reject = core::RejectCode::DuplicateOrder;
  x.text = "FG511 duplicate";
  cols = byColumn(mapAction(x));
  EXPECT_EQ(cols["event_type"], "rejected");
  EXPECT_EQ(cols["reject_code"], "FG511");
  EXPECT_EQ(cols["text"], "FG511 duplicate");
  EXPECT_EQ(cols["last_qty"], "NULL");  // only for trades
  EXPECT_EQ(cols["last_px"], "NULL");

  const std::vector<std::pair<core::ExecKind, std::string>> kinds = {
      {core::ExecKind::New, "accepted"},
      {core::ExecKind::Canceled, "canceled"},
      {core::ExecKind::Replaced, "replaced"},
      {core::ExecKind::Expired, "expired"},
      {core::ExecKind::PendingCancel, "pending-cancel"},
      {core::ExecKind::PendingReplace, "pending-replace"},
      {core::ExecKind::DoneForDay, "done-for-day"},
      {core::ExecKind::Status, "status-answered"}};
  for (const auto& [kind, type] : kinds) {
    x.kind = kind;
    EXPECT_EQ(byColumn(mapAction(x))["event_type"], type);
  }
}

TEST(AuditRows, OtherOrderActions) {
  core::CancelReject reject;
  reject.cl_ord_id = "C2";
  reject.orig_cl_ord_id = "C1";
  reject.order_id = "NONE";
  auto cols = byColumn(mapAction(reject));
  EXPECT_EQ(cols["event_type"], "cancel-rejected");
  EXPECT_EQ(cols["reject_code"], "FG201");
  EXPECT_EQ(cols["ord_status"], "Rejected");

  core::MassCancelReport mass;
  mass.cl_ord_id = "M1";
  mass.order_id = "MC1";
  EXPECT_EQ(byColumn(mapAction(mass))["event_type"], "mass-cancel-done");

  core::VenueNewOrder routed;
  routed.venue = 0;
  routed.venue_cl_ord_id = "V1";
  routed.order_id = "O1";
  routed.terms = testing::shipper::sampleTerms(3);
  cols = byColumn(mapAction(routed));
  EXPECT_EQ(cols["event_type"], "routed");
  EXPECT_EQ(cols["venue"], "XPAR-SIM");
  EXPECT_EQ(cols["order_id"], "O1");
  EXPECT_EQ(cols["client_id"], "CL3");
  EXPECT_EQ(cols["side"], "sell");
  EXPECT_EQ(cols["quantity"], "103");
  EXPECT_EQ(cols["limit_price"], "101.28");
  EXPECT_EQ(cols["text"], "NULL") << "a first send has no text";
  routed.replay = true;
  cols = byColumn(mapAction(routed));
  EXPECT_EQ(cols["event_type"], "routed");
  EXPECT_NE(cols["text"].find("sent again with PossResend=Y"), std::string::npos) << cols["text"];

  core::VenueCancel vc;
  vc.venue_cl_ord_id = "V2";
  vc.orig_venue_cl_ord_id = "V1";
  vc.order_id = "O1";
  cols = byColumn(mapAction(vc));
  EXPECT_EQ(cols["event_type"], "venue-cancel");
  EXPECT_EQ(cols["orig_cl_ord_id"], "V1");
  core::VenueReplace vr;
  vr.terms = testing::shipper::sampleTerms(4);
  EXPECT_EQ(byColumn(mapAction(vr))["event_type"], "venue-replace");
}

TEST(AuditRows, RiskStateLimitsAndAlerts) {
  core::RiskDecision d;
  d.session = 1;
  d.replace = true;
  d.cl_ord_id = "C9";
  d.account = "A";
  d.symbol = "AIR";
  d.reject = core::RejectCode::MaxOrderQty;
  d.text = "too big";
  d.limits_version = std::make_shared<const std::string>("abc123");
  d.arrival_price = core::Price{12'550'000'000};
  auto rows = mapAction(d);
  ASSERT_TRUE(rows.typed);
  EXPECT_EQ(rows.typed->table, AuditTable::RiskDecisions);
  const std::vector<Value> risk = {
      "2030-01-05", "42",    std::to_string(kTs), "beta-fix42", "A",    "C9", "AIR", "replace",
      "rejected",   "FG505", "too big",           "abc123",     "125.5"};
  EXPECT_EQ(rows.typed->values, risk);
  d.reject.reset();
  d.replace = false;
  d.text.clear();
  d.limits_version.reset();
  d.arrival_price.reset();
  const std::vector<Value> accepted = {
      "2030-01-05", "42",       std::to_string(kTs), "beta-fix42", "A",          "C9",        "AIR",
      "new",        "accepted", std::nullopt,        std::nullopt, std::nullopt, std::nullopt};
  EXPECT_EQ(mapAction(d).typed->values, accepted);

  // Without an arrival price the canonical line is the one written before migration 006 added the column,
  // so risk decisions shipped before it still verify; with one, the price is chained too.
  std::string canonical;
  appendCanonicalLine(canonical, chainedValues("risk_decisions", accepted));
  std::string before_006;
  appendCanonicalLine(before_006, std::span<const Value>(accepted).first(12));
  EXPECT_EQ(canonical, before_006);
  std::string priced;
  appendCanonicalLine(priced, chainedValues("risk_decisions", risk));
  std::string priced_all;
  appendCanonicalLine(priced_all, risk);
  EXPECT_EQ(priced, priced_all);
  EXPECT_EQ(chainedValues("trading_state_changes", accepted).size(), accepted.size());

  core::StateChange change{
      core::Scope::Account, "A", core::TradingState::Active, core::TradingState::Halted, "alice",
      "kill switch",        kTs};
  rows = mapAction(change);
  ASSERT_TRUE(rows.typed);
  EXPECT_EQ(rows.typed->table, AuditTable::TradingStateChanges);
  const std::vector<Value> state = {"2030-01-05", "42",    std::to_string(kTs), "account", "A", "Active",
                                    "Halted",     "alice", "kill switch"};
  EXPECT_EQ(rows.typed->values, state);

  core::LimitsApplied limits{"",    "v2", "/etc/limits.yaml",
                             "bob", kTs,  std::make_shared<const std::string>("accounts: []\n")};
  rows = mapAction(limits);
  ASSERT_TRUE(rows.typed);
  EXPECT_EQ(rows.typed->table, AuditTable::ConfigVersions);
  const std::vector<Value> config = {"2030-01-05",       "42",         std::to_string(kTs),
                                     "limits",           std::nullopt, "v2",
                                     "/etc/limits.yaml", "bob",        "accounts: []\n"};
  EXPECT_EQ(rows.typed->values, config);
  limits.content = nullptr;  // a limits version without its text (none journaled): NULL, not ""
  rows = mapAction(limits);
  ASSERT_TRUE(rows.typed);
  EXPECT_EQ(rows.typed->values.back(), std::nullopt);

  rows = mapAction(core::OperatorAlert{"X1", "look"});
  EXPECT_EQ(rows.journal[3], "action:OperatorAlert");
  EXPECT_FALSE(rows.typed);
}

TEST(AuditRows, FixMessages) {
  std::string payload;
  records::encodeFixMessage(records::Direction::Out, "venue:XPAR-SIM",
                            "8=FIX.4.4\x01"
                            "35=8\x01"
                            "34=0017\x01"
                            "10=000\x01",
                            payload);
  auto rows = toAuditRows(view(RecordType::FixMessage, payload), kNames);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->journal[3], "fix-message");
  const std::vector<Value> expected = {"2030-01-05",
                                       "42",
                                       std::to_string(kTs),
                                       "venue:XPAR-SIM",
                                       "out",
                                       "17",
                                       "8",
                                       "8=FIX.4.4\x01"
                                       "35=8\x01"
                                       "34=0017\x01"
                                       "10=000\x01"};
  EXPECT_EQ(rows->typed->values, expected);

  for (const std::string raw : {"8=FIX.4.4\x01"
                                "35=A\x01",
                                "35=A\x01"
                                "34=x1\x01",
                                "35=A\x01"
                                "34=99999999999\x01"}) {
    payload.clear();
    records::encodeFixMessage(records::Direction::In, "acme-fix44", raw, payload);
    rows = toAuditRows(view(RecordType::FixMessage, payload), kNames);
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->typed->values[4], "in");
    EXPECT_EQ(rows->typed->values[5], std::nullopt) << raw;
    EXPECT_EQ(rows->typed->values[6], "A");
  }
}

TEST(AuditRows, RunStartedAndBadPayloads) {
  std::string payload;
  records::encodeRunStarted(records::RunStartedRecord{"gw1", 123, "/etc/fixgate.yaml", 5}, payload);
  auto rows = toAuditRows(view(RecordType::RunStarted, payload), kNames);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->journal[3], "run-started");
  EXPECT_FALSE(rows->typed);

  EXPECT_FALSE(toAuditRows(view(RecordType::Event, "\x01"), kNames));
  EXPECT_FALSE(toAuditRows(view(static_cast<RecordType>(99), ""), kNames));
  const auto bad = undecodableRows(view(static_cast<RecordType>(99), ""), "unknown record type 99");
  EXPECT_EQ(bad.journal[3], "unknown:99:undecodable");
  EXPECT_EQ(bad.journal[4], "unknown record type 99");
}

// A logon attempt is audited as its journal_records row: record_type security-event, the summary naming the
// session, address, user and outcome (never a password: the record has none).
TEST(AuditRows, SecurityEventIsAJournalRowWithItsSummary) {
  std::string payload;
  records::encodeSecurityEvent(records::SecurityEventRecord{"logon", "acme-fix44", "10.1.2.3", "alice",
                                                            "bad-credentials", "wrong Password (554)"},
                               payload);
  auto rows = toAuditRows(view(RecordType::SecurityEvent, payload), kNames);
  ASSERT_TRUE(rows) << rows.error();
  EXPECT_EQ(rows->journal[3], "security-event");
  EXPECT_EQ(rows->journal[4],
            "logon bad-credentials session acme-fix44 from 10.1.2.3 user alice: wrong Password (554)");
  EXPECT_FALSE(rows->typed);
  EXPECT_FALSE(toAuditRows(view(RecordType::SecurityEvent, "\x05"), kNames));
}

TEST(AuditRows, SanitizesTextToValidUtf8) {
  EXPECT_EQ(sanitizeText("plain\x01SOH"), "plain\x01SOH");
  EXPECT_EQ(sanitizeText("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(sanitizeText(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(sanitizeText("\xFF\xC3"), "\\xFF\\xC3");                    // invalid byte, truncated sequence
  EXPECT_EQ(sanitizeText("\xC0\xAF"), "\\xC0\\xAF");                    // overlong
  EXPECT_EQ(sanitizeText("\xED\xA0\x80"), "\\xED\\xA0\\x80");           // surrogate
  EXPECT_EQ(sanitizeText("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // above U+10FFFF

  // In a row, and the chain covers the sanitized value.
  core::VenueRejected rejected{0, "V1", std::string("bad\xFF\0", 5)};
  const auto rows = mapEvent(rejected);
  EXPECT_EQ(byColumn(rows)["text"], "bad\\xFF\\x00");
  std::string canonical;
  appendCanonical(canonical, rows);
  EXPECT_NE(canonical.find("bad\\xFF\\x00"), std::string::npos);
}

TEST(AuditRows, CanonicalAndCopyText) {
  const auto rows = mapEvent(core::VenueCanceled{0, "V1", "a\tb\nc\\d\re"});
  std::string canonical;
  appendCanonical(canonical, rows);
  std::string expected;
  appendCanonicalLine(expected, rows.journal);
  expected += "order_events\t";
  appendCanonicalLine(expected, rows.typed->values);
  EXPECT_EQ(canonical, expected);

  std::string copy;
  appendCopyLine(copy, std::vector<Value>{"a\tb\nc\\d\re", std::nullopt, ""});
  EXPECT_EQ(copy, "a\\tb\\nc\\\\d\\re\t\\N\t\n");
}

TEST(AuditRows, TradeDateIsTheUtcDay) {
  EXPECT_EQ(tradeDate(0), "1970-01-01");
  EXPECT_EQ(tradeDate(86'400'000'000 - 1), "1970-01-01");
  EXPECT_EQ(tradeDate(86'400'000'000), "1970-01-02");
  EXPECT_EQ(tradeDate(951'782'400'000'000), "2000-02-29");
  EXPECT_EQ(tradeDate(kTs), "2030-01-05");
}

}  // namespace
}  // namespace fixgate::audit
