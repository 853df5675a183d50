#include "ops/gateway_metrics.h"

#include <fmt/format.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "clock/clock.h"
#include "core/alerts.h"
#include "core/reject.h"
#include "ops/health.h"

namespace fixgate::ops {

namespace {

using prometheus::BuildCounter;
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::array<std::string_view, kRequestKinds> kRequestNames = {"new", "cancel", "replace", "status",
                                                                       "mass_cancel"};
constexpr std::array<std::string_view, kVenueRequests> kVenueRequestNames = {"new", "cancel", "replace"};
// Prometheus bucket bounds (seconds) the fine-grained histograms are exported at: 1 us to 10 s.
constexpr std::array<double, 22> kExportBounds = {1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4,
                                                  5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1,
                                                  0.2,  0.5,  1.0,  2.5,  5.0,  10.0};

std::uint64_t keyOf(std::string_view venue_cl_ord_id) {
  const auto h = static_cast<std::uint64_t>(std::hash<std::string_view>{}(venue_cl_ord_id));
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

ClientMetric histogramMetric(const LatencyHistogram& histogram,
                             std::vector<prometheus::ClientMetric::Label> labels) {
  const auto snapshot = histogram.snapshot();
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.histogram.sample_count = snapshot.total;
  metric.histogram.sample_sum = static_cast<double>(snapshot.sum_ns) / 1e9;
  for (const double bound : kExportBounds) {
    metric.histogram.bucket.push_back({snapshot.countAtMost(static_cast<std::int64_t>(bound * 1e9)), bound});
  }
  metric.histogram.bucket.push_back({snapshot.total, std::numeric_limits<double>::infinity()});
  return metric;
}

ClientMetric gaugeMetric(double value, std::vector<prometheus::ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  return metric;
}

MetricFamily family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

// The reject code of a client answer that refuses something; nullopt for anything else.
std::optional<core::RejectCode> rejectOf(const core::Action& action) {
  if (const auto* r = std::get_if<core::ExecReport>(&action)) return r->reject;
  if (const auto* c = std::get_if<core::CancelReject>(&action)) return c->reject;
  if (const auto* m = std::get_if<core::MassCancelReport>(&action)) return m->reject;
  return std::nullopt;
}

// Whether a request was refused: one of its answers carries a reject code.
bool refused(std::span<const core::Action> actions) {
  return std::any_of(actions.begin(), actions.end(),
                     [](const core::Action& action) { return rejectOf(action).has_value(); });
}

// FIX's names of SessionRejectReason (373) and BusinessRejectReason (380) values.
constexpr std::array<std::pair<int, std::string_view>, 20> kSessionRejectReasons = {{
    {0, "invalid_tag_number"},
    {1, "required_tag_missing"},
    {2, "tag_not_defined_for_this_message_type"},
    {3, "undefined_tag"},
    {4, "tag_specified_without_a_value"},
    {5, "value_is_incorrect_for_this_tag"},
    {6, "incorrect_data_format_for_value"},
    {7, "decryption_problem"},
    {8, "signature_problem"},
    {9, "compid_problem"},
    {10, "sendingtime_accuracy_problem"},
    {11, "invalid_msgtype"},
    {12, "xml_validation_error"},
    {13, "tag_appears_more_than_once"},
    {14, "tag_specified_out_of_required_order"},
    {15, "repeating_group_fields_out_of_order"},
    {16, "incorrect_numingroup_count_for_repeating_group"},
    {17, "non_data_value_includes_field_delimiter"},
    {18, "invalid_or_unsupported_application_version"},
    {99, "other"},
}};
constexpr std::array<std::pair<int, std::string_view>, 9> kBusinessRejectReasons = {{
    {0, "other"},
    {1, "unknown_id"},
    {2, "unknown_security"},
    {3, "unsupported_message_type"},
    {4, "application_not_available"},
    {5, "conditionally_required_field_missing"},
    {6, "not_authorized"},
    {7, "deliverto_firm_not_available_at_this_time"},
    {18, "invalid_price_increment"},
}};

}  // namespace

std::string messageRejectReasonLabel(char msg_type, int reason) {
  if (reason < 0) return "not_given";
  const auto named = [reason](const auto& table) -> std::optional<std::string_view> {
    const auto it = std::ranges::find(table, reason, &std::pair<int, std::string_view>::first);
    if (it == table.end()) return std::nullopt;
    return it->second;
  };
  const auto name = msg_type == 'j' ? named(kBusinessRejectReasons) : named(kSessionRejectReasons);
  return name ? std::string(*name) : fmt::format("reason_{}", reason);
}

std::string rejectCodeLabel(core::RejectCode code) {
  return fmt::format("FG{}", static_cast<int>(code));
}

std::string rejectReasonLabel(core::RejectCode code) {
  std::string snake;
  for (const char c : core::name(code)) {
    if (std::isupper(static_cast<unsigned char>(c)) != 0) {
      if (!snake.empty()) snake += '_';
      snake += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      snake += c;
    }
  }
  return snake;
}

GatewayMetrics::GatewayMetrics(std::vector<std::string> sessions, std::vector<std::string> venues,
                               std::string version)
    : sessions_(std::move(sessions)),
      venues_(std::move(venues)),
      version_(std::move(version)),
      registry_(std::make_shared<prometheus::Registry>()),
      ack_latency_(venues_.size()),
      pending_(kPendingSlots) {
  requests_family_ = &BuildCounter()
                          .Name("fixgate_requests_total")
                          .Help("Client requests by session, request type and outcome (accepted or rejected)")
                          .Register(*registry_);
  orders_family_ = &BuildCounter()
                        .Name("fixgate_orders_total")
                        .Help(
                            "New orders by session and venue: routed to the venue, or rejected by the "
                            "gateway (venue=\"none\")")
                        .Register(*registry_);
  rejects_family_ = &BuildCounter()
                         .Name("fixgate_rejects_total")
                         .Help("Refusals sent to clients, by reject code (FGnnn) and reason")
                         .Register(*registry_);
  alerts_family_ =
      &BuildCounter()
           .Name("fixgate_operator_alerts_total")
           .Help("Operator alerts raised by the core, by alert code and severity (info, warning, error)")
           .Register(*registry_);
  message_rejects_family_ =
      &BuildCounter()
           .Name("fixgate_message_rejects_total")
           .Help(
               "Client messages refused as a whole, by session: msg_type 3 a session-level Reject "
               "(QuickFIX's validation against the session's dictionary), j a BusinessMessageReject (a "
               "message type the gateway does not handle); code and reason are the SessionRejectReason "
               "or BusinessRejectReason")
           .Register(*registry_);
  auto& executions = BuildCounter()
                         .Name("fixgate_executions_total")
                         .Help("Fills reported by venues and passed to clients, by session and venue")
                         .Register(*registry_);
  auto& filled = BuildCounter()
                     .Name("fixgate_filled_quantity_total")
                     .Help("Quantity filled, by session and venue")
                     .Register(*registry_);
  auto& timeouts = BuildCounter()
                       .Name("fixgate_venue_ack_timeouts_total")
                       .Help(
                           "Venue answers overdue: each status query sent because an acknowledgement or a "
                           "status answer did not come in time")
                       .Register(*registry_);
  auto& reloads = BuildCounter()
                      .Name("fixgate_limits_reloads_total")
                      .Help("Limits reloads, applied or refused (a refused file leaves the running limits)")
                      .Register(*registry_);
  // Every code the core knows gets its series now: refusals are then counted from any thread without a lock,
  // and a code never used yet shows as 0 rather than missing.
  rejects_.assign(kRejectCodeLimit, nullptr);
  for (std::size_t number = 100; number < kRejectCodeLimit; ++number) {
    const auto code = static_cast<core::RejectCode>(number);
    if (core::name(code) == "Unknown") continue;
    rejects_[number] =
        &rejects_family_->Add({{"code", rejectCodeLabel(code)}, {"reason", rejectReasonLabel(code)}});
  }
  limits_applied_ = &reloads.Add({{"outcome", "applied"}});
  limits_refused_ = &reloads.Add({{"outcome", "refused"}});

  for (const auto& session : sessions_) {
    for (std::size_t k = 0; k < kRequestKinds; ++k) {
      for (const char* outcome : {"accepted", "rejected"}) {
        requests_.push_back(&requests_family_->Add(
            {{"session", session}, {"request", std::string(kRequestNames[k])}, {"outcome", outcome}}));
      }
    }
    orders_rejected_.push_back(
        &orders_family_->Add({{"session", session}, {"venue", "none"}, {"outcome", "rejected"}}));
    for (const auto& venue : venues_) {
      orders_routed_.push_back(
          &orders_family_->Add({{"session", session}, {"venue", venue}, {"outcome", "routed"}}));
      executions_.push_back(&executions.Add({{"session", session}, {"venue", venue}}));
      filled_quantity_.push_back(&filled.Add({{"session", session}, {"venue", venue}}));
    }
  }
  for (const auto& venue : venues_) ack_timeouts_.push_back(&timeouts.Add({{"venue", venue}}));
}

prometheus::Counter& GatewayMetrics::perVenue(std::vector<prometheus::Counter*>& table,
                                              core::SessionId session, core::VenueId venue) const {
  return *table[static_cast<std::size_t>(session) * venues_.size() + venue];
}

void GatewayMetrics::countRequest(core::SessionId session, RequestKind kind, bool rejected) {
  if (session >= sessions_.size()) return;
  const auto index =
      (static_cast<std::size_t>(session) * kRequestKinds + static_cast<std::size_t>(kind)) * 2 +
      (rejected ? 1 : 0);
  requests_[index]->Increment();
}

void GatewayMetrics::countRejectCode(core::RejectCode code) {
  const auto number = static_cast<std::size_t>(code);
  if (number < rejects_.size() && rejects_[number] != nullptr) rejects_[number]->Increment();
}

void GatewayMetrics::refusedAtTheEdge(const core::Action& refusal) {
  if (const auto code = rejectOf(refusal)) countRejectCode(*code);
}

void GatewayMetrics::messageRejected(core::SessionId session, char msg_type, int reason) {
  if (session >= sessions_.size()) return;
  // Rare, so its series are made on first use: Add takes the family's lock and returns the counter already
  // made for the same labels.
  message_rejects_family_
      ->Add({{"session", sessions_[session]},
             {"msg_type", std::string(1, msg_type)},
             {"code", reason < 0 ? std::string("none") : std::to_string(reason)},
             {"reason", messageRejectReasonLabel(msg_type, reason)}})
      .Increment();
}

void GatewayMetrics::observe(const core::Event& event, std::span<const core::Action> actions) {
  stages_.markDecided();
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, core::NewOrder>) {
          // A resend of an order the gateway already has is answered with its status: neither refused nor
          // taken as a new order (every order taken gets a risk decision).
          if (e.poss_dup.value_or(false) && !refused(actions) &&
              std::none_of(actions.begin(), actions.end(), [](const core::Action& a) {
                return std::holds_alternative<core::RiskDecision>(a);
              })) {
            countRequest(e.session, RequestKind::New, false);
            return;
          }
          const auto it = std::find_if(actions.begin(), actions.end(), [](const core::Action& a) {
            return std::holds_alternative<core::VenueNewOrder>(a);
          });
          const bool routed = it != actions.end();
          countRequest(e.session, RequestKind::New, !routed);
          if (e.session < sessions_.size()) {
            if (routed) {
              const auto venue = std::get<core::VenueNewOrder>(*it).venue;
              if (venue < venues_.size()) perVenue(orders_routed_, e.session, venue).Increment();
            } else {
              orders_rejected_[e.session]->Increment();
            }
          }
        } else if constexpr (std::is_same_v<T, core::CancelOrder>) {
          countRequest(e.session, RequestKind::Cancel, refused(actions));
        } else if constexpr (std::is_same_v<T, core::ReplaceOrder>) {
          countRequest(e.session, RequestKind::Replace, refused(actions));
        } else if constexpr (std::is_same_v<T, core::StatusRequest>) {
          countRequest(e.session, RequestKind::Status, refused(actions));
        } else if constexpr (std::is_same_v<T, core::MassCancel>) {
          countRequest(e.session, RequestKind::MassCancel, refused(actions));
        } else if constexpr (std::is_same_v<T, core::VenueFill>) {
          answerArrived(e.venue_cl_ord_id, clock::steadyNanos());
          for (const auto& action : actions) {
            const auto* report = std::get_if<core::ExecReport>(&action);
            if (report == nullptr || report->kind != core::ExecKind::Trade) continue;
            if (report->session >= sessions_.size() || e.venue >= venues_.size()) break;
            perVenue(executions_, report->session, e.venue).Increment();
            perVenue(filled_quantity_, report->session, e.venue).Increment(static_cast<double>(e.last_qty));
            break;
          }
        } else if constexpr (std::is_same_v<T, core::VenueAccepted> ||
                             std::is_same_v<T, core::VenueRejected> ||
                             std::is_same_v<T, core::VenueCanceled> ||
                             std::is_same_v<T, core::VenueReplaced> ||
                             std::is_same_v<T, core::VenueCancelRejected> ||
                             std::is_same_v<T, core::VenueExpired>) {
          answerArrived(e.venue_cl_ord_id, clock::steadyNanos());
        } else if constexpr (std::is_same_v<T, core::Tick>) {
          for (const auto& action : actions) {
            const auto* query = std::get_if<core::VenueStatusQuery>(&action);
            if (query != nullptr && query->venue < ack_timeouts_.size())
              ack_timeouts_[query->venue]->Increment();
          }
        }
      },
      event.body);
  for (const auto& action : actions) {
    if (const auto code = rejectOf(action)) {
      countRejectCode(*code);
    } else if (const auto* alert = std::get_if<core::OperatorAlert>(&action)) {
      auto it = alerts_.find(alert->code);
      if (it == alerts_.end())
        it = alerts_
                 .emplace(alert->code,
                          &alerts_family_->Add(
                              {{"code", alert->code},
                               {"severity", std::string(toString(core::severityOf(alert->code)))}}))
                 .first;
      it->second->Increment();
    } else if (const auto* applied = std::get_if<core::LimitsApplied>(&action);
               applied != nullptr && applied->by != "start") {  // the limits loaded at start are no reload
      limits_applied_->Increment();
    }
  }
}

