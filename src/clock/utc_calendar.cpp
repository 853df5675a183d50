#include "clock/utc_calendar.h"

#include <chrono>

namespace fixgate::clock {

bool utcCalendar(std::time_t seconds, std::tm& out) {
  if (seconds < kUtcCalendarFirst || seconds > kUtcCalendarLast) return false;
  using namespace std::chrono;
  const sys_seconds time{std::chrono::seconds{seconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const auto in_day = (time - day).count();  // 0 .. 86'399
  const auto year = static_cast<int>(date.year());
  out.tm_sec = static_cast<int>(in_day % 60);
  out.tm_min = static_cast<int>(in_day / 60 % 60);
  out.tm_hour = static_cast<int>(in_day / 3600);
  out.tm_mday = static_cast<int>(static_cast<unsigned>(date.day()));
  out.tm_mon = static_cast<int>(static_cast<unsigned>(date.month())) - 1;
  out.tm_year = year - 1900;
  out.tm_wday = static_cast<int>(weekday{day}.c_encoding());
  out.tm_yday = static_cast<int>((day - sys_days{date.year() / January / 1}).count());
  out.tm_isdst = 0;
  out.tm_gmtoff = 0;
  out.tm_zone = "GMT";
  return true;
}

}  // namespace fixgate::clock
