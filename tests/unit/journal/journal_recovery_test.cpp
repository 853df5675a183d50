// Journal::open on damaged journals: a torn or corrupt tail is reported with file, offset and last good seq
// and refused, or, with repair_corrupt_tail, copied aside, zeroed and reported; corruption followed by
// valid records is never repaired; the leftovers of a process crash are recognised and need no operator.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "journal/segment_file.h"
#include "journal_test_util.h"

namespace fixgate::journal {
namespace {

using namespace testutil;
namespace fs = std::filesystem;

// 100 records in one 64 KiB segment, journal closed.
class JournalTail : public ::testing::Test {
 protected:
  void SetUp() override {
    auto journal = openOrDie(smallSettings(dir_.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 100);
    journal.reset();
    const auto files = segmentFiles(dir_.path());
    ASSERT_EQ(files.size(), 1u);
    segment_ = files.front();
    positions_ = recordPositions(segment_);
    ASSERT_EQ(positions_.size(), 100u);
    end_ = positions_.back().offset + format::alignUp(positions_.back().record_bytes);
  }

  JournalSettings repairing() const {
    auto s = smallSettings(dir_.path());
    s.repair_corrupt_tail = true;
    return s;
  }

  // The journal refuses to open, naming this segment, offset and last good seq.
  void expectRefused(std::uint64_t offset, std::uint64_t last_good_seq, std::string_view problem,
                     const JournalSettings& settings) {
    auto journal = Journal::open(settings);
    ASSERT_FALSE(journal) << "open() accepted a damaged journal";
    const auto& e = journal.error();
    EXPECT_EQ(e.kind, JournalErrorKind::Corrupt);
    EXPECT_EQ(e.file, segment_);
    EXPECT_EQ(e.offset, offset);
    EXPECT_EQ(e.last_good_seq, last_good_seq);
    EXPECT_NE(e.message.find(problem), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(segment_.string()), std::string::npos) << e.message;
    EXPECT_NE(e.message.find(std::to_string(offset)), std::string::npos) << e.message;
  }

  // After a repair the journal continues after last_good_seq and everything reads back.
  void expectContinuesAfter(Journal& journal, std::uint64_t last_good_seq) {
    EXPECT_EQ(journal.lastSeq(), last_good_seq);
    auto seq = journal.append(1, 1, payloadFor(last_good_seq + 1));
    ASSERT_TRUE(seq) << seq.error().message;
    EXPECT_EQ(*seq, last_good_seq + 1);
    ASSERT_TRUE(journal.commit());
    const auto records = readAll(dir_.path());
    ASSERT_EQ(records.size(), last_good_seq + 1);
    for (std::uint64_t n = 1; n <= records.size(); ++n) ASSERT_EQ(records[n - 1].payload, payloadFor(n));
  }

  TempDir dir_;
  fs::path segment_;
  std::vector<RecordPosition> positions_;
  std::uint64_t end_ = 0;
};

TEST_F(JournalTail, FlippedByteInTheLastRecordIsRefusedThenRepaired) {
  const auto last = positions_.back();
  auto bytes = readFile(segment_);
  const std::uint64_t flipped_at = last.offset + format::kRecordHeaderBytes + 10;
  writeBytes(segment_, flipped_at, {bytes[flipped_at] ^ std::byte{0x40}});
  const auto damaged = readFile(segment_);

  expectRefused(last.offset, 99, "CRC mismatch", smallSettings(dir_.path()));
  // Refusing changed nothing on disk.
  EXPECT_EQ(readFile(segment_), damaged);

  auto journal = openOrDie(repairing());
  ASSERT_TRUE(journal);
  const auto& repair = journal->openReport().tail_repair;
  ASSERT_TRUE(repair);
  EXPECT_EQ(repair->segment, segment_);
  EXPECT_EQ(repair->offset, last.offset);
  EXPECT_EQ(repair->last_good_seq, 99u);
  EXPECT_EQ(repair->saved_to, fs::path(segment_.string() + ".corrupt-" + std::to_string(last.offset)));
  const auto saved = readFile(repair->saved_to);
  const std::vector<std::byte> expected(
      damaged.begin() + static_cast<std::ptrdiff_t>(last.offset),
      damaged.begin() + static_cast<std::ptrdiff_t>(last.offset + last.record_bytes));
  EXPECT_EQ(saved, expected);
  expectContinuesAfter(*journal, 99);
}

TEST_F(JournalTail, FileTruncatedMidRecordIsRefusedThenRepaired) {
  const auto last = positions_.back();
  fs::resize_file(segment_, last.offset + 50);
  expectRefused(last.offset, 99, "truncated", smallSettings(dir_.path()));

  auto journal = openOrDie(repairing());
  ASSERT_TRUE(journal);
  const auto& repair = journal->openReport().tail_repair;
  ASSERT_TRUE(repair);
  EXPECT_EQ(repair->offset, last.offset);
  EXPECT_EQ(repair->last_good_seq, 99u);
  EXPECT_EQ(fs::file_size(repair->saved_to), 50u);
  EXPECT_EQ(fs::file_size(segment_), kSmallSegment) << "the segment is preallocated again";
  expectContinuesAfter(*journal, 99);
}

TEST_F(JournalTail, GarbageAfterTheEndIsRefusedThenRepaired) {
  writeBytes(segment_, end_ + 100, {std::byte{0xAB}, std::byte{0xCD}});
  expectRefused(end_, 100, "non-zero byte at offset " + std::to_string(end_ + 100),
                smallSettings(dir_.path()));

  auto journal = openOrDie(repairing());
  ASSERT_TRUE(journal);
  const auto& repair = journal->openReport().tail_repair;
  ASSERT_TRUE(repair);
  EXPECT_EQ(repair->offset, end_);
  EXPECT_EQ(repair->last_good_seq, 100u);
  const auto saved = readFile(repair->saved_to);
  ASSERT_EQ(saved.size(), 102u);
  EXPECT_EQ(saved[100], std::byte{0xAB});
  EXPECT_EQ(saved[101], std::byte{0xCD});
  expectContinuesAfter(*journal, 100);
}

TEST_F(JournalTail, LengthRunningPastTheSegmentIsRefused) {
  const std::uint32_t huge = kSmallSegment;
  std::vector<std::byte> word(4);
  std::memcpy(word.data(), &huge, 4);
  writeBytes(segment_, positions_.back().offset, word);
  expectRefused(positions_.back().offset, 99, "runs past the end", smallSettings(dir_.path()));
}

TEST_F(JournalTail, CorruptRecordInTheMiddleIsReportedNotSkippedNorRepaired) {
  const auto middle = positions_[49];
  auto bytes = readFile(segment_);
  const std::uint64_t flipped_at = middle.offset + format::kRecordHeaderBytes + 3;
  writeBytes(segment_, flipped_at, {bytes[flipped_at] ^ std::byte{0x01}});

  expectRefused(middle.offset, 49, "not a torn tail", smallSettings(dir_.path()));
  expectRefused(middle.offset, 49, "not a torn tail", repairing());
  EXPECT_FALSE(fs::exists(segment_.string() + ".corrupt-" + std::to_string(middle.offset)));

  auto reader = JournalReader::open(dir_.path());
  ASSERT_TRUE(reader);
  for (std::uint64_t n = 1; n <= 49; ++n) {
    auto r = reader->next();
    ASSERT_TRUE(r && *r) << n;
    EXPECT_EQ((*r)->seq, n);
  }
  for (int again = 0; again < 2; ++again) {
    auto r = reader->next();
    ASSERT_FALSE(r) << "the reader skipped a corrupt record";
    EXPECT_EQ(r.error().kind, JournalErrorKind::Corrupt);
    EXPECT_EQ(r.error().offset, middle.offset);
    EXPECT_EQ(r.error().last_good_seq, 49u);
  }
}

TEST_F(JournalTail, AppendInterruptedByAProcessCrashIsClearedWithoutRepair) {
  // What a kill between the header/payload copies and the length word leaves: no length, seq 101.
  format::RecordHeader h{};
  const auto payload = payloadFor(101);
  h.seq = 101;
  h.payload_bytes = static_cast<std::uint32_t>(payload.size());
  std::vector<std::byte> torn(sizeof h);
  std::memcpy(torn.data(), &h, sizeof h);
  torn.insert(torn.end(), payload.begin(), payload.begin() + 60);  // payload only partly copied
  writeBytes(segment_, end_, torn);

  auto journal = openOrDie(smallSettings(dir_.path()));
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->openReport().discarded_incomplete_append);
  EXPECT_NE(journal->openReport().discarded_incomplete_append->find(std::to_string(end_)), std::string::npos);
  EXPECT_FALSE(journal->openReport().tail_repair);
  expectContinuesAfter(*journal, 100);
}

TEST_F(JournalTail, BatchInterruptedByAProcessCrashIsClearedWhole) {
  // A batch of two: the second record's length is published, the first's (which publishes the batch) not.
  std::vector<std::byte> torn;
  std::uint64_t seq = 101;
  for (bool first : {true, false}) {
    const auto payload = payloadFor(seq);
    format::RecordHeader h{};
    h.record_bytes = first ? 0 : static_cast<std::uint32_t>(format::kRecordHeaderBytes + payload.size());
    h.seq = seq++;
    h.payload_bytes = static_cast<std::uint32_t>(payload.size());
    std::vector<std::byte> slot(format::alignUp(sizeof h + payload.size()));
    std::memcpy(slot.data(), &h, sizeof h);
    std::memcpy(slot.data() + sizeof h, payload.data(), payload.size());
    torn.insert(torn.end(), slot.begin(), slot.end());
  }
  writeBytes(segment_, end_, torn);
  auto journal = openOrDie(smallSettings(dir_.path()));
  ASSERT_TRUE(journal);
  EXPECT_TRUE(journal->openReport().discarded_incomplete_append);
  expectContinuesAfter(*journal, 100);
}

TEST(JournalRecovery, CorruptionInAnEarlierSegmentIsNeverRepaired) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 1'000);
  }
  const auto files = segmentFiles(dir.path());
  ASSERT_GE(files.size(), 3u);
  const auto positions = recordPositions(files[0]);
  const auto last_of_first = positions.back();
  auto bytes = readFile(files[0]);
  const std::uint64_t at = last_of_first.offset + format::kRecordHeaderBytes;
  writeBytes(files[0], at, {bytes[at] ^ std::byte{0x10}});
  auto settings = smallSettings(dir.path());
  settings.repair_corrupt_tail = true;
  auto journal = Journal::open(settings);
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().file, files[0]);
  EXPECT_EQ(journal.error().offset, last_of_first.offset);
  EXPECT_EQ(journal.error().last_good_seq, last_of_first.seq - 1);
}

