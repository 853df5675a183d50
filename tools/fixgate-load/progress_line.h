// The once-a-second progress line on stderr: phase, requests sent and answered, the answer rate over the
// last second and the measured p99 and maximum so far.
#pragma once

#include <cstdint>
#include <string>

#include "load_stats.h"
#include "open_loop_sender.h"

namespace fixgate::load {

class ProgressLine {
 public:
  ProgressLine(const Schedule& schedule, std::string label) : schedule_(schedule), label_(std::move(label)) {}

  // The line for `now_ns`; call about once a second.
  [[nodiscard]] std::string next(const LoadStats& stats, std::int64_t now_ns, bool sending);

 private:
  const Schedule& schedule_;
  std::string label_;  // prefixed when set, so interleaved runs can be told apart
  std::uint64_t last_answered_ = 0;
  std::int64_t last_ns_ = 0;
};

}  // namespace fixgate::load
