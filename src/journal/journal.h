// The write-ahead journal (design principle 3): every event entering the core and every action it emits is
// appended here, with a gapless sequence number, before the action takes effect outside.
//
// On disk: DIR/journal-<first seq, 20 digits>.seg, each preallocated to segment_bytes and mapped MAP_SHARED.
// An append is a memcpy into the mapping whose length word is published last with a release store, so a
// record is either complete or invisible. The page cache holds every appended record the moment append()
// returns: a crash of the process (even SIGKILL) loses nothing that was appended. Only a crash of the machine
// (power, kernel) can lose records, namely those not yet msync'ed; commit() and the flush policy decide how
// many that can be.
//
// Threads: append(), appendBatch() and commit() may be called from any number of threads at once. The
// Journal owns one flusher thread (periodic msync, group commit, preparing the next segment), stopped by the
// destructor after a final msync. JournalReader (journal_reader.h) reads the same files, from another thread
// or process, while this writes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal_error.h"

namespace fixgate::journal {

class MappedSegment;

// When commit() may return, and what each choice risks. A process crash never loses an appended record
// under any policy; the policies differ only on a crash of the machine.
enum class FlushPolicy {
  // commit() msyncs everything appended so far, in the calling thread, before returning. A machine crash
  // loses nothing that was committed. Costs one msync (typically 0.1-10 ms, device dependent) per commit;
  // concurrent committers whose records an msync in progress already covers do not msync again.
  Record,
  // commit() wakes the flusher and blocks until an msync covering everything appended before the call has
  // completed (group commit: every committer waiting at the time shares one msync). A machine crash loses
  // nothing that was committed; commits are slower one by one than Record but far cheaper under load.
  Batch,
  // commit() returns at once; the flusher msyncs every flush_interval_ms. A machine crash loses up to about
  // flush_interval_ms of records, even committed ones, and the actions they recorded may already have
  // taken effect outside. Use only where that loss is accepted.
  Interval,
};

struct JournalSettings {
  std::filesystem::path directory;  // created if missing; one writing Journal per directory (flock'ed)
  // Size of each segment file; a multiple of 4096, at least 64 KiB. One extra segment is kept prepared
  // (created, preallocated, mapped) ahead of need, so the disk must hold two segments beyond the data.
  std::size_t segment_bytes = 64 * 1024 * 1024;
  FlushPolicy flush = FlushPolicy::Batch;
  // Under every policy the flusher msyncs at this period whatever is appended but not yet msync'ed, so
  // records never committed do not wait for the next commit to reach the disk.
  std::uint32_t flush_interval_ms = 5;
  // A corrupt or torn tail makes open() fail, naming file, offset and last good seq. With this set, open()
  // instead copies the bad bytes to "<segment>.corrupt-<offset>", zeroes them, continues after the last
  // good record and says so in OpenReport::tail_repair. Corruption followed by valid records is never
  // repaired: that would drop records that were acknowledged.
  bool repair_corrupt_tail = false;
  // Called on the flusher's thread after each periodic flush (every flush_interval_ms), for state kept
  // beside the journal that must reach the disk as often (the session store's page of sequence numbers).
  // Must not block for long nor touch the journal; it runs until the journal is destroyed.
  std::function<void()> after_interval_flush;
};

// What open() found and did, for the startup log.
struct TailRepair {
  std::filesystem::path segment;
  std::uint64_t offset = 0;         // first byte that was cut
  std::uint64_t bytes_saved = 0;    // up to the last non-zero byte
  std::filesystem::path saved_to;   // "<segment>.corrupt-<offset>"
  std::uint64_t last_good_seq = 0;  // the journal continues with last_good_seq + 1
  std::string problem;              // what was wrong, as open() would have reported it
};

struct OpenReport {
  std::size_t segments = 0;     // segment files found (0 on a fresh directory)
  std::uint64_t records = 0;    // valid records found in them
  std::uint64_t first_seq = 0;  // first record present, 0 if none
  std::uint64_t last_seq = 0;   // last valid record, 0 if none; the next append gets last_seq + 1
  std::optional<TailRepair> tail_repair;
  // A process crash in the middle of an append leaves that record's body without its length word: it was
  // never acknowledged (append() had not returned). open() recognises exactly that shape (seq field empty
  // or the next seq, declared size fits, nothing else after it), clears it and says so here. Any other
  // non-zero byte after the end is corruption.
  std::optional<std::string> discarded_incomplete_append;
  // Other housekeeping: a segment left unsealed by a crash during a segment switch and sealed now, stale
  // prepared files removed.
  std::vector<std::string> notes;
};

// Monotonic counters, readable at any time from any thread (relaxed: each value is exact, the set is not
// one snapshot).
struct JournalCounters {
  std::uint64_t records = 0;
  std::uint64_t payload_bytes = 0;
  std::uint64_t commits = 0;
  std::uint64_t msyncs = 0;  // msync calls, open() and shutdown included
  std::uint64_t msync_ns_total = 0;
  std::uint64_t msync_ns_max = 0;
  std::uint64_t segments_prepared = 0;         // by the flusher, ahead of need
  std::uint64_t synchronous_preparations = 0;  // by an append, because none was ready: a latency spike
  std::uint64_t preparation_failures = 0;      // by the flusher; the append needing the segment retries
  std::uint64_t durable_seq = 0;               // every record up to this seq has been msync'ed
};

// What removeSegmentsBefore() deleted.
struct RemovedSegments {
  std::size_t segments = 0;
  std::uint64_t bytes = 0;  // their file sizes
};

// One record of an appendBatch().
struct RecordInput {
  std::uint16_t type = 0;
  std::int64_t ts_us = 0;
  std::span<const std::byte> payload;
};

class Journal {
 public:
  // Largest payload any segment size can take: the length word is 32 bits.
  static constexpr std::size_t kMaxPayloadBytes = 0xFFFF'0000u;

