#include "risk_fixture.h"

#include <fmt/format.h>

#include <utility>

namespace fixgate::core::risktest {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

std::string optPrice(const std::optional<Price>& p) {
  return p ? formatPrice(*p) : "-";
}

OrderTerms terms(std::string account, std::string symbol, Side side, Qty qty, std::optional<Price> price) {
  OrderTerms t;
  t.account = std::move(account);
  t.symbol = std::move(symbol);
  t.side = side;
  t.ord_type = price ? OrdType::Limit : OrdType::Market;
  t.time_in_force = TimeInForce::Day;
  t.quantity = qty;
  t.price = price;
  t.capacity = TradingCapacity::Agency;
  return t;
}

}  // namespace

ReferenceData riskReferenceData() {
  ReferenceData r;
  r.session_names = {"ALPHA", "BETA", "GAMMA", "DELTA"};
  r.venue_names = {"XPAR", "XAMS"};
  const auto add = [&](std::string symbol, std::string currency, std::int64_t tick_units) {
    r.instruments.emplace(symbol, Instrument{symbol, "", "XPAR", std::move(currency), Price{tick_units}});
  };
  add("AIR", "EUR", 1'000'000);
  add("SAN", "EUR", 1'000'000);
  add("MT", "EUR", 5'000'000);
  add("ASML", "EUR", 1'000'000);
  add("IBM", "USD", 1'000'000);
  add("RSTR", "EUR", 1'000'000);
  add("NOREF", "EUR", 1'000'000);
  r.routing.rules = {RoutingRule{RouteMatch::Symbol, "ASML", kXams}};
  r.routing.default_venue = kXpar;
  return r;
}

Price px(std::string_view text) {
  const auto p = parsePrice(text);
  EXPECT_TRUE(p.has_value()) << "bad price literal in test: " << text;
  return p.value_or(Price{});
}

Limits baseLimits() {
  Limits l;
  l.version = "limits-v1";
  l.source = "risk-test-limits.yaml";
  l.account_defaults.max_order_qty = 100'000;
  l.account_defaults.max_order_notional = px("5000000");
  for (const char* name : {"ACC1", "ACC2"}) {
    AccountLimits a;
    a.account = name;
    l.accounts.emplace(name, a);
  }
  AccountLimits acme;
  acme.account = "ACME-1";
  acme.max_order_notional = px("1000000");
  acme.max_order_qty = 20'000;
  l.accounts.emplace(acme.account, acme);

  const auto symbol = [&](std::string name, std::string_view reference) -> SymbolLimits& {
    SymbolLimits s;
    s.symbol = name;
    s.reference_price = px(reference);
    return l.symbols.emplace(name, s).first->second;
  };
  symbol("AIR", "100");
  auto& san = symbol("SAN", "50");
  san.max_order_qty = 5'000;
  san.max_order_notional = px("200000");
  symbol("MT", "20");
  symbol("ASML", "600");
  symbol("IBM", "125");
  symbol("RSTR", "10").restricted = true;

  SessionLimits alpha;
  alpha.session = "ALPHA";
  alpha.default_account = "ACC1";
  alpha.max_messages_per_second = 1'000;
  l.sessions.emplace(alpha.session, alpha);
  SessionLimits beta;
  beta.session = "BETA";
  beta.accounts = {"ACC2", "ACME-1"};
  beta.symbols = {"AIR", "SAN", "IBM", "ASML"};
  beta.venues = {"XPAR"};
  beta.default_account = "ACC2";
  l.sessions.emplace(beta.session, beta);
  SessionLimits delta;
  delta.session = "DELTA";
  l.sessions.emplace(delta.session, delta);

  l.credit_warning_pct = 70.0;
  l.duplicate_window_ms = 1'000;
  auto& b = l.breakers;
  b.symbol_move_pct = 10.0;
  b.symbol_window_s = 60;
  b.symbol_cooloff_s = 300;
  b.venue_consecutive_failures = 3;
  b.venue_open_s = 30;
  b.reject_window_s = 60;
  b.reject_min_messages = 50;
  b.reject_pct = 50.0;
  b.repeat_max = 10;
  b.repeat_window_s = 10;
  return l;
}

OrderTerms buy(std::string account, std::string symbol, Qty qty, std::string_view price) {
  return terms(std::move(account), std::move(symbol), Side::Buy, qty, px(price));
}

OrderTerms sell(std::string account, std::string symbol, Qty qty, std::string_view price) {
  return terms(std::move(account), std::move(symbol), Side::Sell, qty, px(price));
}

