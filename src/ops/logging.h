// The gateway's logger: asynchronous (the order path formats and queues a line; a background thread writes
// it), UTC timestamps with microseconds, as text or as one JSON object per line for log shippers. The level
// can be changed while running (fixgate-admin log-level).
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace fixgate::ops {

// Lines queued before the writer catches up; when full, the logging thread waits (no line is dropped: a
// lost log line at 3 a.m. costs more than a slow one). 8192 lines absorb any burst the gateway logs.
inline constexpr std::size_t kLogQueueLines = 8192;

// format: "text" or "json". Replaces the default logger; call once, at start.
void setUpLogging(std::string_view level, std::string_view format);
// Sets the level of the running logger; an error names the accepted levels.
std::expected<void, std::string> setLogLevel(std::string_view level);
[[nodiscard]] std::string currentLogLevel();
// Writes out what is queued (before exit).
void flushLogs();

}  // namespace fixgate::ops
