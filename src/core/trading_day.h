// Which trading day a moment belongs to, for days that start at a fixed time of day in UTC
// (gateway.trading_day_start_utc). Pure functions: the runtime reads the clock, the core only sees dates.
#pragma once

#include <cstdint>
#include <string>

#include "core/types.h"

namespace fixgate::core {

inline constexpr std::int64_t kSecondsPerDay = 86'400;

// The trading day in force at `at` (UTC microseconds), as YYYY-MM-DD, for days starting `start_s` seconds
// after midnight UTC (0 to 86399). A day is named for the calendar date on which most of it falls: one that
// starts before 12:00 UTC by the date it starts on, one that starts at 12:00 or later by the next date (a
// day starting at 22:00 UTC on a Monday is Tuesday's, as in FX).
[[nodiscard]] std::string tradingDayOf(Timestamp at, std::int64_t start_s);

// When the trading day after the one in force at `at` starts (UTC microseconds).
[[nodiscard]] Timestamp nextTradingDayStart(Timestamp at, std::int64_t start_s);

}  // namespace fixgate::core
