// loadLimits: config/limits.yaml is read as a whole into one immutable core::Limits snapshot, checked against
// the reference data of gateway.yaml, or refused with every problem found, each naming its file, 1-based line
// and dotted key. The snapshot's version is the SHA-256 of the file's bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "config/gateway_config.h"
#include "config/limits_config.h"
#include "config/yaml_reader.h"
#include "config_test_util.h"
#include "digest/sha256.h"

#ifndef FIXGATE_SOURCE_DIR
#error "FIXGATE_SOURCE_DIR must point at the repository root"
#endif

namespace fixgate::config {
namespace {

namespace fs = std::filesystem;
using testutil::edit;
using testutil::hasError;
using testutil::lineOf;
using testutil::listErrors;

using Result = std::expected<std::shared_ptr<const core::Limits>, std::vector<ConfigError>>;

constexpr std::int64_t kScale = core::Price::kScale;

// A valid file using every key, in block and flow style; tests break it one edit at a time. Values are all
// different from the defaults so a key that is not read shows.
const std::string kLimits = R"(# limits under test
credit_warning_pct: 75.5
duplicate_window_ms: 250
collar:
  max_deviation_pct: 12.5
  max_deviation_ticks: 40
defaults:
  account:
    max_order_qty: 5000
    max_order_notional: 250000.25
    max_gross_notional: 1000000
    max_net_notional: 600000
    max_long_position: 20000
    max_short_position: 15000
    max_open_orders: 50
    max_daily_loss: 30000.5
  symbol:
    max_order_qty: 4000
    max_order_notional: 200000
breakers:
  symbol_move_pct: 7.5
  symbol_window_s: 30
  symbol_cooloff_s: 120
  venue_consecutive_failures: 3
  venue_open_s: 15
  reject_window_s: 90
  reject_min_messages: 12
  reject_pct: 40
  repeat_max: 4
  repeat_window_s: 5
accounts:
  - account: A1
  - account: A2
    max_order_qty: 100
    max_order_notional: 1000.5
    max_gross_notional: 2000
    max_net_notional: 1500
    max_long_position: 300
    max_short_position: 200
    max_open_orders: 6
    max_daily_loss: 99.99
  - { account: HEDGE, max_open_orders: 7 }
symbols:
  - { symbol: AAPL, reference_price: 100.25, max_order_qty: 700, max_order_notional: 70000 }
  - symbol: VOD.L
    reference_price: 0.72
    restricted: true
  - { symbol: IBM }
sessions:
  - session: s42
    accounts: [A1, A2]
    symbols: [AAPL, IBM]
    venues: [V1]
    default_account: A2
    max_messages_per_second: 55
  - { session: s44, accounts: [], default_account: HEDGE }
  - { session: s50 }
)";

// Only what has no default.
const std::string kMinimal = R"(defaults:
  account:
    max_order_qty: 1
    max_order_notional: 2
    max_gross_notional: 3
    max_net_notional: 4
    max_long_position: 5
    max_short_position: 6
    max_open_orders: 7
    max_daily_loss: 8
accounts:
  - account: A1
sessions:
  - session: s44
)";

core::ReferenceData refdata() {
  core::ReferenceData r;
  r.session_names = {"s42", "s44", "s50"};
  r.venue_names = {"V1", "V2"};
  for (const auto& [symbol, tick] :
       {std::pair{"AAPL", 1'000'000}, std::pair{"VOD.L", 2'000'000}, std::pair{"IBM", 1'000'000}}) {
    core::Instrument i;
    i.symbol = symbol;
    i.currency = "USD";
    i.tick_size = core::Price{tick};
    r.instruments.emplace(symbol, i);
  }
  return r;
}

core::Price px(std::int64_t whole, std::int64_t hundred_millionths = 0) {
  return core::Price{whole * kScale + hundred_millionths};
}

class LoadLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("fixgate-limits-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& text, const std::string& file = "limits.yaml") {
    const auto path = dir_ / file;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Result load(const std::string& text) { return loadLimits(write(text), refdata()); }

  const core::Limits& loaded(const std::string& text) {
    auto result = load(text);
    EXPECT_TRUE(result.has_value()) << listErrors(result.error());
    keep_ = result ? *result : std::make_shared<const core::Limits>();
    return *keep_;
  }

  std::vector<ConfigError> errorsOf(const std::string& text) {
    auto result = load(text);
    EXPECT_FALSE(result.has_value()) << "the limits file was accepted";
    return result ? std::vector<ConfigError>{} : result.error();
  }

  std::string file() const { return (dir_ / "limits.yaml").string(); }

  fs::path dir_;
  std::shared_ptr<const core::Limits> keep_;
};

// ---------------------------------------------------------------------------------------------------------------
// The repository's own files

