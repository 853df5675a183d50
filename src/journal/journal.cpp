#include "journal/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "journal/crc32c.h"
#include "journal/record_format.h"
#include "journal/segment_file.h"

namespace fixgate::journal {
namespace {

using namespace format;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kPreparedPrefix = "journal-prepared-";
constexpr std::string_view kPreparedSuffix = ".tmp";
constexpr std::string_view kLockFileName = "journal.lock";
constexpr std::size_t kPageBytes = 4096;
// Payload CRCs of a batch up to this size are computed before taking the lock; larger batches do it inside.
constexpr std::size_t kPrecomputedCrcs = 32;

JournalError invalidArgument(std::string message) {
  JournalError e;
  e.kind = JournalErrorKind::InvalidArgument;
  e.message = std::move(message);
  return e;
}

std::size_t recordSpan(std::size_t payload_bytes) noexcept {
  return alignUp(kRecordHeaderBytes + payload_bytes);
}

// First non-zero byte in [from, to), or `to` if there is none.
std::size_t findNonZero(std::span<const std::byte> bytes, std::size_t from, std::size_t to) noexcept {
  std::size_t i = from;
  for (; i < to && i % 8 != 0; ++i) {
    if (bytes[i] != std::byte{0}) return i;
  }
  for (; i + 8 <= to; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    if (word != 0) break;
  }
  for (; i < to; ++i) {
    if (bytes[i] != std::byte{0}) return i;
  }
  return to;
}

// What follows the end of the data in the last segment. A process killed inside append() leaves the bodies
// of that one append (one record, or the records of one appendBatch) with the first length word still zero.
// The writer stores each record's seq before anything else of it, so every non-zero slot of such a leftover
// carries the next seq in line, and says its own size in payload_bytes (zero if the kill came before that
// was stored, and then nothing follows). Anything else is corruption.
struct TailShape {
  bool clean = true;
  std::size_t incomplete_end = 0;  // end of an interrupted append, if any (== end offset if none)
  std::size_t garbage_at = 0;      // first unexplained non-zero byte, when !clean
};

TailShape inspectTail(std::span<const std::byte> bytes, std::size_t segment_bytes, std::size_t end,
                      std::uint64_t next_seq) {
  const std::size_t limit = std::min(bytes.size(), segment_bytes);
  TailShape shape;
  shape.incomplete_end = end;
  std::size_t offset = end;
  std::uint64_t seq = next_seq;
  while (offset < limit) {
    if (findNonZero(bytes, offset, limit) == limit) return shape;
    RecordHeader h{};
    std::memcpy(&h, bytes.data() + offset, std::min(sizeof h, limit - offset));
    const bool first = offset == end;
    const bool word_ok =
        first ? h.record_bytes == 0
              : (h.record_bytes == 0 || h.record_bytes == kRecordHeaderBytes + h.payload_bytes);
    const bool seq_ok = h.seq == seq;
    const bool fits = offset + kRecordHeaderBytes <= limit && h.payload_bytes <= segment_bytes &&
                      offset + recordSpan(h.payload_bytes) + kSealBytes <= segment_bytes;
    if (!word_ok || !seq_ok || !fits) {
      shape.clean = false;
      shape.garbage_at = findNonZero(bytes, offset, limit);
      return shape;
    }
    offset += recordSpan(h.payload_bytes);
    shape.incomplete_end = std::min(offset, limit);
    ++seq;
  }
  return shape;
}

std::string corruptionMessage(const std::filesystem::path& segment, std::uint64_t offset,
                              std::uint64_t last_good_seq, std::string_view problem, bool tail,
                              bool repairing) {
  std::string where = fmt::format("journal: corrupt data in {} at byte offset {} (last good seq {}): {}.",
                                  segment.string(), offset, last_good_seq, problem);
  if (repairing) return where;
  if (tail) {
    return fmt::format(
        "{} Nothing valid follows it, so it is a torn or damaged tail (typically a machine crash). To "
        "continue "
        "after seq {}, open with repair_corrupt_tail: the bytes from offset {} are copied to {}.corrupt-{} "
        "and "
        "zeroed.",
        where, last_good_seq, offset, segment.string(), offset);
  }
  return fmt::format(
      "{} Valid records follow it, so it is not a torn tail and will not be repaired (that would drop "
      "acknowledged records): restore the segment from a copy or investigate the disk before restarting.",
      where);
}

JournalError corruptError(const std::filesystem::path& segment, std::uint64_t offset,
                          std::uint64_t last_good_seq, std::string_view problem, bool tail) {
  JournalError e;
  e.kind = JournalErrorKind::Corrupt;
  e.file = segment;
  e.offset = offset;
  e.last_good_seq = last_good_seq;
  e.message = corruptionMessage(segment, offset, last_good_seq, problem, tail, false);
  return e;
}

std::expected<void, JournalError> writeWholeFile(const std::filesystem::path& path,
                                                 std::span<const std::byte> bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0)
    return std::unexpected(ioError("cannot create", path, errno, "Check free space and permissions"));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error_number = n < 0 ? errno : EIO;
      ::close(fd);
      return std::unexpected(ioError("cannot write", path, error_number, "Check free space"));
    }
    done += static_cast<std::size_t>(n);
  }
  const int sync_rc = ::fsync(fd);
  const int error_number = errno;
  ::close(fd);
  if (sync_rc != 0) return std::unexpected(ioError("cannot fsync", path, error_number, "Check the device"));
  return {};
}