OrderTerms marketBuy(std::string account, std::string symbol, Qty qty) {
  return terms(std::move(account), std::move(symbol), Side::Buy, qty, std::nullopt);
}

std::vector<OperatorAlert> Decision::alerts() const {
  return allOf<OperatorAlert>(actions);
}
std::vector<StateChange> Decision::changes() const {
  return allOf<StateChange>(actions);
}

std::string describe(const Action& action) {
  return std::visit(
      Overloaded{
          [](const ExecReport& r) {
            return fmt::format(
                "ExecReport s={} kind={} status={} cl={} orig={} acct={} sym={} qty={} px={} rej={} "
                "text={}",
                r.session, static_cast<int>(r.kind), toString(r.status), r.cl_ord_id, r.orig_cl_ord_id,
                r.account, r.symbol, r.order_qty, optPrice(r.price),
                r.reject ? static_cast<int>(*r.reject) : 0, r.text);
          },
          [](const CancelReject& r) {
            return fmt::format("CancelReject s={} replace={} cl={} orig={} rej={} text={}", r.session,
                               r.for_replace, r.cl_ord_id, r.orig_cl_ord_id, static_cast<int>(r.reject),
                               r.text);
          },
          [](const MassCancelReport& r) {
            return fmt::format("MassCancelReport s={} affected={}", r.session, r.affected_orders);
          },
          [](const VenueNewOrder& v) {
            return fmt::format("VenueNewOrder v={} id={} acct={} sym={} qty={} px={}", v.venue,
                               v.venue_cl_ord_id, v.terms.account, v.terms.symbol, v.terms.quantity,
                               optPrice(v.terms.price));
          },
          [](const VenueCancel& v) {
            return fmt::format("VenueCancel v={} id={} orig={}", v.venue, v.venue_cl_ord_id,
                               v.orig_venue_cl_ord_id);
          },
          [](const VenueReplace& v) {
            return fmt::format("VenueReplace v={} id={} orig={} qty={}", v.venue, v.venue_cl_ord_id,
                               v.orig_venue_cl_ord_id, v.terms.quantity);
          },
          [](const OperatorAlert& a) { return fmt::format("OperatorAlert {}: {}", a.code, a.text); },
          [](const StateChange& c) {
            return fmt::format("StateChange {} '{}' {}->{} by '{}': {}", toString(c.scope), c.key,
                               toString(c.from), toString(c.to), c.by, c.reason);
          },
          [](const LimitsApplied& l) {
            return fmt::format("LimitsApplied {}->{} by {}", l.old_version, l.new_version, l.by);
          },
          [](const RiskDecision& d) {
            return fmt::format("RiskDecision {} {}", d.cl_ord_id, d.reject ? "rejected" : "accepted");
          },
          [](const VenueStatusQuery& q) {
            return fmt::format("VenueStatusQuery v={} id={}", q.venue, q.venue_cl_ord_id);
          },
      },
      action);
}

std::string describeAll(const std::vector<Action>& actions) {
  std::string all = "[";
  for (const auto& a : actions) all += "\n  " + describe(a);
  return all + "]";
}

::testing::AssertionResult refusedWith(const std::optional<RejectCode>& code, const std::string& text,
                                       RejectCode expected, const std::vector<std::string>& fragments) {
  if (!code) return ::testing::AssertionFailure() << "no reject code; text: " << text;
  if (*code != expected) {
    return ::testing::AssertionFailure() << "reject code FG" << static_cast<int>(*code) << " instead of FG"
                                         << static_cast<int>(expected) << "; text: " << text;
  }
  const std::string prefix = fmt::format("FG{} ", static_cast<int>(expected));
  if (!text.starts_with(prefix)) {
    return ::testing::AssertionFailure() << "text does not start with '" << prefix << "': " << text;
  }
  for (const auto& f : fragments) {
    if (text.find(f) == std::string::npos) {
      return ::testing::AssertionFailure() << "text lacks '" << f << "': " << text;
    }
  }
  return ::testing::AssertionSuccess();
}

void RiskTest::start() {
  engine_ = std::make_unique<Engine>(riskReferenceData(), "R-", std::make_shared<const Limits>(limits_));
  apply(VenueUp{kXpar});
  apply(VenueUp{kXams});
}

void RiskTest::startWithoutLimits() {
  engine_ = std::make_unique<Engine>(riskReferenceData(), "R-", nullptr);
  apply(VenueUp{kXpar});
  apply(VenueUp{kXams});
}

