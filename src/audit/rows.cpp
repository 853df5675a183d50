#include "audit/rows.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <type_traits>
#include <variant>

#include "audit/chain.h"
#include "core/actions.h"
#include "core/events.h"
#include "core/trading_states.h"
#include "records/codec.h"
#include "records/record_types.h"

namespace fixgate::audit {
namespace {

constexpr std::array<std::string_view, 6> kJournalColumns = {"trade_date",  "seq",     "ts_us",
                                                             "record_type", "summary", "hash"};
constexpr std::array<std::string_view, 8> kFixColumns = {"trade_date", "seq",         "ts_us",    "session",
                                                         "direction",  "msg_seq_num", "msg_type", "raw"};
constexpr std::array<std::string_view, 39> kOrderColumns = {"trade_date",
                                                            "seq",
                                                            "ts_us",
                                                            "event_type",
                                                            "session",
                                                            "account",
                                                            "client_id",
                                                            "investment_decision",
                                                            "execution_decision",
                                                            "trading_capacity",
                                                            "cl_ord_id",
                                                            "orig_cl_ord_id",
                                                            "order_id",
                                                            "venue",
                                                            "venue_cl_ord_id",
                                                            "venue_order_id",
                                                            "exec_id",
                                                            "symbol",
                                                            "isin",
                                                            "security_id",
                                                            "security_id_source",
                                                            "mic",
                                                            "side",
                                                            "ord_type",
                                                            "limit_price",
                                                            "stop_price",
                                                            "quantity",
                                                            "currency",
                                                            "time_in_force",
                                                            "expire",
                                                            "short_sell",
                                                            "ord_status",
                                                            "last_qty",
                                                            "last_px",
                                                            "cum_qty",
                                                            "leaves_qty",
                                                            "avg_px",
                                                            "reject_code",
                                                            "text"};
constexpr std::array<std::string_view, 13> kRiskColumns = {
    "trade_date", "seq",      "ts_us",       "session", "account",        "cl_ord_id",    "symbol",
    "request",    "decision", "reject_code", "text",    "limits_version", "arrival_price"};
constexpr std::array<std::string_view, 9> kConfigColumns = {
    "trade_date", "seq", "ts_us", "kind", "old_version", "new_version", "source", "applied_by", "content"};
constexpr std::array<std::string_view, 9> kStateColumns = {
    "trade_date", "seq", "ts_us", "scope", "scope_key", "from_state", "to_state", "changed_by", "reason"};

// order_events column indexes.
enum OE : std::size_t {
  kEventType = 3,
  kSession,
  kAccount,
  kClientId,
  kInvestmentDecision,
  kExecutionDecision,
  kTradingCapacity,
  kClOrdId,
  kOrigClOrdId,
  kOrderId,
  kVenue,
  kVenueClOrdId,
  kVenueOrderId,
  kExecId,
  kSymbol,
  kIsin,
  kSecurityId,
  kSecurityIdSource,
  kMic,
  kSide,
  kOrdType,
  kLimitPrice,
  kStopPrice,
  kQuantity,
  kCurrency,
  kTimeInForce,
  kExpire,
  kShortSell,
  kOrdStatus,
  kLastQty,
  kLastPx,
  kCumQty,
  kLeavesQty,
  kAvgPx,
  kRejectCode,
  kText,
  kOrderEventColumns,
};
static_assert(kOrderEventColumns == kOrderColumns.size());

bool isAsciiClean(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0 || u >= 0x80) return false;
  }
  return true;
}

