#include "config/limits_config.h"

#include "digest/sha256.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <utility>

namespace fixgate::config {
namespace {

namespace fs = std::filesystem;

constexpr long long kMaxQty = 1'000'000'000'000;  // shares or contracts
constexpr long long kMaxCount = 1'000'000;        // orders, messages, failures
constexpr long long kMaxSeconds = 86'400;         // one day
constexpr long long kMaxTicks = 1'000'000;

// "A, B, C" for an error message; long lists (thousands of instruments) are cut short.
std::string joined(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 20;
  if (names.empty()) return "none configured";
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > kShown) out += fmt::format(" and {} more", names.size() - kShown);
  return out;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<int> asInt(std::optional<long long> value) {
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

// The eight account limits; in `defaults.account` every one is required, in an account entry each is an
// optional override of the default.
void readAccountLimits(MapReader& r, core::AccountLimits& a, bool required) {
  a.max_order_qty = r.positiveInteger("max_order_qty", required, kMaxQty);
  a.max_order_notional = r.positiveDecimal("max_order_notional", required);
  a.max_gross_notional = r.positiveDecimal("max_gross_notional", required);
  a.max_net_notional = r.positiveDecimal("max_net_notional", required);
  a.max_long_position = r.positiveInteger("max_long_position", required, kMaxQty);
  a.max_short_position = r.positiveInteger("max_short_position", required, kMaxQty);
  a.max_open_orders = asInt(r.positiveInteger("max_open_orders", required, kMaxCount));
  a.max_daily_loss = r.positiveDecimal("max_daily_loss", required);
}

void readSymbolLimits(MapReader& r, core::SymbolLimits& s) {
  s.max_order_qty = r.positiveInteger("max_order_qty", false, kMaxQty);
  s.max_order_notional = r.positiveDecimal("max_order_notional", false);
}

// A required, non-empty name.
std::string name(MapReader& r, std::string_view key) {
  auto value = r.string(key, std::nullopt);  // absent: reported as required
  if (value && value->empty()) r.errors().add(r.lineOf(key), r.keyPath(key), "must not be empty");
  return value.value_or("");
}

// Records the first line each name was given on; reports a second entry for the same name.
class FirstSeen {
 public:
  explicit FirstSeen(std::string what) : what_(std::move(what)) {}
  bool add(MapReader& r, std::string_view key, const std::string& value) {
    const int line = r.lineOf(key);
    const auto [it, inserted] = lines_.emplace(value, line);
    if (!inserted) {
      r.errors().add(line, r.keyPath(key),
                     fmt::format("{} '{}' is configured twice (first at line {}); keep one entry", what_,
                                 value, it->second));
    }
    return inserted;
  }

 private:
  std::string what_;
  std::map<std::string, int, std::less<>> lines_;
};

void readBreakers(MapReader& r, core::BreakerSettings& b) {
  const core::BreakerSettings d;
  b.symbol_move_pct = r.percent("symbol_move_pct", false).value_or(d.symbol_move_pct);
  b.symbol_window_s =
      asInt(r.positiveInteger("symbol_window_s", false, kMaxSeconds)).value_or(d.symbol_window_s);
  b.symbol_cooloff_s =
      asInt(r.positiveInteger("symbol_cooloff_s", false, kMaxSeconds)).value_or(d.symbol_cooloff_s);
  b.venue_consecutive_failures = asInt(r.positiveInteger("venue_consecutive_failures", false, kMaxCount))
                                     .value_or(d.venue_consecutive_failures);
  b.venue_open_s = asInt(r.positiveInteger("venue_open_s", false, kMaxSeconds)).value_or(d.venue_open_s);
  b.reject_window_s =
      asInt(r.positiveInteger("reject_window_s", false, kMaxSeconds)).value_or(d.reject_window_s);
  b.reject_min_messages =
      asInt(r.positiveInteger("reject_min_messages", false, kMaxCount)).value_or(d.reject_min_messages);
  b.reject_pct = r.percent("reject_pct", false).value_or(d.reject_pct);
  b.repeat_max = asInt(r.positiveInteger("repeat_max", false, kMaxCount)).value_or(d.repeat_max);
  b.repeat_window_s =
      asInt(r.positiveInteger("repeat_window_s", false, kMaxSeconds)).value_or(d.repeat_window_s);
}

void readCollar(MapReader& r, core::CollarSettings& c) {
  // Absent: the documented default. Written as ~: that collar check is off.
  if (r.isNull("max_deviation_pct")) {
    c.max_deviation_pct.reset();
  } else {
    c.max_deviation_pct = r.percent("max_deviation_pct", false).value_or(10.0);
  }
  if (r.isNull("max_deviation_ticks")) {
    c.max_deviation_ticks.reset();
  } else {
    c.max_deviation_ticks = asInt(r.positiveInteger("max_deviation_ticks", false, kMaxTicks));
  }
}

// Reads one of a session's lists: each name is reported when `unknown` returns a problem, or when listed
// twice.
std::vector<std::string> checkedList(
    MapReader& r, std::string_view key,
    const std::function<std::optional<std::string>(const std::string&)>& unknown) {
  std::vector<std::string> out;
  const auto items = r.stringList(key, false);
  if (!items) return out;
  std::map<std::string, int, std::less<>> first;
  for (const auto& item : *items) {
    if (const auto [it, inserted] = first.emplace(item.value, item.line); !inserted) {
      r.errors().add(
          item.line, item.key,
          fmt::format("'{}' is listed twice (first at line {}); keep one", item.value, it->second));
      continue;
    }
    if (auto problem = unknown(item.value)) {
      r.errors().add(item.line, item.key, *problem);
      continue;
    }
    out.push_back(item.value);
  }
  return out;
}

}  // namespace

std::expected<std::shared_ptr<const core::Limits>, std::vector<ConfigError>> loadLimits(
    const fs::path& file, const core::ReferenceData& refdata) {
  ConfigErrors errors(file.string());
  const auto bytes = readFileBytes(file.string(), errors);
  if (!bytes) return std::unexpected(errors.take());
  return loadLimitsText(*bytes, file.string(), refdata);
}

std::expected<std::shared_ptr<const core::Limits>, std::vector<ConfigError>> loadLimitsText(
    const std::string& content, const std::string& source, const core::ReferenceData& refdata) {
  ConfigErrors errors(source);
  const auto root = loadYamlText(content, errors);
  if (!root) return std::unexpected(errors.take());

  auto limits = std::make_shared<core::Limits>();
  limits->version = digest::sha256Hex(content);
  limits->source = source;
  limits->content = content;
  limits->collar.max_deviation_pct = 10.0;

  std::vector<std::string> instrument_names;
  for (const auto& [symbol, instrument] : refdata.instruments) instrument_names.push_back(symbol);
  std::sort(instrument_names.begin(), instrument_names.end());

  {
    MapReader top(*root, "", errors);
    limits->credit_warning_pct = top.percent("credit_warning_pct", false).value_or(70.0);
    limits->duplicate_window_ms =
        static_cast<int>(top.integer("duplicate_window_ms", 1000, 0, kMaxSeconds * 1000).value_or(1000));
    top.map("collar", false, [&](MapReader& r) { readCollar(r, limits->collar); });
    top.map("defaults", true, [&](MapReader& r) {
      r.map("account", true, [&](MapReader& a) { readAccountLimits(a, limits->account_defaults, true); });
      r.map("symbol", false, [&](MapReader& s) { readSymbolLimits(s, limits->symbol_defaults); });
    });
    top.map("breakers", false, [&](MapReader& r) { readBreakers(r, limits->breakers); });

    FirstSeen accounts_seen("account");
    top.sequence("accounts", true, [&](MapReader& r, std::size_t) {
      core::AccountLimits a;
      a.account = name(r, "account");
      readAccountLimits(r, a, false);
      if (a.account.empty() || !accounts_seen.add(r, "account", a.account)) return;
      limits->accounts.emplace(a.account, std::move(a));
    });

    FirstSeen symbols_seen("symbol");
    top.sequence("symbols", false, [&](MapReader& r, std::size_t) {
      core::SymbolLimits s;
      s.symbol = name(r, "symbol");
      s.reference_price = r.positiveDecimal("reference_price", false);
      s.restricted = r.boolean("restricted", false).value_or(false);
      readSymbolLimits(r, s);
      if (s.symbol.empty() || !symbols_seen.add(r, "symbol", s.symbol)) return;
      if (!refdata.instruments.contains(s.symbol)) {
        errors.add(
            r.lineOf("symbol"), r.keyPath("symbol"),
            fmt::format("'{}' is not an instrument of the instruments file; add it there or remove this "
                        "entry (instruments: {})",
                        s.symbol, joined(instrument_names)));
        return;
      }
      limits->symbols.emplace(s.symbol, std::move(s));
    });

    // Sessions last: they refer to the accounts above, wherever the lists appear in the file.
    std::vector<std::string> account_names;
    for (const auto& [account, a] : limits->accounts) account_names.push_back(account);
    std::sort(account_names.begin(), account_names.end());

    FirstSeen sessions_seen("session");
    top.sequence("sessions", true, [&](MapReader& r, std::size_t) {
      core::SessionLimits s;
      s.session = name(r, "session");
      bool known = !s.session.empty();
      if (known && !contains(refdata.session_names, s.session)) {
        errors.add(r.lineOf("session"), r.keyPath("session"),
                   fmt::format("'{}' is not a client session of gateway.yaml; use one of: {}", s.session,
                               joined(refdata.session_names)));
        known = false;
      }
      s.accounts = checkedList(r, "accounts", [&](const std::string& account) -> std::optional<std::string> {
        if (limits->accounts.contains(account)) return std::nullopt;
        return fmt::format(
            "account '{}' has no entry under accounts; add one or remove it here (accounts: {})", account,
            joined(account_names));
      });
      s.symbols = checkedList(r, "symbols", [&](const std::string& symbol) -> std::optional<std::string> {
        if (refdata.instruments.contains(symbol)) return std::nullopt;
        return fmt::format("'{}' is not an instrument of the instruments file (instruments: {})", symbol,
                           joined(instrument_names));
      });
      s.venues = checkedList(r, "venues", [&](const std::string& venue) -> std::optional<std::string> {
        if (contains(refdata.venue_names, venue)) return std::nullopt;
        return fmt::format("'{}' is not a venue of gateway.yaml; use one of: {}", venue,
                           joined(refdata.venue_names));
      });
      s.default_account = r.string("default_account", "").value_or("");
      if (!s.default_account.empty()) {
        if (!limits->accounts.contains(s.default_account)) {
          errors.add(
              r.lineOf("default_account"), r.keyPath("default_account"),
              fmt::format("account '{}' has no entry under accounts; add one or name a configured account "
                          "(accounts: {})",
                          s.default_account, joined(account_names)));
        } else if (!s.accounts.empty() && !contains(s.accounts, s.default_account)) {
          errors.add(
              r.lineOf("default_account"), r.keyPath("default_account"),
              fmt::format("account '{}' is not among this session's accounts ({}); add it to accounts or "
                          "name one of them",
                          s.default_account, joined(s.accounts)));
        }
      }
      s.max_messages_per_second = asInt(r.positiveInteger("max_messages_per_second", false, kMaxCount));
      if (!known || !sessions_seen.add(r, "session", s.session)) return;
      limits->sessions.emplace(s.session, std::move(s));
    });
  }  // readers report unknown and repeated keys here

  if (!errors.empty()) {
    auto list = errors.take();
    // In file order, so the operator can work down the file.
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    return std::unexpected(std::move(list));
  }
  return std::shared_ptr<const core::Limits>(std::move(limits));
}

}  // namespace fixgate::config