TEST(RepositoryLimits, LoadAgainstTheRepositoryGateway) {
  const fs::path source(FIXGATE_SOURCE_DIR);
  const auto cfg = loadGatewayConfig(source / "config" / "gateway.yaml");
  ASSERT_TRUE(cfg.has_value()) << listErrors(cfg.error());
  const auto limits = loadLimits(source / "config" / "limits.yaml", cfg->refdata);
  ASSERT_TRUE(limits.has_value()) << listErrors(limits.error());
  const auto& l = **limits;
  EXPECT_EQ(l.version, cfg->limits->version);

  // Every session of gateway.yaml is entitled, with a default account it may trade.
  ASSERT_EQ(l.sessions.size(), cfg->client_sessions.size());
  for (const auto& session : cfg->client_sessions) {
    const auto it = l.sessions.find(session.name);
    ASSERT_NE(it, l.sessions.end()) << session.name;
    const auto& s = it->second;
    EXPECT_TRUE(l.accounts.contains(s.default_account)) << session.name;
    EXPECT_TRUE(s.accounts.empty() || std::ranges::find(s.accounts, s.default_account) != s.accounts.end())
        << session.name;
    EXPECT_TRUE(s.max_messages_per_second.has_value()) << session.name;
  }
  for (const auto* account : {"ACME-1", "ACME-2", "BETA-1", "HEDGE-1"}) {
    EXPECT_TRUE(l.accounts.contains(account)) << account;
  }
  // Every instrument has a reference price, so market orders and the collar work from the first order.
  for (const auto& [symbol, instrument] : cfg->refdata.instruments) {
    const auto it = l.symbols.find(symbol);
    ASSERT_NE(it, l.symbols.end()) << symbol;
    ASSERT_TRUE(it->second.reference_price.has_value()) << symbol;
    EXPECT_GT(it->second.reference_price->units, 0) << symbol;
    EXPECT_FALSE(it->second.restricted) << symbol;
  }
  // Limits in the millions, every default present.
  const auto& d = l.account_defaults;
  ASSERT_TRUE(d.max_order_qty && d.max_order_notional && d.max_gross_notional && d.max_net_notional &&
              d.max_long_position && d.max_short_position && d.max_open_orders && d.max_daily_loss);
  EXPECT_GE(*d.max_gross_notional, px(1'000'000));
}

