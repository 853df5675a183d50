#include "core/trading_day.h"

#include <fmt/format.h>

#include <chrono>

namespace fixgate::core {
namespace {

using Micros = std::chrono::sys_time<std::chrono::microseconds>;

// The UTC midnight at or before `at` (floor: also before 1970).
std::chrono::sys_days midnightOf(Micros at) {
  return std::chrono::floor<std::chrono::days>(at);
}

}  // namespace

std::string tradingDayOf(Timestamp at, std::int64_t start_s) {
  // Shifted so that the day's start falls on a midnight; a late start names the day by the next date.
  const std::chrono::seconds shift{start_s - (start_s >= kSecondsPerDay / 2 ? kSecondsPerDay : 0)};
  const std::chrono::year_month_day date{midnightOf(Micros{std::chrono::microseconds{at}} - shift)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

Timestamp nextTradingDayStart(Timestamp at, std::int64_t start_s) {
  const std::chrono::seconds start{start_s};
  const Micros next =
      midnightOf(Micros{std::chrono::microseconds{at}} - start) + std::chrono::days{1} + start;
  return next.time_since_epoch().count();
}

}  // namespace fixgate::core
