// The gateway's one clock source: every event is stamped here, in UTC microseconds (RTS 25).
#pragma once

#include <cstdint>

#include "core/types.h"

namespace fixgate::clock {

core::Timestamp utcNowMicros();

// Monotonic nanoseconds (steady_clock), for measuring durations inside the process: stage timings,
// liveness. Never a timestamp of record.
std::int64_t steadyNanos() noexcept;

}  // namespace fixgate::clock