// How far ahead of the appender the flusher maps pages for writing: four flushes' worth of what was
// appended since the last one, within these bounds.
constexpr std::size_t kMinPopulateAhead = 1024 * 1024;
constexpr std::size_t kMaxPopulateAhead = 16 * 1024 * 1024;

// The first write to each page of a shared file mapping takes a page fault, and so does the first write
// after an msync has cleaned the page: a few µs each on a virtual machine, on the appender's thread, which
// is the order path (about one a request). MADV_POPULATE_WRITE takes those faults here instead, without
// touching the bytes, so appenders writing the same pages meanwhile are unaffected. Where the kernel lacks it
// (before Linux 5.14) the appender takes the faults itself, as it would without this.
void populateAhead(MappedSegment& segment, std::size_t write_end, std::size_t appended_since_last_sync) {
  const std::size_t segment_end = segment.mappedBytes() & ~(kPageBytes - 1);
  const std::size_t tail_page = write_end & ~(kPageBytes - 1);
  const std::size_t window = std::clamp(4 * appended_since_last_sync, kMinPopulateAhead, kMaxPopulateAhead);
  const std::size_t to = std::min(segment_end, (write_end + window) & ~(kPageBytes - 1));
  // The page being filled was cleaned by the msync just before; the pages after it once, as they come.
  if (tail_page < segment_end) (void)::madvise(segment.data() + tail_page, kPageBytes, MADV_POPULATE_WRITE);
  const std::size_t from = std::max(segment.populated_offset, tail_page + kPageBytes);
  if (from < to && ::madvise(segment.data() + from, to - from, MADV_POPULATE_WRITE) == 0)
    segment.populated_offset = to;
}

std::expected<void, JournalError> msyncWhole(const MappedSegment& segment) {
  if (segment.mappedBytes() != 0 && ::msync(segment.data(), segment.mappedBytes(), MS_SYNC) != 0) {
    return std::unexpected(ioError("cannot msync", segment.path(), errno, "Check the device"));
  }
  return {};
}

}  // namespace

std::string_view toString(FlushPolicy policy) noexcept {
  switch (policy) {
    case FlushPolicy::Record:
      return "record";
    case FlushPolicy::Batch:
      return "batch";
    case FlushPolicy::Interval:
      return "interval";
  }
  return "?";
}

Journal::Journal(JournalSettings settings) : settings_(std::move(settings)) {}

