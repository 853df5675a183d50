// The shared line grammar under the verbs, and the quoting fixgate-admin applies to shell words.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "admin/command_line.h"

namespace fixgate::admin {
namespace {

TEST(AdminCommandLine, SplitsVerbAndArgumentsWithColumns) {
  const auto line = splitCommandLine(R"(halt scope=global  reason="a b" by=x)");
  ASSERT_TRUE(line.has_value()) << line.error();
  EXPECT_EQ(line->verb, "halt");
  ASSERT_EQ(line->args.size(), 3u);
  EXPECT_EQ(line->args[1].key, "reason");
  EXPECT_EQ(line->args[1].value, "a b");
  EXPECT_EQ(line->args[1].column, 20u);
}

TEST(AdminCommandLine, QuotedValuesKeepEscapedQuotesAndBackslashes) {
  const auto line = splitCommandLine(R"(halt reason="say \"stop\" \\ now")");
  ASSERT_TRUE(line.has_value()) << line.error();
  EXPECT_EQ(line->args[0].value, R"(say "stop" \ now)");
}

TEST(AdminCommandLine, QuoteValueRoundTrips) {
  for (const std::string value : {"alice", "fat finger", "", R"(a "b")", R"(c:\dir)", "tab\there", "=x="}) {
    const auto line = splitCommandLine("v k=" + quoteValue(value));
    ASSERT_TRUE(line.has_value()) << value << ": " << line.error();
    ASSERT_EQ(line->args.size(), 1u);
    EXPECT_EQ(line->args[0].value, value);
  }
  EXPECT_EQ(quoteValue("alice"), "alice");  // bare when it can be: what the operator typed stays readable
}

TEST(AdminCommandLine, JoinWordsQuotesValuesWithSpaces) {
  const std::vector<std::string> words{"kill", "scope=account", "key=ACC1", "by=alice", "reason=fat finger"};
  const auto line = joinWords(words);
  ASSERT_TRUE(line.has_value()) << line.error();
  EXPECT_EQ(*line, R"(kill scope=account key=ACC1 by=alice reason="fat finger")");
}

TEST(AdminCommandLine, JoinWordsRefusesNewlinesThatWouldSmuggleASecondCommand) {
  const std::vector<std::string> words{"halt", "scope=global", "by=a", "reason=x\nkill scope=global by=a"};
  const auto line = joinWords(words);
  ASSERT_FALSE(line.has_value());
  EXPECT_NE(line.error().find("argument 4"), std::string::npos) << line.error();
}

}  // namespace
}  // namespace fixgate::admin
