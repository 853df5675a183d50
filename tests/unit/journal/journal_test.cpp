// Journal: append and read back across segments, seq continuity across restarts, concurrent producers,
// batches, refused arguments, the directory lock, and what each flush policy does to the msync counters.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "journal/crc32c.h"
#include "journal_test_util.h"

namespace fixgate::journal {
namespace {

using namespace testutil;

TEST(Crc32c, MatchesTheStandardCheckValue) {
  const std::string_view check = "123456789";
  const auto bytes = std::as_bytes(std::span(check.data(), check.size()));
  EXPECT_EQ(crc32c(0, bytes), 0xE3069283u);
  EXPECT_EQ(crc32cPortable(0, bytes), 0xE3069283u);
}

TEST(Crc32c, InstructionAndTablePathsAgreeAndContinue) {
  std::vector<std::byte> data(1000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 37 + 11);
  for (std::size_t len : {0, 1, 7, 8, 9, 63, 64, 200, 1000}) {
    const auto s = std::span(data).first(len);
    EXPECT_EQ(crc32c(0, s), crc32cPortable(0, s)) << len;
    const std::size_t cut = len / 3;
    EXPECT_EQ(crc32c(crc32c(0, s.first(cut)), s.subspan(cut)), crc32c(0, s)) << len;
  }
}

TEST(Journal, RoundTripAcrossSeveralSegments) {
  TempDir dir;
  constexpr std::uint64_t kRecords = 2'000;  // ~7 segments of 64 KiB
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    EXPECT_EQ(journal->openReport().segments, 0u);
    appendN(*journal, 1, kRecords);
    ASSERT_TRUE(journal->commit());
    EXPECT_EQ(journal->lastSeq(), kRecords);
    const auto c = journal->counters();
    EXPECT_EQ(c.records, kRecords);
    EXPECT_GE(c.durable_seq, kRecords);
  }
  EXPECT_GE(segmentFiles(dir.path()).size(), 5u);
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), kRecords);
  for (std::uint64_t n = 1; n <= kRecords; ++n) {
    const auto& r = records[n - 1];
    ASSERT_EQ(r.seq, n);
    EXPECT_EQ(r.type, n % 7);
    EXPECT_EQ(r.ts_us, static_cast<std::int64_t>(n) * 1000);
    ASSERT_EQ(r.payload, payloadFor(n)) << "seq " << n;
  }
}

TEST(Journal, SeqContinuesAfterReopen) {
  TempDir dir;
  for (std::uint64_t run = 0; run < 3; ++run) {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    EXPECT_EQ(journal->openReport().last_seq, run * 500);
    EXPECT_EQ(journal->openReport().records, run * 500);
    EXPECT_FALSE(journal->openReport().tail_repair);
    EXPECT_FALSE(journal->openReport().discarded_incomplete_append);
    appendN(*journal, run * 500 + 1, 500);
  }
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), 1'500u);
  for (std::uint64_t n = 1; n <= records.size(); ++n) ASSERT_EQ(records[n - 1].payload, payloadFor(n));
}

TEST(Journal, EmptyPayloadIsARecord) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    ASSERT_EQ(journal->append(3, 42, {}).value_or(0), 1u);
    ASSERT_EQ(journal->append(4, 43, payloadFor(2)).value_or(0), 2u);
  }
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].payload.empty());
  EXPECT_EQ(records[0].type, 3);
  EXPECT_EQ(records[1].payload, payloadFor(2));
}

TEST(Journal, ConcurrentAppendsAreGaplessAndIntact) {
  TempDir dir;
  constexpr int kThreads = 4;
  constexpr std::uint64_t kPerThread = 1'500;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    std::vector<std::thread> threads;
    std::atomic<int> errors{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (std::uint64_t i = 0; i < kPerThread; ++i) {
          // The payload is derived from (thread, i), carried in the type and timestamp, to check it back.
          const std::uint64_t key = static_cast<std::uint64_t>(t) * 1'000'000 + i;
          if (!journal->append(static_cast<std::uint16_t>(t), static_cast<std::int64_t>(key),
                               payloadFor(key)))
            ++errors;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(journal->lastSeq(), kThreads * kPerThread);
  }
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), kThreads * kPerThread);
  std::vector<std::uint64_t> next_i(kThreads, 0);
  for (std::uint64_t n = 1; n <= records.size(); ++n) {
    const auto& r = records[n - 1];
    ASSERT_EQ(r.seq, n);
    const auto key = static_cast<std::uint64_t>(r.ts_us);
    ASSERT_EQ(r.payload, payloadFor(key)) << "seq " << n;
    ASSERT_EQ(key % 1'000'000, next_i[r.type]++) << "per-thread order kept";
  }
}

