// Trading states per scope (global, account, session, symbol, venue): Halted refuses new orders, Reducing
// passes only cancels and position-reducing orders, Active again after a resume; the kill switch cancels
// every open order in scope at its venue, each cancel reported to the order's own session; every change is a
// StateChange naming who did it and why.
#include <algorithm>
#include <map>
#include <set>

#include "risk_fixture.h"

namespace fixgate::core::risktest {
namespace {

struct ScopeCase {
  const char* name;
  Scope scope;
  std::string key;
  std::string where;  // how reject texts name the scope
  SessionId in_session;
  OrderTerms in_scope;                   // a buy in scope (position-increasing)
  std::optional<SessionId> out_session;  // none for Global
  OrderTerms out_of_scope;
};

std::vector<ScopeCase> scopeCases() {
  return {
      {"Global", Scope::Global, "", "all trading", kAlpha, buy("ACC1", "AIR", 1, "100"), std::nullopt, {}},
      {"Account", Scope::Account, "ACC1", "account ACC1", kAlpha, buy("ACC1", "AIR", 1, "100"), kAlpha,
       buy("ACC2", "AIR", 1, "100")},
      {"Session", Scope::Session, "ALPHA", "session ALPHA", kAlpha, buy("ACC1", "AIR", 1, "100"), kBeta,
       buy("ACC2", "AIR", 1, "100")},
      {"Symbol", Scope::Symbol, "AIR", "symbol AIR", kAlpha, buy("ACC1", "AIR", 1, "100"), kAlpha,
       buy("ACC1", "SAN", 1, "50")},
      {"Venue", Scope::Venue, "XPAR", "venue XPAR", kAlpha, buy("ACC1", "AIR", 1, "100"), kAlpha,
       buy("ACC1", "ASML", 1, "600")},
  };
}

class TradingStateScopes : public RiskTest, public ::testing::WithParamInterface<ScopeCase> {};

OrderTerms withQty(OrderTerms t, Qty qty) {
  t.quantity = qty;
  return t;
}

void expectChange(const std::vector<Action>& out, Scope scope, const std::string& key, TradingState from,
                  TradingState to, const std::string& by, const std::string& reason, Timestamp at) {
  const auto changes = allOf<StateChange>(out);
  ASSERT_EQ(changes.size(), 1u) << describeAll(out);
  const auto& c = changes.front();
  EXPECT_EQ(c.scope, scope);
  EXPECT_EQ(c.key, key);
  EXPECT_EQ(c.from, from);
  EXPECT_EQ(c.to, to);
  EXPECT_EQ(c.by, by);
  EXPECT_EQ(c.reason, reason);
  EXPECT_EQ(c.at, at);
}

TEST_P(TradingStateScopes, HaltedRefusesNewOrdersInScopeNamingWhoAndWhyUntilResumed) {
  const auto& p = GetParam();
  start();
  placeAndAck(p.in_session, withQty(p.in_scope, 7));
  const auto working = lastClOrdId();

  const auto halt = setState(p.scope, p.key, TradingState::Halted, "alice", "desk review");
  expectChange(halt, p.scope, p.key, TradingState::Active, TradingState::Halted, "alice", "desk review",
               now());
  EXPECT_TRUE(allOf<VenueCancel>(halt).empty()) << "a halt without cancel_open_orders cancels nothing";

  const auto r = refuse(p.in_session, p.in_scope);
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::TradingHalted,
                          {p.where + " is halted by alice: desk review"}));
  auto sell_in_scope = withQty(p.in_scope, 2);
  sell_in_scope.side = Side::Sell;
  EXPECT_EQ(refuse(p.in_session, sell_in_scope).reject, RejectCode::TradingHalted) << "sells and buys alike";
  if (p.out_session) place(*p.out_session, p.out_of_scope);
  // Cancels still pass.
  const auto cancel = apply(CancelOrder{p.in_session, "X" + working, working, p.in_scope.symbol, Side::Buy});
  EXPECT_EQ(allOf<VenueCancel>(cancel).size(), 1u) << describeAll(cancel);

  const auto resume = setState(p.scope, p.key, TradingState::Active, "alice", "resolved");
  expectChange(resume, p.scope, p.key, TradingState::Halted, TradingState::Active, "alice", "resolved",
               now());
  place(p.in_session, withQty(p.in_scope, 3));
}