std::expected<std::unique_ptr<Journal>, JournalError> Journal::open(JournalSettings settings) {
  if (settings.directory.empty())
    return std::unexpected(invalidArgument("journal: settings.directory is empty"));
  if (settings.segment_bytes < kMinSegmentBytes || settings.segment_bytes % kSegmentGranularity != 0) {
    return std::unexpected(
        invalidArgument(fmt::format("journal: segment_bytes {} must be a multiple of {} and at least {}",
                                    settings.segment_bytes, kSegmentGranularity, kMinSegmentBytes)));
  }
  if (settings.flush_interval_ms == 0) {
    return std::unexpected(invalidArgument("journal: flush_interval_ms must be at least 1"));
  }
  std::error_code ec;
  std::filesystem::create_directories(settings.directory, ec);
  if (ec) {
    return std::unexpected(ioError("cannot create directory", settings.directory, ec.value(),
                                   "Check the path and its permissions"));
  }

  std::unique_ptr<Journal> journal(new Journal(std::move(settings)));
  const auto& directory = journal->settings_.directory;
  const auto lock_path = directory / kLockFileName;
  journal->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (journal->lock_fd_ < 0) {
    return std::unexpected(ioError("cannot open lock file", lock_path, errno, "Check permissions"));
  }
  if (::flock(journal->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK)
      return std::unexpected(ioError("cannot lock", lock_path, errno, "Check the file system"));
    JournalError e;
    e.kind = JournalErrorKind::Locked;
    e.file = lock_path;
    e.message = fmt::format(
        "journal: {} is locked by another journal writer (another gateway process on the same data "
        "directory?). "
        "Stop it, or give this one its own directory",
        lock_path.string());
    return std::unexpected(std::move(e));
  }
  journal->directory_fd_ = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (journal->directory_fd_ < 0) {
    return std::unexpected(ioError("cannot open directory", directory, errno, "Check permissions"));
  }
  if (auto recovered = journal->recover(); !recovered) return std::unexpected(std::move(recovered.error()));

  journal->flusher_ = std::thread([j = journal.get()] { j->flusherLoop(); });
  journal->requestPreparation();
  return journal;
}

