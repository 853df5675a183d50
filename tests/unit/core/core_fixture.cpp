#include "core_fixture.h"

#include <fmt/format.h>

#include <ostream>
#include <utility>

namespace fixgate::core::testing {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

std::string optPrice(const std::optional<Price>& p) {
  return p ? formatPrice(*p) : "-";
}
std::string optReject(const std::optional<RejectCode>& r) {
  return r ? fmt::format("FG{}", static_cast<int>(*r)) : "-";
}
std::string_view kindName(ExecKind k) {
  switch (k) {
    case ExecKind::New:
      return "New";
    case ExecKind::Trade:
      return "Trade";
    case ExecKind::Canceled:
      return "Canceled";
    case ExecKind::Replaced:
      return "Replaced";
    case ExecKind::PendingCancel:
      return "PendingCancel";
    case ExecKind::PendingReplace:
      return "PendingReplace";
    case ExecKind::Rejected:
      return "Rejected";
    case ExecKind::Expired:
      return "Expired";
    case ExecKind::DoneForDay:
      return "DoneForDay";
    case ExecKind::Status:
      return "Status";
  }
  return "?";
}
std::string termsLine(const OrderTerms& t) {
  return fmt::format(
      "acct={} sym={} secid={} idsrc={} mic={} exdest={} ccy={} side={} type={} tif={} qty={} px={} stop={} "
      "expire={} cap={} client={}/{}/{} idm={}/{}/{} exec={}/{}/{}",
      t.account, t.symbol, t.security_id, static_cast<int>(t.security_id_source), t.security_exchange,
      t.ex_destination, t.currency, toString(t.side), toString(t.ord_type), static_cast<int>(t.time_in_force),
      t.quantity, optPrice(t.price), optPrice(t.stop_price), t.expire, static_cast<int>(t.capacity),
      t.parties.client.id, static_cast<int>(t.parties.client.source), t.parties.client.qualifier,
      t.parties.investment_decision.id, static_cast<int>(t.parties.investment_decision.source),
      t.parties.investment_decision.qualifier, t.parties.execution_within_firm.id,
      static_cast<int>(t.parties.execution_within_firm.source), t.parties.execution_within_firm.qualifier);
}

}  // namespace