TEST(JournalRecovery, MissingSegmentIsAGap) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 1'000);
  }
  const auto files = segmentFiles(dir.path());
  ASSERT_GE(files.size(), 3u);
  fs::remove(files[1]);
  auto journal = Journal::open(smallSettings(dir.path()));
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().file, files[2]);
  EXPECT_NE(journal.error().message.find("missing"), std::string::npos) << journal.error().message;
}

TEST(JournalRecovery, SegmentLeftUnsealedBySwitchCrashIsSealed) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 400);
  }
  auto files = segmentFiles(dir.path());
  ASSERT_GE(files.size(), 2u);
  const auto positions = recordPositions(files[0]);
  const auto seal_at = positions.back().offset + format::alignUp(positions.back().record_bytes);
  writeBytes(files[0], seal_at, std::vector<std::byte>(4));  // as if killed between naming and sealing
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    EXPECT_EQ(journal->lastSeq(), 400u);
    EXPECT_FALSE(journal->openReport().notes.empty());
  }
  EXPECT_EQ(readAll(dir.path()).size(), 400u);
}

TEST(JournalRecovery, PreparedFilesLeftByACrashAreRemovedAndOtherFilesKept) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 400);
  }
  // A process killed while a segment was prepared leaves it under its temporary name.
  std::ofstream(dir.path() / "journal-prepared-7.tmp") << "never named";
  std::ofstream(dir.path() / "operator-notes.txt") << "not the journal's";
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    EXPECT_EQ(journal->lastSeq(), 400u);
    const auto& notes = journal->openReport().notes;
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes.front(), "removed unused prepared segment journal-prepared-7.tmp");
  }
  EXPECT_FALSE(fs::exists(dir.path() / "journal-prepared-7.tmp"));
  EXPECT_TRUE(fs::exists(dir.path() / "operator-notes.txt"));
  EXPECT_EQ(readAll(dir.path()).size(), 400u);
}