Journal::~Journal() {
  if (flusher_.joinable()) {
    {
      std::lock_guard lock(flusher_mutex_);
      stop_ = true;
    }
    flusher_wake_.notify_all();
    flusher_.join();
  }
  if (prepared_) ::unlink(prepared_->path().c_str());
  prepared_.reset();
  retired_.clear();
  current_.reset();
  if (directory_fd_ >= 0) ::close(directory_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::expected<void, JournalError> Journal::recover() {
  auto listing = listJournalDirectory(settings_.directory);
  if (!listing) return std::unexpected(std::move(listing.error()));
  for (const auto& path : listing->other_files) {
    const auto name = path.filename().string();
    if (name.starts_with(kPreparedPrefix) && name.ends_with(kPreparedSuffix)) {
      // Prepared ahead of need by a previous run and never used: holds no record.
      // Harmless if it stays: prepared files get fresh names, so a failure is reported, not fatal.
      report_.notes.push_back(
          ::unlink(path.c_str()) == 0
              ? fmt::format("removed unused prepared segment {}", name)
              : fmt::format("could not remove unused prepared segment {}: {}", name, std::strerror(errno)));
    }
  }
  const auto& segments = listing->segments;
  report_.segments = segments.size();

  if (segments.empty()) {
    auto fresh = prepareSegment();
    if (!fresh) return std::unexpected(std::move(fresh.error()));
    if (auto activated = activate(std::move(*fresh), 1); !activated) return activated;
    return {};
  }

  std::uint64_t expected_seq = segments.front().first_seq;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& [name_seq, path] = segments[i];
    const bool last = i + 1 == segments.size();
    auto mapped = mapSegmentFile(path, Access::ReadWrite);
    if (!mapped) return std::unexpected(std::move(mapped.error()));
    std::unique_ptr<MappedSegment> segment = std::move(*mapped);
    if (auto problem = checkSegmentHeader(segment->bytes(), name_seq)) {
      return std::unexpected(corruptError(path, 0, expected_seq - 1, *problem, false));
    }
    if (name_seq != expected_seq) {
      return std::unexpected(corruptError(
          path, 0, expected_seq - 1,
          fmt::format(
              "the segment starts at seq {} but the one before ends at seq {}: records {}..{} are missing",
              name_seq, expected_seq - 1, expected_seq, name_seq - 1),
          false));
    }
    const std::size_t segment_bytes = segment->header().segment_bytes;
    std::size_t offset = kSegmentHeaderBytes;
    bool sealed = false;
    std::optional<std::pair<std::size_t, std::string>> corruption;
    for (;;) {
      auto slot = checkSlot(segment->bytes(), segment_bytes, offset, expected_seq);
      if (slot.kind == SlotKind::Record) {
        if (report_.first_seq == 0) report_.first_seq = slot.header.seq;
        ++report_.records;
        ++expected_seq;
        offset = slot.next_offset;
        continue;
      }
      sealed = slot.kind == SlotKind::Sealed;
      if (slot.kind == SlotKind::Invalid) corruption.emplace(offset, std::move(slot.problem));
      break;
    }
    const std::uint64_t last_good_seq = expected_seq - 1;

    if (!last) {
      if (corruption) {
        return std::unexpected(
            corruptError(path, corruption->first, last_good_seq, corruption->second, false));
      }
      if (!sealed) {
        // A crash between naming the next segment and sealing this one.
        publishSlotWord(segment->data() + offset, kSealed);
        if (auto synced = msyncWhole(*segment); !synced) return synced;
        report_.notes.push_back(
            fmt::format("sealed {} at offset {} (the writer had moved on to the next segment)",
                        path.filename().string(), offset));
      }
      continue;
    }

    if (!corruption && !sealed) {
      const auto tail = inspectTail(segment->bytes(), segment_bytes, offset, expected_seq);
      if (!tail.clean) {
        corruption.emplace(
            offset, fmt::format("non-zero byte at offset {} after the end of the data", tail.garbage_at));
      } else if (tail.incomplete_end > offset) {
        std::memset(segment->data() + offset, 0, tail.incomplete_end - offset);
        if (auto synced = msyncWhole(*segment); !synced) return synced;
        report_.discarded_incomplete_append = fmt::format(
            "{}: cleared bytes {}..{}, an append interrupted by a process crash (never acknowledged, seq {} "
            "is "
            "reused)",
            path.filename().string(), offset, tail.incomplete_end, expected_seq);
      } else if (segment->mappedBytes() < segment_bytes) {
        corruption.emplace(segment->mappedBytes(),
                           fmt::format("the file has {} bytes, its header declares {} (truncated file)",
                                       segment->mappedBytes(), segment_bytes));
      }
    }
    if (corruption) {
      const auto [at, problem] = *corruption;
      const bool tail =
          !validRecordFollows(segment->bytes(), segment_bytes, at + kRecordAlignment, last_good_seq);
      if (!tail || !settings_.repair_corrupt_tail) {
        return std::unexpected(corruptError(path, at, last_good_seq, problem, tail));
      }
      const std::size_t data_end = std::min(segment->mappedBytes(), segment_bytes);
      std::size_t save_end = data_end;
      while (save_end > at && segment->bytes()[save_end - 1] == std::byte{0}) --save_end;
      TailRepair repair{path,
                        at,
                        save_end > at ? save_end - at : 0,
                        path.string() + fmt::format(".corrupt-{}", at),
                        last_good_seq,
                        corruptionMessage(path, at, last_good_seq, problem, true, true)};
      if (auto saved = writeWholeFile(repair.saved_to, segment->bytes().subspan(at, repair.bytes_saved));
          !saved) {
        return saved;
      }
      if (data_end > at) std::memset(segment->data() + at, 0, data_end - at);
      if (auto synced = msyncWhole(*segment); !synced) return synced;
      if (segment->mappedBytes() < segment_bytes) {
        if (const int rc = ::posix_fallocate(segment->fd(), 0, static_cast<off_t>(segment_bytes)); rc != 0) {
          return std::unexpected(ioError("cannot extend repaired segment", path, rc, "Free disk space"));
        }
        segment.reset();
        auto remapped = mapSegmentFile(path, Access::ReadWrite);
        if (!remapped) return std::unexpected(std::move(remapped.error()));
        segment = std::move(*remapped);
      }
      report_.tail_repair = std::move(repair);
      offset = at;
    }

    report_.last_seq = last_good_seq;
    next_seq_ = expected_seq;
    last_seq_.store(last_good_seq, std::memory_order_release);
    durable_seq_.store(last_good_seq, std::memory_order_release);
    segment->synced_offset = offset;
    if (sealed) {
      // The writer sealed this one and crashed before its first record in the next: start the next now.
      auto fresh = prepareSegment();
      if (!fresh) return std::unexpected(std::move(fresh.error()));
      if (auto activated = activate(std::move(*fresh), expected_seq); !activated) return activated;
    } else {
      current_ = std::move(segment);
      write_offset_ = offset;
    }
  }
  return {};
}

std::expected<std::unique_ptr<MappedSegment>, JournalError> Journal::prepareSegment() {
  const auto path = settings_.directory /
                    fmt::format("{}{}{}", kPreparedPrefix, prepare_counter_.fetch_add(1), kPreparedSuffix);
  auto segment = createSegmentFile(path, settings_.segment_bytes);
  // Not yet visible to appenders: its first pages are mapped now, the rest by the flusher as they come.
  if (segment) populateAhead(**segment, kSegmentHeaderBytes, 0);
  return segment;
}

std::expected<void, JournalError> Journal::activate(std::unique_ptr<MappedSegment> segment,
                                                    std::uint64_t first_seq) {
  segment->header().first_seq = first_seq;
  const auto final_path = settings_.directory / segmentFileName(first_seq);
  // NOREPLACE: an existing segment of that name would be a bug or a second writer, never something to
  // overwrite.
  if (::renameat2(AT_FDCWD, segment->path().c_str(), AT_FDCWD, final_path.c_str(), RENAME_NOREPLACE) != 0) {
    const int error_number = errno;
    ::unlink(segment->path().c_str());
    return std::unexpected(ioError("cannot name new segment", final_path, error_number,
                                   "Check the journal directory (a second writer?) and free space"));
  }
  segment->setPath(final_path);
  if (current_) {
    // The next segment exists under its final name before this seal is visible, so a reader meeting the
    // seal always finds it.
    publishSlotWord(current_->data() + write_offset_, kSealed);
    retired_.push_back(std::move(current_));
  }
  current_ = std::move(segment);
  write_offset_ = kSegmentHeaderBytes;
  directory_dirty_ = true;
  return {};
}

std::expected<void, JournalError> Journal::rollLocked() {
  if (!prepared_) {
    counters_.synchronous_preparations.fetch_add(1, std::memory_order_relaxed);
    auto fresh = prepareSegment();
    if (!fresh) return std::unexpected(fail(std::move(fresh.error())));
    prepared_ = std::move(*fresh);
  }
  if (auto activated = activate(std::move(prepared_), next_seq_); !activated) {
    return std::unexpected(fail(std::move(activated.error())));
  }
  requestPreparation();
  return {};
}

std::expected<std::uint64_t, JournalError> Journal::append(std::uint16_t type, std::int64_t ts_us,
                                                           std::span<const std::byte> payload) {
  const RecordInput record{type, ts_us, payload};
  return appendBatch(std::span(&record, 1));
}

std::expected<std::uint64_t, JournalError> Journal::appendBatch(std::span<const RecordInput> records) {
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(failedError());
  if (records.empty()) return lastSeq();
  const std::size_t capacity = settings_.segment_bytes - kSegmentHeaderBytes - kSealBytes;
  std::size_t needed = 0;
  std::uint64_t payload_total = 0;
  for (const auto& record : records) {
    if (record.payload.size() > kMaxPayloadBytes || recordSpan(record.payload.size()) > capacity) {
      return std::unexpected(invalidArgument(
          fmt::format("journal: a payload of {} bytes does not fit a {}-byte segment; nothing was appended",
                      record.payload.size(), settings_.segment_bytes)));
    }
    needed += recordSpan(record.payload.size());
    payload_total += record.payload.size();
  }
  if (needed > capacity) {
    return std::unexpected(
        invalidArgument(fmt::format("journal: a batch of {} records needs {} bytes, more than one {}-byte "
                                    "segment holds; nothing was appended",
                                    records.size(), needed, settings_.segment_bytes)));
  }
  std::array<std::uint32_t, kPrecomputedCrcs> crcs;
  const bool precomputed = records.size() <= kPrecomputedCrcs;
  if (precomputed) {
    for (std::size_t i = 0; i < records.size(); ++i) crcs[i] = crc32c(0, records[i].payload);
  }

  std::lock_guard lock(append_mutex_);
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(failedError());
  if (write_offset_ + needed + kSealBytes > current_->header().segment_bytes) {
    if (auto rolled = rollLocked(); !rolled) return std::unexpected(std::move(rolled.error()));
  }
  std::byte* const base = current_->data();
  const std::size_t first_offset = write_offset_;
  std::size_t offset = first_offset;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    RecordHeader h{};
    h.record_bytes = static_cast<std::uint32_t>(kRecordHeaderBytes + record.payload.size());
    h.seq = next_seq_++;
    h.ts_us = record.ts_us;
    h.type = record.type;
    h.payload_bytes = static_cast<std::uint32_t>(record.payload.size());
    h.crc = recordCrc(precomputed ? crcs[i] : crc32c(0, record.payload), h);
    std::byte* slot = base + offset;
    // The seq, then the rest of the header, then the payload, the length word last: the order inspectTail
    // relies on to recognise what a process killed in the middle leaves. The fences keep the compiler from
    // reordering these stores, and a killed process leaves a program-order prefix of its stores.
    std::memcpy(slot + offsetof(RecordHeader, seq), &h.seq, sizeof h.seq);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    std::memcpy(slot + sizeof h.record_bytes, reinterpret_cast<const std::byte*>(&h) + sizeof h.record_bytes,
                sizeof h - sizeof h.record_bytes);
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (!record.payload.empty())
      std::memcpy(slot + kRecordHeaderBytes, record.payload.data(), record.payload.size());
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (i != 0) std::memcpy(slot, &h.record_bytes, sizeof h.record_bytes);
    offset += recordSpan(record.payload.size());
  }
  // The first record's length word goes last, with release: the whole batch becomes visible at once, to
  // readers and to a restart after a process crash.
  publishSlotWord(base + first_offset,
                  static_cast<std::uint32_t>(kRecordHeaderBytes + records.front().payload.size()));
  write_offset_ = offset;
  const std::uint64_t last = next_seq_ - 1;
  last_seq_.store(last, std::memory_order_release);
  counters_.records.store(counters_.records.load(std::memory_order_relaxed) + records.size(),
                          std::memory_order_relaxed);
  counters_.payload_bytes.store(counters_.payload_bytes.load(std::memory_order_relaxed) + payload_total,
                                std::memory_order_relaxed);
  return last;
}

