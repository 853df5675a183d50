#include "admin/framing.h"

namespace fixgate::admin {

std::string frameReply(std::string_view reply) {
  while (!reply.empty() && reply.back() == '\n') reply.remove_suffix(1);
  std::string out;
  out.reserve(reply.size() + 8);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = reply.find('\n', start);
    const std::string_view line = reply.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.starts_with('.')) out.push_back('.');
    out += line;
    out.push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out += ".\n";
  return out;
}

bool ReplyReader::feed(std::string_view bytes) {
  if (done_) return true;
  pending_ += bytes;
  std::size_t start = 0;
  for (std::size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string_view line(pending_.data() + start, end - start);
    if (line == ".") {
      done_ = true;
      break;
    }
    if (line.starts_with("..")) line.remove_prefix(1);
    if (!first_line_) reply_.push_back('\n');
    reply_ += line;
    first_line_ = false;
  }
  pending_.erase(0, done_ ? pending_.size() : start);
  return done_;
}

}  // namespace fixgate::admin