TEST(JournalDirectory, ListsSegmentsInSeqOrderAndEverythingElseApart) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 1'000);
  }
  std::ofstream(dir.path() / "journal-1.seg") << "too few digits: not a segment name";
  auto listing = listJournalDirectory(dir.path());
  ASSERT_TRUE(listing) << listing.error().message;
  const auto files = segmentFiles(dir.path());  // sorted by name, which sorts by first seq
  ASSERT_GE(files.size(), 3u);
  ASSERT_EQ(listing->segments.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(listing->segments[i].path, files[i]);
    EXPECT_EQ(listing->segments[i].first_seq, recordPositions(files[i]).front().seq) << files[i];
  }
  EXPECT_EQ(listing->segments.front().first_seq, 1u);
  std::vector<std::string> others;
  for (const auto& path : listing->other_files) others.push_back(path.filename().string());
  EXPECT_NE(std::find(others.begin(), others.end(), "journal-1.seg"), others.end());

  auto missing = listJournalDirectory(dir.path() / "not-created-yet");
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_TRUE(missing->segments.empty());
  EXPECT_TRUE(missing->other_files.empty());
}

TEST(JournalRecovery, SigkillLosesNothingAppended) {
  TempDir dir;
  constexpr std::uint64_t kRecords = 700;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto settings = smallSettings(dir.path(), FlushPolicy::Interval);
    settings.flush_interval_ms = 3'600'000;  // nothing msync'ed: the page cache alone must hold it
    auto journal = Journal::open(settings);
    if (!journal) ::_exit(2);
    for (std::uint64_t n = 1; n <= kRecords; ++n) {
      if (!(*journal)->append(1, 1, payloadFor(n))) ::_exit(3);
    }
    ::kill(::getpid(), SIGKILL);
    ::_exit(4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  auto journal = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->lastSeq(), kRecords);
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), kRecords);
  for (std::uint64_t n = 1; n <= kRecords; ++n) ASSERT_EQ(records[n - 1].payload, payloadFor(n));
}

}  // namespace
}  // namespace fixgate::journal