std::expected<RemovedSegments, JournalError> Journal::removeSegmentsBefore(std::uint64_t seq) {
  std::uint64_t current_first = 0;
  {
    std::lock_guard lock(append_mutex_);
    current_first = current_->header().first_seq;
  }
  auto listing = listJournalDirectory(settings_.directory);
  if (!listing) return std::unexpected(std::move(listing.error()));
  const auto& segments = listing->segments;

  // A segment's records end where the next segment's begin; the current segment has no next to prove it.
  const std::uint64_t limit = std::min(seq, current_first);
  RemovedSegments removed;
  for (std::size_t i = 0; i + 1 < segments.size() && segments[i + 1].first_seq <= limit; ++i) {
    const auto& path = segments[i].path;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    // A retired segment may still be mapped for its last msync: the mapping outlives the name.
    if (::unlink(path.c_str()) != 0) {
      return std::unexpected(ioError("cannot remove segment", path, errno,
                                     "Check permissions; the segment holds only records no longer needed"));
    }
    ++removed.segments;
    removed.bytes += ec ? 0 : size;
  }
  if (removed.segments > 0 && ::fsync(directory_fd_) != 0) {
    return std::unexpected(ioError("cannot fsync directory", settings_.directory, errno, "Check the device"));
  }
  return removed;
}

