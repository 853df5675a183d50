// gmtime_r for the whole gateway process, QuickFIX included: the same fields as glibc's, without its
// process-wide time-zone lock (see utc_calendar.h). Linked into the gateway executable only; the dynamic
// linker then resolves every library's gmtime_r here first, as it resolves malloc to jemalloc. Times
// outside utcCalendar's range go on to glibc's own gmtime_r.
#include <dlfcn.h>

#include <ctime>

#include "clock/utc_calendar.h"

namespace {

using GmtimeR = std::tm* (*)(const std::time_t*, std::tm*);

GmtimeR glibcGmtimeR() {
  static const auto next = reinterpret_cast<GmtimeR>(dlsym(RTLD_NEXT, "gmtime_r"));
  return next;
}

}  // namespace

extern "C" std::tm* gmtime_r(const std::time_t* seconds, std::tm* out) {
  if (fixgate::clock::utcCalendar(*seconds, *out)) return out;
  const GmtimeR next = glibcGmtimeR();
  return next != nullptr ? next(seconds, out) : nullptr;
}