// Length of the valid UTF-8 sequence starting at s[i] (PostgreSQL's rules), 0 when there is none.
std::size_t validSequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const std::size_t left = s.size() - i;
  const auto cont = [&](std::size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

Value text(std::string_view s) {
  if (s.empty()) return std::nullopt;
  return sanitizeText(s);
}

Value number(std::int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

Value price(const core::Price& p) {
  return core::formatPrice(p);
}
Value price(const std::optional<core::Price>& p) {
  return p ? Value(core::formatPrice(*p)) : std::nullopt;
}
Value boolean(bool b) {
  return std::string(b ? "t" : "f");
}

std::string_view sideText(core::Side s) {
  switch (s) {
    case core::Side::Buy:
      return "buy";
    case core::Side::Sell:
      return "sell";
    case core::Side::SellShort:
      return "sell-short";
  }
  return "?";
}

std::string_view sideShort(core::Side s) {
  switch (s) {
    case core::Side::Buy:
      return "BUY";
    case core::Side::Sell:
      return "SELL";
    case core::Side::SellShort:
      return "SELL-SHORT";
  }
  return "?";
}

std::string_view tifText(core::TimeInForce t) {
  switch (t) {
    case core::TimeInForce::Day:
      return "day";
    case core::TimeInForce::GoodTillCancel:
      return "gtc";
    case core::TimeInForce::ImmediateOrCancel:
      return "ioc";
    case core::TimeInForce::FillOrKill:
      return "fok";
    case core::TimeInForce::GoodTillDate:
      return "gtd";
  }
  return "?";
}

Value capacityText(core::TradingCapacity c) {
  switch (c) {
    case core::TradingCapacity::Unspecified:
      return std::nullopt;
    case core::TradingCapacity::Agency:
      return std::string("agency");
    case core::TradingCapacity::Principal:
      return std::string("principal");
    case core::TradingCapacity::RisklessPrincipal:
      return std::string("riskless-principal");
  }
  return std::nullopt;
}

std::string rejectCode(core::RejectCode code) {
  return fmt::format("FG{}", static_cast<int>(code));
}
Value rejectCode(const std::optional<core::RejectCode>& code) {
  return code ? Value(rejectCode(*code)) : std::nullopt;
}

std::string sessionName(const Names& names, core::SessionId id) {
  if (id < names.session_names.size()) return names.session_names[id];
  return fmt::format("session#{}", id);
}
std::string venueName(const Names& names, core::VenueId id) {
  if (id < names.venue_names.size()) return names.venue_names[id];
  return fmt::format("venue#{}", id);
}

std::string priceSuffix(const std::optional<core::Price>& p) {
  return p ? "@" + core::formatPrice(*p) : std::string();
}

constexpr std::array<std::string_view, 25> kEventNames = {"NewOrder",
                                                          "CancelOrder",
                                                          "ReplaceOrder",
                                                          "StatusRequest",
                                                          "MassCancel",
                                                          "ClientSessionUp",
                                                          "ClientSessionDown",
                                                          "VenueUp",
                                                          "VenueDown",
                                                          "VenueAccepted",
                                                          "VenueFill",
                                                          "VenueCanceled",
                                                          "VenueReplaced",
                                                          "VenueRejected",
                                                          "VenueCancelRejected",
                                                          "VenueExpired",
                                                          "SetTradingState",
                                                          "ResetSessionBreaker",
                                                          "ApplyLimits",
                                                          "BeginRun",
                                                          "VenueOrderStatus",
                                                          "Tick",
                                                          "StartTradingDay",
                                                          "ApplySettings",
                                                          "VenueNewOrderUnsent"};
static_assert(kEventNames.size() == std::variant_size_v<core::EventBody>);

constexpr std::array<std::string_view, 11> kActionNames = {
    "ExecReport",    "CancelReject", "MassCancelReport", "VenueNewOrder", "VenueCancel",     "VenueReplace",
    "OperatorAlert", "StateChange",  "LimitsApplied",    "RiskDecision",  "VenueStatusQuery"};
static_assert(kActionNames.size() == std::variant_size_v<core::Action>);

// Builds the rows of one record.
class Mapper {
 public:
  Mapper(const journal::RecordView& record, const Names& names) : record_(record), names_(names) {
    date_ = tradeDate(record.ts_us);
    rows_.journal[0] = date_;
    rows_.journal[1] = number(static_cast<std::int64_t>(record.seq));
    rows_.journal[2] = number(record.ts_us);
  }

  AuditRows finish(std::string record_type, std::string summary) {
    rows_.journal[3] = sanitizeText(record_type);
    rows_.journal[4] = text(summary);
    return std::move(rows_);
  }

  std::vector<Value>& typed(AuditTable table, std::size_t columns) {
    rows_.typed.emplace();
    rows_.typed->table = table;
    rows_.typed->values.resize(columns);
    auto& v = rows_.typed->values;
    v[0] = rows_.journal[0];
    v[1] = rows_.journal[1];
    v[2] = rows_.journal[2];
    return v;
  }

  std::vector<Value>& orderEvent(std::string_view event_type) {
    auto& v = typed(AuditTable::OrderEvents, kOrderEventColumns);
    v[kEventType] = std::string(event_type);
    return v;
  }

  void terms(std::vector<Value>& v, const core::OrderTerms& t) {
    v[kAccount] = text(t.account);
    v[kClientId] = text(t.parties.client.id);
    v[kInvestmentDecision] = text(t.parties.investment_decision.id);
    v[kExecutionDecision] = text(t.parties.execution_within_firm.id);
    v[kTradingCapacity] = capacityText(t.capacity);
    v[kSymbol] = text(t.symbol);
    if (t.security_id_source == '4') v[kIsin] = text(t.security_id);
    v[kSecurityId] = text(t.security_id);
    if (t.security_id_source != 0) v[kSecurityIdSource] = text(std::string_view(&t.security_id_source, 1));
    v[kMic] = text(t.security_exchange);
    configuredInstrumentIds(v, t.symbol);
    side(v, t.side);
    v[kOrdType] = std::string(core::toString(t.ord_type));
    v[kLimitPrice] = price(t.price);
    v[kStopPrice] = price(t.stop_price);
    v[kQuantity] = number(t.quantity);
    v[kCurrency] = text(t.currency);
    v[kTimeInForce] = std::string(tifText(t.time_in_force));
    v[kExpire] = text(t.expire);
  }

  // ISIN and MIC of instruments.yaml where the order named none of its own.
  void configuredInstrumentIds(std::vector<Value>& v, std::string_view symbol) const {
    const auto configured = names_.instruments.find(symbol);
    if (configured == names_.instruments.end()) return;
    if (!v[kIsin]) v[kIsin] = text(configured->second.isin);
    if (!v[kMic]) v[kMic] = text(configured->second.mic);
  }

  static void side(std::vector<Value>& v, core::Side s) {
    v[kSide] = std::string(sideText(s));
    v[kShortSell] = boolean(s == core::Side::SellShort);
  }

  std::expected<AuditRows, std::string> fixMessage() {
    auto message = records::decodeFixMessage(asView(record_.payload));
    if (!message) return std::unexpected(message.error());
    auto& v = typed(AuditTable::FixMessages, kFixColumns.size());
    v[3] = sanitizeText(message->session);
    v[4] = std::string(message->direction == records::Direction::In ? "in" : "out");
    const auto seq_num = tag(message->raw, "34");
    std::int32_t n = 0;
    if (seq_num && !seq_num->empty()) {
      const auto [end, ec] = std::from_chars(seq_num->data(), seq_num->data() + seq_num->size(), n);
      if (ec == std::errc{} && end == seq_num->data() + seq_num->size()) v[5] = number(n);
    }
    const auto msg_type = tag(message->raw, "35");
    v[6] = sanitizeText(msg_type.value_or(std::string_view()));
    v[7] = sanitizeText(message->raw);
    const bool in = message->direction == records::Direction::In;
    return finish("fix-message", fmt::format("{} {} 35={} 34={}", in ? "IN" : "OUT", message->session,
                                             msg_type.value_or("?"), v[5].value_or("?")));
  }

  std::expected<AuditRows, std::string> runStarted() {
    auto run = records::decodeRunStarted(asView(record_.payload));
    if (!run) return std::unexpected(run.error());
    return finish("run-started",
                  fmt::format("RunStarted instance {} pid {} config {} replayed {}", run->instance_id,
                              run->pid, run->config_file, run->replayed_records));
  }

  // Only its journal_records row: compliance finds logon attempts by record_type 'security-event'.
  std::expected<AuditRows, std::string> securityEvent() {
    auto event = records::decodeSecurityEvent(asView(record_.payload));
    if (!event) return std::unexpected(event.error());
    return finish("security-event",
                  fmt::format("{} {} session {} from {} user {}: {}", event->kind, event->outcome,
                              event->session, event->address.empty() ? "unknown" : event->address,
                              event->username.empty() ? "-" : event->username, event->detail));
  }

  // Only its journal_records row: compliance finds admin commands by record_type 'operator-command'.
  std::expected<AuditRows, std::string> operatorCommand() {
    auto command = records::decodeOperatorCommand(asView(record_.payload));
    if (!command) return std::unexpected(command.error());
    return finish("operator-command",
                  fmt::format("{} by {} (uid {} pid {}): {}: {}", command->command, command->operator_name,
                              command->peer_uid, command->peer_pid, command->outcome, command->reply));
  }

  std::expected<AuditRows, std::string> event() {
    auto event = records::decodeEvent(asView(record_.payload));
    if (!event) return std::unexpected(event.error());
    const std::string type = fmt::format("event:{}", kEventNames[event->body.index()]);
    std::string summary = std::visit([&](const auto& e) { return onEvent(e); }, event->body);
    auto rows = finish(type, std::move(summary));
    if (const auto* settings = std::get_if<core::ApplySettings>(&event->body)) {
      rows.instruments_from_here = settings->instruments;
    }
    return rows;
  }

  std::expected<AuditRows, std::string> action() {
    auto action = records::decodeAction(asView(record_.payload));
    if (!action) return std::unexpected(action.error());
    const std::string type = fmt::format("action:{}", kActionNames[action->index()]);
    std::string summary = std::visit([&](const auto& a) { return onAction(a); }, *action);
    return finish(type, std::move(summary));
  }

 private:
  static std::string_view asView(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

  // The value of the first `tag=` field of a SOH-delimited FIX message.
  static std::optional<std::string_view> tag(std::string_view raw, std::string_view number) {
    std::size_t pos = 0;
    while (pos < raw.size()) {
      auto end = raw.find('\x01', pos);
      if (end == std::string_view::npos) end = raw.size();
      const auto field = raw.substr(pos, end - pos);
      if (field.size() > number.size() && field.starts_with(number) && field[number.size()] == '=')
        return field.substr(number.size() + 1);
      pos = end + 1;
    }
    return std::nullopt;
  }

  std::string termsSummary(const core::OrderTerms& t) const {
    return fmt::format("{} {} {} {}{}", t.account, sideShort(t.side), t.quantity, t.symbol,
                       t.price ? " " + priceSuffix(t.price) : std::string());
  }

  // Events.
  std::string onEvent(const core::NewOrder& e) {
    auto& v = orderEvent("new");
    v[kSession] = sanitizeText(sessionName(names_, e.session));
    v[kClOrdId] = text(e.cl_ord_id);
    terms(v, e.terms);
    return fmt::format("NewOrder {} {} {}{}", sessionName(names_, e.session), e.cl_ord_id,
                       termsSummary(e.terms), markResent(v, e.poss_dup));
  }
  // A resend is answered with the order's status when fixgate already has its ClOrdID: the row says so, so
  // that a second request under one ClOrdID reads as what it is. Returns the summary's suffix.
  std::string_view markResent(std::vector<Value>& v, std::optional<bool> poss_dup) {
    if (!poss_dup.value_or(false)) return {};
    v[kText] = text("resent by the client (PossDupFlag=Y)");
    return " resent (PossDupFlag=Y)";
  }
  std::string onEvent(const core::ReplaceOrder& e) {
    auto& v = orderEvent("modify");
    v[kSession] = sanitizeText(sessionName(names_, e.session));
    v[kClOrdId] = text(e.cl_ord_id);
    v[kOrigClOrdId] = text(e.orig_cl_ord_id);
    terms(v, e.terms);
    return fmt::format("ReplaceOrder {} {} (was {}) {}{}", sessionName(names_, e.session), e.cl_ord_id,
                       e.orig_cl_ord_id, termsSummary(e.terms), markResent(v, e.poss_dup));
  }
  std::string onEvent(const core::CancelOrder& e) {
    auto& v = orderEvent("cancel");
    v[kSession] = sanitizeText(sessionName(names_, e.session));
    v[kClOrdId] = text(e.cl_ord_id);
    v[kOrigClOrdId] = text(e.orig_cl_ord_id);
    v[kSymbol] = text(e.symbol);
    side(v, e.side);
    return fmt::format("CancelOrder {} {} of {} {} {}{}", sessionName(names_, e.session), e.cl_ord_id,
                       e.orig_cl_ord_id, sideShort(e.side), e.symbol, markResent(v, e.poss_dup));
  }
  std::string onEvent(const core::StatusRequest& e) {
    auto& v = orderEvent("status");
    v[kSession] = sanitizeText(sessionName(names_, e.session));
    v[kClOrdId] = text(e.cl_ord_id);
    v[kOrderId] = text(e.order_id);
    v[kSymbol] = text(e.symbol);
    side(v, e.side);
    return fmt::format("StatusRequest {} {} {}", sessionName(names_, e.session), e.cl_ord_id, e.symbol);
  }
  std::string onEvent(const core::MassCancel& e) {
    auto& v = orderEvent("mass-cancel");
    v[kSession] = sanitizeText(sessionName(names_, e.session));
    v[kClOrdId] = text(e.cl_ord_id);
    v[kSymbol] = text(e.symbol);
    return fmt::format("MassCancel {} {} scope {} {}", sessionName(names_, e.session), e.cl_ord_id,
                       e.raw_scope, e.symbol);
  }
  std::string onEvent(const core::ClientSessionUp& e) {
    return fmt::format("ClientSessionUp {}", sessionName(names_, e.session));
  }
  std::string onEvent(const core::ClientSessionDown& e) {
    return fmt::format("ClientSessionDown {}", sessionName(names_, e.session));
  }
  std::string onEvent(const core::VenueUp& e) {
    return fmt::format("VenueUp {}", venueName(names_, e.venue));
  }
  std::string onEvent(const core::VenueDown& e) {
    return fmt::format("VenueDown {}", venueName(names_, e.venue));
  }
  std::vector<Value>& venueEvent(std::string_view type, core::VenueId venue,
                                 const std::string& venue_cl_ord_id) {
    auto& v = orderEvent(type);
    v[kVenue] = sanitizeText(venueName(names_, venue));
    v[kVenueClOrdId] = text(venue_cl_ord_id);
    return v;
  }
  std::string onEvent(const core::VenueAccepted& e) {
    auto& v = venueEvent("venue-accepted", e.venue, e.venue_cl_ord_id);
    v[kVenueOrderId] = text(e.venue_order_id);
    return fmt::format("VenueAccepted {} {} {}", venueName(names_, e.venue), e.venue_cl_ord_id,
                       e.venue_order_id);
  }
  std::string onEvent(const core::VenueFill& e) {
    auto& v = venueEvent("venue-fill", e.venue, e.venue_cl_ord_id);
    v[kVenueOrderId] = text(e.venue_order_id);
    v[kExecId] = text(e.venue_exec_id);
    v[kLastQty] = number(e.last_qty);
    v[kLastPx] = price(e.last_px);
    return fmt::format("VenueFill {} {} {} @{}", venueName(names_, e.venue), e.venue_cl_ord_id, e.last_qty,
                       core::formatPrice(e.last_px));
  }
  std::string onEvent(const core::VenueCanceled& e) {
    auto& v = venueEvent("venue-canceled", e.venue, e.venue_cl_ord_id);
    v[kText] = text(e.text);
    return fmt::format("VenueCanceled {} {}", venueName(names_, e.venue), e.venue_cl_ord_id);
  }
  std::string onEvent(const core::VenueReplaced& e) {
    auto& v = venueEvent("venue-replaced", e.venue, e.venue_cl_ord_id);
    v[kVenueOrderId] = text(e.venue_order_id);
    return fmt::format("VenueReplaced {} {}", venueName(names_, e.venue), e.venue_cl_ord_id);
  }
  std::string onEvent(const core::VenueRejected& e) {
    auto& v = venueEvent("venue-rejected", e.venue, e.venue_cl_ord_id);
    v[kText] = text(e.text);
    return fmt::format("VenueRejected {} {} {}", venueName(names_, e.venue), e.venue_cl_ord_id, e.text);
  }
  std::string onEvent(const core::VenueNewOrderUnsent& e) {
    // Nothing reached the venue: no order_events row of its own; the client's report that follows has one.
    return fmt::format("VenueNewOrderUnsent {} {}: the venue session was down, the order was not sent",
                       venueName(names_, e.venue), e.venue_cl_ord_id);
  }
  std::string onEvent(const core::VenueCancelRejected& e) {
    auto& v = venueEvent("venue-cancel-rejected", e.venue, e.venue_cl_ord_id);
    v[kText] = text(e.text);
    return fmt::format("VenueCancelRejected {} {} {}", venueName(names_, e.venue), e.venue_cl_ord_id, e.text);
  }
  std::string onEvent(const core::VenueExpired& e) {
    venueEvent("venue-expired", e.venue, e.venue_cl_ord_id);
    return fmt::format("VenueExpired {} {}", venueName(names_, e.venue), e.venue_cl_ord_id);
  }
  std::string onEvent(const core::SetTradingState& e) {
    return fmt::format("SetTradingState {} {} -> {}{} by {}: {}", core::toString(e.scope), e.key,
                       core::toString(e.state), e.cancel_open_orders ? " (cancel open orders)" : "", e.by,
                       e.reason);
  }
  std::string onEvent(const core::ResetSessionBreaker& e) {
    return fmt::format("ResetSessionBreaker {} by {}", e.session, e.by);
  }
  std::string onEvent(const core::ApplyLimits& e) {
    return fmt::format("ApplyLimits {} from {} by {}", e.limits ? e.limits->version : std::string("?"),
                       e.limits ? e.limits->source : std::string("?"), e.by);
  }

  std::string onEvent(const core::BeginRun& e) { return fmt::format("BeginRun id prefix {}", e.id_prefix); }
  std::string onEvent(const core::VenueOrderStatus& e) {
    auto& v = venueEvent("venue-status", e.venue, e.venue_cl_ord_id);
    v[kVenueOrderId] = text(e.venue_order_id);
    if (e.known) {
      v[kOrdStatus] = std::string(core::toString(e.status));
      v[kCumQty] = number(e.cum_qty);
      v[kAvgPx] = price(e.avg_px);
    }
    v[kText] = text(e.text);
    return e.known ? fmt::format("VenueOrderStatus {} {} {} cum {}", venueName(names_, e.venue),
                                 e.venue_cl_ord_id, core::toString(e.status), e.cum_qty)
                   : fmt::format("VenueOrderStatus {} {} unknown order", venueName(names_, e.venue),
                                 e.venue_cl_ord_id);
  }
  std::string onEvent(const core::Tick& e) { return fmt::format("Tick deadline {}", e.due); }
  std::string onEvent(const core::StartTradingDay& e) {
    return fmt::format("StartTradingDay {}", e.trade_date);
  }
  std::string onEvent(const core::ApplySettings& e) {
    // In gateway.yaml's own key names and units, for whoever compares it with the file.
    std::string text =
        fmt::format("ApplySettings final_order_retention_s {}", e.final_order_retention_us / 1'000'000);
    for (const auto& v : e.venues) {
      const auto& t = v.ack_timeouts;
      text += fmt::format(
          "; venue {}: ack_timeout_new_ms {}, ack_timeout_cancel_ms {}, ack_timeout_replace_ms {}, "
          "cancel_unacknowledged_new {}, replay_unreceived_new {}, hold_while_disconnected_ms {}",
          v.venue, t.new_order_us / 1000, t.cancel_us / 1000, t.replace_us / 1000,
          t.cancel_unacknowledged_new, t.replay_unreceived_new, t.hold_while_disconnected_us / 1000);
    }
    for (const auto& session : e.sessions) {
      text +=
          fmt::format("; session {}: cancel_on_disconnect {}", session.session, session.cancel_on_disconnect);
    }
    text += fmt::format("; {} instruments; routing:", e.instruments.size());
    for (const auto& route : e.routes) {
      const std::string_view key = route.match == core::RouteMatch::Symbol             ? "symbol"
                                   : route.match == core::RouteMatch::SecurityExchange ? "security_exchange"
                                                                                       : "account";
      text += fmt::format(" {} {} to {},", key, route.value, route.venue);
    }
    text += fmt::format(" default {}", e.default_venue.value_or("none"));
    if (e.status_pacing) {
      text += "; status_queries_per_second:";
      for (const auto& pacing : *e.status_pacing) {
        text += fmt::format(" {} {},", pacing.venue, pacing.queries_per_second);
      }
      text.pop_back();
    }
    return text;
  }

  // Actions.
  static std::string_view execEventType(const core::ExecReport& a) {
    switch (a.kind) {
      case core::ExecKind::New:
        return "accepted";
      case core::ExecKind::Trade:
        return a.status == core::OrdStatus::Filled ? "fill" : "partial-fill";
      case core::ExecKind::Canceled:
        return "canceled";
      case core::ExecKind::Replaced:
        return "replaced";
      case core::ExecKind::PendingCancel:
        return "pending-cancel";
      case core::ExecKind::PendingReplace:
        return "pending-replace";
      case core::ExecKind::Rejected:
        return "rejected";
      case core::ExecKind::Expired:
        return "expired";
      case core::ExecKind::DoneForDay:
        return "done-for-day";
      case core::ExecKind::Status:
        return "status-answered";
    }
    return "?";
  }
  std::string onAction(const core::ExecReport& a) {
    const auto type = execEventType(a);
    auto& v = orderEvent(type);
    v[kSession] = sanitizeText(sessionName(names_, a.session));
    v[kAccount] = text(a.account);
    v[kClOrdId] = text(a.cl_ord_id);
    v[kOrigClOrdId] = text(a.orig_cl_ord_id);
    v[kOrderId] = text(a.order_id);
    v[kExecId] = text(a.exec_id);
    v[kSymbol] = text(a.symbol);
    configuredInstrumentIds(v, a.symbol);
    side(v, a.side);
    v[kOrdType] = std::string(core::toString(a.ord_type));
    v[kLimitPrice] = price(a.price);
    v[kStopPrice] = price(a.stop_price);
    v[kQuantity] = number(a.order_qty);
    v[kTimeInForce] = std::string(tifText(a.time_in_force));
    v[kOrdStatus] = std::string(core::toString(a.status));
    if (a.kind == core::ExecKind::Trade) {
      v[kLastQty] = number(a.last_qty);
      v[kLastPx] = price(a.last_px);
    }
    v[kCumQty] = number(a.cum_qty);
    v[kLeavesQty] = number(a.leaves_qty);
    v[kAvgPx] = price(a.avg_px);
    v[kRejectCode] = rejectCode(a.reject);
    v[kText] = text(a.text);
    if (a.kind == core::ExecKind::Trade) {
      return fmt::format("ExecReport {} {} {} {} {} {} @{} cum {} leaves {}", type,
                         sessionName(names_, a.session), a.cl_ord_id, sideShort(a.side), a.last_qty, a.symbol,
                         core::formatPrice(a.last_px), a.cum_qty, a.leaves_qty);
    }
    return fmt::format("ExecReport {} {} {} {} {} {} {}{}{}", type, sessionName(names_, a.session),
                       a.cl_ord_id, sideShort(a.side), a.order_qty, a.symbol, core::toString(a.status),
                       a.reject ? " " + rejectCode(*a.reject) : std::string(),
                       a.text.empty() ? "" : " " + a.text);
  }
  std::string onAction(const core::CancelReject& a) {
    auto& v = orderEvent("cancel-rejected");
    v[kSession] = sanitizeText(sessionName(names_, a.session));
    v[kClOrdId] = text(a.cl_ord_id);
    v[kOrigClOrdId] = text(a.orig_cl_ord_id);
    v[kOrderId] = text(a.order_id);
    v[kOrdStatus] = std::string(core::toString(a.status));
    v[kRejectCode] = rejectCode(a.reject);
    v[kText] = text(a.text);
    return fmt::format("CancelReject {} {} {} of {} {}", a.for_replace ? "replace" : "cancel",
                       sessionName(names_, a.session), a.cl_ord_id, a.orig_cl_ord_id, rejectCode(a.reject));
  }
  std::string onAction(const core::MassCancelReport& a) {
    auto& v = orderEvent("mass-cancel-done");
    v[kSession] = sanitizeText(sessionName(names_, a.session));
    v[kClOrdId] = text(a.cl_ord_id);
    v[kOrderId] = text(a.order_id);
    v[kSymbol] = text(a.symbol);
    v[kRejectCode] = rejectCode(a.reject);
    v[kText] = text(a.text);
    return fmt::format("MassCancelReport {} {} scope {} affected {}{}", sessionName(names_, a.session),
                       a.cl_ord_id, a.raw_scope, a.affected_orders,
                       a.reject ? " " + rejectCode(*a.reject) : std::string());
  }
  std::string onAction(const core::VenueNewOrder& a) {
    auto& v = venueEvent("routed", a.venue, a.venue_cl_ord_id);
    v[kOrderId] = text(a.order_id);
    terms(v, a.terms);
    const bool replay = a.replay.value_or(false);
    if (replay) {
      v[kText] = text("sent again with PossResend=Y: the venue's status answer showed it never received it");
    }
    return fmt::format("VenueNewOrder {} {} order {} {}{}", venueName(names_, a.venue), a.venue_cl_ord_id,
                       a.order_id, termsSummary(a.terms), replay ? " (replay, PossResend=Y)" : "");
  }
  // orig_cl_ord_id of a venue request holds the venue-side id it refers to (orig_venue_cl_ord_id).
  std::string onAction(const core::VenueCancel& a) {
    auto& v = venueEvent("venue-cancel", a.venue, a.venue_cl_ord_id);
    v[kOrigClOrdId] = text(a.orig_venue_cl_ord_id);
    v[kVenueOrderId] = text(a.venue_order_id);
    v[kOrderId] = text(a.order_id);
    v[kSymbol] = text(a.symbol);
    side(v, a.side);
    v[kQuantity] = number(a.order_qty);
    return fmt::format("VenueCancel {} {} of {} order {}", venueName(names_, a.venue), a.venue_cl_ord_id,
                       a.orig_venue_cl_ord_id, a.order_id);
  }
  std::string onAction(const core::VenueReplace& a) {
    auto& v = venueEvent("venue-replace", a.venue, a.venue_cl_ord_id);
    terms(v, a.terms);
    v[kOrigClOrdId] = text(a.orig_venue_cl_ord_id);
    v[kVenueOrderId] = text(a.venue_order_id);
    v[kOrderId] = text(a.order_id);
    return fmt::format("VenueReplace {} {} of {} order {} {}", venueName(names_, a.venue), a.venue_cl_ord_id,
                       a.orig_venue_cl_ord_id, a.order_id, termsSummary(a.terms));
  }
  std::string onAction(const core::VenueStatusQuery& a) {
    auto& v = venueEvent("venue-status-query", a.venue, a.venue_cl_ord_id);
    v[kVenueOrderId] = text(a.venue_order_id);
    v[kOrderId] = text(a.order_id);
    v[kSymbol] = text(a.symbol);
    side(v, a.side);
    return fmt::format("VenueStatusQuery {} {} order {}", venueName(names_, a.venue), a.venue_cl_ord_id,
                       a.order_id);
  }
  std::string onAction(const core::OperatorAlert& a) {
    return fmt::format("OperatorAlert {}: {}", a.code, a.text);
  }
  std::string onAction(const core::StateChange& a) {
    auto& v = typed(AuditTable::TradingStateChanges, kStateColumns.size());
    v[3] = std::string(core::toString(a.scope));
    v[4] = text(a.key);
    v[5] = std::string(core::toString(a.from));
    v[6] = std::string(core::toString(a.to));
    v[7] = text(a.by);
    v[8] = text(a.reason);
    return fmt::format("StateChange {} {} {} -> {} by {}: {}", core::toString(a.scope), a.key,
                       core::toString(a.from), core::toString(a.to), a.by, a.reason);
  }
  std::string onAction(const core::LimitsApplied& a) {
    auto& v = typed(AuditTable::ConfigVersions, kConfigColumns.size());
    v[3] = std::string("limits");
    v[4] = text(a.old_version);
    v[5] = text(a.new_version);
    v[6] = text(a.source);
    v[7] = text(a.by);
    if (a.content) v[8] = text(*a.content);
    return fmt::format("LimitsApplied {} -> {} from {} by {}", a.old_version.empty() ? "-" : a.old_version,
                       a.new_version, a.source, a.by);
  }
  std::string onAction(const core::RiskDecision& a) {
    auto& v = typed(AuditTable::RiskDecisions, kRiskColumns.size());
    v[3] = sanitizeText(sessionName(names_, a.session));
    v[4] = text(a.account);
    v[5] = text(a.cl_ord_id);
    v[6] = text(a.symbol);
    v[7] = std::string(a.replace ? "replace" : "new");
    v[8] = std::string(a.reject ? "rejected" : "accepted");
    v[9] = rejectCode(a.reject);
    v[10] = text(a.text);
    if (a.limits_version) v[11] = text(*a.limits_version);
    v[12] = price(a.arrival_price);
    return fmt::format("RiskDecision {} {} {} {} {}{}", a.replace ? "replace" : "new",
                       sessionName(names_, a.session), a.cl_ord_id, a.reject ? "rejected" : "accepted",
                       a.reject ? rejectCode(*a.reject) : std::string(), a.text.empty() ? "" : " " + a.text);
  }

  const journal::RecordView& record_;
  const Names& names_;
  std::string date_;
  AuditRows rows_;
};

}  // namespace

std::string_view tableName(AuditTable table) {
  switch (table) {
    case AuditTable::JournalRecords:
      return "journal_records";
    case AuditTable::FixMessages:
      return "fix_messages";
    case AuditTable::OrderEvents:
      return "order_events";
    case AuditTable::RiskDecisions:
      return "risk_decisions";
    case AuditTable::ConfigVersions:
      return "config_versions";
    case AuditTable::TradingStateChanges:
      return "trading_state_changes";
  }
  return "?";
}

std::span<const std::string_view> columnNames(AuditTable table) {
  switch (table) {
    case AuditTable::JournalRecords:
      return kJournalColumns;
    case AuditTable::FixMessages:
      return kFixColumns;
    case AuditTable::OrderEvents:
      return kOrderColumns;
    case AuditTable::RiskDecisions:
      return kRiskColumns;
    case AuditTable::ConfigVersions:
      return kConfigColumns;
    case AuditTable::TradingStateChanges:
      return kStateColumns;
  }
  return {};
}

Names Names::from(const core::ReferenceData& refdata) {
  return Names{refdata.session_names, refdata.venue_names, refdata.instruments};
}

std::expected<AuditRows, std::string> toAuditRows(const journal::RecordView& record, const Names& names) {
  Mapper mapper(record, names);
  switch (static_cast<records::RecordType>(record.type)) {
    case records::RecordType::RunStarted:
      return mapper.runStarted();
    case records::RecordType::Event:
      return mapper.event();
    case records::RecordType::Action:
      return mapper.action();
    case records::RecordType::FixMessage:
      return mapper.fixMessage();
    case records::RecordType::SecurityEvent:
      return mapper.securityEvent();
    case records::RecordType::OperatorCommand:
      return mapper.operatorCommand();
  }
  return std::unexpected(fmt::format("record {}: unknown record type {}", record.seq, record.type));
}

AuditRows undecodableRows(const journal::RecordView& record, std::string_view error) {
  AuditRows rows;
  rows.journal[0] = tradeDate(record.ts_us);
  rows.journal[1] = number(static_cast<std::int64_t>(record.seq));
  rows.journal[2] = number(record.ts_us);
  const auto type = records::toString(static_cast<records::RecordType>(record.type));
  rows.journal[3] = type == "unknown" ? fmt::format("unknown:{}:undecodable", record.type)
                                      : fmt::format("{}:undecodable", type);
  rows.journal[4] = sanitizeText(error.empty() ? std::string_view("undecodable") : error);
  return rows;
}

static_assert(kRiskColumns.size() == kRiskDecisionColumns, "chain.h must know risk_decisions' columns");

void appendCanonical(std::string& out, const AuditRows& rows) {
  appendCanonicalLine(out, rows.journal);
  if (rows.typed) {
    const auto table = tableName(rows.typed->table);
    out += table;
    out += '\t';
    appendCanonicalLine(out, chainedValues(table, rows.typed->values));
  }
}

std::string sanitizeText(std::string_view s) {
  if (isAsciiClean(s)) return std::string(s);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + 8);
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = validSequence(s, i);
    if (n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      const auto c = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    }
  }
  return out;
}