std::expected<void, JournalError> Journal::commit() {
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(failedError());
  counters_.commits.fetch_add(1, std::memory_order_relaxed);
  const std::uint64_t target = lastSeq();
  if (settings_.flush == FlushPolicy::Interval) return {};
  if (durable_seq_.load(std::memory_order_acquire) >= target) return {};
  if (settings_.flush == FlushPolicy::Record) {
    if (auto synced = syncAll(target); !synced) return std::unexpected(fail(std::move(synced.error())));
    return {};
  }
  std::unique_lock lock(flusher_mutex_);
  commit_requested_ = true;
  flusher_wake_.notify_one();
  durable_advanced_.wait(lock, [&] {
    return durable_seq_.load(std::memory_order_acquire) >= target ||
           failed_.load(std::memory_order_acquire) || stop_;
  });
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(failedError());
  return {};
}

std::expected<void, JournalError> Journal::syncAll(std::uint64_t target) {
  std::lock_guard sync_lock(sync_mutex_);
  if (target != 0 && durable_seq_.load(std::memory_order_acquire) >= target) return {};
  MappedSegment* current = nullptr;
  std::size_t end = 0;
  std::uint64_t last = 0;
  bool directory_dirty = false;
  std::vector<std::unique_ptr<MappedSegment>> retired;
  {
    std::lock_guard lock(append_mutex_);
    current = current_.get();
    end = write_offset_;
    last = next_seq_ - 1;
    directory_dirty = std::exchange(directory_dirty_, false);
    retired.swap(retired_);
  }
  // Segments switched away from are synced whole (their seal included), then unmapped.
  for (auto& segment : retired) {
    if (auto synced = msyncRange(*segment, segment->synced_offset, segment->mappedBytes()); !synced)
      return synced;
  }
  retired.clear();
  // A record in a new segment is durable only once the segment's name is.
  if (directory_dirty && ::fsync(directory_fd_) != 0) {
    return std::unexpected(ioError("cannot fsync directory", settings_.directory, errno, "Check the device"));
  }
  if (end > current->synced_offset) {
    if (auto synced = msyncRange(*current, current->synced_offset, end); !synced) return synced;
    populateAhead(*current, end, end - current->synced_offset);
    current->synced_offset = end;
  }
  if (last > durable_seq_.load(std::memory_order_relaxed)) {
    durable_seq_.store(last, std::memory_order_release);
    { std::lock_guard lock(flusher_mutex_); }
    durable_advanced_.notify_all();
  }
  return {};
}

