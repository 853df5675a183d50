// A segment file held open and mapped, and the system calls around it. Module-internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "journal/journal_error.h"
#include "journal/record_format.h"

namespace fixgate::journal {

// Owns the descriptor and the mapping; both are released by the destructor. Move only through unique_ptr.
class MappedSegment {
 public:
  MappedSegment(std::filesystem::path path, int fd, std::byte* base, std::size_t mapped_bytes) noexcept;
  ~MappedSegment();
  MappedSegment(const MappedSegment&) = delete;
  MappedSegment& operator=(const MappedSegment&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  void setPath(std::filesystem::path path) { path_ = std::move(path); }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] std::byte* data() const noexcept { return base_; }
  [[nodiscard]] std::size_t mappedBytes() const noexcept { return mapped_bytes_; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {base_, mapped_bytes_}; }
  [[nodiscard]] format::SegmentHeader& header() const noexcept {
    return *reinterpret_cast<format::SegmentHeader*>(base_);
  }

  // Everything before this offset has been msync'ed. Touched only by whoever holds the journal's sync lock.
  std::size_t synced_offset = 0;
  // Pages before this offset have been mapped for writing ahead of the appender (see Journal::syncAll).
  // Touched only by whoever holds the journal's sync lock, or before the segment is handed to appenders.
  std::size_t populated_offset = 0;

 private:
  std::filesystem::path path_;
  int fd_;
  std::byte* base_;
  std::size_t mapped_bytes_;
};

enum class Access { ReadOnly, ReadWrite };

// Creates `path` (which must not exist), preallocates `segment_bytes` with posix_fallocate so that no later
// store into the mapping can fault for lack of disk (no SIGBUS), maps it, writes a header with first_seq 0
// and fsyncs the allocation.
[[nodiscard]] std::expected<std::unique_ptr<MappedSegment>, JournalError> createSegmentFile(
    const std::filesystem::path& path, std::size_t segment_bytes);

// Maps an existing file over its actual size (never beyond it: a truncated file must not fault).
[[nodiscard]] std::expected<std::unique_ptr<MappedSegment>, JournalError> mapSegmentFile(
    const std::filesystem::path& path, Access access);

struct SegmentOnDisk {
  std::uint64_t first_seq = 0;
  std::filesystem::path path;
};

struct DirectoryListing {
  std::vector<SegmentOnDisk> segments;  // sorted by first_seq
  std::vector<std::filesystem::path> other_files;
};

// The segment files of a journal directory (named by segmentFileName), and every other file in it. A
// directory that does not exist lists empty: the journal creates it at open, a reader may come first.
[[nodiscard]] std::expected<DirectoryListing, JournalError> listJournalDirectory(
    const std::filesystem::path& directory);

// Builds an Io error: "<what> <path>: <strerror> (errno N). <advice>"
[[nodiscard]] JournalError ioError(std::string_view what, const std::filesystem::path& path, int error_number,
                                   std::string_view advice);

}  // namespace fixgate::journal
