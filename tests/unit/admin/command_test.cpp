// The admin command grammar: each verb accepted with what it needs, every kind of mistake refused with a
// message that names it and shows the expected form, and the mapping to core events.
#include <gtest/gtest.h>

#include <variant>

#include "admin/command.h"

namespace fixgate::admin {
namespace {

AdminCommand parsed(std::string_view line) {
  auto c = parseAdminCommand(line);
  EXPECT_TRUE(c.has_value()) << line << " -> " << (c ? "" : c.error());
  return c.value_or(AdminCommand{});
}

std::string refusal(std::string_view line) {
  auto c = parseAdminCommand(line);
  EXPECT_FALSE(c.has_value()) << line << " was accepted";
  return c ? std::string() : c.error();
}

TEST(AdminCommandParser, AcceptsStatus) {
  EXPECT_EQ(parsed("status").verb, Verb::Status);
}

TEST(AdminCommandParser, AcceptsTheReadOnlyListsWithoutAnOperator) {
  EXPECT_EQ(parsed("sessions").verb, Verb::Sessions);
  EXPECT_EQ(parsed("venues").verb, Verb::Venues);
  EXPECT_EQ(parsed("breakers").verb, Verb::Breakers);
  EXPECT_EQ(parsed("limits").verb, Verb::Limits);
  for (const auto verb : {Verb::Status, Verb::Sessions, Verb::Venues, Verb::Breakers, Verb::Limits}) {
    EXPECT_TRUE(isRead(verb)) << toString(verb);
  }
  EXPECT_FALSE(isRead(Verb::LogLevel));
  EXPECT_NE(refusal("venues by=al").find("unknown argument by= for venues"), std::string::npos);
}

TEST(AdminCommandParser, LogLevelNeedsALevelAndAnOperator) {
  const auto c = parsed("log-level level=debug by=dan");
  EXPECT_EQ(c.verb, Verb::LogLevel);
  EXPECT_EQ(c.level, "debug");
  EXPECT_EQ(c.by, "dan");
  EXPECT_NE(refusal("log-level by=dan").find("log-level: missing level=. Expected: log-level level=<trace|"),
            std::string::npos);
  EXPECT_NE(refusal("log-level level=info").find("missing by=<operator>"), std::string::npos);
  EXPECT_FALSE(toEvent(c).has_value());  // the app changes the logger itself
}

TEST(AdminCommandParser, ResetVenueSequenceNeedsAVenueAndAnOperator) {
  const auto c = parsed(R"(reset-venue-seq venue=XLON by=dan reason="venue restarted")");
  EXPECT_EQ(c.verb, Verb::ResetVenueSequence);
  EXPECT_EQ(c.venue, "XLON");
  EXPECT_EQ(c.by, "dan");
  EXPECT_EQ(c.reason, "venue restarted");
  EXPECT_FALSE(isRead(c.verb));
  EXPECT_NE(
      refusal("reset-venue-seq by=dan")
          .find("reset-venue-seq: missing venue=. Expected: reset-venue-seq venue=<name> by=<operator>"),
      std::string::npos);
  EXPECT_NE(refusal("reset-venue-seq venue=XLON").find("missing by=<operator>"), std::string::npos);
  EXPECT_NE(refusal("reset-venue-seq key=XLON by=dan").find("unknown argument key= for reset-venue-seq"),
            std::string::npos);
  EXPECT_FALSE(toEvent(c).has_value());  // the venue's adapter does it, not the core
}

TEST(AdminCommandParser, AcceptsReloadSettings) {
  const auto c = parsed("reload-settings by=alice");
  EXPECT_EQ(c.verb, Verb::ReloadSettings);
  EXPECT_EQ(c.by, "alice");
  EXPECT_EQ(formatCommand(c), "reload-settings by=alice");
  EXPECT_FALSE(toEvent(c).has_value());
  EXPECT_NE(refusal("reload-settings").find("missing by="), std::string::npos);
}

TEST(AdminCommandParser, AcceptsReloadLimits) {
  const auto c = parsed("reload-limits by=alice");
  EXPECT_EQ(c.verb, Verb::ReloadLimits);
  EXPECT_EQ(c.by, "alice");
}

TEST(AdminCommandParser, AcceptsHaltWithQuotedReason) {
  const auto c = parsed(R"(halt scope=account key=ACC1 by=alice reason="fat finger on ACC1")");
  EXPECT_EQ(c.verb, Verb::Halt);
  EXPECT_EQ(c.scope, core::Scope::Account);
  EXPECT_EQ(c.key, "ACC1");
  EXPECT_EQ(c.by, "alice");
  EXPECT_EQ(c.reason, "fat finger on ACC1");
}

TEST(AdminCommandParser, AcceptsReduceKillAndResumeOnEveryScope) {
  EXPECT_EQ(parsed("reduce scope=session key=CLIENT1 by=bob").verb, Verb::Reduce);
  EXPECT_EQ(parsed("kill scope=global by=bob reason=runaway").verb, Verb::Kill);
  EXPECT_EQ(parsed("resume scope=symbol key=VOD.L by=bob").scope, core::Scope::Symbol);
  EXPECT_EQ(parsed("halt scope=venue key=XLON by=bob").scope, core::Scope::Venue);
  EXPECT_EQ(parsed("halt scope=session key=CLIENT1 by=bob").scope, core::Scope::Session);
}

TEST(AdminCommandParser, AcceptsResetBreaker) {
  const auto c = parsed("reset-breaker session=CLIENT1 by=carol");
  EXPECT_EQ(c.verb, Verb::ResetBreaker);
  EXPECT_EQ(c.session, "CLIENT1");
  EXPECT_EQ(c.by, "carol");
}

TEST(AdminCommandParser, AcceptsArgumentsInAnyOrderAndExtraBlanks) {
  const auto c = parsed("  kill\tby=dave   scope=account key=ACC2 ");
  EXPECT_EQ(c.verb, Verb::Kill);
  EXPECT_EQ(c.key, "ACC2");
  EXPECT_EQ(c.by, "dave");
}

TEST(AdminCommandParser, RefusesMissingBy) {
  const auto e = refusal("halt scope=global");
  EXPECT_NE(e.find("missing by="), std::string::npos) << e;
  EXPECT_NE(e.find("Expected: halt scope=<global|account|session|symbol|venue>"), std::string::npos) << e;
  EXPECT_NE(refusal("reload-limits").find("missing by="), std::string::npos);
  EXPECT_NE(refusal("reset-breaker session=S1").find("missing by="), std::string::npos);
}

TEST(AdminCommandParser, RefusesMissingKeyForNonGlobalScope) {
  const auto e = refusal("kill scope=account by=alice");
  EXPECT_NE(e.find("scope=account needs key=<account>"), std::string::npos) << e;
}

TEST(AdminCommandParser, RefusesKeyWithGlobalScope) {
  const auto e = refusal("halt scope=global key=ACC1 by=alice");
  EXPECT_NE(e.find("key= is not allowed with scope=global"), std::string::npos) << e;
}

TEST(AdminCommandParser, RefusesMissingScope) {
  EXPECT_NE(refusal("halt by=alice").find("missing scope="), std::string::npos);
}

TEST(AdminCommandParser, RefusesUnknownScope) {
  const auto e = refusal("halt scope=desk key=D1 by=alice");
  EXPECT_NE(e.find("unknown scope \"desk\""), std::string::npos) << e;
  EXPECT_NE(e.find("global, account, session, symbol, venue"), std::string::npos) << e;
}

TEST(AdminCommandParser, RefusesUnknownVerbListingTheCommands) {
  const auto e = refusal("stop-everything by=alice");
  EXPECT_NE(e.find("unknown command \"stop-everything\""), std::string::npos) << e;
  EXPECT_NE(e.find("status, reload-limits, reload-settings, halt, reduce, kill, resume, reset-breaker, "
                   "sessions, venues, "
                   "breakers, limits, log-level, reset-venue-seq"),
            std::string::npos)
      << e;
}

TEST(AdminCommandParser, RefusesUnknownArgument) {
  const auto e = refusal("halt scope=global by=alice force=yes");
  EXPECT_NE(e.find("unknown argument force="), std::string::npos) << e;
  EXPECT_NE(refusal("status by=alice").find("unknown argument by= for status"), std::string::npos);
  EXPECT_NE(refusal("reset-breaker session=S1 by=a reason=x").find("unknown argument reason="),
            std::string::npos);
}

TEST(AdminCommandParser, RefusesWordsThatAreNotKeyValue) {
  const auto e = refusal("halt global by=alice");
  EXPECT_NE(e.find("unknown argument \"global\""), std::string::npos) << e;
  EXPECT_NE(e.find("Expected: halt"), std::string::npos) << e;
}

TEST(AdminCommandParser, RefusesBadQuoting) {
  EXPECT_NE(refusal(R"(halt scope=global by=alice reason="fat finger)").find("unterminated quote in reason="),
            std::string::npos);
  EXPECT_NE(refusal(R"(halt scope=global by=alice reason=fat"finger)").find("stray quote in reason="),
            std::string::npos);
  EXPECT_NE(refusal(R"(halt scope=global by=alice reason="fat"finger)").find("right after the closing quote"),
            std::string::npos);
  EXPECT_NE(refusal(R"(halt scope=global by=alice reason="a\nb")").find("unknown escape"), std::string::npos);
  EXPECT_NE(refusal(R"(halt scope=global by=alice reason="fat finger)").find("Expected: halt"),
            std::string::npos);
}

TEST(AdminCommandParser, RefusesRepeatedAndEmptyArguments) {
  EXPECT_NE(refusal("halt scope=global by=alice by=bob").find("by= given twice"), std::string::npos);
  EXPECT_NE(refusal("halt scope=global by=").find("by= has an empty value"), std::string::npos);
  EXPECT_NE(refusal(R"(halt scope=global by="")").find("by= has an empty value"), std::string::npos);
}

TEST(AdminCommandParser, RefusesEmptyLineAndControlCharacters) {
  EXPECT_NE(refusal("   ").find("empty command"), std::string::npos);
  EXPECT_NE(refusal("halt scope=global by=alice\x1b[2J").find("control character 0x1b"), std::string::npos);
}

TEST(AdminCommandToEvent, HaltReduceKillResumeBecomeSetTradingState) {
  struct Case {
    const char* line;
    core::TradingState state;
    bool cancel;
  };
  for (const Case& c :
       {Case{"halt scope=account key=A by=al reason=r", core::TradingState::Halted, false},
        Case{"reduce scope=account key=A by=al reason=r", core::TradingState::Reducing, false},
        Case{"kill scope=account key=A by=al reason=r", core::TradingState::Halted, true},
        Case{"resume scope=account key=A by=al reason=r", core::TradingState::Active, false}}) {
    const auto body = toEvent(parsed(c.line));
    ASSERT_TRUE(body.has_value()) << c.line;
    const auto* set = std::get_if<core::SetTradingState>(&*body);
    ASSERT_NE(set, nullptr) << c.line;
    EXPECT_EQ(set->scope, core::Scope::Account);
    EXPECT_EQ(set->key, "A");
    EXPECT_EQ(set->state, c.state) << c.line;
    EXPECT_EQ(set->cancel_open_orders, c.cancel) << c.line;
    EXPECT_EQ(set->by, "al");
    EXPECT_EQ(set->reason, "r");
  }
}

TEST(AdminCommandToEvent, ResetBreakerBecomesResetSessionBreaker) {
  const auto body = toEvent(parsed("reset-breaker session=CLIENT1 by=carol"));
  ASSERT_TRUE(body.has_value());
  const auto* reset = std::get_if<core::ResetSessionBreaker>(&*body);
  ASSERT_NE(reset, nullptr);
  EXPECT_EQ(reset->session, "CLIENT1");
  EXPECT_EQ(reset->by, "carol");
}

TEST(AdminCommandToEvent, StatusAndReloadLimitsAreLeftToTheApp) {
  EXPECT_FALSE(toEvent(parsed("status")).has_value());
  EXPECT_FALSE(toEvent(parsed("reload-limits by=alice")).has_value());
}

TEST(AdminCommandFormat, CanonicalFormParsesBackToTheSameCommand) {
  for (const char* line :
       {"status", "reload-limits by=alice", R"(kill scope=venue key=XLON by=bob reason="a \"b\" c")",
        "resume scope=global by=al", "reset-breaker session=S1 by=carol", "log-level level=debug by=dan",
        "sessions", "venues", "breakers", "limits",
        R"(reset-venue-seq venue=XLON by=dan reason="new day")"}) {
    const auto c = parsed(line);
    EXPECT_EQ(parsed(formatCommand(c)), c) << line << " -> " << formatCommand(c);
  }
  EXPECT_EQ(formatCommand(parsed(R"(halt by=al reason="x y" scope=symbol key=VOD.L)")),
            R"(halt scope=symbol key=VOD.L by=al reason="x y")");
}

}  // namespace
}  // namespace fixgate::admin
