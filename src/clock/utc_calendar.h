// UTC calendar fields of a time_t without glibc's gmtime_r, which takes the process-wide time-zone lock
// (tzset_lock) on every call, even for UTC. QuickFIX calls gmtime_r about twenty times per order (each
// SendingTime it writes or checks, each session-time check); gmtime_override.cpp routes those calls here.
#pragma once

#include <ctime>

namespace fixgate::clock {

// The first second this covers: 1970-01-01T00:00:00Z.
inline constexpr std::time_t kUtcCalendarFirst = 0;
// The last second this covers: 9999-12-31T23:59:59Z.
inline constexpr std::time_t kUtcCalendarLast = 253'402'300'799;

// Fills `out` as gmtime_r does (tm_isdst 0, tm_gmtoff 0, tm_zone "GMT") for a time within
// [kUtcCalendarFirst, kUtcCalendarLast]; false outside it, `out` untouched.
bool utcCalendar(std::time_t seconds, std::tm& out);

}  // namespace fixgate::clock