  // Validates every record of every segment in settings.directory (CRC, seq continuity, framing), then opens
  // for appending after the last valid one. Fails on corruption (see JournalSettings::repair_corrupt_tail),
  // on I/O errors, or if another Journal holds the directory.
  [[nodiscard]] static std::expected<std::unique_ptr<Journal>, JournalError> open(JournalSettings settings);

  // Stops the flusher after a last msync; errors at that point can no longer be returned and are dropped
  // (call commit() first to see them).
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends one record and returns its seq. `type` and `payload` are the caller's; ts_us is UTC
  // microseconds from the caller's clock. Durable against a process crash on return; against a machine
  // crash only after commit() (per the flush policy). Fails if the payload is too large for a segment
  // (nothing written, the journal stays usable) or if the journal has failed: a segment could not be
  // created or extended (disk full, RLIMIT_FSIZE, EIO) or an msync failed. Once failed, every later
  // append and commit returns that first error: stop accepting work that must be recorded.
  [[nodiscard]] std::expected<std::uint64_t, JournalError> append(std::uint16_t type, std::int64_t ts_us,
                                                                  std::span<const std::byte> payload);

  // Appends all records with consecutive seqs (no other thread's record in between) and returns the seq of
  // the last. All or none: on error nothing of the batch is visible. An empty batch returns lastSeq().
  [[nodiscard]] std::expected<std::uint64_t, JournalError> appendBatch(std::span<const RecordInput> records);

  // Makes everything appended before the call (by any thread) durable against a machine crash as the flush
  // policy promises (Record, Batch: on return; Interval: within flush_interval_ms, returns at once).
  [[nodiscard]] std::expected<void, JournalError> commit();

  // Deletes the segment files every record of which has a seq below `seq` (a segment goes once the one
  // after it starts at or before `seq`); the segment being appended to is never deleted. For owners whose
  // older records are dead (a session store after its reset): a reader opened later must start at `seq` or
  // after, and the next open() starts at the first segment left. Not for the gateway's own journal, which
  // the audit shipper and the replay read from its start. Fails, naming the file, if one cannot be
  // removed; what was removed before stays removed, and the journal stays usable.
  [[nodiscard]] std::expected<RemovedSegments, JournalError> removeSegmentsBefore(std::uint64_t seq);

  [[nodiscard]] std::uint64_t lastSeq() const noexcept { return last_seq_.load(std::memory_order_acquire); }
  [[nodiscard]] bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }
  [[nodiscard]] std::optional<JournalError> failure() const;
  [[nodiscard]] JournalCounters counters() const noexcept;
  [[nodiscard]] const OpenReport& openReport() const noexcept { return report_; }
  [[nodiscard]] const JournalSettings& settings() const noexcept { return settings_; }

 private:
  struct Counters {
    std::atomic<std::uint64_t> records{0}, payload_bytes{0}, commits{0}, msyncs{0}, msync_ns_total{0},
        msync_ns_max{0}, segments_prepared{0}, synchronous_preparations{0}, preparation_failures{0};
  };

  explicit Journal(JournalSettings settings);
  std::expected<void, JournalError> recover();
  std::expected<std::unique_ptr<MappedSegment>, JournalError> prepareSegment();
  std::expected<void, JournalError> activate(std::unique_ptr<MappedSegment> segment, std::uint64_t first_seq);
  std::expected<void, JournalError> rollLocked();
  // msyncs everything appended so far, unless `target` (non-zero) is already durable.
  std::expected<void, JournalError> syncAll(std::uint64_t target);
  std::expected<void, JournalError> msyncRange(const MappedSegment& segment, std::size_t from,
                                               std::size_t to);
  JournalError fail(JournalError error);
  JournalError failedError() const;
  void flusherLoop();
  void requestPreparation();
  void prepareAhead();

  const JournalSettings settings_;
  OpenReport report_;
  int directory_fd_ = -1;
  int lock_fd_ = -1;

  // Appenders: the critical section of append() and segment switches.
  std::mutex append_mutex_;
  std::unique_ptr<MappedSegment> current_;
  std::size_t write_offset_ = 0;
  std::uint64_t next_seq_ = 1;
  std::unique_ptr<MappedSegment> prepared_;
  std::vector<std::unique_ptr<MappedSegment>> retired_;  // switched away from, not yet msync'ed and unmapped
  bool directory_dirty_ = false;                         // a segment was named since the last directory fsync
  std::atomic<std::uint64_t> last_seq_{0};
  std::atomic<std::uint64_t> prepare_counter_{0};

  // msync and unmapping happen only under sync_mutex_, which takes append_mutex_ just long enough to
  // snapshot what to sync: appenders never wait for an msync.
  std::mutex sync_mutex_;
  std::atomic<std::uint64_t> durable_seq_{0};

  // Flusher wake-ups and Batch committers.
  std::mutex flusher_mutex_;
  std::condition_variable flusher_wake_;
  std::condition_variable durable_advanced_;
  bool stop_ = false;
  bool commit_requested_ = false;
  bool preparation_requested_ = false;
  std::thread flusher_;

  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mutex_;
  std::optional<JournalError> failure_;

  Counters counters_;
};

[[nodiscard]] std::string_view toString(FlushPolicy policy) noexcept;

}  // namespace fixgate::journal