std::vector<Action> RiskTest::applyAt(Timestamp at, EventBody body) {
  EXPECT_TRUE(engine_) << "start() the engine first";
  now_ = at;
  std::vector<Action> out;
  engine_->apply(Event{at, std::move(body)}, out);
  for (auto& d : takeRiskDecisions(out)) decisions_.push_back(std::move(d));
  return out;
}

std::vector<Action> RiskTest::apply(EventBody body) {
  return applyAt(now_ + kMilli, std::move(body));
}

Decision RiskTest::send(SessionId session, const OrderTerms& t, std::optional<Timestamp> at) {
  return sendWithId(session, "C" + std::to_string(++cl_counter_), t, at);
}

Decision RiskTest::sendWithId(SessionId session, const std::string& cl_ord_id, const OrderTerms& t,
                              std::optional<Timestamp> at) {
  Decision d;
  d.actions = applyAt(at.value_or(now_ + kMilli), NewOrder{session, cl_ord_id, t});
  if (const auto sent = allOf<VenueNewOrder>(d.actions); sent.size() == 1) d.sent = sent.front();
  for (const auto& r : allOf<ExecReport>(d.actions)) {
    if (r.kind == ExecKind::Rejected) d.rejected = r;
  }
  EXPECT_NE(d.sent.has_value(), d.rejected.has_value()) << describeAll(d.actions);
  return d;
}

std::string RiskTest::place(SessionId session, const OrderTerms& t, std::optional<Timestamp> at) {
  const auto d = send(session, t, at);
  EXPECT_TRUE(d.sent) << "order " << lastClOrdId() << " was not sent: " << describeAll(d.actions);
  return d.sent ? d.sent->venue_cl_ord_id : std::string{};
}

std::string RiskTest::placeAndAck(SessionId session, const OrderTerms& t) {
  const auto id = place(session, t);
  if (id.empty()) return id;
  const auto out = apply(VenueAccepted{venueOf(id), id, "X" + id});
  const auto reports = allOf<ExecReport>(out);
  EXPECT_EQ(reports.size(), 1u) << describeAll(out);
  if (!reports.empty()) {
    EXPECT_EQ(reports.front().kind, ExecKind::New) << describeAll(out);
  }
  return id;
}

ExecReport RiskTest::refuse(SessionId session, const OrderTerms& t, std::optional<Timestamp> at) {
  const auto d = send(session, t, at);
  EXPECT_TRUE(d.rejected) << "order " << lastClOrdId() << " was not refused: " << describeAll(d.actions);
  return d.rejected.value_or(ExecReport{});
}

void RiskTest::trade(SessionId session, const OrderTerms& t) {
  const auto id = placeAndAck(session, t);
  if (id.empty()) return;
  const auto out = fill(venueOf(id), id, t.quantity, formatPrice(*t.price));
  const auto reports = allOf<ExecReport>(out);
  ASSERT_FALSE(reports.empty()) << describeAll(out);
  EXPECT_EQ(reports.back().status, OrdStatus::Filled) << describeAll(out);
}

std::vector<Action> RiskTest::fill(VenueId venue, const std::string& venue_cl_ord_id, Qty qty,
                                   std::string_view price, std::optional<Timestamp> at) {
  static int exec_counter = 0;
  return applyAt(at.value_or(now_ + kMilli),
                 VenueFill{venue, venue_cl_ord_id, "X" + venue_cl_ord_id,
                           "EX" + std::to_string(++exec_counter), qty, px(price)});
}

std::vector<Action> RiskTest::setState(Scope scope, std::string key, TradingState state, std::string by,
                                       std::string reason, bool cancel_open_orders) {
  return apply(
      SetTradingState{scope, std::move(key), state, cancel_open_orders, std::move(by), std::move(reason)});
}

std::vector<Action> RiskTest::replace(SessionId session, const std::string& orig_cl_ord_id,
                                      const OrderTerms& t) {
  return apply(ReplaceOrder{session, "C" + std::to_string(++cl_counter_), orig_cl_ord_id, t});
}

VenueId RiskTest::venueOf(const std::string& venue_cl_ord_id) const {
  const Order* o = engine_->findByVenueClOrdId(venue_cl_ord_id);
  EXPECT_NE(o, nullptr) << venue_cl_ord_id;
  return o ? o->venue : kXpar;
}

}  // namespace fixgate::core::risktest