TEST_P(TradingStateScopes, ReducingPassesOnlyPositionReducingOrders) {
  const auto& p = GetParam();
  start();
  auto long_position = p.in_scope;
  long_position.quantity = 100;
  trade(p.in_session, long_position);  // long 100

  const auto set = setState(p.scope, p.key, TradingState::Reducing, "bob", "limit breach");
  expectChange(set, p.scope, p.key, TradingState::Active, TradingState::Reducing, "bob", "limit breach",
               now());

  const auto more = refuse(p.in_session, withQty(p.in_scope, 1));
  EXPECT_TRUE(refusedWith(more.reject, more.text, RejectCode::ReducingOnly,
                          {p.where + " accepts only position-reducing orders (set by bob: limit breach)"}));
  auto flip = p.in_scope;
  flip.side = Side::Sell;
  flip.quantity = 101;  // would go short: not reducing
  EXPECT_EQ(refuse(p.in_session, flip).reject, RejectCode::ReducingOnly);
  flip.quantity = 100;
  place(p.in_session, flip);  // closes exactly: reducing
  flip.quantity = 1;
  flip.price = px("100.01");
  EXPECT_EQ(refuse(p.in_session, flip).reject, RejectCode::ReducingOnly)
      << "the working sell already covers it";
  if (p.out_session) place(*p.out_session, p.out_of_scope);

  const auto resume = setState(p.scope, p.key, TradingState::Active, "bob", "back to normal");
  expectChange(resume, p.scope, p.key, TradingState::Reducing, TradingState::Active, "bob", "back to normal",
               now());
  place(p.in_session, withQty(p.in_scope, 2));
}

INSTANTIATE_TEST_SUITE_P(EveryScope, TradingStateScopes, ::testing::ValuesIn(scopeCases()),
                         [](const auto& info) { return std::string(info.param.name); });

using TradingStateControls = RiskTest;

TEST_F(TradingStateControls, ChangeWithoutAnOperatorNameIsRefused) {
  start();
  const auto out = setState(Scope::Global, "", TradingState::Halted, "", "no name");
  EXPECT_TRUE(allOf<StateChange>(out).empty()) << describeAll(out);
  const auto alerts = allOf<OperatorAlert>(out);
  ASSERT_EQ(alerts.size(), 1u) << describeAll(out);
  EXPECT_EQ(alerts.front().code, "InvalidOperatorCommand");
  EXPECT_THAT(alerts.front().text, ::testing::HasSubstr("a named operator is required"));
  place(kAlpha, buy("ACC1", "AIR", 1, "100"));
}

TEST_F(TradingStateControls, ChangeForAnUnknownKeyIsRefused) {
  start();
  for (const auto& [scope, key] : std::vector<std::pair<Scope, std::string>>{{Scope::Symbol, "NOPE"},
                                                                             {Scope::Venue, "XLON"},
                                                                             {Scope::Session, "OMEGA"},
                                                                             {Scope::Global, "X"},
                                                                             {Scope::Account, ""}}) {
    const auto out = setState(scope, key, TradingState::Halted, "alice", "typo");
    EXPECT_TRUE(allOf<StateChange>(out).empty()) << describeAll(out);
    ASSERT_EQ(allOf<OperatorAlert>(out).size(), 1u) << describeAll(out);
    EXPECT_EQ(allOf<OperatorAlert>(out).front().code, "InvalidOperatorCommand");
  }
  place(kAlpha, buy("ACC1", "AIR", 1, "100"));
}

TEST_F(TradingStateControls, NarrowestHaltDoesNotHideABroaderOne) {
  start();
  setState(Scope::Symbol, "AIR", TradingState::Reducing, "bob", "symbol news");
  setState(Scope::Global, "", TradingState::Halted, "carol", "market-wide stop");
  const auto r = refuse(kAlpha, buy("ACC1", "AIR", 1, "100"));
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::TradingHalted, {"all trading is halted by carol"}));
}

// --- Kill switch ------------------------------------------------------------------------------------------

struct KillCase {
  const char* name;
  Scope scope;
  std::string key;
  std::set<std::string> canceled;  // test names of the orders it must cancel
  SessionId blocked_session;
  OrderTerms blocked;  // a new order in scope, refused afterwards
};

std::vector<KillCase> killCases() {
  return {
      {"Global",
       Scope::Global,
       "",
       {"O1", "O2", "O3", "O4", "O5", "O8", "O9"},
       kBeta,
       buy("ACC2", "SAN", 3, "50")},
      {"Account", Scope::Account, "ACC1", {"O1", "O2", "O9"}, kAlpha, buy("ACC1", "MT", 3, "20")},
      {"Session", Scope::Session, "BETA", {"O4", "O5"}, kBeta, buy("ACC2", "SAN", 3, "50")},
      {"Symbol", Scope::Symbol, "AIR", {"O1", "O4", "O8", "O9"}, kAlpha, buy("ACC2", "AIR", 3, "100")},
      {"Venue", Scope::Venue, "XAMS", {"O2"}, kAlpha, buy("ACC2", "ASML", 3, "600")},
  };
}

class KillSwitch : public RiskTest, public ::testing::WithParamInterface<KillCase> {
 protected:
  struct Placed {
    SessionId session;
    std::string cl_ord_id;
    std::string venue_id;
    VenueId venue;
    std::string account;
  };

