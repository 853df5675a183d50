// The gateway's metrics fed event by event, as the runtime feeds them, and read back from the Prometheus
// text a scrape returns.
#include <gtest/gtest.h>

#include <vector>

#include "core/actions.h"
#include "http_get.h"
#include "ops/gateway_metrics.h"

namespace fixgate::ops {
namespace {

using testing::metricValue;

class GatewayMetricsTest : public ::testing::Test {
 protected:
  void apply(core::EventBody body, std::vector<core::Action> actions) {
    metrics_.observe(core::Event{1, std::move(body)}, actions);
    for (const auto& a : actions) {
      if (std::holds_alternative<core::VenueNewOrder>(a) || std::holds_alternative<core::VenueCancel>(a)) {
        metrics_.venueRequestSent(a);
      }
    }
  }
  [[nodiscard]] double value(const std::string& metric, const std::vector<std::string>& labels = {}) {
    const auto v = metricValue(metrics_.scrape(snapshot_), metric, labels);
    EXPECT_TRUE(v) << metric << " not exported";
    return v.value_or(-1);
  }

  GatewayMetrics metrics_{{"S1", "S2"}, {"V1", "V2"}, "9.9.9"};
  GatewaySnapshot snapshot_;
};

// A default value of T with `set` applied: the structs have many fields a test does not care about.
template <typename T, typename F>
T make(F set) {
  T value{};
  set(value);
  return value;
}

core::ExecReport rejected(core::SessionId session, core::RejectCode code) {
  core::ExecReport r;
  r.session = session;
  r.kind = core::ExecKind::Rejected;
  r.status = core::OrdStatus::Rejected;
  r.reject = code;
  return r;
}

TEST_F(GatewayMetricsTest, CountsRoutedAndRejectedOrdersByCode) {
  apply(core::NewOrder{0, "A", {}},
        {core::RiskDecision{}, core::VenueNewOrder{1, "VC-A", {}, 0, "O1", false}});
  apply(core::NewOrder{0, "B", {}}, {rejected(0, core::RejectCode::MaxOrderNotional)});
  apply(core::NewOrder{1, "C", {}}, {rejected(1, core::RejectCode::MaxOrderNotional)});
  core::CancelReject refused;
  refused.session = 1;
  refused.reject = core::RejectCode::UnknownOrder;
  apply(make<core::CancelOrder>([](auto& c) { c.session = 1; }), {refused});

  EXPECT_EQ(value("fixgate_requests_total", {"session=\"S1\"", "request=\"new\"", "outcome=\"accepted\""}),
            1);
  EXPECT_EQ(value("fixgate_requests_total", {"session=\"S1\"", "request=\"new\"", "outcome=\"rejected\""}),
            1);
  EXPECT_EQ(value("fixgate_requests_total", {"session=\"S2\"", "request=\"cancel\"", "outcome=\"rejected\""}),
            1);
  EXPECT_EQ(value("fixgate_orders_total", {"session=\"S1\"", "venue=\"V2\"", "outcome=\"routed\""}), 1);
  EXPECT_EQ(value("fixgate_orders_total", {"session=\"S1\"", "venue=\"V1\"", "outcome=\"routed\""}), 0);
  EXPECT_EQ(value("fixgate_orders_total", {"session=\"S2\"", "venue=\"none\"", "outcome=\"rejected\""}), 1);
  EXPECT_EQ(value("fixgate_rejects_total", {"code=\"FG506\"", "reason=\"max_order_notional\""}), 2);
  EXPECT_EQ(value("fixgate_rejects_total", {"code=\"FG201\"", "reason=\"unknown_order\""}), 1);
}

// A client's resend of an order the gateway already has is answered with its status: after a crash the
// client may resend many, and none is a rejected order (RejectSpike) nor a new one.
TEST_F(GatewayMetricsTest, AResentOrderAnsweredWithItsStatusIsNeitherRejectedNorRouted) {
  core::NewOrder resent{0, "A", {}};
  resent.poss_dup = true;
  core::ExecReport status;
  status.kind = core::ExecKind::Status;
  status.status = core::OrdStatus::New;
  apply(resent, {status});
  // One the gateway never had is taken like any order.
  core::NewOrder resent_new{0, "B", {}};
  resent_new.poss_dup = true;
  apply(resent_new, {core::RiskDecision{}, core::VenueNewOrder{1, "VC-B", {}, 0, "O2", false}});

  EXPECT_EQ(value("fixgate_requests_total", {"session=\"S1\"", "request=\"new\"", "outcome=\"accepted\""}),
            2);
  EXPECT_EQ(value("fixgate_requests_total", {"session=\"S1\"", "request=\"new\"", "outcome=\"rejected\""}),
            0);
  EXPECT_EQ(value("fixgate_orders_total", {"session=\"S1\"", "venue=\"none\"", "outcome=\"rejected\""}), 0);
  EXPECT_EQ(value("fixgate_orders_total", {"session=\"S1\"", "venue=\"V2\"", "outcome=\"routed\""}), 1);
}

TEST_F(GatewayMetricsTest, EveryRejectCodeIsExportedFromTheStartAndEdgeRefusalsCount) {
  EXPECT_EQ(value("fixgate_rejects_total", {"code=\"FG605\"", "reason=\"symbol_move_halt\""}), 0);
  EXPECT_FALSE(metricValue(metrics_.scrape(snapshot_), "fixgate_rejects_total", {"code=\"FG100\""}));
  metrics_.refusedAtTheEdge(rejected(0, core::RejectCode::UnsupportedValue));
  core::CancelReject cancel;
  cancel.reject = core::RejectCode::UnknownOrder;
  metrics_.refusedAtTheEdge(cancel);
  metrics_.refusedAtTheEdge(core::ExecReport{});  // no reject code: not a refusal
  EXPECT_EQ(value("fixgate_rejects_total", {"code=\"FG109\"", "reason=\"unsupported_value\""}), 1);
  EXPECT_EQ(value("fixgate_rejects_total", {"code=\"FG201\""}), 1);
}

TEST_F(GatewayMetricsTest, CountsMessagesRefusedAsAWholeBySessionTypeAndReason) {
  metrics_.messageRejected(0, '3', 5);
  metrics_.messageRejected(0, '3', 5);
  metrics_.messageRejected(1, '3', -1);
  metrics_.messageRejected(1, 'j', 3);
  metrics_.messageRejected(7, 'j', 3);  // no such session: not counted, no series made

  EXPECT_EQ(value("fixgate_message_rejects_total", {"session=\"S1\"", "msg_type=\"3\"", "code=\"5\"",
                                                    "reason=\"value_is_incorrect_for_this_tag\""}),
            2);
  EXPECT_EQ(value("fixgate_message_rejects_total",
                  {"session=\"S2\"", "msg_type=\"3\"", "code=\"none\"", "reason=\"not_given\""}),
            1);
  EXPECT_EQ(value("fixgate_message_rejects_total",
                  {"session=\"S2\"", "msg_type=\"j\"", "code=\"3\"", "reason=\"unsupported_message_type\""}),
            1);
  EXPECT_FALSE(metricValue(metrics_.scrape(snapshot_), "fixgate_message_rejects_total",
                           {"session=\"S1\"", "msg_type=\"j\""}));
}

TEST(MessageRejectReasonLabel, NamesTheFixValueOfEachTag) {
  EXPECT_EQ(messageRejectReasonLabel('3', 1), "required_tag_missing");
  EXPECT_EQ(messageRejectReasonLabel('3', 99), "other");
  EXPECT_EQ(messageRejectReasonLabel('j', 0), "other");
  EXPECT_EQ(messageRejectReasonLabel('j', 18), "invalid_price_increment");
  EXPECT_EQ(messageRejectReasonLabel('j', 5), "conditionally_required_field_missing");
  EXPECT_EQ(messageRejectReasonLabel('3', 42), "reason_42");
  EXPECT_EQ(messageRejectReasonLabel('j', 8), "reason_8");
  EXPECT_EQ(messageRejectReasonLabel('3', -1), "not_given");
}

TEST_F(GatewayMetricsTest, TimesVenueAcknowledgementsPerVenueAndRequest) {
  apply(core::NewOrder{0, "A", {}}, {core::VenueNewOrder{0, "VC-A", {}, 0, "O1", false}});
  apply(core::VenueAccepted{0, "VC-A", "X1"}, {});
  apply(core::VenueAccepted{0, "VC-A", "X1"}, {});  // a repeat is not timed twice
  apply(core::VenueAccepted{0, "NEVER-SENT", "X2"}, {});
  apply(make<core::CancelOrder>([](auto&) {}), {make<core::VenueCancel>([](auto& c) {
          c.venue = 1;
          c.venue_cl_ord_id = "VC-CX";
        })});
  apply(core::VenueCanceled{1, "VC-CX", ""}, {});

  EXPECT_EQ(metrics_.ackLatency(0, VenueRequest::New).snapshot().total, 1u);
  EXPECT_EQ(metrics_.ackLatency(1, VenueRequest::Cancel).snapshot().total, 1u);
  EXPECT_EQ(metrics_.ackLatency(1, VenueRequest::New).snapshot().total, 0u);
  EXPECT_EQ(value("fixgate_venue_ack_latency_seconds_count", {"venue=\"V1\"", "request=\"new\""}), 1);
  EXPECT_EQ(
      value("fixgate_venue_ack_latency_seconds_bucket", {"venue=\"V1\"", "request=\"new\"", "le=\"+Inf\""}),
      1);
  EXPECT_EQ(value("fixgate_venue_ack_latency_seconds_count", {"venue=\"V2\"", "request=\"cancel\""}), 1);
}

TEST_F(GatewayMetricsTest, CountsFillsTimeoutsAlertsAndReloads) {
  core::ExecReport trade;
  trade.session = 1;
  trade.kind = core::ExecKind::Trade;
  apply(core::VenueFill{1, "VC-A", "X1", "E1", 30, {}}, {trade});
  apply(core::VenueFill{1, "VC-A", "X1", "E1", 30, {}}, {});  // a repeated execution the core ignored
  apply(core::Tick{5}, {make<core::VenueStatusQuery>([](auto& q) { q.venue_cl_ord_id = "VC-B"; }),
                        core::OperatorAlert{"AckTimeout", "late"}});
  apply(core::StartTradingDay{"20261207"}, {core::OperatorAlert{core::alert_code::kTradingDayStarted, "day"},
                                            core::OperatorAlert{core::alert_code::kCreditWarning, "80%"}});
  apply(core::ApplyLimits{nullptr, "start"}, {make<core::LimitsApplied>([](auto& l) { l.by = "start"; })});
  apply(core::ApplyLimits{nullptr, "alice"}, {make<core::LimitsApplied>([](auto& l) { l.by = "alice"; })});
  metrics_.limitsRefused();

  EXPECT_EQ(value("fixgate_executions_total", {"session=\"S2\"", "venue=\"V2\""}), 1);
  EXPECT_EQ(value("fixgate_filled_quantity_total", {"session=\"S2\"", "venue=\"V2\""}), 30);
  EXPECT_EQ(value("fixgate_venue_ack_timeouts_total", {"venue=\"V1\""}), 1);
  EXPECT_EQ(value("fixgate_operator_alerts_total", {"code=\"AckTimeout\"", "severity=\"error\""}), 1);
  EXPECT_EQ(value("fixgate_operator_alerts_total", {"code=\"TradingDayStarted\"", "severity=\"info\""}), 1);
  EXPECT_EQ(value("fixgate_operator_alerts_total", {"code=\"CreditWarning\"", "severity=\"warning\""}), 1);
  EXPECT_EQ(value("fixgate_limits_reloads_total", {"outcome=\"applied\""}), 1);
  EXPECT_EQ(value("fixgate_limits_reloads_total", {"outcome=\"refused\""}), 1);
}

TEST_F(GatewayMetricsTest, GaugesShowTheSnapshot) {
  snapshot_.client_sessions = {{"S1", true}, {"S2", false}};
  snapshot_.venues = {{"V1", true}, {"V2", false}};
  snapshot_.open_orders = {3, 0};
  snapshot_.status_queries_queued = {0, 250};
  snapshot_.orders_in_memory = 41;
  snapshot_.venue_breaker_open = {false, true};
  snapshot_.session_breaker_latched = {true, false};
  snapshot_.not_active = {{core::Scope::Global, "", {core::TradingState::Halted, "ops", "drill", 0}},
                          {core::Scope::Symbol, "AAPL", {core::TradingState::Reducing, "ops", "", 0}}};
  snapshot_.limits_version = "abc";
  snapshot_.journal_last_seq = 100;
  snapshot_.journal_bytes = 3 * 64 * 1024 * 1024;
  snapshot_.data_dir_available_bytes = 5'000'000'000;
  snapshot_.audit_enabled = true;
  snapshot_.shipped_seq = 60;
  snapshot_.shipper_lag_seconds = 2.5;
  snapshot_.accepting_clients = true;

  EXPECT_EQ(value("fixgate_open_orders", {"venue=\"V1\""}), 3);
  EXPECT_EQ(value("fixgate_venue_status_queries_queued", {"venue=\"V1\""}), 0);
  EXPECT_EQ(value("fixgate_venue_status_queries_queued", {"venue=\"V2\""}), 250);
  EXPECT_EQ(value("fixgate_orders_in_memory", {}), 41);
  EXPECT_EQ(value("fixgate_fix_session_up", {"session=\"S2\"", "role=\"client\""}), 0);
  EXPECT_EQ(value("fixgate_fix_session_up", {"session=\"V1\"", "role=\"venue\""}), 1);
  EXPECT_EQ(value("fixgate_venue_breaker_open", {"venue=\"V2\""}), 1);
  EXPECT_EQ(value("fixgate_session_breaker_latched", {"session=\"S1\""}), 1);
  EXPECT_EQ(value("fixgate_trading_state", {"scope=\"global\""}), 2);
  EXPECT_EQ(value("fixgate_trading_state", {"scope=\"symbol\"", "key=\"AAPL\""}), 1);
  EXPECT_EQ(value("fixgate_trading_state", {"scope=\"venue\"", "key=\"V2\""}), 0);
  EXPECT_EQ(value("fixgate_limits_info", {"version=\"abc\""}), 1);
  EXPECT_EQ(value("fixgate_shipper_lag_records"), 40);
  EXPECT_EQ(value("fixgate_journal_bytes"), 3 * 64 * 1024 * 1024);
  EXPECT_EQ(value("fixgate_data_dir_available_bytes"), 5e9);
  snapshot_.data_dir_available_bytes.reset();  // the filesystem could not be read: no made-up value
  EXPECT_FALSE(metricValue(metrics_.scrape(snapshot_), "fixgate_data_dir_available_bytes"));
  EXPECT_EQ(value("fixgate_shipper_lag_seconds"), 2.5);
  EXPECT_EQ(value("fixgate_ready"), 0);  // V2 is down
  EXPECT_EQ(value("fixgate_build_info", {"version=\"9.9.9\""}), 1);
}

}  // namespace
}  // namespace fixgate::ops