ReferenceData standardReferenceData() {
  ReferenceData r;
  r.session_names = {"ALPHA", "BETA"};
  r.venue_names = {"XPAR", "XAMS"};
  r.instruments.emplace("AIR", Instrument{"AIR", "NL0000235190", "XPAR", "EUR", Price{1'000'000}});
  r.instruments.emplace("SAN", Instrument{"SAN", "FR0000120578", "XPAR", "EUR", Price{1'000'000}});
  r.instruments.emplace("MT", Instrument{"MT", "LU1598757687", "XPAR", "EUR", Price{500'000}});
  r.instruments.emplace("ASML", Instrument{"ASML", "NL0010273215", "XAMS", "EUR", Price{1'000'000}});
  r.instruments.emplace("INGA", Instrument{"INGA", "NL0011821202", "XAMS", "EUR", Price{100'000}});
  r.routing.rules = {
      RoutingRule{RouteMatch::Symbol, "AIR", kXpar},
      RoutingRule{RouteMatch::Symbol, "ASML", kXams},
      RoutingRule{RouteMatch::Symbol, "ASML", kXpar},  // never reached: the rule above matches first
      RoutingRule{RouteMatch::SecurityExchange, "XAMS", kXams},
      RoutingRule{RouteMatch::Account, "AMSACCT", kXams},
  };
  r.routing.default_venue = kXpar;
  return r;
}

Price px(std::string_view text) {
  const auto p = parsePrice(text);
  EXPECT_TRUE(p.has_value()) << "bad price literal in test: " << text;
  return p.value_or(Price{});
}

OrderTerms limit(std::string symbol, Qty qty, std::string_view price, Side side) {
  OrderTerms t;
  t.account = "ACC1";
  t.symbol = std::move(symbol);
  t.currency = "EUR";
  t.side = side;
  t.ord_type = OrdType::Limit;
  t.time_in_force = TimeInForce::Day;
  t.quantity = qty;
  t.price = px(price);
  t.capacity = TradingCapacity::Agency;
  return t;
}

OrderTerms market(std::string symbol, Qty qty, Side side) {
  OrderTerms t = limit(std::move(symbol), qty, "1", side);
  t.ord_type = OrdType::Market;
  t.price.reset();
  return t;
}

NewOrder newOrder(SessionId session, std::string cl_ord_id, OrderTerms terms) {
  return NewOrder{session, std::move(cl_ord_id), std::move(terms)};
}

CancelOrder cancelOrder(SessionId session, std::string cl_ord_id, std::string orig_cl_ord_id,
                        std::string symbol, Side side) {
  return CancelOrder{session, std::move(cl_ord_id), std::move(orig_cl_ord_id), std::move(symbol), side};
}

ReplaceOrder replaceOrder(SessionId session, std::string cl_ord_id, std::string orig_cl_ord_id,
                          OrderTerms terms) {
  return ReplaceOrder{session, std::move(cl_ord_id), std::move(orig_cl_ord_id), std::move(terms)};
}

StatusRequest statusRequest(SessionId session, std::string cl_ord_id, std::string symbol) {
  return StatusRequest{session, std::move(cl_ord_id), "", std::move(symbol), Side::Buy};
}

MassCancel massCancel(SessionId session, std::string cl_ord_id, MassCancelScope scope, std::string symbol) {
  const char raw = scope == MassCancelScope::BySymbol ? '1' : scope == MassCancelScope::AllOrders ? '7' : '5';
  return MassCancel{session, std::move(cl_ord_id), scope, raw, std::move(symbol)};
}

VenueAccepted venueAck(VenueId venue, std::string venue_cl_ord_id, std::string venue_order_id) {
  return VenueAccepted{venue, std::move(venue_cl_ord_id), std::move(venue_order_id)};
}

VenueFill venueFill(VenueId venue, std::string venue_cl_ord_id, Qty qty, std::string_view price,
                    std::string exec_id) {
  static int fresh_exec_ids = 0;
  if (exec_id.empty()) exec_id = fmt::format("VX-{}", ++fresh_exec_ids);
  return VenueFill{venue, std::move(venue_cl_ord_id), "", std::move(exec_id), qty, px(price)};
}

VenueCanceled venueCanceled(VenueId venue, std::string venue_cl_ord_id, std::string text) {
  return VenueCanceled{venue, std::move(venue_cl_ord_id), std::move(text)};
}

VenueReplaced venueReplaced(VenueId venue, std::string venue_cl_ord_id, std::string venue_order_id) {
  return VenueReplaced{venue, std::move(venue_cl_ord_id), std::move(venue_order_id)};
}

VenueRejected venueRejected(VenueId venue, std::string venue_cl_ord_id, std::string text) {
  return VenueRejected{venue, std::move(venue_cl_ord_id), std::move(text)};
}

VenueCancelRejected venueCancelRejected(VenueId venue, std::string venue_cl_ord_id, std::string text) {
  return VenueCancelRejected{venue, std::move(venue_cl_ord_id), std::move(text)};
}

VenueExpired venueExpired(VenueId venue, std::string venue_cl_ord_id) {
  return VenueExpired{venue, std::move(venue_cl_ord_id)};
}

std::string describeFully(const Action& action) {
  return std::visit(
      Overloaded{
          [](const ExecReport& r) {
            return fmt::format(
                "ExecReport s={} kind={} status={} oid={} eid={} cl={} orig={} acct={} sym={} side={} "
                "type={} "
                "tif={} qty={} px={} stop={} last={}@{} leaves={} cum={} avg={} rej={} text={} t={}",
                r.session, kindName(r.kind), toString(r.status), r.order_id, r.exec_id, r.cl_ord_id,
                r.orig_cl_ord_id, r.account, r.symbol, toString(r.side), toString(r.ord_type),
                static_cast<int>(r.time_in_force), r.order_qty, optPrice(r.price), optPrice(r.stop_price),
                r.last_qty, formatPrice(r.last_px), r.leaves_qty, r.cum_qty, formatPrice(r.avg_px),
                optReject(r.reject), r.text, r.transact_time);
          },
          [](const CancelReject& r) {
            return fmt::format(
                "CancelReject s={} for_replace={} cl={} orig={} oid={} status={} rej=FG{} text={} t={}",
                r.session, r.for_replace, r.cl_ord_id, r.orig_cl_ord_id, r.order_id, toString(r.status),
                static_cast<int>(r.reject), r.text, r.transact_time);
          },
          [](const MassCancelReport& r) {
            return fmt::format(
                "MassCancelReport s={} cl={} oid={} scope={} sym={} affected={} rej={} text={} t={}",
                r.session, r.cl_ord_id, r.order_id, r.raw_scope, r.symbol, r.affected_orders,
                optReject(r.reject), r.text, r.transact_time);
          },
          [](const VenueNewOrder& v) {
            return fmt::format("VenueNewOrder v={} id={} {} t={}{}", v.venue, v.venue_cl_ord_id,
                               termsLine(v.terms), v.transact_time,
                               v.replay.value_or(false) ? " replay" : "");
          },
          [](const VenueCancel& v) {
            return fmt::format("VenueCancel v={} id={} orig={} voi={} sym={} side={} qty={} t={}", v.venue,
                               v.venue_cl_ord_id, v.orig_venue_cl_ord_id, v.venue_order_id, v.symbol,
                               toString(v.side), v.order_qty, v.transact_time);
          },
          [](const VenueReplace& v) {
            return fmt::format("VenueReplace v={} id={} orig={} voi={} {} t={}", v.venue, v.venue_cl_ord_id,
                               v.orig_venue_cl_ord_id, v.venue_order_id, termsLine(v.terms), v.transact_time);
          },
          [](const OperatorAlert& a) { return fmt::format("OperatorAlert code={} text={}", a.code, a.text); },
          [](const StateChange& c) {
            return fmt::format("StateChange scope={} key={} from={} to={} by={} reason={} at={}",
                               toString(c.scope), c.key, toString(c.from), toString(c.to), c.by, c.reason,
                               c.at);
          },
          [](const LimitsApplied& l) {
            return fmt::format("LimitsApplied old={} new={} by={} at={}", l.old_version, l.new_version, l.by,
                               l.at);
          },
          [](const RiskDecision& d) {
            return fmt::format(
                "RiskDecision s={} replace={} id={} acct={} sym={} reject={} text={} limits={} at={}",
                d.session, d.replace, d.cl_ord_id, d.account, d.symbol,
                d.reject ? static_cast<int>(*d.reject) : 0, d.text,
                d.limits_version ? *d.limits_version : "-", d.at);
          },
          [](const VenueStatusQuery& q) {
            return fmt::format("VenueStatusQuery v={} id={} voi={} sym={} side={} t={} order={}", q.venue,
                               q.venue_cl_ord_id, q.venue_order_id, q.symbol, toString(q.side),
                               q.transact_time, q.order_id);
          },
      },
      action);
}

std::string describe(const Action& action) {
  return std::visit(
      Overloaded{
          [](const ExecReport& r) {
            return fmt::format(
                "ExecReport s={} {}/{} cl={} orig={} qty={} px={} last={}@{} cum={} leaves={} avg={}{}",
                r.session, kindName(r.kind), toString(r.status), r.cl_ord_id, r.orig_cl_ord_id, r.order_qty,
                optPrice(r.price), r.last_qty, formatPrice(r.last_px), r.cum_qty, r.leaves_qty,
                formatPrice(r.avg_px), r.reject ? " " + optReject(r.reject) : "");
          },
          [](const CancelReject& r) {
            return fmt::format("CancelReject s={} {} cl={} orig={} status={} FG{}", r.session,
                               r.for_replace ? "replace" : "cancel", r.cl_ord_id, r.orig_cl_ord_id,
                               toString(r.status), static_cast<int>(r.reject));
          },
          [](const MassCancelReport& r) {
            return fmt::format("MassCancelReport s={} cl={} affected={} rej={}", r.session, r.cl_ord_id,
                               r.affected_orders, optReject(r.reject));
          },
          [](const VenueNewOrder& v) {
            return fmt::format("VenueNewOrder v={} id={} sym={} side={} qty={} px={}{}", v.venue,
                               v.venue_cl_ord_id, v.terms.symbol, toString(v.terms.side), v.terms.quantity,
                               optPrice(v.terms.price), v.replay.value_or(false) ? " replay" : "");
          },
          [](const VenueCancel& v) {
            return fmt::format("VenueCancel v={} id={} orig={} sym={} qty={}", v.venue, v.venue_cl_ord_id,
                               v.orig_venue_cl_ord_id, v.symbol, v.order_qty);
          },
          [](const VenueReplace& v) {
            return fmt::format("VenueReplace v={} id={} orig={} qty={} px={}", v.venue, v.venue_cl_ord_id,
                               v.orig_venue_cl_ord_id, v.terms.quantity, optPrice(v.terms.price));
          },
          [](const OperatorAlert& a) { return fmt::format("OperatorAlert {}", a.code); },
          [](const StateChange& c) {
            return fmt::format("StateChange {} {} {}->{}", toString(c.scope), c.key, toString(c.from),
                               toString(c.to));
          },
          [](const LimitsApplied& l) { return fmt::format("LimitsApplied {}", l.new_version); },
          [](const RiskDecision& d) {
            return fmt::format("RiskDecision {} {}", d.cl_ord_id, d.reject ? "rejected" : "accepted");
          },
          [](const VenueStatusQuery& q) {
            return fmt::format("VenueStatusQuery v={} id={}", q.venue, q.venue_cl_ord_id);
          },
      },
      action);
}

std::vector<std::string> describeAll(const std::vector<Action>& actions) {
  std::vector<std::string> lines;
  lines.reserve(actions.size());
  for (const auto& a : actions) lines.push_back(describe(a));
  return lines;
}

std::shared_ptr<const Limits> permissiveLimits(const ReferenceData& refdata) {
  auto limits = std::make_shared<Limits>();
  limits->version = "permissive-test-limits";
  limits->duplicate_window_ms = 0;
  for (const char* account : {"ACC1", "ACC2", "ACC9", "AMSACCT", "OTHER"}) {
    AccountLimits a;
    a.account = account;
    limits->accounts.emplace(account, a);
  }
  for (const auto& name : refdata.session_names) {
    SessionLimits s;
    s.session = name;
    s.default_account = "ACC1";
    limits->sessions.emplace(name, s);
  }
  for (const auto& [symbol, instrument] : refdata.instruments) {
    SymbolLimits s;
    s.symbol = symbol;
    s.reference_price = Price{10 * Price::kScale};
    limits->symbols.emplace(symbol, s);
  }
  auto& b = limits->breakers;
  b.symbol_move_pct = 1e9;
  b.venue_consecutive_failures = 1'000'000;
  b.reject_min_messages = 1'000'000;
  b.repeat_max = 1'000'000;
  return limits;
}

std::vector<Action> EngineTest::applyAt(Timestamp at, EventBody body) {
  now_ = at;
  std::vector<Action> out;
  engine_.apply(Event{at, std::move(body)}, out);
  for (auto& d : takeRiskDecisions(out)) decisions_.push_back(std::move(d));
  return out;
}

std::vector<Action> EngineTest::apply(EventBody body) {
  return applyAt(now_ + 1, std::move(body));
}

void EngineTest::bothVenuesUp() {
  EXPECT_TRUE(apply(VenueUp{kXpar}).empty());
  EXPECT_TRUE(apply(VenueUp{kXams}).empty());
}

std::string EngineTest::place(SessionId session, const std::string& cl_ord_id, const OrderTerms& terms,
                              VenueId expected_venue) {
  const auto sent = single<VenueNewOrder>(apply(newOrder(session, cl_ord_id, terms)));
  EXPECT_EQ(sent.venue, expected_venue) << cl_ord_id;
  EXPECT_FALSE(sent.venue_cl_ord_id.empty());
  return sent.venue_cl_ord_id;
}

std::string EngineTest::placeAndAck(SessionId session, const std::string& cl_ord_id, const OrderTerms& terms,
                                    VenueId expected_venue) {
  const auto venue_id = place(session, cl_ord_id, terms, expected_venue);
  const auto ack = single<ExecReport>(apply(venueAck(expected_venue, venue_id, "X-" + venue_id)));
  EXPECT_EQ(ack.kind, ExecKind::New);
  EXPECT_EQ(ack.status, OrdStatus::New);
  EXPECT_EQ(ack.cl_ord_id, cl_ord_id);
  return venue_id;
}

std::string EngineTest::requestCancel(SessionId session, const std::string& cl_ord_id,
                                      const std::string& orig_cl_ord_id, const std::string& symbol) {
  const auto sent = single<VenueCancel>(apply(cancelOrder(session, cl_ord_id, orig_cl_ord_id, symbol)));
  return sent.venue_cl_ord_id;
}

std::string EngineTest::requestReplace(SessionId session, const std::string& cl_ord_id,
                                       const std::string& orig_cl_ord_id, const OrderTerms& terms) {
  const auto sent = single<VenueReplace>(apply(replaceOrder(session, cl_ord_id, orig_cl_ord_id, terms)));
  return sent.venue_cl_ord_id;
}

ExecReport EngineTest::statusOf(SessionId session, const std::string& cl_ord_id, const std::string& symbol) {
  const auto r = single<ExecReport>(apply(statusRequest(session, cl_ord_id, symbol)));
  EXPECT_EQ(r.kind, ExecKind::Status);
  return r;
}

OrderSnapshot snapshot(const ExecReport& r) {
  return OrderSnapshot{r.status, r.order_qty, r.cum_qty, r.leaves_qty, r.avg_px, r.price, r.cl_ord_id};
}

void PrintTo(const OrderSnapshot& s, std::ostream* os) {
  *os << fmt::format("{{status={} qty={} cum={} leaves={} avg={} px={} cl={}}}", toString(s.status),
                     s.order_qty, s.cum_qty, s.leaves_qty, formatPrice(s.avg_px), optPrice(s.price),
                     s.cl_ord_id);
}

}  // namespace fixgate::core::testing