  void placeBook() {
    const auto add = [&](const std::string& name, SessionId session, const OrderTerms& t, bool ack) {
      const auto id = ack ? placeAndAck(session, t) : place(session, t);
      book_[name] = Placed{session, lastClOrdId(), id, venueOf(id), t.account};
      return id;
    };
    add("O1", kAlpha, buy("ACC1", "AIR", 10, "100"), true);
    add("O2", kAlpha, buy("ACC1", "ASML", 10, "600"), true);
    add("O3", kAlpha, buy("ACC2", "SAN", 10, "50"), true);
    add("O4", kBeta, buy("ACC2", "AIR", 11, "100"), true);
    add("O5", kBeta, buy("ACME-1", "IBM", 10, "125"), true);
    const auto filled = add("O6", kAlpha, buy("ACC1", "AIR", 12, "100"), true);
    fill(kXpar, filled, 12, "100");
    const auto canceled = add("O7", kAlpha, buy("ACC1", "SAN", 13, "50"), true);
    apply(VenueCanceled{kXpar, canceled, "end of auction"});
    add("O8", kAlpha, buy("ACC2", "AIR", 14, "100"), false);  // not acknowledged yet: still open
    const auto partial = add("O9", kAlpha, buy("ACC1", "AIR", 15, "100"), true);
    fill(kXpar, partial, 5, "100");
  }

  std::map<std::string, Placed> book_;
};

TEST_P(KillSwitch, CancelsExactlyTheOpenOrdersInScopeAndReportsEachToItsOwnSession) {
  const auto& p = GetParam();
  start();
  placeBook();
  const auto out = setState(p.scope, p.key, TradingState::Halted, "carol", "runaway algo", true);
  expectChange(out, p.scope, p.key, TradingState::Active, TradingState::Halted, "carol", "runaway algo",
               now());

  std::map<std::string, std::string> by_venue_id;  // venue ClOrdID of the order -> test name
  for (const auto& [name, o] : book_) by_venue_id[o.venue_id] = name;
  std::set<std::string> canceled;
  const auto cancels = allOf<VenueCancel>(out);
  for (const auto& c : cancels) {
    ASSERT_TRUE(by_venue_id.contains(c.orig_venue_cl_ord_id)) << describeAll(out);
    const auto& name = by_venue_id[c.orig_venue_cl_ord_id];
    EXPECT_EQ(c.venue, book_[name].venue) << name;
    canceled.insert(name);
  }
  EXPECT_EQ(canceled, p.canceled) << describeAll(out);
  EXPECT_EQ(cancels.size(), p.canceled.size());
  EXPECT_TRUE(allOf<ExecReport>(out).empty()) << "clients hear of the cancel when the venue confirms it";

  const std::string text_prefix = "canceled by kill switch on " + std::string(toString(p.scope)) + " " +
                                  p.key + " by carol: runaway algo";
  for (const auto& c : cancels) {
    const auto& o = book_[by_venue_id[c.orig_venue_cl_ord_id]];
    const auto answer = apply(VenueCanceled{c.venue, c.venue_cl_ord_id, ""});
    const auto reports = allOf<ExecReport>(answer);
    ASSERT_EQ(reports.size(), 1u) << describeAll(answer);
    const auto& r = reports.front();
    EXPECT_EQ(r.kind, ExecKind::Canceled);
    EXPECT_EQ(r.status, OrdStatus::Canceled);
    EXPECT_EQ(r.session, o.session);
    EXPECT_EQ(r.cl_ord_id, o.cl_ord_id);
    EXPECT_EQ(r.orig_cl_ord_id, o.cl_ord_id);
    EXPECT_EQ(r.account, o.account);
    EXPECT_EQ(r.leaves_qty, 0);
    EXPECT_TRUE(r.text.starts_with(text_prefix)) << r.text;
  }
  EXPECT_EQ(engine().openOrderCount(), 7 - p.canceled.size());

  const auto r = refuse(p.blocked_session, p.blocked);
  EXPECT_TRUE(refusedWith(r.reject, r.text, RejectCode::TradingHalted, {"is halted by carol: runaway algo"}));
}

INSTANTIATE_TEST_SUITE_P(EveryScope, KillSwitch, ::testing::ValuesIn(killCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(TradingStateControls, KillSwitchSkipsOrdersWithAClientCancelAlreadyPending) {
  start();
  placeAndAck(kAlpha, buy("ACC1", "AIR", 10, "100"));
  const auto first = lastClOrdId();
  const auto second_id = placeAndAck(kAlpha, buy("ACC1", "AIR", 11, "100"));
  const auto cancel = apply(CancelOrder{kAlpha, "CX", first, "AIR", Side::Buy});
  ASSERT_EQ(allOf<VenueCancel>(cancel).size(), 1u);
  const auto out = setState(Scope::Global, "", TradingState::Halted, "carol", "stop", true);
  const auto cancels = allOf<VenueCancel>(out);
  ASSERT_EQ(cancels.size(), 1u) << describeAll(out);
  EXPECT_EQ(cancels.front().orig_venue_cl_ord_id, second_id);
}

}  // namespace
}  // namespace fixgate::core::risktest
