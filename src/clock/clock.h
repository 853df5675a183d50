// The gateway's one clock source: every event is stamped here, in UTC microseconds (RTS 25).
#pragma once

#include "core/types.h"

namespace fixgate::clock {

core::Timestamp utcNowMicros();

}  // namespace fixgate::clock
