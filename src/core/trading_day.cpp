#include "core/trading_day.h"

#include <fmt/format.h>

#include <chrono>

namespace fixgate::core {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = kSecondsPerDay * kMicrosPerSecond;

// a / b rounded down, also for times before 1970.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

std::string tradingDayOf(Timestamp at, std::int64_t start_s) {
  // Shifted so that the day's start falls on a midnight; a late start names the day by the next date.
  const std::int64_t shift_us =
      start_s * kMicrosPerSecond - (start_s >= kSecondsPerDay / 2 ? kMicrosPerDay : 0);
  const std::chrono::sys_days day{std::chrono::days{floorDiv(at - shift_us, kMicrosPerDay)}};
  const std::chrono::year_month_day date{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

Timestamp nextTradingDayStart(Timestamp at, std::int64_t start_s) {
  const std::int64_t start_us = start_s * kMicrosPerSecond;
  return (floorDiv(at - start_us, kMicrosPerDay) + 1) * kMicrosPerDay + start_us;
}

}  // namespace fixgate::core
