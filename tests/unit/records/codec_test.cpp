// The journal payload encoding: every event and action round-trips bit for bit, malformed payloads are
// refused with a reason (never a crash), and journaled limits must parse back to the same version.
#include <gtest/gtest.h>

#include <cstring>
#include <variant>

#include "records/codec.h"

namespace fixgate::records {
namespace {

using namespace fixgate::core;

OrderTerms fullTerms() {
  OrderTerms t;
  t.account = "ACME-1";
  t.symbol = "AIR";
  t.security_id = "NL0000235190";
  t.security_id_source = '4';
  t.security_exchange = "XPAR";
  t.ex_destination = "SIM-A";
  t.currency = "EUR";
  t.side = Side::SellShort;
  t.ord_type = OrdType::StopLimit;
  t.time_in_force = TimeInForce::GoodTillDate;
  t.quantity = 1'234;
  t.price = Price{10'125'000'000};
  t.stop_price = Price{10'000'000'000};
  t.expire = "20261231";
  t.capacity = TradingCapacity::RisklessPrincipal;
  t.parties.client = {"CLIENT-7", 'P', 0};
  t.parties.investment_decision = {"TRADER-1", 'P', 24};
  t.parties.execution_within_firm = {"ALGO-9", 'P', 22};
  return t;
}

template <typename Variant, std::size_t... I>
std::vector<Variant> defaultOfEach(std::index_sequence<I...>) {
  return {Variant(std::in_place_index<I>)...};
}

std::string encoded(const Event& e) {
  std::string out;
  encodeEvent(e, out);
  return out;
}

std::string encoded(const Action& a) {
  std::string out;
  encodeAction(a, out);
  return out;
}

TEST(RecordCodec, EveryEventAlternativeRoundTrips) {
  auto events = defaultOfEach<EventBody>(std::make_index_sequence<std::variant_size_v<EventBody>>{});
  events.push_back(NewOrder{3, "C1", fullTerms()});
  events.push_back(ReplaceOrder{2, "C2", "C1", fullTerms()});
  events.push_back(VenueFill{1, "FG-V1", "X-9", "E-1", 77, Price{123}});
  events.push_back(SetTradingState{Scope::Symbol, "AIR", TradingState::Reducing, true, "ops", "news"});
  for (auto& body : events) {
    const Event e{1'790'000'000'123'456, body};
    const auto bytes = encoded(e);
    const auto back = decodeEvent(bytes);
    ASSERT_TRUE(back.has_value()) << back.error();
    EXPECT_EQ(back->at, e.at);
    EXPECT_EQ(back->body.index(), e.body.index());
    EXPECT_EQ(encoded(*back), bytes) << "alternative " << e.body.index();
  }
}

TEST(RecordCodec, NewOrderKeepsEveryTermAndParty) {
  const auto bytes = encoded(Event{42, NewOrder{3, "C1", fullTerms()}});
  const auto back = decodeEvent(bytes);
  ASSERT_TRUE(back.has_value()) << back.error();
  const auto& order = std::get<NewOrder>(back->body);
  EXPECT_EQ(order.session, 3);
  EXPECT_EQ(order.cl_ord_id, "C1");
  EXPECT_EQ(order.terms.security_id, "NL0000235190");
  EXPECT_EQ(order.terms.side, Side::SellShort);
  EXPECT_EQ(order.terms.price, Price{10'125'000'000});
  EXPECT_EQ(order.terms.parties.investment_decision.id, "TRADER-1");
  EXPECT_EQ(order.terms.parties.execution_within_firm.qualifier, 22);
  EXPECT_EQ(order.terms.capacity, TradingCapacity::RisklessPrincipal);
  EXPECT_EQ(order.poss_dup, std::nullopt);

  NewOrder resent{3, "C1", fullTerms()};
  resent.poss_dup = true;
  const auto resent_back = decodeEvent(encoded(Event{42, resent}));
  ASSERT_TRUE(resent_back.has_value()) << resent_back.error();
  EXPECT_EQ(std::get<NewOrder>(resent_back->body).poss_dup, std::optional<bool>(true));
}

TEST(RecordCodec, EveryActionAlternativeRoundTrips) {
  auto actions = defaultOfEach<Action>(std::make_index_sequence<std::variant_size_v<Action>>{});
  ExecReport fill;
  fill.kind = ExecKind::Trade;
  fill.status = OrdStatus::PartiallyFilled;
  fill.order_id = "O1";
  fill.cl_ord_id = "C1";
  fill.last_qty = 10;
  fill.last_px = Price{5};
  fill.reject = RejectCode::DuplicateOrder;
  fill.price = Price{7};
  actions.push_back(fill);
  actions.push_back(VenueNewOrder{1, "FG-V1", fullTerms(), 99, "O1", true});
  actions.push_back(VenueNewOrder{1, "FG-V2", fullTerms(), 99, "O2", std::nullopt});
  actions.push_back(RiskDecision{2, true, "C2", "ACME-1", "AIR", RejectCode::DuplicateOrder, "dup",
                                 std::make_shared<const std::string>("abc123"), 5, Price{12'345}});
  for (const auto& a : actions) {
    const auto bytes = encoded(a);
    const auto back = decodeAction(bytes);
    ASSERT_TRUE(back.has_value()) << back.error();
    EXPECT_EQ(back->index(), a.index());
    EXPECT_EQ(encoded(*back), bytes) << "alternative " << a.index();
  }
  const auto decision = decodeAction(encoded(actions.back()));
  ASSERT_TRUE(decision.has_value());
  EXPECT_EQ(*std::get<RiskDecision>(*decision).limits_version, "abc123");
  EXPECT_EQ(std::get<RiskDecision>(*decision).arrival_price, Price{12'345});
}

TEST(RecordCodec, ARiskDecisionJournaledBeforeArrivalPriceExistedDecodesWithoutOne) {
  // The encoding of a decision without an arrival price ends with the optional's 0 flag; a journal written
  // before the field existed ends right before it.
  const auto current = encoded(
      Action{RiskDecision{1, false, "C1", "ACC", "AAPL", std::nullopt, "", nullptr, 7, std::nullopt}});
  ASSERT_EQ(current.back(), '\0');
  const auto older = current.substr(0, current.size() - 1);
  const auto back = decodeAction(older);
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_FALSE(std::get<RiskDecision>(*back).arrival_price.has_value());
  EXPECT_EQ(std::get<RiskDecision>(*back).cl_ord_id, "C1");
  EXPECT_FALSE(decodeAction(older.substr(0, older.size() - 1)).has_value());  // cut earlier: refused
}

TEST(RecordCodec, FixMessagesAndRunMarkersRoundTrip) {
  std::string out;
  encodeFixMessage(Direction::Out, "acme-fix44",
                   "8=FIX.4.4\x01"
                   "35=8\x01",
                   out);
  const auto m = decodeFixMessage(out);
  ASSERT_TRUE(m.has_value()) << m.error();
  EXPECT_EQ(m->direction, Direction::Out);
  EXPECT_EQ(m->session, "acme-fix44");
  EXPECT_EQ(m->raw,
            "8=FIX.4.4\x01"
            "35=8\x01");

  out.clear();
  encodeRunStarted({"fg-1", 4242, "config/gateway.yaml", 17}, out);
  const auto run = decodeRunStarted(out);
  ASSERT_TRUE(run.has_value()) << run.error();
  EXPECT_EQ(run->instance_id, "fg-1");
  EXPECT_EQ(run->pid, 4242);
  EXPECT_EQ(run->replayed_records, 17u);

  out.clear();
  encodeSecurityEvent({"logon", "acme-fix44", "::1", "alice", "locked-out", "5 failures"}, out);
  const auto security = decodeSecurityEvent(out);
  ASSERT_TRUE(security.has_value()) << security.error();
  EXPECT_EQ(security->address, "::1");
  EXPECT_EQ(security->outcome, "locked-out");
  EXPECT_EQ(security->detail, "5 failures");
  EXPECT_FALSE(decodeSecurityEvent(out.substr(0, out.size() - 1)).has_value());

  out.clear();
  encodeOperatorCommand({"olga", 1000, 4242, "kill scope=global by=olga", "done", "global: Halted"}, out);
  const auto command = decodeOperatorCommand(out);
  ASSERT_TRUE(command.has_value()) << command.error();
  EXPECT_EQ(command->operator_name, "olga");
  EXPECT_EQ(command->peer_uid, 1000);
  EXPECT_EQ(command->command, "kill scope=global by=olga");
  EXPECT_EQ(command->reply, "global: Halted");
  EXPECT_FALSE(decodeOperatorCommand(out.substr(0, out.size() - 1)).has_value());
}

ApplySettings twoVenuesTwoSessions() {
  ApplySettings settings;
  settings.venues.push_back({"XPAR", AckTimeouts{5'000'000, 4'000'000, 3'000'000, true, false, 60'000'000}});
  settings.venues.push_back({"XAMS", AckTimeouts{}});
  settings.sessions.push_back({"ALPHA", true});
  settings.sessions.push_back({"BETA", false});
  settings.final_order_retention_us = 3'600'000'000;
  settings.instruments.push_back({"AIR", "NL0000235190", "XPAR", "EUR", Price{1'000'000}});
  settings.instruments.push_back({"INGA", "NL0011821202", "XAMS", "EUR", Price{100'000}});
  settings.routes.push_back({RouteMatch::SecurityExchange, "XAMS", "XAMS"});
  settings.routes.push_back({RouteMatch::Account, "ACC9", "XPAR"});
  settings.default_venue = "XPAR";
  settings.status_pacing = {{{"XPAR", 500}, {"XAMS", 0}}};
  return settings;
}

TEST(RecordCodec, ApplySettingsKeepsEveryVenueSessionInstrumentAndRoute) {
  const auto settings = twoVenuesTwoSessions();
  const auto back = decodeEvent(encoded(Event{7, settings}));
  ASSERT_TRUE(back.has_value()) << back.error();
  const auto* decoded = std::get_if<ApplySettings>(&back->body);
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(*decoded, settings);
}

TEST(RecordCodec, AListCountBeyondThePayloadIsRefusedWithoutSizingTheList) {
  auto bytes = encoded(Event{7, twoVenuesTwoSessions()});
  const std::uint32_t huge = 0xfffffff0;
  std::memcpy(bytes.data() + 9, &huge, sizeof huge);  // the venue count follows timestamp and index
  const auto back = decodeEvent(bytes);
  ASSERT_FALSE(back.has_value());
  EXPECT_NE(back.error().find("list of 4294967280 elements runs past the payload"), std::string::npos)
      << back.error();
  // Every prefix is refused but two, those ending where a trailing optional starts: they read as records from
  // before it existed. The status pacing is the last (flag, count, two of name length, name and rate), the
  // default venue before it (flag, length, "XPAR").
  const auto whole = encoded(Event{7, twoVenuesTwoSessions()});
  const std::size_t without_pacing = whole.size() - (1 + 4 + 2 * (4 + 4 + 4));
  const std::size_t without_default_venue = without_pacing - (1 + 4 + 4);
  for (std::size_t n = 0; n < whole.size(); ++n) {
    const auto back = decodeEvent(std::string_view(whole).substr(0, n));
    if (n != without_default_venue && n != without_pacing) {
      EXPECT_FALSE(back) << "prefix of " << n << " bytes decoded";
      continue;
    }
    ASSERT_TRUE(back) << back.error();
    const auto& settings = std::get<ApplySettings>(back->body);
    EXPECT_EQ(settings.status_pacing, std::nullopt);
    EXPECT_EQ(settings.default_venue,
              n == without_pacing ? std::optional<std::string>("XPAR") : std::nullopt);
  }
}

TEST(RecordCodec, EveryTruncationIsRefusedWithAReason) {
  NewOrder resent{3, "C1", fullTerms()};
  resent.poss_dup = true;
  const auto bytes = encoded(Event{42, resent});
  // All but one: the prefix ending where PossDupFlag (flag and value) starts reads as an order journaled
  // before the field existed, which was not a resend.
  const std::size_t without_poss_dup = bytes.size() - 2;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const auto back = decodeEvent(std::string_view(bytes).substr(0, n));
    if (n == without_poss_dup) {
      ASSERT_TRUE(back.has_value()) << back.error();
      EXPECT_EQ(std::get<NewOrder>(back->body).poss_dup, std::nullopt);
      EXPECT_EQ(std::get<NewOrder>(back->body).terms.price, resent.terms.price);
      continue;
    }
    ASSERT_FALSE(back.has_value()) << "prefix of " << n << " bytes decoded";
    EXPECT_NE(back.error().find("malformed event record"), std::string::npos) << back.error();
  }
}

// A journal from before cancels and replaces carried PossDupFlag ends where the flag would start.
TEST(RecordCodec, ResentCancelsAndReplacesKeepTheFlagAndOlderOnesDecodeAsNotResent) {
  CancelOrder cancel{3, "C2", "C1", "AIR", Side::Sell, true};
  auto bytes = encoded(Event{42, cancel});
  auto back = decodeEvent(bytes);
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(std::get<CancelOrder>(back->body).poss_dup, std::optional<bool>(true));
  back = decodeEvent(std::string_view(bytes).substr(0, bytes.size() - 2));
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(std::get<CancelOrder>(back->body).poss_dup, std::nullopt);
  EXPECT_EQ(std::get<CancelOrder>(back->body).side, Side::Sell);

  ReplaceOrder replace{3, "R2", "C1", fullTerms(), true};
  bytes = encoded(Event{42, replace});
  back = decodeEvent(bytes);
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(std::get<ReplaceOrder>(back->body).poss_dup, std::optional<bool>(true));
  back = decodeEvent(std::string_view(bytes).substr(0, bytes.size() - 2));
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(std::get<ReplaceOrder>(back->body).poss_dup, std::nullopt);
  EXPECT_EQ(std::get<ReplaceOrder>(back->body).terms.price, replace.terms.price);
}

TEST(RecordCodec, TrailingBytesUnknownVariantsAndBadFlagsAreRefused) {
  auto bytes = encoded(Event{42, VenueUp{1}});
  EXPECT_FALSE(decodeEvent(bytes + "x").has_value());
  auto unknown = bytes;
  unknown[8] = static_cast<char>(200);  // the variant index follows the 8-byte timestamp
  const auto back = decodeEvent(unknown);
  ASSERT_FALSE(back.has_value());
  EXPECT_NE(back.error().find("unknown variant index 200"), std::string::npos) << back.error();

  auto order = encoded(Event{42, NewOrder{3, "C1", fullTerms()}});
  for (char& c : order) {  // corrupt every byte in turn: decoding must fail or succeed, never crash
    const char saved = c;
    c = static_cast<char>(0xff);
    (void)decodeEvent(order);
    c = saved;
  }
}

TEST(RecordCodec, JournaledLimitsMustParseToTheSameVersion) {
  auto limits = std::make_shared<Limits>();
  limits->version = "v1";
  limits->source = "config/limits.yaml";
  limits->content = "accounts: []\n";
  const auto bytes = encoded(Event{42, ApplyLimits{limits, "ops"}});

  const auto stub = decodeEvent(bytes);  // no parser: the audit's view
  ASSERT_TRUE(stub.has_value()) << stub.error();
  const auto& applied = std::get<ApplyLimits>(stub->body);
  EXPECT_EQ(applied.limits->content, "accounts: []\n");
  EXPECT_EQ(applied.by, "ops");

  int parsed = 0;
  const LimitsParser same =
      [&](std::string_view content,
          std::string_view source) -> std::expected<std::shared_ptr<const Limits>, std::string> {
    ++parsed;
    EXPECT_EQ(content, "accounts: []\n");
    EXPECT_EQ(source, "config/limits.yaml");
    auto l = std::make_shared<Limits>();
    l->version = "v1";
    return l;
  };
  EXPECT_TRUE(decodeEvent(bytes, same).has_value());
  EXPECT_EQ(parsed, 1);

  const LimitsParser other =
      [](std::string_view, std::string_view) -> std::expected<std::shared_ptr<const Limits>, std::string> {
    auto l = std::make_shared<Limits>();
    l->version = "v2";
    return l;
  };
  const auto mismatch = decodeEvent(bytes, other);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_NE(mismatch.error().find("parse to version v2, not the journaled v1"), std::string::npos)
      << mismatch.error();

  const LimitsParser broken =
      [](std::string_view, std::string_view) -> std::expected<std::shared_ptr<const Limits>, std::string> {
    return std::unexpected("limits.yaml:3: accounts: unknown key");
  };
  const auto refused = decodeEvent(bytes, broken);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().find("journaled limits do not parse: limits.yaml:3"), std::string::npos);
}

}  // namespace
}  // namespace fixgate::records
