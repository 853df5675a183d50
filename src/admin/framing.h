// Replies on the admin socket: the reply's lines, then a line holding a single dot. A reply line that
// itself starts with a dot gets one more (as in SMTP), so no reply text can end a reply early.
#pragma once

#include <string>
#include <string_view>

namespace fixgate::admin {

// The reply as sent: trailing newlines dropped, dot-stuffed, then "\n.\n". "ok" becomes "ok\n.\n".
std::string frameReply(std::string_view reply);

// Collects a framed reply from the bytes as they arrive, undoing the dot-stuffing.
class ReplyReader {
 public:
  // Returns true once the terminating dot line has arrived; bytes after it are ignored.
  bool feed(std::string_view bytes);
  [[nodiscard]] bool done() const { return done_; }
  // The reply text without the terminator (lines joined with '\n', no trailing newline).
  [[nodiscard]] const std::string& reply() const { return reply_; }

 private:
  std::string pending_;  // an incomplete last line
  std::string reply_;
  bool first_line_ = true;
  bool done_ = false;
};

}  // namespace fixgate::admin