std::expected<void, JournalError> Journal::msyncRange(const MappedSegment& segment, std::size_t from,
                                                      std::size_t to) {
  const std::size_t start = from & ~(kPageBytes - 1);
  const auto t0 = Clock::now();
  const int rc = ::msync(segment.data() + start, to - start, MS_SYNC);
  const int error_number = errno;
  const auto ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
  counters_.msyncs.fetch_add(1, std::memory_order_relaxed);
  counters_.msync_ns_total.fetch_add(ns, std::memory_order_relaxed);
  if (ns > counters_.msync_ns_max.load(std::memory_order_relaxed)) {
    counters_.msync_ns_max.store(ns, std::memory_order_relaxed);  // only ever written under sync_mutex_
  }
  if (rc != 0) {
    return std::unexpected(ioError(fmt::format("msync of bytes {}..{} failed for", start, to), segment.path(),
                                   error_number,
                                   "Records may not be on disk: stop trading, check the device, restart"));
  }
  return {};
}

JournalError Journal::fail(JournalError error) {
  {
    std::lock_guard lock(failure_mutex_);
    if (!failure_) {
      failure_ = error;
      failed_.store(true, std::memory_order_release);
    }
  }
  { std::lock_guard lock(flusher_mutex_); }
  durable_advanced_.notify_all();
  return error;
}

