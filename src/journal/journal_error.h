// The one error type that crosses the journal's boundary. Every failure the journal can meet at run time
// (I/O, corruption on disk, a refused argument) comes back as this value; exceptions are left for
// programming errors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace fixgate::journal {

enum class JournalErrorKind {
  Io,               // a system call failed (create, extend, map, msync, rename); system_errno says which
  Corrupt,          // bytes on disk are not a valid journal; file, offset and last_good_seq say where
  InvalidArgument,  // settings or a payload were refused; nothing was written
  Locked,           // another Journal (this or another process) already writes to the directory
};

struct JournalError {
  JournalErrorKind kind = JournalErrorKind::Io;
  // A complete sentence for a log line or an operator: what happened, where, and what to do about it.
  std::string message;
  std::filesystem::path file;       // the segment or directory concerned, empty if none
  std::uint64_t offset = 0;         // byte offset in `file` (Corrupt)
  std::uint64_t last_good_seq = 0;  // last record before the problem that is valid, 0 if none (Corrupt)
  int system_errno = 0;             // errno of the failed call (Io)
};

}  // namespace fixgate::journal