// The demo: limit buy 1000 AAPL @ 100, then replace to 1500 @ 100.50, on any session without Account (1).
TEST(RepositoryLimits, LetTheDemoOrdersThrough) {
  const fs::path source(FIXGATE_SOURCE_DIR);
  const auto cfg = loadGatewayConfig(source / "config" / "gateway.yaml");
  ASSERT_TRUE(cfg.has_value()) << listErrors(cfg.error());
  const auto& l = *cfg->limits;
  const auto& aapl = l.symbols.at("AAPL");
  const auto tick = cfg->refdata.instrument("AAPL")->tick_size.units;
  for (const auto& [qty, price] : {std::pair{1000LL, px(100)}, std::pair{1500LL, px(100, 50'000'000)}}) {
    const std::int64_t notional = price.units * qty;  // 1.5e13 at most: no overflow
    for (const auto& session : cfg->refdata.session_names) {
      const auto& account = l.accounts.at(l.sessions.at(session).default_account);
      const auto& d = l.account_defaults;
      EXPECT_LE(qty, account.max_order_qty.value_or(*d.max_order_qty)) << session;
      EXPECT_LE(notional, account.max_order_notional.value_or(*d.max_order_notional).units) << session;
      EXPECT_LE(notional, account.max_gross_notional.value_or(*d.max_gross_notional).units) << session;
      EXPECT_LE(notional, account.max_net_notional.value_or(*d.max_net_notional).units) << session;
      EXPECT_LE(qty, account.max_long_position.value_or(*d.max_long_position)) << session;
    }
    if (aapl.max_order_qty || l.symbol_defaults.max_order_qty) {
      EXPECT_LE(qty, aapl.max_order_qty.value_or(l.symbol_defaults.max_order_qty.value_or(qty)));
    }
    if (aapl.max_order_notional || l.symbol_defaults.max_order_notional) {
      EXPECT_LE(notional, aapl.max_order_notional.value_or(*l.symbol_defaults.max_order_notional).units);
    }
    const auto deviation = std::abs(price.units - aapl.reference_price->units);
    if (l.collar.max_deviation_pct) {
      EXPECT_LE(100.0 * static_cast<double>(deviation),
                *l.collar.max_deviation_pct * static_cast<double>(aapl.reference_price->units));
    }
    if (l.collar.max_deviation_ticks) {
      EXPECT_LE(deviation / tick, *l.collar.max_deviation_ticks);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Files that load

TEST_F(LoadLimits, EveryKeyIsRead) {
  const auto& l = loaded(kLimits);
  EXPECT_EQ(l.source, file());
  EXPECT_DOUBLE_EQ(l.credit_warning_pct, 75.5);
  EXPECT_EQ(l.duplicate_window_ms, 250);
  EXPECT_EQ(l.collar.max_deviation_pct, std::optional<double>(12.5));
  EXPECT_EQ(l.collar.max_deviation_ticks, std::optional<int>(40));

  const auto& d = l.account_defaults;
  EXPECT_EQ(d.max_order_qty, std::optional<core::Qty>(5000));
  EXPECT_EQ(d.max_order_notional, px(250'000, 25'000'000));
  EXPECT_EQ(d.max_gross_notional, px(1'000'000));
  EXPECT_EQ(d.max_net_notional, px(600'000));
  EXPECT_EQ(d.max_long_position, std::optional<core::Qty>(20000));
  EXPECT_EQ(d.max_short_position, std::optional<core::Qty>(15000));
  EXPECT_EQ(d.max_open_orders, std::optional<int>(50));
  EXPECT_EQ(d.max_daily_loss, px(30'000, 50'000'000));
  EXPECT_EQ(l.symbol_defaults.max_order_qty, std::optional<core::Qty>(4000));
  EXPECT_EQ(l.symbol_defaults.max_order_notional, px(200'000));

  const auto& b = l.breakers;
  EXPECT_DOUBLE_EQ(b.symbol_move_pct, 7.5);
  EXPECT_EQ(b.symbol_window_s, 30);
  EXPECT_EQ(b.symbol_cooloff_s, 120);
  EXPECT_EQ(b.venue_consecutive_failures, 3);
  EXPECT_EQ(b.venue_open_s, 15);
  EXPECT_EQ(b.reject_window_s, 90);
  EXPECT_EQ(b.reject_min_messages, 12);
  EXPECT_DOUBLE_EQ(b.reject_pct, 40.0);
  EXPECT_EQ(b.repeat_max, 4);
  EXPECT_EQ(b.repeat_window_s, 5);

  ASSERT_EQ(l.accounts.size(), 3u);
  const auto& a1 = l.accounts.at("A1");
  EXPECT_EQ(a1.account, "A1");
  // Absent in the entry: left empty, so the core falls back to the defaults.
  EXPECT_FALSE(a1.max_order_qty || a1.max_order_notional || a1.max_gross_notional || a1.max_net_notional ||
               a1.max_long_position || a1.max_short_position || a1.max_open_orders || a1.max_daily_loss);
  const auto& a2 = l.accounts.at("A2");
  EXPECT_EQ(a2.max_order_qty, std::optional<core::Qty>(100));
  EXPECT_EQ(a2.max_order_notional, px(1000, 50'000'000));
  EXPECT_EQ(a2.max_gross_notional, px(2000));
  EXPECT_EQ(a2.max_net_notional, px(1500));
  EXPECT_EQ(a2.max_long_position, std::optional<core::Qty>(300));
  EXPECT_EQ(a2.max_short_position, std::optional<core::Qty>(200));
  EXPECT_EQ(a2.max_open_orders, std::optional<int>(6));
  EXPECT_EQ(a2.max_daily_loss, px(99, 99'000'000));
  const auto& hedge = l.accounts.at("HEDGE");
  EXPECT_EQ(hedge.max_open_orders, std::optional<int>(7));
  EXPECT_FALSE(hedge.max_order_qty.has_value());

  ASSERT_EQ(l.symbols.size(), 3u);
  const auto& aapl = l.symbols.at("AAPL");
  EXPECT_EQ(aapl.symbol, "AAPL");
  EXPECT_EQ(aapl.reference_price, px(100, 25'000'000));
  EXPECT_EQ(aapl.max_order_qty, std::optional<core::Qty>(700));
  EXPECT_EQ(aapl.max_order_notional, px(70'000));
  EXPECT_FALSE(aapl.restricted);
  const auto& vod = l.symbols.at("VOD.L");
  EXPECT_EQ(vod.reference_price, px(0, 72'000'000));
  EXPECT_TRUE(vod.restricted);
  EXPECT_FALSE(vod.max_order_qty.has_value());
  const auto& ibm = l.symbols.at("IBM");
  EXPECT_FALSE(ibm.reference_price.has_value());
  EXPECT_FALSE(ibm.restricted);

  ASSERT_EQ(l.sessions.size(), 3u);
  const auto& s42 = l.sessions.at("s42");
  EXPECT_EQ(s42.session, "s42");
  EXPECT_EQ(s42.accounts, (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ(s42.symbols, (std::vector<std::string>{"AAPL", "IBM"}));
  EXPECT_EQ(s42.venues, (std::vector<std::string>{"V1"}));
  EXPECT_EQ(s42.default_account, "A2");
  EXPECT_EQ(s42.max_messages_per_second, std::optional<int>(55));
  const auto& s44 = l.sessions.at("s44");
  EXPECT_TRUE(s44.accounts.empty());
  EXPECT_EQ(s44.default_account, "HEDGE");
  const auto& s50 = l.sessions.at("s50");
  EXPECT_TRUE(s50.accounts.empty() && s50.symbols.empty() && s50.venues.empty());
  EXPECT_EQ(s50.default_account, "");
  EXPECT_FALSE(s50.max_messages_per_second.has_value());
}

// Every key config/limits.yaml shows with a default takes that default when absent.
TEST_F(LoadLimits, AbsentKeysTakeTheDocumentedDefaults) {
  const auto& l = loaded(kMinimal);
  EXPECT_DOUBLE_EQ(l.credit_warning_pct, 70.0);
  EXPECT_EQ(l.duplicate_window_ms, 1000);
  EXPECT_EQ(l.collar.max_deviation_pct, std::optional<double>(10.0));
  EXPECT_FALSE(l.collar.max_deviation_ticks.has_value());
  EXPECT_FALSE(l.symbol_defaults.max_order_qty.has_value());
  EXPECT_FALSE(l.symbol_defaults.max_order_notional.has_value());
  const core::BreakerSettings d;
  EXPECT_DOUBLE_EQ(l.breakers.symbol_move_pct, d.symbol_move_pct);
  EXPECT_EQ(l.breakers.symbol_window_s, 60);
  EXPECT_EQ(l.breakers.symbol_cooloff_s, 300);
  EXPECT_EQ(l.breakers.venue_consecutive_failures, 5);
  EXPECT_EQ(l.breakers.venue_open_s, 30);
  EXPECT_EQ(l.breakers.reject_window_s, 60);
  EXPECT_EQ(l.breakers.reject_min_messages, 20);
  EXPECT_DOUBLE_EQ(l.breakers.reject_pct, 50.0);
  EXPECT_EQ(l.breakers.repeat_max, 10);
  EXPECT_EQ(l.breakers.repeat_window_s, 10);
  EXPECT_TRUE(l.symbols.empty());
  EXPECT_EQ(l.account_defaults.max_order_qty, std::optional<core::Qty>(1));
  EXPECT_EQ(l.account_defaults.max_daily_loss, px(8));
  const auto& s = l.sessions.at("s44");
  EXPECT_TRUE(s.accounts.empty() && s.symbols.empty() && s.venues.empty());
  EXPECT_EQ(s.default_account, "");
  EXPECT_FALSE(s.max_messages_per_second.has_value());
}

TEST_F(LoadLimits, TildeTurnsACollarCheckOff) {
  auto text = edit(kLimits, "max_deviation_pct: 12.5", "max_deviation_pct: ~");
  text = edit(text, "max_deviation_ticks: 40", "max_deviation_ticks: null");
  const auto& l = loaded(text);
  EXPECT_FALSE(l.collar.max_deviation_pct.has_value());
  EXPECT_FALSE(l.collar.max_deviation_ticks.has_value());
}

TEST_F(LoadLimits, ZeroDuplicateWindowTurnsTheCheckOff) {
  EXPECT_EQ(loaded(edit(kLimits, "duplicate_window_ms: 250", "duplicate_window_ms: 0")).duplicate_window_ms,
            0);
}

TEST_F(LoadLimits, HundredPercentIsAllowed) {
  EXPECT_DOUBLE_EQ(loaded(edit(kLimits, "reject_pct: 40", "reject_pct: 100")).breakers.reject_pct, 100.0);
}

TEST_F(LoadLimits, EmptyListsMeanNoRestriction) {
  const auto text =
      edit(kLimits, "    symbols: [AAPL, IBM]\n    venues: [V1]\n", "    symbols: []\n    venues: []\n");
  const auto& s = loaded(text).sessions.at("s42");
  EXPECT_TRUE(s.symbols.empty());
  EXPECT_TRUE(s.venues.empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Version

TEST(Sha256Hex, MatchesTheStandardTestVector) {
  EXPECT_EQ(digest::sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest::sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(LoadLimits, VersionIsTheSha256OfTheFileBytes) {
  const auto& l = loaded(kLimits);
  EXPECT_EQ(l.version, digest::sha256Hex(kLimits));
  EXPECT_EQ(l.version.size(), 64u);
  EXPECT_TRUE(std::ranges::all_of(l.version, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  })) << l.version;
}

TEST_F(LoadLimits, VersionIsStableForTheSameBytes) {
  const auto first = loaded(kLimits).version;
  const auto second = loaded(kLimits).version;
  EXPECT_EQ(first, second);
}

// Even a change that does not alter a single value (a comment) is a different file, so a different version.
TEST_F(LoadLimits, VersionChangesWhenOneByteChanges) {
  const auto original = loaded(kLimits).version;
  const auto comment = loaded(edit(kLimits, "# limits under test", "# limits under tesT")).version;
  const auto value = loaded(edit(kLimits, "max_open_orders: 7 }", "max_open_orders: 8 }")).version;
  EXPECT_NE(original, comment);
  EXPECT_NE(original, value);
  EXPECT_NE(comment, value);
}

// ---------------------------------------------------------------------------------------------------------------
// Unknown and repeated keys

TEST_F(LoadLimits, UnknownTopLevelKey) {
  const auto text = edit(kLimits, "breakers:\n", "breaker:\n  repeat_max: 3\nbreakers:\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "breaker:"), "breaker", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, UnknownKeyInDefaults) {
  const auto text = edit(kLimits, "    max_open_orders: 50", "    max_open_order: 50");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "max_open_order:"), "defaults.account.max_open_order",
                       "unknown key"));
  // The misspelt key leaves the required one missing, reported where its section starts.
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "max_order_qty: 5000"),
                       "defaults.account.max_open_orders", "required"));
  EXPECT_EQ(errors.size(), 2u) << listErrors(errors);
}

TEST_F(LoadLimits, UnknownKeyInAnAccount) {
  const auto text =
      edit(kLimits, "{ account: HEDGE, max_open_orders: 7 }", "{ account: HEDGE, max_orders: 7 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "max_orders"), "accounts[2].max_orders", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, UnknownKeyInASymbol) {
  const auto text = edit(kLimits, "    restricted: true\n", "    restricted: true\n    halted: true\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "halted"), "symbols[1].halted", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, UnknownKeyInASession) {
  const auto text = edit(kLimits, "{ session: s50 }", "{ session: s50, account: A1 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "account: A1 }"), "sessions[2].account", "unknown key"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, UnknownKeyInTheCollar) {
  const auto text = edit(kLimits, "  max_deviation_ticks: 40", "  max_deviation_bps: 40");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "max_deviation_bps"), "collar.max_deviation_bps", "unknown"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, KeyGivenTwiceIsRefused) {
  const auto text =
      edit(kLimits, "    max_daily_loss: 30000.5\n", "    max_daily_loss: 30000.5\n    max_order_qty: 9\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "max_order_qty: 9"), "defaults.account.max_order_qty", "twice"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Zero, negative and out-of-range values

struct BadValue {
  const char* from;
  const char* to;
  const char* key;
  const char* says;
};

void PrintTo(const BadValue& v, std::ostream* os) {
  *os << v.key << " = " << v.to;
}

class RefusedValue : public LoadLimits, public ::testing::WithParamInterface<BadValue> {};

TEST_P(RefusedValue, NamesFileLineAndKey) {
  const auto& p = GetParam();
  const auto text = edit(kLimits, p.from, p.to);
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, p.to), p.key, p.says));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

INSTANTIATE_TEST_SUITE_P(
    ZeroOrNegativeLimits, RefusedValue,
    ::testing::Values(
        BadValue{"max_order_qty: 5000", "max_order_qty: 0", "defaults.account.max_order_qty",
                 "greater than 0, got 0"},
        BadValue{"max_order_notional: 250000.25", "max_order_notional: -1",
                 "defaults.account.max_order_notional", "greater than 0, got -1"},
        BadValue{"max_gross_notional: 1000000", "max_gross_notional: 0",
                 "defaults.account.max_gross_notional", "greater than 0"},
        BadValue{"max_net_notional: 600000", "max_net_notional: 0.00", "defaults.account.max_net_notional",
                 "greater than 0"},
        BadValue{"max_long_position: 20000", "max_long_position: -5", "defaults.account.max_long_position",
                 "greater than 0, got -5"},
        BadValue{"max_short_position: 15000", "max_short_position: 0", "defaults.account.max_short_position",
                 "greater than 0"},
        BadValue{"max_open_orders: 50", "max_open_orders: 0", "defaults.account.max_open_orders",
                 "greater than 0"},
        BadValue{"max_daily_loss: 30000.5", "max_daily_loss: -30000", "defaults.account.max_daily_loss",
                 "greater than 0"},
        BadValue{"max_order_qty: 4000", "max_order_qty: 0", "defaults.symbol.max_order_qty",
                 "greater than 0"},
        BadValue{"max_order_notional: 200000", "max_order_notional: 0", "defaults.symbol.max_order_notional",
                 "greater than 0"},
        BadValue{"max_order_qty: 100\n", "max_order_qty: -100\n", "accounts[1].max_order_qty",
                 "greater than 0"},
        BadValue{"max_daily_loss: 99.99", "max_daily_loss: 0", "accounts[1].max_daily_loss",
                 "greater than 0"},
        BadValue{"max_open_orders: 7 }", "max_open_orders: 0 }", "accounts[2].max_open_orders",
                 "greater than 0"},
        BadValue{"reference_price: 100.25", "reference_price: 0", "symbols[0].reference_price",
                 "greater than 0"},
        BadValue{"reference_price: 0.72", "reference_price: -0.72", "symbols[1].reference_price",
                 "greater than 0"},
        BadValue{"max_order_qty: 700", "max_order_qty: 0", "symbols[0].max_order_qty", "greater than 0"},
        BadValue{"max_messages_per_second: 55", "max_messages_per_second: 0",
                 "sessions[0].max_messages_per_second", "greater than 0"},
        BadValue{"max_deviation_ticks: 40", "max_deviation_ticks: 0", "collar.max_deviation_ticks",
                 "greater than 0"},
        BadValue{"symbol_window_s: 30", "symbol_window_s: 0", "breakers.symbol_window_s", "greater than 0"},
        BadValue{"symbol_cooloff_s: 120", "symbol_cooloff_s: -1", "breakers.symbol_cooloff_s",
                 "greater than 0"},
        BadValue{"venue_consecutive_failures: 3", "venue_consecutive_failures: 0",
                 "breakers.venue_consecutive_failures", "greater than 0"},
        BadValue{"venue_open_s: 15", "venue_open_s: 0", "breakers.venue_open_s", "greater than 0"},
        BadValue{"reject_window_s: 90", "reject_window_s: 0", "breakers.reject_window_s", "greater than 0"},
        BadValue{"reject_min_messages: 12", "reject_min_messages: 0", "breakers.reject_min_messages",
                 "greater than 0"},
        BadValue{"repeat_max: 4", "repeat_max: 0", "breakers.repeat_max", "greater than 0"},
        BadValue{"repeat_window_s: 5", "repeat_window_s: 0", "breakers.repeat_window_s", "greater than 0"},
        BadValue{"duplicate_window_ms: 250", "duplicate_window_ms: -1", "duplicate_window_ms",
                 "between 0 and"},
        BadValue{"symbol_window_s: 30", "symbol_window_s: 86401", "breakers.symbol_window_s",
                 "at most 86400"}));

INSTANTIATE_TEST_SUITE_P(
    PercentagesOutsideZeroToHundred, RefusedValue,
    ::testing::Values(
        BadValue{"credit_warning_pct: 75.5", "credit_warning_pct: 0", "credit_warning_pct",
                 "above 0 and at most 100"},
        BadValue{"credit_warning_pct: 75.5", "credit_warning_pct: 100.01", "credit_warning_pct",
                 "got 100.01"},
        BadValue{"credit_warning_pct: 75.5", "credit_warning_pct: -5", "credit_warning_pct", "got -5"},
        BadValue{"max_deviation_pct: 12.5", "max_deviation_pct: 150", "collar.max_deviation_pct",
                 "at most 100"},
        BadValue{"symbol_move_pct: 7.5", "symbol_move_pct: 0", "breakers.symbol_move_pct", "above 0"},
        BadValue{"reject_pct: 40", "reject_pct: 101", "breakers.reject_pct", "at most 100"},
        BadValue{"reject_pct: 40", "reject_pct: 40%", "breakers.reject_pct", "percentage such as"}));

INSTANTIATE_TEST_SUITE_P(
    WrongTypes, RefusedValue,
    ::testing::Values(
        BadValue{"max_order_qty: 5000", "max_order_qty: 50.5", "defaults.account.max_order_qty",
                 "whole number"},
        BadValue{"max_order_qty: 5000", "max_order_qty: lots", "defaults.account.max_order_qty", "'lots'"},
        BadValue{"max_order_notional: 250000.25", "max_order_notional: 1e6",
                 "defaults.account.max_order_notional", "'1e6'"},
        BadValue{"max_order_notional: 250000.25", "max_order_notional: 1.000000001",
                 "defaults.account.max_order_notional", "at most 8 decimal places"},
        BadValue{"max_open_orders: 50", "max_open_orders: [50]", "defaults.account.max_open_orders",
                 "single value"},
        BadValue{"restricted: true", "restricted: yes", "symbols[1].restricted", "true or false"},
        BadValue{"max_messages_per_second: 55", "max_messages_per_second: fast",
                 "sessions[0].max_messages_per_second", "whole number"},
        BadValue{"accounts: [A1, A2]", "accounts: A1", "sessions[0].accounts", "must be a list"},
        BadValue{"venues: [V1]", "venues: [{ name: V1 }]", "sessions[0].venues[0]", "must be a name"},
        BadValue{"max_deviation_pct: 12.5", "max_deviation_pct: ten", "collar.max_deviation_pct", "'ten'"}));

TEST_F(LoadLimits, SectionThatIsNotAMap) {
  const auto text =
      edit(kLimits, "collar:\n  max_deviation_pct: 12.5\n  max_deviation_ticks: 40\n", "collar: 10\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "collar: 10"), "collar", "must be a map"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Required keys

TEST_F(LoadLimits, MissingDefaultsSection) {
  const auto start = kLimits.find("defaults:\n");
  const auto end = kLimits.find("breakers:\n");
  const auto text = kLimits.substr(0, start) + kLimits.substr(end);
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "credit_warning_pct"), "defaults",
                       "required section is missing"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, MissingAccountDefault) {
  const auto text = edit(kLimits, "    max_daily_loss: 30000.5\n", "");
  const auto errors = errorsOf(text);
  // Reported where the section starts.
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "max_order_qty: 5000"), "defaults.account.max_daily_loss",
                       "required"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, AccountEntryWithoutItsName) {
  const auto text = edit(kLimits, "  - account: A2\n    max_order_qty: 100", "  - max_order_qty: 100");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "- max_order_qty: 100"), "accounts[1].account", "required"));
  // A2 is gone, so s42's references to it are reported too.
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "[A1, A2]"), "sessions[0].accounts[1]", "'A2'"));
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "default_account: A2"), "sessions[0].default_account", "'A2'"));
  EXPECT_EQ(errors.size(), 3u) << listErrors(errors);
}

TEST_F(LoadLimits, EmptyAccountName) {
  const auto text = edit(kLimits, "  - account: A1\n", "  - account: A1\n  - account: \"\"\n");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "account: \"\""), "accounts[1].account", "must not be empty"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, MissingAccountsList) {
  const auto errors = errorsOf(edit(kMinimal, "accounts:\n  - account: A1\n", ""));
  EXPECT_TRUE(hasError(errors, file(), 1, "accounts", "required list is missing"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, MissingSessionsList) {
  const auto errors = errorsOf(edit(kMinimal, "sessions:\n  - session: s44\n", ""));
  EXPECT_TRUE(hasError(errors, file(), 1, "sessions", "required list is missing"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, SessionEntryWithoutItsName) {
  const auto text = edit(kLimits, "{ session: s50 }", "{ default_account: A1 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "{ default_account: A1 }"), "sessions[2].session", "required"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// Duplicates

TEST_F(LoadLimits, DuplicateAccount) {
  const auto text = edit(kLimits, "{ account: HEDGE,", "{ account: A1,");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(
      errors, file(), lineOf(text, "{ account: A1,"), "accounts[2].account",
      "'A1' is configured twice (first at line " + std::to_string(lineOf(text, "- account: A1")) + ")"));
  // HEDGE is gone, so s44's default account is reported too.
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "default_account: HEDGE"), "sessions[1].default_account",
                       "'HEDGE'"));
  EXPECT_EQ(errors.size(), 2u) << listErrors(errors);
}

TEST_F(LoadLimits, DuplicateSymbol) {
  const auto text = edit(kLimits, "{ symbol: IBM }", "{ symbol: AAPL }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "{ symbol: AAPL }"), "symbols[2].symbol",
                       "symbol 'AAPL' is configured twice"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, DuplicateSession) {
  const auto text = edit(kLimits, "{ session: s50 }", "{ session: s44 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "{ session: s44 }"), "sessions[2].session",
                       "session 's44' is configured twice"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, NameListedTwiceInASession) {
  const auto text = edit(kLimits, "symbols: [AAPL, IBM]", "symbols: [AAPL, AAPL]");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "[AAPL, AAPL]"), "sessions[0].symbols[1]", "listed twice"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// ---------------------------------------------------------------------------------------------------------------
// References to gateway.yaml, the instruments file and the accounts

TEST_F(LoadLimits, SessionNotInGatewayYaml) {
  const auto text = edit(kLimits, "{ session: s50 }", "{ session: s51 }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "s51"), "sessions[2].session",
                       "'s51' is not a client session of gateway.yaml; use one of: s42, s44, s50"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, SymbolEntryNotInTheInstruments) {
  const auto text = edit(kLimits, "{ symbol: IBM }", "{ symbol: MSFT }");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "MSFT"), "symbols[2].symbol", "'MSFT' is not an instrument"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, SessionSymbolNotInTheInstruments) {
  const auto text = edit(kLimits, "symbols: [AAPL, IBM]", "symbols: [AAPL, MSFT]");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "MSFT"), "sessions[0].symbols[1]",
                       "'MSFT' is not an instrument"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, SessionVenueNotInGatewayYaml) {
  const auto text = edit(kLimits, "venues: [V1]", "venues: [V1, V9]");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "V9"), "sessions[0].venues[1]",
                       "'V9' is not a venue of gateway.yaml"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, SessionAccountNotConfigured) {
  const auto text = edit(kLimits, "accounts: [A1, A2]", "accounts: [A1, A2, ZZ]");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "ZZ"), "sessions[0].accounts[2]",
                       "account 'ZZ' has no entry under accounts"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, DefaultAccountNotConfigured) {
  const auto text = edit(kLimits, "default_account: HEDGE", "default_account: NOPE");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "NOPE"), "sessions[1].default_account",
                       "account 'NOPE' has no entry under accounts"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

TEST_F(LoadLimits, DefaultAccountOutsideTheSessionsOwnAccounts) {
  const auto text = edit(kLimits, "default_account: A2", "default_account: HEDGE");
  const auto errors = errorsOf(text);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "default_account: HEDGE"), "sessions[0].default_account",
                       "'HEDGE' is not among this session's accounts (A1, A2)"));
  EXPECT_EQ(errors.size(), 1u) << listErrors(errors);
}

// Accounts are read before sessions whatever the order in the file.
TEST_F(LoadLimits, SessionsMayComeBeforeAccounts) {
  const auto accounts_at = kLimits.find("accounts:\n  - account: A1");
  const auto symbols_at = kLimits.find("symbols:\n");
  const auto sessions_at = kLimits.find("sessions:\n");
  const auto text = kLimits.substr(0, accounts_at) + kLimits.substr(sessions_at) +
                    kLimits.substr(accounts_at, symbols_at - accounts_at) +
                    kLimits.substr(symbols_at, sessions_at - symbols_at);
  EXPECT_EQ(loaded(text).sessions.at("s42").default_account, "A2");
}

// ---------------------------------------------------------------------------------------------------------------
// Files that cannot be read

TEST_F(LoadLimits, YamlSyntaxErrorNamesItsLine) {
  const auto text = edit(kLimits, "    max_gross_notional: 1000000", "      max_gross_notional: 1000000");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_EQ(errors[0].file, file());
  EXPECT_EQ(errors[0].line, lineOf(text, "max_gross_notional"));
  EXPECT_NE(errors[0].message.find("YAML syntax error"), std::string::npos) << format(errors[0]);
}

TEST_F(LoadLimits, UnclosedFlowMapIsASyntaxError) {
  const auto text = edit(kLimits, "{ symbol: IBM }", "{ symbol: IBM");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_GE(errors[0].line, lineOf(text, "{ symbol: IBM"));
  EXPECT_NE(errors[0].message.find("YAML syntax error"), std::string::npos) << format(errors[0]);
}

TEST_F(LoadLimits, MissingFile) {
  const auto result = loadLimits(dir_ / "absent.yaml", refdata());
  ASSERT_FALSE(result.has_value());
  ASSERT_EQ(result.error().size(), 1u) << listErrors(result.error());
  EXPECT_EQ(result.error()[0].file, (dir_ / "absent.yaml").string());
  EXPECT_NE(result.error()[0].message.find("not found"), std::string::npos);
}

TEST_F(LoadLimits, TopLevelThatIsNotAMap) {
  const auto errors = errorsOf("- a\n- b\n");
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_NE(errors[0].message.find("must be a map"), std::string::npos) << format(errors[0]);
}

// ---------------------------------------------------------------------------------------------------------------
// Collected in one pass

TEST_F(LoadLimits, EveryProblemIsReportedInOnePassInFileOrder) {
  auto text = edit(kLimits, "credit_warning_pct: 75.5", "credit_warning_pct: 0");
  text = edit(text, "max_short_position: 15000", "max_short_position: -1");
  text = edit(text, "repeat_window_s: 5", "repeat_windw_s: 5");
  text = edit(text, "{ symbol: IBM }", "{ symbol: IBM, restricted: maybe }");
  text = edit(text, "venues: [V1]", "venues: [V7]");
  text = edit(text, "{ session: s50 }", "{ session: s42 }");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 6u) << listErrors(errors);
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "credit_warning_pct"), "credit_warning_pct", "got 0"));
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "max_short_position"),
                       "defaults.account.max_short_position", "got -1"));
  EXPECT_TRUE(
      hasError(errors, file(), lineOf(text, "repeat_windw_s"), "breakers.repeat_windw_s", "unknown key"));
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "maybe"), "symbols[2].restricted", "'maybe'"));
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "V7"), "sessions[0].venues[0]", "'V7'"));
  EXPECT_TRUE(hasError(errors, file(), lineOf(text, "{ session: s42 }"), "sessions[2].session", "twice"));
  EXPECT_TRUE(std::ranges::is_sorted(errors, {}, &ConfigError::line)) << listErrors(errors);
}

TEST_F(LoadLimits, FormattedErrorNamesFileLineKeyAndWhatToDo) {
  const auto text = edit(kLimits, "max_open_orders: 50", "max_open_orders: 0");
  const auto errors = errorsOf(text);
  ASSERT_EQ(errors.size(), 1u) << listErrors(errors);
  EXPECT_EQ(format(errors[0]),
            file() + ":" + std::to_string(lineOf(text, "max_open_orders: 0")) +
                ": defaults.account.max_open_orders: must be greater than 0, got 0; a limit is "
                "never zero or negative");
}

}  // namespace
}  // namespace fixgate::config
