// utcCalendar against glibc's gmtime_r (found past the override with dlsym(RTLD_NEXT)), every field, across
// its whole range; and the override itself: it is what the process resolves gmtime_r to, and it hands times
// outside the range on to glibc.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
#include <string>

#include "clock/utc_calendar.h"

namespace fixgate::clock {
namespace {

using GmtimeR = std::tm* (*)(const std::time_t*, std::tm*);

GmtimeR glibcGmtimeR() {
  static const auto next = reinterpret_cast<GmtimeR>(dlsym(RTLD_NEXT, "gmtime_r"));
  return next;
}

std::string fieldsOf(const std::tm& t) {
  return std::to_string(t.tm_year + 1900) + "-" + std::to_string(t.tm_mon + 1) + "-" +
         std::to_string(t.tm_mday) + " " + std::to_string(t.tm_hour) + ":" + std::to_string(t.tm_min) + ":" +
         std::to_string(t.tm_sec) + " wday " + std::to_string(t.tm_wday) + " yday " +
         std::to_string(t.tm_yday) + " isdst " + std::to_string(t.tm_isdst) + " gmtoff " +
         std::to_string(t.tm_gmtoff) + " zone " + (t.tm_zone != nullptr ? t.tm_zone : "(null)");
}

// Empty when utcCalendar gives every field glibc gives for `seconds`; otherwise both, for the failure.
std::string differenceFromGlibc(std::time_t seconds) {
  std::tm expected{};
  std::tm actual{};
  if (glibcGmtimeR()(&seconds, &expected) == nullptr) return "glibc failed for " + std::to_string(seconds);
  if (!utcCalendar(seconds, actual)) return "utcCalendar refused " + std::to_string(seconds);
  const std::string want = fieldsOf(expected);
  const std::string got = fieldsOf(actual);
  return want == got ? std::string() : std::to_string(seconds) + ": glibc " + want + ", utcCalendar " + got;
}

TEST(UtcCalendar, GlibcIsReachablePastTheOverride) {
  ASSERT_NE(glibcGmtimeR(), nullptr);
  EXPECT_NE(reinterpret_cast<void*>(glibcGmtimeR()), reinterpret_cast<void*>(&gmtime_r));
}

TEST(UtcCalendar, MatchesGlibcAroundEveryMidnightFrom1970To2299) {
  int mismatches = 0;
  for (std::time_t day = 0; day < 120'000; ++day) {  // 1970-01-01 .. 2298-07-20
    for (const std::time_t offset : {0L, 1L, 43'199L, 86'399L}) {
      const std::string difference = differenceFromGlibc(day * 86'400 + offset);
      if (!difference.empty() && ++mismatches <= 5) ADD_FAILURE() << difference;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(UtcCalendar, MatchesGlibcAcrossItsWholeRange) {
  int mismatches = 0;
  // A prime stride lands on every hour, minute and second of the day over the 25,000-odd samples.
  for (std::time_t t = kUtcCalendarFirst; t <= kUtcCalendarLast; t += 10'000'019) {
    const std::string difference = differenceFromGlibc(t);
    if (!difference.empty() && ++mismatches <= 5) ADD_FAILURE() << difference;
  }
  for (const std::time_t t :
       {kUtcCalendarLast, kUtcCalendarLast - 86'400, std::time_t{951'782'400},  // 2000-02-29
        std::time_t{4'107'542'399}, std::time_t{2'147'483'647}}) {              // 2100-02-28T23:59:59, 2038
    const std::string difference = differenceFromGlibc(t);
    if (!difference.empty()) ADD_FAILURE() << difference;
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(UtcCalendar, RefusesTimesOutsideItsRangeAndLeavesTheOutputAlone) {
  std::tm out{};
  out.tm_year = 12345;
  EXPECT_FALSE(utcCalendar(kUtcCalendarFirst - 1, out));
  EXPECT_FALSE(utcCalendar(kUtcCalendarLast + 1, out));
  EXPECT_EQ(out.tm_year, 12345);
}

TEST(GmtimeOverride, IsWhatTheProcessResolvesGmtimeRTo) {
  // What any library's call to gmtime_r reaches: this executable's override, not glibc's.
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "gmtime_r"), reinterpret_cast<void*>(&gmtime_r));
}

TEST(GmtimeOverride, AnswersAsGlibcInsideAndOutsideTheCalendarsRange) {
  for (const std::time_t t :
       {std::time_t{1'765'000'000}, std::time_t{0}, std::time_t{-1}, std::time_t{-86'400 * 400},
        kUtcCalendarLast, kUtcCalendarLast + 1, kUtcCalendarLast * 3}) {
    std::tm expected{};
    std::tm actual{};
    ASSERT_NE(glibcGmtimeR()(&t, &expected), nullptr) << t;
    ASSERT_EQ(gmtime_r(&t, &actual), &actual) << t;
    EXPECT_EQ(fieldsOf(actual), fieldsOf(expected)) << t;
  }
}

}  // namespace
}  // namespace fixgate::clock