JournalError Journal::failedError() const {
  std::lock_guard lock(failure_mutex_);
  return *failure_;
}

std::optional<JournalError> Journal::failure() const {
  std::lock_guard lock(failure_mutex_);
  return failure_;
}

JournalCounters Journal::counters() const noexcept {
  JournalCounters c;
  c.records = counters_.records.load(std::memory_order_relaxed);
  c.payload_bytes = counters_.payload_bytes.load(std::memory_order_relaxed);
  c.commits = counters_.commits.load(std::memory_order_relaxed);
  c.msyncs = counters_.msyncs.load(std::memory_order_relaxed);
  c.msync_ns_total = counters_.msync_ns_total.load(std::memory_order_relaxed);
  c.msync_ns_max = counters_.msync_ns_max.load(std::memory_order_relaxed);
  c.segments_prepared = counters_.segments_prepared.load(std::memory_order_relaxed);
  c.synchronous_preparations = counters_.synchronous_preparations.load(std::memory_order_relaxed);
  c.preparation_failures = counters_.preparation_failures.load(std::memory_order_relaxed);
  c.durable_seq = durable_seq_.load(std::memory_order_acquire);
  return c;
}

void Journal::requestPreparation() {
  {
    std::lock_guard lock(flusher_mutex_);
    preparation_requested_ = true;
  }
  flusher_wake_.notify_one();
}

void Journal::prepareAhead() {
  {
    std::lock_guard lock(append_mutex_);
    if (prepared_ || failed_.load(std::memory_order_acquire)) return;
  }
  auto fresh = prepareSegment();
  if (!fresh) {
    // Not fatal yet: the current segment still has room, and the append that needs the next one tries
    // again and fails the journal if it cannot.
    counters_.preparation_failures.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  std::unique_ptr<MappedSegment> spare;
  {
    std::lock_guard lock(append_mutex_);
    if (prepared_) {
      spare = std::move(*fresh);
    } else {
      prepared_ = std::move(*fresh);
      counters_.segments_prepared.fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (spare) ::unlink(spare->path().c_str());
}

void Journal::flusherLoop() {
  const auto interval = std::chrono::milliseconds(settings_.flush_interval_ms);
  auto next_flush = Clock::now() + interval;
  std::unique_lock lock(flusher_mutex_);
  for (;;) {
    flusher_wake_.wait_until(lock, next_flush,
                             [&] { return stop_ || commit_requested_ || preparation_requested_; });
    if (stop_) break;
    const bool prepare = std::exchange(preparation_requested_, false);
    const bool commit = std::exchange(commit_requested_, false);
    const bool timer = Clock::now() >= next_flush;
    lock.unlock();
    if (prepare) prepareAhead();
    if ((commit || timer) && !failed()) {
      if (auto synced = syncAll(0); !synced) fail(std::move(synced.error()));
    }
    if (timer && settings_.after_interval_flush) settings_.after_interval_flush();
    if (timer) next_flush = Clock::now() + interval;
    lock.lock();
  }
  lock.unlock();
  if (!failed()) {
    if (auto synced = syncAll(0); !synced) fail(std::move(synced.error()));
  }
}

}  // namespace fixgate::journal