void GatewayMetrics::venueRequestSent(const core::Action& action) {
  std::visit(
      [&](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, core::VenueNewOrder>) {
          rememberSent(a.venue_cl_ord_id, a.venue, VenueRequest::New);
        } else if constexpr (std::is_same_v<T, core::VenueCancel>) {
          rememberSent(a.venue_cl_ord_id, a.venue, VenueRequest::Cancel);
        } else if constexpr (std::is_same_v<T, core::VenueReplace>) {
          rememberSent(a.venue_cl_ord_id, a.venue, VenueRequest::Replace);
        }
      },
      action);
  stages_.markVenueSent();
}

void GatewayMetrics::limitsRefused() {
  limits_refused_->Increment();
}

void GatewayMetrics::rememberSent(std::string_view venue_cl_ord_id, core::VenueId venue,
                                  VenueRequest request) {
  if (venue >= venues_.size()) return;
  const auto key = keyOf(venue_cl_ord_id);
  const std::size_t home = key & (kPendingSlots - 1);
  std::size_t slot = home;
  for (std::size_t i = 0; i < kProbe; ++i) {
    const std::size_t probe = (home + i) & (kPendingSlots - 1);
    if (pending_[probe].key == 0 || pending_[probe].key == key) {
      slot = probe;
      break;
    }
  }
  pending_[slot] = PendingAck{key, clock::steadyNanos(), venue, request};
}

