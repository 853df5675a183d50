#include "admin/command.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

#include "admin/command_line.h"

namespace fixgate::admin {
namespace {

constexpr std::string_view kScopedArgs =
    "scope=<global|account|session|symbol|venue> [key=<name>] by=<operator> [reason=\"...\"]";

struct VerbSpec {
  std::string_view name;
  Verb verb;
  std::string_view args_form;
  std::array<std::string_view, 4> allowed;  // argument keys this verb takes; empty slots unused
};

constexpr std::array<VerbSpec, 14> kVerbs{{
    {"status", Verb::Status, "", {}},
    {"reload-limits", Verb::ReloadLimits, "by=<operator>", {"by"}},
    {"reload-settings", Verb::ReloadSettings, "by=<operator>", {"by"}},
    {"halt", Verb::Halt, kScopedArgs, {"scope", "key", "by", "reason"}},
    {"reduce", Verb::Reduce, kScopedArgs, {"scope", "key", "by", "reason"}},
    {"kill", Verb::Kill, kScopedArgs, {"scope", "key", "by", "reason"}},
    {"resume", Verb::Resume, kScopedArgs, {"scope", "key", "by", "reason"}},
    {"reset-breaker", Verb::ResetBreaker, "session=<name> by=<operator>", {"session", "by"}},
    {"sessions", Verb::Sessions, "", {}},
    {"venues", Verb::Venues, "", {}},
    {"breakers", Verb::Breakers, "", {}},
    {"limits", Verb::Limits, "", {}},
    {"log-level",
     Verb::LogLevel,
     "level=<trace|debug|info|warn|error|critical> by=<operator>",
     {"level", "by"}},
    {"reset-venue-seq",
     Verb::ResetVenueSequence,
     "venue=<name> by=<operator> [reason=\"...\"]",
     {"venue", "by", "reason"}},
}};

constexpr std::array<std::pair<std::string_view, core::Scope>, 5> kScopes{{
    {"global", core::Scope::Global},
    {"account", core::Scope::Account},
    {"session", core::Scope::Session},
    {"symbol", core::Scope::Symbol},
    {"venue", core::Scope::Venue},
}};

const VerbSpec* findVerb(std::string_view name) {
  for (const auto& spec : kVerbs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const VerbSpec& specOf(Verb verb) {
  return *std::find_if(kVerbs.begin(), kVerbs.end(), [verb](const VerbSpec& s) { return s.verb == verb; });
}

std::string form(const VerbSpec& spec) {
  return spec.args_form.empty() ? std::string(spec.name) : fmt::format("{} {}", spec.name, spec.args_form);
}

std::string verbList() {
  std::string names;
  for (const auto& spec : kVerbs) names += (names.empty() ? "" : ", ") + std::string(spec.name);
  return names;
}

bool scoped(Verb verb) {
  return verb == Verb::Halt || verb == Verb::Reduce || verb == Verb::Kill || verb == Verb::Resume;
}

// Fills the command from the arguments; every message is completed with the expected form by the caller.
std::expected<void, std::string> assign(const VerbSpec& spec, std::span<const Argument> args,
                                        AdminCommand& out) {
  std::vector<std::string_view> seen;
  std::string scope_name;
  for (const Argument& arg : args) {
    if (std::find(spec.allowed.begin(), spec.allowed.end(), arg.key) == spec.allowed.end() ||
        arg.key.empty()) {
      return std::unexpected(fmt::format("unknown argument {}= for {}", arg.key, spec.name));
    }
    if (std::find(seen.begin(), seen.end(), arg.key) != seen.end()) {
      return std::unexpected(fmt::format("{}= given twice", arg.key));
    }
    seen.push_back(arg.key);
    if (arg.value.empty()) return std::unexpected(fmt::format("{}= has an empty value", arg.key));
    if (arg.key == "by") out.by = arg.value;
    if (arg.key == "key") out.key = arg.value;
    if (arg.key == "reason") out.reason = arg.value;
    if (arg.key == "session") out.session = arg.value;
    if (arg.key == "scope") scope_name = arg.value;
    if (arg.key == "level") out.level = arg.value;
    if (arg.key == "venue") out.venue = arg.value;
  }
  if (scoped(spec.verb)) {
    if (scope_name.empty()) return std::unexpected("missing scope=");
    const auto it =
        std::find_if(kScopes.begin(), kScopes.end(), [&](const auto& s) { return s.first == scope_name; });
    if (it == kScopes.end()) {
      return std::unexpected(
          fmt::format("unknown scope \"{}\" (scopes: global, account, session, symbol, venue)", scope_name));
    }
    out.scope = it->second;
    if (out.scope == core::Scope::Global && !out.key.empty()) {
      return std::unexpected("key= is not allowed with scope=global (global is one scope, it has no key)");
    }
    if (out.scope != core::Scope::Global && out.key.empty()) {
      return std::unexpected(fmt::format("scope={} needs key=<{}>", scope_name, scope_name));
    }
  }
  if (spec.verb == Verb::ResetBreaker && out.session.empty()) return std::unexpected("missing session=");
  if (spec.verb == Verb::LogLevel && out.level.empty()) return std::unexpected("missing level=");
  if (spec.verb == Verb::ResetVenueSequence && out.venue.empty()) return std::unexpected("missing venue=");
  // Every change names the person who made it: the audit trail must say who halted or resumed trading.
  if (!isRead(spec.verb) && out.by.empty()) {
    return std::unexpected("missing by=<operator> (the person giving the command)");
  }
  return {};
}

}  // namespace

bool isRead(Verb verb) {
  return verb == Verb::Status || verb == Verb::Sessions || verb == Verb::Venues || verb == Verb::Breakers ||
         verb == Verb::Limits;
}

std::string_view toString(Verb verb) {
  return specOf(verb).name;
}

std::string_view toString(core::Scope s) {
  for (const auto& [name, scope] : kScopes) {
    if (scope == s) return name;
  }
  return "?";
}

std::expected<AdminCommand, std::string> parseAdminCommand(std::string_view line) {
  auto split = splitCommandLine(line);
  const std::string_view verb_name =
      split ? std::string_view(split->verb) : line.substr(0, line.find_first_of(" \t"));
  const VerbSpec* spec = findVerb(verb_name);
  if (!split) {
    if (spec == nullptr) return std::unexpected(split.error());
    return std::unexpected(fmt::format("{}. Expected: {}", split.error(), form(*spec)));
  }
  if (split->verb.empty()) return std::unexpected(fmt::format("empty command. Commands: {}", verbList()));
  if (spec == nullptr) {
    return std::unexpected(fmt::format("unknown command \"{}\". Commands: {}", split->verb, verbList()));
  }
  AdminCommand out;
  out.verb = spec->verb;
  if (auto ok = assign(*spec, split->args, out); !ok) {
    return std::unexpected(fmt::format("{}: {}. Expected: {}", spec->name, ok.error(), form(*spec)));
  }
  return out;
}

std::string formatCommand(const AdminCommand& c) {
  std::string out(toString(c.verb));
  auto add = [&out](std::string_view key, std::string_view value) {
    if (!value.empty()) out += fmt::format(" {}={}", key, quoteValue(value));
  };
  if (scoped(c.verb)) add("scope", toString(c.scope));
  add("key", c.key);
  add("session", c.session);
  add("level", c.level);
  add("venue", c.venue);
  add("by", c.by);
  add("reason", c.reason);
  return out;
}

std::optional<core::EventBody> toEvent(const AdminCommand& c) {
  auto state = [&c](core::TradingState s, bool cancel) -> core::EventBody {
    return core::SetTradingState{.scope = c.scope,
                                 .key = c.key,
                                 .state = s,
                                 .cancel_open_orders = cancel,
                                 .by = c.by,
                                 .reason = c.reason};
  };
  switch (c.verb) {
    case Verb::Halt:
      return state(core::TradingState::Halted, false);
    case Verb::Reduce:
      return state(core::TradingState::Reducing, false);
    case Verb::Kill:
      return state(core::TradingState::Halted, true);
    case Verb::Resume:
      return state(core::TradingState::Active, false);
    case Verb::ResetBreaker:
      return core::ResetSessionBreaker{.session = c.session, .by = c.by};
    case Verb::Status:
    case Verb::ReloadLimits:
    case Verb::ReloadSettings:
    case Verb::Sessions:
    case Verb::Venues:
    case Verb::Breakers:
    case Verb::Limits:
    case Verb::LogLevel:
    case Verb::ResetVenueSequence:  // the venue connection's, not the core's: done by its adapter
      break;
  }
  return std::nullopt;
}

std::string commandUsage() {
  std::string out;
  for (const auto& spec : kVerbs) out += "  " + form(spec) + "\n";
  return out;
}

}  // namespace fixgate::admin
