#include "clock/clock.h"

#include <chrono>

namespace fixgate::clock {

core::Timestamp utcNowMicros() {
  // system_clock is UTC (Unix time) on Linux; the host must be NTP/PTP-synchronised for RTS 25.
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t steadyNanos() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace fixgate::clock