TEST(Journal, BatchGetsConsecutiveSeqs) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    ASSERT_EQ(journal->append(1, 1, payloadFor(1)).value_or(0), 1u);
    std::vector<std::vector<std::byte>> payloads;
    for (std::uint64_t n = 2; n <= 6; ++n) payloads.push_back(payloadFor(n));
    std::vector<RecordInput> batch;
    for (std::size_t i = 0; i < payloads.size(); ++i)
      batch.push_back({9, static_cast<std::int64_t>(i), payloads[i]});
    auto last = journal->appendBatch(batch);
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_EQ(*last, 6u);
    ASSERT_TRUE(journal->commit());
  }
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), 6u);
  for (std::uint64_t n = 1; n <= 6; ++n) EXPECT_EQ(records[n - 1].payload, payloadFor(n));
}

TEST(Journal, BatchesFillSegmentsExactlyAndRollOver) {
  TempDir dir;
  std::uint64_t expected = 0;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    std::vector<std::vector<std::byte>> payloads;
    for (std::uint64_t n = 0; n < 50; ++n) payloads.push_back(payloadFor(n, 600));
    std::vector<RecordInput> batch;
    for (const auto& p : payloads) batch.push_back({1, 0, p});
    for (int round = 0; round < 10; ++round) {
      auto last = journal->appendBatch(batch);
      ASSERT_TRUE(last) << last.error().message;
      expected += batch.size();
      ASSERT_EQ(*last, expected);
    }
  }
  EXPECT_EQ(readAll(dir.path()).size(), expected);
}

TEST(Journal, RefusesAPayloadLargerThanASegmentAndStaysUsable) {
  TempDir dir;
  auto journal = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(journal);
  const std::vector<std::byte> huge(kSmallSegment);
  auto refused = journal->append(1, 1, huge);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, JournalErrorKind::InvalidArgument);
  EXPECT_NE(refused.error().message.find("does not fit"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(journal->failed());
  EXPECT_EQ(journal->append(1, 1, payloadFor(1)).value_or(0), 1u);
}

TEST(Journal, RefusesBadSettings) {
  TempDir dir;
  auto settings = smallSettings(dir.path());
  settings.segment_bytes = 100'000;
  auto journal = Journal::open(settings);
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().kind, JournalErrorKind::InvalidArgument);
}

TEST(Journal, SecondWriterOnTheSameDirectoryIsRefused) {
  TempDir dir;
  auto first = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(first);
  auto second = Journal::open(smallSettings(dir.path()));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, JournalErrorKind::Locked);
  first.reset();
  EXPECT_TRUE(Journal::open(smallSettings(dir.path())));
}

std::uint64_t firstSeqOf(const std::filesystem::path& segment) {
  return format::parseSegmentFileName(segment.filename().string()).value();
}