std::string tradeDate(std::int64_t ts_us) {
  constexpr std::int64_t kDay = 86'400'000'000;
  std::int64_t days = ts_us / kDay;
  if (ts_us % kDay < 0) --days;
  // civil_from_days (H. Hinnant).
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  if (y < 0 || y > 9999) return fmt::format("{:04}-{:02}-{:02}", y, m, d);
  // Every journal record needs its date: by hand, a fifth of the cost of fmt here.
  std::string date = "0000-00-00";
  const auto year = static_cast<unsigned>(y);
  date[0] = static_cast<char>('0' + year / 1000);
  date[1] = static_cast<char>('0' + year / 100 % 10);
  date[2] = static_cast<char>('0' + year / 10 % 10);
  date[3] = static_cast<char>('0' + year % 10);
  date[5] = static_cast<char>('0' + m / 10);
  date[6] = static_cast<char>('0' + m % 10);
  date[8] = static_cast<char>('0' + d / 10);
  date[9] = static_cast<char>('0' + d % 10);
  return date;
}

void appendCopyValue(std::string& out, const Value& value) {
  if (!value) {
    out += "\\N";
    return;
  }
  const std::string& s = *value;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char* escaped = nullptr;
    switch (c) {
      case '\\':
        escaped = "\\\\";
        break;
      case '\t':
        escaped = "\\t";
        break;
      case '\n':
        escaped = "\\n";
        break;
      case '\r':
        escaped = "\\r";
        break;
      default:
        continue;
    }
    out.append(s, start, i - start);
    out += escaped;
    start = i + 1;
  }
  out.append(s, start, std::string::npos);
}

void appendCopyLine(std::string& out, std::span<const Value> values) {
  bool first = true;
  for (const auto& value : values) {
    if (!first) out += '\t';
    first = false;
    appendCopyValue(out, value);
  }
  out += '\n';
}

}  // namespace fixgate::audit
