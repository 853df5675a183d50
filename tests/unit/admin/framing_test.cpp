// Reply framing: a dot line ends a reply, and reply text starting with a dot cannot end it early.
#include <gtest/gtest.h>

#include "admin/framing.h"

namespace fixgate::admin {
namespace {

std::string unframe(std::string_view framed) {
  ReplyReader reader;
  EXPECT_TRUE(reader.feed(framed)) << framed;
  return reader.reply();
}

TEST(AdminReplyFraming, EndsWithADotLine) {
  EXPECT_EQ(frameReply("ok"), "ok\n.\n");
  EXPECT_EQ(frameReply("ok\n"), "ok\n.\n");
  EXPECT_EQ(frameReply("a\nb"), "a\nb\n.\n");
}

TEST(AdminReplyFraming, LinesStartingWithADotSurvive) {
  const std::string reply = ".\n..x\nplain\n.";
  EXPECT_EQ(unframe(frameReply(reply)), reply);
}

TEST(AdminReplyFraming, EmptyReplyRoundTrips) {
  EXPECT_EQ(unframe(frameReply("")), "");
}

TEST(AdminReplyFraming, ReaderWaitsForTheDotLineAcrossChunks) {
  ReplyReader reader;
  EXPECT_FALSE(reader.feed("trading: act"));
  EXPECT_FALSE(reader.feed("ive\n"));
  EXPECT_FALSE(reader.feed("."));
  EXPECT_TRUE(reader.feed("\nignored"));
  EXPECT_EQ(reader.reply(), "trading: active");
}

}  // namespace
}  // namespace fixgate::admin