TEST(JournalRetention, RemovesOnlySegmentsWhollyBeforeTheSeqAndReopensAtTheFirstLeft) {
  TempDir dir;
  constexpr std::uint64_t kRecords = 2'000;  // ~7 segments of 64 KiB
  std::vector<std::uint64_t> firsts;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, kRecords);
    for (const auto& segment : segmentFiles(dir.path())) firsts.push_back(firstSeqOf(segment));
    ASSERT_GE(firsts.size(), 5u);

    // A seq inside the third segment: the two before it go, the one holding it stays.
    auto removed = journal->removeSegmentsBefore(firsts[2] + 1);
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_EQ(removed->segments, 2u);
    EXPECT_EQ(removed->bytes, 2 * kSmallSegment);
    ASSERT_EQ(segmentFiles(dir.path()).size(), firsts.size() - 2);
    EXPECT_EQ(firstSeqOf(segmentFiles(dir.path()).front()), firsts[2]);

    // Exactly a segment's first seq: the segment before it holds only earlier records.
    removed = journal->removeSegmentsBefore(firsts[3]);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->segments, 1u);
    removed = journal->removeSegmentsBefore(firsts[3]);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->segments, 0u);

    // Past the last record: every segment but the one being appended to.
    removed = journal->removeSegmentsBefore(kRecords + 100);
    ASSERT_TRUE(removed);
    ASSERT_EQ(segmentFiles(dir.path()).size(), 1u);
    EXPECT_EQ(firstSeqOf(segmentFiles(dir.path()).front()), firsts.back());
    appendN(*journal, kRecords + 1, 10);
    ASSERT_TRUE(journal->commit());
  }
  auto reopened = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->openReport().first_seq, firsts.back());
  EXPECT_EQ(reopened->openReport().last_seq, kRecords + 10);
  const auto records = readAll(dir.path(), firsts.back());
  ASSERT_EQ(records.size(), kRecords + 10 - firsts.back() + 1);
  for (const auto& record : records) ASSERT_EQ(record.payload, payloadFor(record.seq)) << record.seq;
}