void GatewayMetrics::answerArrived(std::string_view venue_cl_ord_id, std::int64_t now_ns) {
  const auto key = keyOf(venue_cl_ord_id);
  const std::size_t home = key & (kPendingSlots - 1);
  for (std::size_t i = 0; i < kProbe; ++i) {
    auto& entry = pending_[(home + i) & (kPendingSlots - 1)];
    if (entry.key != key) continue;
    ack_latency_[entry.venue][static_cast<std::size_t>(entry.request)].record(now_ns - entry.sent_ns);
    entry = PendingAck{};
    return;
  }
}

const LatencyHistogram& GatewayMetrics::ackLatency(core::VenueId venue, VenueRequest request) const {
  return ack_latency_.at(venue)[static_cast<std::size_t>(request)];
}

std::string GatewayMetrics::scrape(const GatewaySnapshot& s) const {
  std::vector<MetricFamily> families = registry_->Collect();

  auto stages = family("fixgate_order_stage_seconds",
                       "Time spent in each stage of the gateway's order path (steady clock, per message)",
                       MetricType::Histogram);
  for (std::size_t i = 0; i < kStageCount; ++i) {
    const auto stage = static_cast<Stage>(i);
    stages.metric.push_back(histogramMetric(stages_.of(stage), {{"stage", std::string(toString(stage))}}));
  }
  families.push_back(std::move(stages));

  auto acks = family("fixgate_venue_ack_latency_seconds",
                     "Time from a request handed to the venue's socket to the venue's first answer to it",
                     MetricType::Histogram);
  for (std::size_t v = 0; v < venues_.size(); ++v) {
    for (std::size_t r = 0; r < kVenueRequests; ++r) {
      acks.metric.push_back(histogramMetric(
          ack_latency_[v][r], {{"venue", venues_[v]}, {"request", std::string(kVenueRequestNames[r])}}));
    }
  }
  families.push_back(std::move(acks));

  auto open = family("fixgate_open_orders", "Orders not in a final state, by venue", MetricType::Gauge);
  for (std::size_t v = 0; v < s.venues.size() && v < s.open_orders.size(); ++v) {
    open.metric.push_back(gaugeMetric(static_cast<double>(s.open_orders[v]), {{"venue", s.venues[v].name}}));
  }
  families.push_back(std::move(open));
  auto queued = family("fixgate_venue_status_queries_queued",
                       "Status queries after a venue reconnect still waiting for the venue's "
                       "status_queries_per_second",
                       MetricType::Gauge);
  for (std::size_t v = 0; v < s.venues.size() && v < s.status_queries_queued.size(); ++v) {
    queued.metric.push_back(
        gaugeMetric(static_cast<double>(s.status_queries_queued[v]), {{"venue", s.venues[v].name}}));
  }
  families.push_back(std::move(queued));
  auto held = family("fixgate_orders_in_memory",
                     "Orders the core holds: the open ones and the final ones within "
                     "gateway.final_order_retention_s",
                     MetricType::Gauge);
  held.metric.push_back(gaugeMetric(static_cast<double>(s.orders_in_memory), {}));
  families.push_back(std::move(held));

  auto up = family("fixgate_fix_session_up", "1 when the FIX session is logged on, by session and role",
                   MetricType::Gauge);
  for (const auto& c : s.client_sessions)
    up.metric.push_back(gaugeMetric(c.logged_on, {{"session", c.name}, {"role", "client"}}));
  for (const auto& v : s.venues)
    up.metric.push_back(gaugeMetric(v.logged_on, {{"session", v.name}, {"role", "venue"}}));
  families.push_back(std::move(up));

  auto breakers =
      family("fixgate_venue_breaker_open", "1 while the venue's circuit breaker is open", MetricType::Gauge);
  for (std::size_t v = 0; v < s.venues.size() && v < s.venue_breaker_open.size(); ++v) {
    breakers.metric.push_back(gaugeMetric(s.venue_breaker_open[v], {{"venue", s.venues[v].name}}));
  }
  families.push_back(std::move(breakers));
  auto latched =
      family("fixgate_session_breaker_latched",
             "1 while the session's reject-rate or repeated-execution breaker is latched (reset with "
             "fixgate-admin reset-breaker)",
             MetricType::Gauge);
  for (std::size_t c = 0; c < s.client_sessions.size() && c < s.session_breaker_latched.size(); ++c) {
    latched.metric.push_back(
        gaugeMetric(s.session_breaker_latched[c], {{"session", s.client_sessions[c].name}}));
  }
  families.push_back(std::move(latched));

  // Global, every venue and every session always; accounts and symbols only while not Active.
  auto states = family("fixgate_trading_state", "Trading state by scope: 0 active, 1 reducing, 2 halted",
                       MetricType::Gauge);
  auto stateOf = [&](core::Scope scope, std::string_view key) {
    const auto* state = findScopeState(s, scope, key);
    return state == nullptr ? 0.0 : static_cast<double>(state->state);
  };
  states.metric.push_back(gaugeMetric(stateOf(core::Scope::Global, ""), {{"scope", "global"}, {"key", ""}}));
  for (const auto& v : s.venues)
    states.metric.push_back(
        gaugeMetric(stateOf(core::Scope::Venue, v.name), {{"scope", "venue"}, {"key", v.name}}));
  for (const auto& c : s.client_sessions) {
    states.metric.push_back(
        gaugeMetric(stateOf(core::Scope::Session, c.name), {{"scope", "session"}, {"key", c.name}}));
  }
  for (const auto& n : s.not_active) {
    if (n.scope == core::Scope::Account || n.scope == core::Scope::Symbol) {
      states.metric.push_back(gaugeMetric(static_cast<double>(n.state.state),
                                          {{"scope", std::string(core::toString(n.scope))}, {"key", n.key}}));
    }
  }
  families.push_back(std::move(states));

  auto single = [&](std::string name, std::string help, double value,
                    std::vector<ClientMetric::Label> labels = {}) {
    auto f = family(std::move(name), std::move(help), MetricType::Gauge);
    f.metric.push_back(gaugeMetric(value, std::move(labels)));
    families.push_back(std::move(f));
  };
  single("fixgate_limits_info", "The limits version in force (value 1)", 1, {{"version", s.limits_version}});
  single("fixgate_journal_last_seq", "Sequence number of the last journal record",
         static_cast<double>(s.journal_last_seq));
  single("fixgate_journal_healthy", "1 while the journal can be written (0: trading halted)",
         s.journal_healthy);
  single("fixgate_journal_bytes",
         "Size of the journal's segment files; it only grows (the journal is never deleted)",
         static_cast<double>(s.journal_bytes));
  if (s.data_dir_available_bytes) {
    single("fixgate_data_dir_available_bytes",
           "Free space on data_dir's filesystem: when it runs out the journal fails and trading halts",
           static_cast<double>(*s.data_dir_available_bytes));
  }
  single("fixgate_shipper_connected", "1 while the audit shipper is connected to PostgreSQL",
         s.shipper_connected);
  single("fixgate_shipper_shipped_seq", "Every journal record up to this seq is in PostgreSQL",
         static_cast<double>(s.shipped_seq));
  single("fixgate_shipper_lag_records", "Journal records not yet in PostgreSQL",
         s.audit_enabled && s.journal_last_seq > s.shipped_seq
             ? static_cast<double>(s.journal_last_seq - s.shipped_seq)
             : 0.0);
  single("fixgate_shipper_lag_seconds",
         "Age of the oldest journal record not yet in PostgreSQL (0: caught up)", s.shipper_lag_seconds);
  single("fixgate_ready", "1 when the gateway is ready to trade (see /health/ready)", assessHealth(s).ready);
  single("fixgate_build_info", "The gateway's version (value 1)", 1, {{"version", version_}});

  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace fixgate::ops