TEST(Journal, PreparesTheNextSegmentAheadOfNeed) {
  TempDir dir;
  auto journal = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(journal);
  // Bounded wait for the flusher's first preparation, then each roll is followed by the next one.
  for (int i = 0; i < 2'000 && journal->counters().segments_prepared == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(journal->counters().segments_prepared, 1u);
  for (std::uint64_t n = 1; n <= 2'000; ++n) {
    ASSERT_TRUE(journal->append(1, 1, payloadFor(n)));
    // Slow enough that the flusher keeps up, as it does in the gateway (segments of 64 MiB, not 64 KiB).
    if (n % 100 == 0) {
      for (int i = 0; i < 2'000 && journal->counters().segments_prepared < segmentFiles(dir.path()).size();
           ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }
  EXPECT_EQ(journal->counters().synchronous_preparations, 0u);
  EXPECT_GE(journal->counters().segments_prepared, segmentFiles(dir.path()).size());
}

// --- flush policies: what commit() does to the msync counter --------------------------------------------

TEST(JournalFlush, RecordPolicyMsyncsInCommitBeforeReturning) {
  TempDir dir;
  auto settings = smallSettings(dir.path(), FlushPolicy::Record);
  settings.flush_interval_ms = 3'600'000;  // the flusher's periodic msync never fires during the test
  auto journal = openOrDie(settings);
  ASSERT_TRUE(journal);
  for (std::uint64_t n = 1; n <= 5; ++n) {
    const auto before = journal->counters().msyncs;
    ASSERT_TRUE(journal->append(1, 1, payloadFor(n)));
    EXPECT_EQ(journal->counters().durable_seq, n - 1) << "append alone does not msync";
    ASSERT_TRUE(journal->commit());
    const auto after = journal->counters();
    EXPECT_GT(after.msyncs, before);
    EXPECT_EQ(after.durable_seq, n);
  }
  // Nothing new since the last commit: no msync.
  const auto before = journal->counters().msyncs;
  ASSERT_TRUE(journal->commit());
  EXPECT_EQ(journal->counters().msyncs, before);
}

// The session store msyncs its page of sequence numbers from this hook, so it must run at every period, on
// the flusher's thread, and never after the journal is gone.
TEST(JournalFlush, TheHookAfterEachPeriodicFlushRunsEveryIntervalUntilTheJournalCloses) {
  TempDir dir;
  auto settings = smallSettings(dir.path(), FlushPolicy::Interval);
  settings.flush_interval_ms = 10;
  std::atomic<int> calls{0};
  std::atomic<bool> on_caller_thread{false};
  const auto caller = std::this_thread::get_id();
  settings.after_interval_flush = [&] {
    if (std::this_thread::get_id() == caller) on_caller_thread = true;
    ++calls;
  };
  auto journal = openOrDie(settings);
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->append(1, 1, payloadFor(1)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (calls < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GE(calls, 3) << "three periods of 10 ms within 10 s";
  EXPECT_FALSE(on_caller_thread);
  journal.reset();
  const int at_close = calls;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(calls, at_close) << "called after the journal was destroyed";
}

TEST(JournalFlush, BatchPolicyCommitWaitsForTheFlusherAndSharesMsyncs) {
  TempDir dir;
  auto settings = smallSettings(dir.path(), FlushPolicy::Batch);
  settings.flush_interval_ms = 3'600'000;
  auto journal = openOrDie(settings);
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->append(1, 1, payloadFor(1)));
  ASSERT_TRUE(journal->commit());
  EXPECT_GE(journal->counters().msyncs, 1u);
  EXPECT_GE(journal->counters().durable_seq, 1u);

  constexpr int kThreads = 4;
  constexpr int kCommitsEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> not_durable{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCommitsEach; ++i) {
        auto seq = journal->append(2, 2, payloadFor(static_cast<std::uint64_t>(i)));
        if (!seq || !journal->commit() || journal->counters().durable_seq < *seq) ++not_durable;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(not_durable.load(), 0);
  const auto c = journal->counters();
  EXPECT_EQ(c.durable_seq, journal->lastSeq());
  EXPECT_LE(c.msyncs, c.commits) << "never more than one msync per commit";
}

TEST(JournalFlush, IntervalPolicyCommitReturnsAtOnceAndTheFlusherMsyncsLater) {
  TempDir dir;
  {
    auto settings = smallSettings(dir.path(), FlushPolicy::Interval);
    settings.flush_interval_ms = 3'600'000;
    auto journal = openOrDie(settings);
    ASSERT_TRUE(journal);
    ASSERT_TRUE(journal->append(1, 1, payloadFor(1)));
    ASSERT_TRUE(journal->commit());
    EXPECT_EQ(journal->counters().msyncs, 0u);
    EXPECT_EQ(journal->counters().durable_seq, 0u);
  }
  auto settings = smallSettings(dir.path(), FlushPolicy::Interval);
  settings.flush_interval_ms = 5;
  auto journal = openOrDie(settings);
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->append(1, 1, payloadFor(2)));
  ASSERT_TRUE(journal->commit());
  for (int i = 0; i < 5'000 && journal->counters().durable_seq < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(journal->counters().durable_seq, 2u);
  EXPECT_GE(journal->counters().msyncs, 1u);
}

long minorFaultsOfThisThread() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

// The first write to each page of the mapped segment is a page fault; the flusher takes those for the pages
// ahead of the appended end, so the appender (the order path) does not.
TEST(JournalFlush, TheFlusherMapsThePagesAheadOfTheAppender) {
  TempDir dir;
  auto settings = smallSettings(dir.path(), FlushPolicy::Batch);
  settings.segment_bytes = 8 * 1024 * 1024;
  settings.flush_interval_ms = 3'600'000;
  auto journal = openOrDie(settings);
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->append(1, 1, payloadFor(1)));
  ASSERT_TRUE(journal->commit());  // returns after the flusher's msync, which maps the next pages
  const std::vector<std::byte> payload(2000, std::byte{7});
  const long before = minorFaultsOfThisThread();
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(journal->append(1, i, payload));  // about 100 fresh pages
  const long faults = minorFaultsOfThisThread() - before;
  // Not zero: under AddressSanitizer the writes also fault in their shadow memory (one page per 32 KiB).
  EXPECT_LT(faults, 30) << "the appender faulted in " << faults << " of the ~100 pages it wrote";
}

TEST(JournalFlush, DestructorMsyncsWhatWasNeverCommitted) {
  TempDir dir;
  auto settings = smallSettings(dir.path(), FlushPolicy::Interval);
  settings.flush_interval_ms = 3'600'000;
  {
    auto journal = openOrDie(settings);
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 10);
  }
  auto journal = openOrDie(settings);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->openReport().last_seq, 10u);
}

}  // namespace
}  // namespace fixgate::journal
